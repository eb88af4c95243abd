import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { DaemonConnection } from '../../extension/daemon-connection.ts'
import { type DaemonLaunch, runCliJson } from '../../extension/daemon-launch.ts'
import { homePaths } from '../../node/daemon/home.ts'
import { makeHome, ROOT, removeHome } from '../helpers/cli.ts'

/**
 * The extension's way of running the node, on the real thing: `parley init` and a detached
 * `parley daemon` from the bundled dist/cli.js (what the .vsix ships), two "windows" sharing one
 * daemon, and Restart Node.
 */

const CLI = join(ROOT, 'dist', 'cli.js')

describe('the extension runs the real daemon', () => {
  let home: string
  const connections: DaemonConnection[] = []
  const launch = (): DaemonLaunch => ({
    home,
    cliPath: CLI,
    nodePath: '',
    bootstrap: [],
    listen: ['/ip4/127.0.0.1/tcp/0'],
    mdns: false
  })

  before(async () => {
    assert.ok(existsSync(CLI), 'dist/cli.js is missing: `npm run build` first (npm test does)')
    home = await makeHome('parley-ext-daemon-')
  })
  after(async () => {
    const client = connections.find(c => c.client !== undefined)?.client
    await client?.call('node.stop', {}).catch(() => {})
    for (const c of connections) c.dispose()
    await new Promise(resolve => setTimeout(resolve, 500))
    await removeHome(home)
  })

  test('Create Identity, then two windows share one detached daemon, and Restart Node brings it back', async () => {
    const paths = homePaths(home)
    const lines: string[] = []
    const first = new DaemonConnection({ paths, launch, log: l => lines.push(l) })
    connections.push(first)
    await first.start()
    assert.equal(first.state, 'noIdentity')

    const created = (await runCliJson(launch(), ['init'])) as { peerId: string }
    assert.match(created.peerId, /^12D3KooW/)
    await first.start()
    assert.equal(first.state, 'ready', lines.join('\n'))
    const me = await first.client!.call('node.whoami', {})
    assert.equal(me.peerId, created.peerId)
    assert.ok(existsSync(join(home, 'daemon.log')), 'the detached daemon logs to <home>/daemon.log')

    // A second window finds the running daemon and does not start another one.
    let secondSpawned = 0
    const second = new DaemonConnection({
      paths,
      launch,
      log: () => {},
      spawn: () => {
        secondSpawned++
        return undefined
      }
    })
    connections.push(second)
    await second.start()
    assert.equal(second.state, 'ready')
    assert.equal(secondSpawned, 0)

    // Restart Node in the first window: the second window follows the new daemon.
    const secondBack = new Promise<void>(resolve => {
      let dropped = false
      second.onState(s => {
        if (s === 'reconnecting') dropped = true
        if (s === 'ready' && dropped) resolve()
      })
    })
    await first.restart()
    assert.equal(first.state, 'ready', lines.join('\n'))
    await secondBack
    assert.equal((await second.client!.call('node.whoami', {})).peerId, created.peerId)
  })
})
