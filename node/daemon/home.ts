import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/** Every file of one home (one account, one daemon). */
export interface HomePaths {
  /** the home directory itself, 0700 */
  home: string
  /** identity file (keys), 0600 */
  identity: string
  /** SQLite database (contacts, pins, sessions, messages, outbox, settings) */
  database: string
  /** the daemon's JSON-RPC socket (a named pipe on Windows), 0600 */
  socket: string
  /** the daemon lock (pid + token), held while a daemon runs */
  lock: string
  /** libp2p's persistent datastore (peer store, DHT records) */
  datastore: string
}

export function homePaths(home: string): HomePaths {
  const dir = resolve(home)
  return {
    home: dir,
    identity: join(dir, 'identity.key'),
    database: join(dir, 'parley.db'),
    socket:
      process.platform === 'win32'
        ? `\\\\.\\pipe\\parley-${createHash('sha256').update(dir.toLowerCase()).digest('hex').slice(0, 16)}`
        : join(dir, 'daemon.sock'),
    lock: join(dir, 'daemon.lock'),
    datastore: join(dir, 'datastore.db')
  }
}

/**
 * The home directory: --home, else PARLEY_HOME, else the OS data directory (XDG_DATA_HOME or
 * ~/.local/share/parley on Linux, ~/Library/Application Support/Parley on macOS, %LOCALAPPDATA%\Parley
 * on Windows). Always absolute.
 */
export function resolveHome(options: { home?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const env = options.env ?? process.env
  if (options.home !== undefined && options.home !== '') return resolve(options.home)
  if (env.PARLEY_HOME !== undefined && env.PARLEY_HOME !== '') return resolve(env.PARLEY_HOME)
  const home = env.HOME ?? env.USERPROFILE ?? homedir()
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'Parley')
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Parley')
  const xdg = env.XDG_DATA_HOME
  return join(xdg?.startsWith('/') ? xdg : join(home, '.local', 'share'), 'parley')
}

/**
 * Creates the home (0700, parents as needed) or narrows an existing one to 0700: the identity and
 * the socket inside are only ours.
 */
export function ensureHome(home: string): HomePaths {
  const paths = homePaths(home)
  mkdirSync(paths.home, { recursive: true, mode: 0o700 })
  const info = statSync(paths.home)
  if (!info.isDirectory()) throw new Error(`home ${paths.home} is not a directory`)
  if (process.platform !== 'win32' && (info.mode & 0o777) !== 0o700) chmodSync(paths.home, 0o700)
  return paths
}
