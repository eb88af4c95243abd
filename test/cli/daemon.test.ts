import assert from 'node:assert/strict'
import { stat } from 'node:fs/promises'
import { after, before, describe, test } from 'node:test'
import { homePaths } from '../../node/daemon/home.ts'
import { type DaemonProcess, eventually, makeHome, removeHome, runCli, startDaemon } from '../helpers/cli.ts'

/**
 * The node issue's CLI contract, end to end: real daemons as separate processes on 127.0.0.1,
 * driven only through the `parley` command line.
 */
describe('parley CLI with three daemons', { timeout: 300_000 }, () => {
  const homes: string[] = []
  const daemons: DaemonProcess[] = []

  before(async () => {
    for (let i = 0; i < 3; i++) homes.push(await makeHome())
    const first = await startDaemon(homes[0]!)
    daemons.push(first)
    for (const home of homes.slice(1)) daemons.push(await startDaemon(home, { bootstrap: first.addresses }))
  })

  after(async () => {
    await Promise.all(daemons.map(d => d.kill()))
    await Promise.all(homes.map(removeHome))
  })

  test('init is idempotent and returns the daemon identity', async () => {
    const a = await runCli(homes[0]!, ['init', '--json'])
    const b = await runCli(homes[0]!, ['init', '--json'])
    assert.equal(a.code, 0, a.stderr)
    assert.equal(a.json.peerId, daemons[0]!.peerId)
    assert.deepEqual(a.json, b.json)
  })

  test('home 0700, identity 0600, socket 0600', async () => {
    const paths = homePaths(homes[0]!)
    assert.equal((await stat(paths.home)).mode & 0o777, 0o700)
    assert.equal((await stat(paths.identity)).mode & 0o777, 0o600)
    assert.equal((await stat(paths.socket)).mode & 0o777, 0o600)
  })

  test('the ready line carries full multiaddrs on 127.0.0.1', () => {
    for (const d of daemons) {
      assert.ok(d.addresses.length > 0)
      for (const a of d.addresses) assert.match(a, new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/${d.peerId}$`))
    }
  })

  test('status, whoami and peers answer with the contract fields', async () => {
    const status = await runCli(homes[1]!, ['status', '--json'])
    assert.equal(status.code, 0, status.stderr)
    assert.deepEqual(Object.keys(status.json).sort(), [
      'addresses',
      'communities',
      'community',
      'connections',
      'mailboxes',
      'name',
      'peerId',
      'reachability',
      'relayAddresses',
      'routingTable'
    ])
    assert.equal(status.json.peerId, daemons[1]!.peerId)
    // a daemon on loopback without a community (issue 11's fields)
    assert.equal(status.json.community, false)
    assert.equal(status.json.reachability, 'unknown')
    assert.deepEqual(status.json.relayAddresses, [])
    assert.deepEqual(status.json.communities, [])
    const whoami = await runCli(homes[1]!, ['whoami', '--json'])
    assert.deepEqual(Object.keys(whoami.json).sort(), ['fingerprint', 'name', 'peerId'])
    const peers = await eventually(async () => {
      const r = await runCli(homes[1]!, ['peers', '--json'])
      return r.json.peers.some((p: { peerId: string }) => p.peerId === daemons[0]!.peerId) ? r : undefined
    })
    assert.equal(peers.code, 0)
    assert.ok(
      peers.json.peers.every((p: { relayed: unknown }) => p.relayed === false),
      'direct on loopback'
    )
  })

  test('register on one daemon, resolve from the others', async () => {
    const reg = await runCli(homes[0]!, ['register', 'Alice.Dev', '--json'])
    assert.equal(reg.code, 0, reg.stderr)
    assert.equal(reg.json.name, 'alice.dev')
    assert.equal(reg.json.peerId, daemons[0]!.peerId)
    assert.ok(reg.json.stored >= 1)
    for (const home of homes.slice(1)) {
      const r = await runCli(home, ['resolve', 'alice.dev', '--json'])
      assert.equal(r.code, 0, r.stderr)
      assert.equal(r.json.peerId, daemons[0]!.peerId)
      assert.equal(r.json.keyChanged, false)
      assert.ok(Array.isArray(r.json.addresses))
      assert.equal(typeof r.json.fingerprint, 'string')
    }
    const whoami = await runCli(homes[0]!, ['whoami', '--json'])
    assert.equal(whoami.json.name, 'alice.dev')
  })

  test('a name held by another key is refused with exit 1', async () => {
    const r = await runCli(homes[2]!, ['register', 'alice.dev', '--json'])
    assert.equal(r.code, 1)
    assert.equal(JSON.parse(r.stderr).error.name, 'NameTakenError')
  })

  test('resolving a name nobody holds exits 2; an invalid name exits 1', async () => {
    assert.equal((await runCli(homes[1]!, ['resolve', 'nobody-here', '--json'])).code, 2)
    const bad = await runCli(homes[1]!, ['resolve', 'x!', '--json'])
    assert.equal(bad.code, 1)
    assert.equal(JSON.parse(bad.stderr).error.name, 'InvalidNameError')
  })

  test('a daemon with no DHT peers cannot look a name up: exit 1, not "not found"', async () => {
    const home = await makeHome()
    const lone = await startDaemon(home)
    try {
      const r = await runCli(home, ['resolve', 'alice.dev', '--json'])
      assert.equal(r.code, 1, r.stderr)
      const { error } = JSON.parse(r.stderr)
      assert.equal(error.name, 'LookupFailedError')
      assert.match(error.message, /not connected to any DHT peer/)
    } finally {
      await lone.stop()
      await removeHome(home)
    }
  })

  test('safety numbers agree on both sides', async () => {
    const ab = await runCli(homes[0]!, ['safety-number', daemons[1]!.peerId, '--json'])
    const ba = await runCli(homes[1]!, ['safety-number', daemons[0]!.peerId, '--json'])
    assert.equal(ab.code, 0, ab.stderr)
    assert.equal(ab.json.safetyNumber, ba.json.safetyNumber)
    const byName = await runCli(homes[1]!, ['safety-number', 'alice.dev', '--json'])
    assert.equal(byName.json.safetyNumber, ba.json.safetyNumber)
  })

  test('settings: read receipts off by default, turned on and off; fail-after 168 hours by default, changed', async () => {
    assert.deepEqual((await runCli(homes[2]!, ['settings', '--json'])).json, {
      readReceipts: false,
      failAfterHours: 168
    })
    assert.deepEqual((await runCli(homes[2]!, ['settings', 'read-receipts', 'on', '--json'])).json, {
      readReceipts: true,
      failAfterHours: 168
    })
    assert.deepEqual((await runCli(homes[2]!, ['settings', '--json'])).json, {
      readReceipts: true,
      failAfterHours: 168
    })
    assert.deepEqual((await runCli(homes[2]!, ['settings', 'read-receipts', 'off', '--json'])).json, {
      readReceipts: false,
      failAfterHours: 168
    })
    assert.equal((await runCli(homes[2]!, ['settings', 'read-receipts', 'maybe'])).code, 1)
    assert.deepEqual((await runCli(homes[2]!, ['settings', 'fail-after', '24', '--json'])).json, {
      readReceipts: false,
      failAfterHours: 24
    })
    assert.equal((await runCli(homes[2]!, ['settings', 'fail-after', '0'])).code, 1)
    assert.equal((await runCli(homes[2]!, ['settings', 'fail-after', '8761'])).code, 1)
    assert.match((await runCli(homes[2]!, ['settings'])).stdout, /fail after: 24 hours/)
    assert.equal((await runCli(homes[2]!, ['retry', 'ff'.repeat(16)])).code, 2, 'no such message: not found')
  })

  test('a second daemon on the same home refuses to start', async () => {
    await assert.rejects(startDaemon(homes[1]!), /already running/)
  })

  test('restart keeps identity and name', async () => {
    const old = daemons[0]!
    assert.equal(await old.stop(), 0, 'SIGTERM stops the daemon cleanly with exit 0')
    const restarted = await startDaemon(homes[0]!, {
      bootstrap: daemons[1]!.addresses
    })
    daemons[0] = restarted
    assert.equal(restarted.peerId, old.peerId)
    const whoami = await runCli(homes[0]!, ['whoami', '--json'])
    assert.equal(whoami.json.name, 'alice.dev')
    const r = await runCli(homes[2]!, ['resolve', 'alice.dev', '--json'])
    assert.equal(r.json.peerId, old.peerId)
  })

  test('a killed daemon leaves nothing that stops the next start', async () => {
    await daemons[2]!.kill()
    daemons[2] = await startDaemon(homes[2]!, {
      bootstrap: daemons[1]!.addresses
    })
    assert.equal((await runCli(homes[2]!, ['status', '--json'])).code, 0)
  })
})

describe('parley CLI without a daemon', () => {
  test('exit 3 with a hint; usage errors exit 1', async () => {
    const home = await makeHome()
    try {
      const r = await runCli(home, ['status', '--json'])
      assert.equal(r.code, 3)
      assert.equal(r.stdout, '')
      assert.match(r.stderr, /parley daemon/)
      assert.equal((await runCli(home, ['frobnicate'])).code, 1)
      assert.equal((await runCli(home, ['register'])).code, 1)
      assert.equal((await runCli(home, ['status', '--wait'])).code, 1)
      assert.equal((await runCli(home, ['send', 'bob', 'hi', '--timeout', 'soon'])).code, 1)
    } finally {
      await removeHome(home)
    }
  })

  test('an encrypted identity opens only with its passphrase', async () => {
    const home = await makeHome()
    try {
      const created = await runCli(home, ['init', '--json'], { env: { PARLEY_PASSPHRASE: 'open sesame' } })
      assert.equal(created.code, 0, created.stderr)
      const again = await runCli(home, ['init', '--json'], { env: { PARLEY_PASSPHRASE: 'open sesame' } })
      assert.equal(again.json.peerId, created.json.peerId)
      const none = await runCli(home, ['init', '--json'])
      assert.equal(none.code, 1)
      assert.equal(JSON.parse(none.stderr).error.name, 'PassphraseRequiredError')
      const wrong = await runCli(home, ['init', '--json'], { env: { PARLEY_PASSPHRASE: 'wrong' } })
      assert.equal(wrong.code, 1)
      assert.equal(JSON.parse(wrong.stderr).error.name, 'WrongPassphraseError')
    } finally {
      await removeHome(home)
    }
  })
})
