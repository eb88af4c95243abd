/**
 * Local security: another user of the machine can read nothing of a Parley home and cannot talk to
 * its daemon. The home is made by the real thing — `parley init`, then `parley daemon` as processes —
 * under a wide-open umask (000), inside a world-traversable directory, so that only Parley's own
 * modes stand in the way. When the test runs
 * as root it also creates an unprivileged user (removed afterwards) and, as that user, tries to
 * list the home, read the key file and the database, and connect to the socket: all refused; a
 * control file in the same parent directory shows that user can read what is meant to be readable.
 * That user runs a copy of this Node placed beside the control file, so the test passes wherever
 * the checkout lives (even in a directory that user cannot enter).
 */
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { chmod, copyFile, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { connectDaemon } from '../../node/daemon/client.ts'
import { homePaths } from '../../node/daemon/home.ts'
import { CLI, childEnv, type DaemonProcess, startDaemon } from '../helpers/cli.ts'

const ROOT = process.getuid?.() === 0 && process.platform === 'linux'

/** What the other user tries, as a script for `node -e`: prints one JSON object of outcomes. */
const PROBE = `
const fs = require('node:fs'), net = require('node:net')
const [home, identity, database, socket, control] = process.argv.slice(1)
const code = fn => { try { fn(); return 'ok' } catch (err) { return err.code ?? err.name } }
const out = {
  control: code(() => fs.readFileSync(control)),
  listHome: code(() => fs.readdirSync(home)),
  readIdentity: code(() => fs.readFileSync(identity)),
  readDatabase: code(() => fs.readFileSync(database)),
  readWal: code(() => fs.readFileSync(database + '-wal')),
}
const s = net.connect(socket)
s.on('connect', () => { out.connect = 'ok'; s.destroy(); console.log(JSON.stringify(out)) })
s.on('error', err => { out.connect = err.code; console.log(JSON.stringify(out)) })
`

describe('local security: the home, its files and the socket belong to the user alone', () => {
  let parent: string
  let home: string
  let daemon: DaemonProcess
  let user: string | undefined
  let control: string
  /** The Node the unprivileged user runs. */
  let probeNode: string

  before(async () => {
    parent = await mkdtemp(join(tmpdir(), 'parley-sec-'))
    await chmod(parent, 0o755)
    home = join(parent, 'home')
    control = join(parent, 'control.txt')
    await writeFile(control, 'readable by anyone', { mode: 0o644 })
    const umask = process.umask(0)
    try {
      // `parley init`, then `parley daemon`, as processes (they inherit the umask of 000)
      const init = spawnSync(process.execPath, [CLI, '--home', home, '--json', 'init'], {
        env: childEnv(),
        encoding: 'utf8'
      })
      assert.equal(init.status, 0, init.stderr)
      daemon = await startDaemon(home)
    } finally {
      process.umask(umask)
    }
    // the owner can talk to it, and something is in the database and its WAL
    const client = await connectDaemon(homePaths(home).socket)
    await client.call('settings.set', { readReceipts: false })
    client.close()
    if (ROOT) {
      // The other user needs a Node it can run: this one may sit in a checkout that user cannot
      // enter (a 0700 home, /root, a mktemp -d clone). A copy in the world-traversable parent runs
      // the probe; the probe's own control read shows it runs as that user and can read what is open.
      probeNode = join(parent, 'node')
      await copyFile(process.execPath, probeNode)
      await chmod(probeNode, 0o755)
      user = `parleysec${process.pid}`
      execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user])
    }
  })

  after(async () => {
    await daemon?.stop()
    if (user !== undefined) spawnSync('userdel', [user])
    await rm(parent, { recursive: true, force: true })
  })

  it('modes: home 0700; identity, database (and its WAL), datastore, lock and socket 0600; nothing open to group or others', async () => {
    const paths = homePaths(home)
    const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777
    assert.equal(await mode(paths.home), 0o700)
    assert.equal(await mode(paths.identity), 0o600)
    assert.equal(await mode(paths.database), 0o600)
    assert.equal(await mode(`${paths.database}-wal`), 0o600)
    assert.equal(await mode(paths.lock), 0o600)
    assert.equal(await mode(paths.datastore), 0o600)
    assert.equal(await mode(paths.socket), 0o600)
    for (const entry of await readdir(paths.home)) {
      assert.equal((await mode(join(paths.home, entry))) & 0o077, 0, `${entry} is open to group or others`)
    }
  })

  /** Runs the probe as the unprivileged user. */
  function probe(): Record<string, string> {
    const paths = homePaths(home)
    const run = spawnSync(
      'runuser',
      [
        '-u',
        user as string,
        '--',
        probeNode,
        '-e',
        PROBE,
        paths.home,
        paths.identity,
        paths.database,
        paths.socket,
        control
      ],
      { encoding: 'utf8', cwd: '/' }
    )
    assert.equal(run.status, 0, run.stderr)
    return JSON.parse(run.stdout) as Record<string, string>
  }

  it('another user cannot list the home, read the key or the database, or connect to the socket', t => {
    if (!ROOT) {
      t.diagnostic('not root: the modes above are the whole check (no second user can be created)')
      return
    }
    const out = probe()
    assert.equal(out.control, 'ok', 'the probe runs and can read a world-readable file')
    assert.deepEqual(
      { ...out, control: undefined },
      {
        control: undefined,
        listHome: 'EACCES',
        readIdentity: 'EACCES',
        readDatabase: 'EACCES',
        readWal: 'EACCES',
        connect: 'EACCES'
      }
    )
  })

  it('even with the home opened for traversal (0711), the files and the socket still refuse that user', async t => {
    if (!ROOT) {
      t.diagnostic('not root: covered by the modes test')
      return
    }
    await chmod(home, 0o711)
    try {
      const out = probe()
      assert.equal(out.control, 'ok')
      assert.equal(out.listHome, 'EACCES')
      assert.equal(out.readIdentity, 'EACCES')
      assert.equal(out.readDatabase, 'EACCES')
      assert.equal(out.readWal, 'EACCES')
      assert.equal(out.connect, 'EACCES')
    } finally {
      await chmod(home, 0o700)
    }
  })
})
