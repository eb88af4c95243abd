import { randomBytes } from 'node:crypto'
import { link, open, readFile, rename, unlink } from 'node:fs/promises'
import net from 'node:net'
import { logger } from '@libp2p/logger'

const log = logger('parley:daemon:lock')

/** How long a socket probe may take before the socket counts as dead. */
const SOCKET_PROBE_TIMEOUT_MS = 1000

/** Another daemon holds the home. */
export class DaemonRunningError extends Error {
  static override name = 'DaemonRunningError'
  override name = 'DaemonRunningError'
}

export interface DaemonLock {
  /** Removes the lock file if it is still ours. */
  release(): Promise<void>
}

interface LockContent {
  pid: number
  token: string
}

function parseLock(text: string): LockContent | undefined {
  const [pid, token] = text.trim().split(/\s+/)
  const n = Number(pid)
  if (!Number.isSafeInteger(n) || n <= 0 || token === undefined || token === '') return undefined
  return { pid: n, token }
}

function isErrno(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException)?.code === code
}

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return isErrno(err, 'EPERM')
  }
}

/** True when something accepts connections on the daemon socket. */
async function socketAlive(socketPath: string, signal?: AbortSignal): Promise<boolean> {
  return await new Promise<boolean>(resolve => {
    const socket = net.connect(socketPath)
    const done = (alive: boolean): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      socket.destroy()
      resolve(alive)
    }
    const onAbort = (): void => done(false)
    const timer = setTimeout(() => done(false), SOCKET_PROBE_TIMEOUT_MS)
    signal?.addEventListener('abort', onAbort, { once: true })
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

async function readLock(path: string): Promise<{ text: string; content?: LockContent } | undefined> {
  try {
    const text = await readFile(path, 'utf8')
    return { text, content: parseLock(text) }
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined
    throw err
  }
}

/**
 * Takes the home's daemon lock: a file holding `<pid> <token>`, created exclusively. A lock whose
 * process is gone (a daemon killed with SIGKILL) is stale and is broken, unless the socket still
 * answers; a live one makes this throw DaemonRunningError ("already running").
 *
 * Breaking a stale lock renames it away first (atomic, so of two starters only one breaks it) and
 * checks that what it moved is the stale lock it inspected; if a concurrent starter had already
 * replaced it, the fresh lock is put back and this start refuses.
 */
export async function acquireDaemonLock(
  lockPath: string,
  options: { socketPath: string; signal?: AbortSignal }
): Promise<DaemonLock> {
  const token = randomBytes(12).toString('hex')
  const mine = `${process.pid} ${token}\n`
  for (let attempt = 0; attempt < 5; attempt++) {
    options.signal?.throwIfAborted()
    try {
      const handle = await open(lockPath, 'wx', 0o600)
      try {
        await handle.writeFile(mine)
        await handle.sync()
      } finally {
        await handle.close()
      }
      log('acquired %s', lockPath)
      return {
        async release() {
          const current = await readLock(lockPath).catch(() => undefined)
          if (current?.content?.token === token) await unlink(lockPath).catch(() => {})
        }
      }
    } catch (err) {
      if (!isErrno(err, 'EEXIST')) throw err
    }
    const held = await readLock(lockPath)
    if (held === undefined) continue // released meanwhile: try again
    const alive =
      (held.content !== undefined && pidAlive(held.content.pid)) ||
      (await socketAlive(options.socketPath, options.signal))
    if (alive) {
      throw new DaemonRunningError(
        `a daemon is already running for this home (pid ${held.content?.pid ?? 'unknown'}, lock ${lockPath})`
      )
    }
    // stale: move it aside atomically, then check we moved the lock we judged
    const aside = `${lockPath}.stale.${token}`
    try {
      await rename(lockPath, aside)
    } catch (err) {
      if (isErrno(err, 'ENOENT')) continue
      throw err
    }
    const moved = await readFile(aside, 'utf8').catch(() => '')
    if (moved !== held.text) {
      // a concurrent starter's fresh lock: put it back (unless yet another one appeared) and refuse
      await link(aside, lockPath).catch(() => {})
      await unlink(aside).catch(() => {})
      throw new DaemonRunningError(`a daemon is already running for this home (lock ${lockPath})`)
    }
    await unlink(aside).catch(() => {})
    log('broke the stale lock of pid %s', held.content?.pid)
  }
  throw new DaemonRunningError(`a daemon is already running for this home (could not take ${lockPath})`)
}
