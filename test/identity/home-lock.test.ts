import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { ensureHome, homePaths, resolveHome } from '../../node/daemon/home.ts'
import { acquireDaemonLock } from '../../node/daemon/lock.ts'

const unix = process.platform !== 'win32'

describe('home and daemon lock', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-home-'))
  })
  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  test('resolveHome: --home, then PARLEY_HOME, then the OS data directory', () => {
    assert.equal(resolveHome({ home: '/a/b', env: { PARLEY_HOME: '/c' } }), '/a/b')
    assert.equal(resolveHome({ env: { PARLEY_HOME: '/c' } }), '/c')
    if (process.platform === 'linux') {
      assert.equal(resolveHome({ env: { HOME: '/h' } }), '/h/.local/share/parley')
      assert.equal(resolveHome({ env: { HOME: '/h', XDG_DATA_HOME: '/x' } }), '/x/parley')
    }
  })

  test('ensureHome creates the home 0700 and narrows a wider one', { skip: !unix }, async () => {
    const home = join(dir, 'nested', 'home')
    const paths = ensureHome(home)
    assert.equal((await stat(paths.home)).mode & 0o777, 0o700)
    const { chmod } = await import('node:fs/promises')
    await chmod(home, 0o755)
    ensureHome(home)
    assert.equal((await stat(home)).mode & 0o777, 0o700)
    assert.deepEqual(Object.keys(paths).sort(), ['database', 'datastore', 'home', 'identity', 'lock', 'log', 'socket'])
  })

  test('a second holder is refused with "already running"; release frees the lock', async () => {
    const paths = ensureHome(join(dir, 'twice'))
    const lock = await acquireDaemonLock(paths.lock, { socketPath: paths.socket })
    await assert.rejects(acquireDaemonLock(paths.lock, { socketPath: paths.socket }), {
      name: 'DaemonRunningError',
      message: /already running/
    })
    await lock.release()
    const again = await acquireDaemonLock(paths.lock, { socketPath: paths.socket })
    await again.release()
  })

  test('the lock of a SIGKILLed process is stale and broken', { skip: !unix }, async () => {
    const paths = ensureHome(join(dir, 'killed'))
    const lockModule = new URL('../../node/daemon/lock.ts', import.meta.url).pathname
    const script = `const { acquireDaemonLock } = await import(${JSON.stringify(lockModule)});
      await acquireDaemonLock(${JSON.stringify(paths.lock)}, { socketPath: ${JSON.stringify(paths.socket)} });
      process.stdout.write('locked\\n'); setInterval(() => {}, 1000)`
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit']
    })
    await new Promise<void>(resolve => child.stdout.once('data', () => resolve()))
    const held = await readFile(paths.lock, 'utf8')
    assert.equal(held.split(' ')[0], String(child.pid))
    await assert.rejects(acquireDaemonLock(paths.lock, { socketPath: paths.socket }), { name: 'DaemonRunningError' })
    child.kill('SIGKILL')
    await new Promise(resolve => child.once('exit', resolve))
    const lock = await acquireDaemonLock(paths.lock, { socketPath: paths.socket })
    assert.equal((await readFile(paths.lock, 'utf8')).split(' ')[0], String(process.pid))
    await lock.release()
  })

  test('a garbage lock file with a live socket still counts as running', { skip: !unix }, async () => {
    const paths = ensureHome(join(dir, 'socket'))
    await writeFile(paths.lock, 'garbage')
    const server = net.createServer()
    await new Promise<void>(resolve => server.listen(paths.socket, resolve))
    try {
      await assert.rejects(acquireDaemonLock(paths.lock, { socketPath: paths.socket }), { name: 'DaemonRunningError' })
    } finally {
      await new Promise(resolve => server.close(resolve))
    }
    const lock = await acquireDaemonLock(paths.lock, { socketPath: paths.socket })
    await lock.release()
  })
})

describe('homePaths', () => {
  test('every file lives in the home', () => {
    const paths = homePaths('/tmp/x')
    for (const [key, value] of Object.entries(paths)) {
      if (key === 'socket' && !unix) continue
      assert.ok(value.startsWith('/tmp/x'), `${key}: ${value}`)
    }
  })
})
