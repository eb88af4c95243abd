import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { test } from 'node:test'
import { eventually } from '../helpers/cli.ts'
import { probe, startLabDaemon, tcpPort } from './lab-daemon.ts'
import { labTest, report } from './lab-test.ts'
import { ADDR, labAvailability, must, NatLab, sweepLeftovers } from './netlab.ts'

labTest(
  'the NAT is real: a host behind one router reaches the public segment but not the other home',
  { timeout: 90_000 },
  async (lab, t) => {
    // A listening daemon on each side of the lab: b1 in home 2 (private), and a public host.
    const pub = await startLabDaemon(lab, 'comm', ADDR.comm, { listen: [`/ip4/${ADDR.comm}/tcp/4001`] })
    const b1 = await startLabDaemon(lab, 'b1', ADDR.b1, { bootstrap: pub.addresses })
    const b1Address = b1.addresses.find(a => a.includes(ADDR.b1))
    assert.ok(b1Address, `b1 listens on its LAN address: ${b1.addresses}`)
    const port = String(tcpPort(b1Address))

    // The routes exist (packets get to the other router); only the NAT's filter stops them.
    const before = await lab.drops('r2')
    const toPrivate = await probe(lab, 'a1', ['connect', ADDR.b1, port, '2000'])
    assert.equal(toPrivate.ok, false, 'a TCP connect from home 1 to the private address in home 2 must fail')
    assert.match(toPrivate.error ?? '', /ETIMEDOUT/, 'dropped silently by the router, not refused')
    const toWan = await probe(lab, 'a1', ['connect', ADDR.r2, port, '2000'])
    assert.equal(toWan.ok, false, "a TCP connect to the other router's WAN address (no port forward) must fail")
    const after = await lab.drops('r2')
    assert.ok(after.forward > before.forward, `r2 dropped the forwarded SYNs (${before.forward} → ${after.forward})`)
    assert.ok(after.input > before.input, `r2 dropped the SYNs to itself (${before.input} → ${after.input})`)

    // A libp2p dial fails the same way, while the same probe reaches the public host and b1 itself.
    const dialPrivate = await probe(lab, 'a1', ['dial', b1Address, '3000'])
    assert.equal(dialPrivate.ok, false, `libp2p dial a1 → b1 (${b1Address}) must fail`)
    const dialWan = await probe(lab, 'a1', ['dial', b1Address.replace(ADDR.b1, ADDR.r2), '3000'])
    assert.equal(dialWan.ok, false, "libp2p dial a1 → r2's WAN address must fail")
    const dialPublic = await probe(lab, 'a1', ['dial', pub.addresses[0]!, '10000'])
    assert.equal(dialPublic.ok, true, `libp2p dial a1 → the public host works: ${dialPublic.error}`)
    assert.equal(dialPublic.remotePeer, pub.peerId)
    const dialInside = await probe(lab, 'b1', ['dial', b1Address, '10000'])
    assert.equal(dialInside.ok, true, `b1's own address answers from inside its namespace: ${dialInside.error}`)

    // A daemon's own dial: a1 sends to b1's invite link (it carries b1's private addresses) — never
    // delivered; the same send to the public host's invite link is delivered.
    const a1 = await startLabDaemon(lab, 'a1', ADDR.a1, { bootstrap: pub.addresses })
    const b1Link = (await b1.cli(['invite'])).json?.link as string
    const pubLink = (await pub.cli(['invite'])).json?.link as string
    assert.ok(b1Link && pubLink, 'both daemons give invite links')
    const toPub = await a1.cli(['send', pubLink, 'hello public', '--wait', '--timeout', '30'])
    assert.equal(toPub.code, 0, `a1 → public host delivered: ${toPub.stderr}`)
    assert.equal(toPub.json?.status, 'delivered')
    const toB1 = await a1.cli(['send', b1Link, 'hello private', '--wait', '--timeout', '5'])
    assert.notEqual(toB1.json?.status, 'delivered', 'a1 → b1 through its private address must not be delivered')
    const b1History = await b1.cli(['history', a1.peerId])
    assert.ok(!b1History.stdout.includes('hello private'), 'b1 never received it')

    // The public host sees a1 and b1 coming from their routers' WAN addresses: masquerade.
    const seen = await eventually(async () => {
      const peers = (await pub.cli(['peers'])).json?.peers as Array<{ peerId: string; addresses: string[] }>
      const a = peers?.find(p => p.peerId === a1.peerId)
      const b = peers?.find(p => p.peerId === b1.peerId)
      return a !== undefined && b !== undefined ? { a: a.addresses, b: b.addresses } : undefined
    })
    assert.ok(
      seen.a.every(x => x.startsWith(`/ip4/${ADDR.r1}/`)),
      `a1 appears from r1's WAN address: ${seen.a}`
    )
    assert.ok(
      seen.b.every(x => x.startsWith(`/ip4/${ADDR.r2}/`)),
      `b1 appears from r2's WAN address: ${seen.b}`
    )
    const a1Peers = (await a1.cli(['peers'])).json?.peers as Array<{ peerId: string }>
    assert.ok(!a1Peers.some(p => p.peerId === b1.peerId), 'a1 has no connection to b1')
    report(
      t,
      `NAT: a1→b1 private TCP ${toPrivate.error} after ${toPrivate.ms} ms; a1→r2 WAN ${toWan.error}; r2 dropped ` +
        `${after.forward - before.forward} forwarded + ${after.input - before.input} inbound packets; libp2p dial to b1: ${dialPrivate.error}; ` +
        `public host sees a1 from ${seen.a[0]}`
    )
  }
)

test('the lab tears down everything it built, and sweeps what a killed run left', {
  skip: labAvailability().skip,
  timeout: 30_000
}, async () => {
  const lab = await NatLab.build({ hosts: ['a1'] })
  assert.deepEqual(lab.remaining().length, 3, `inet, r1 and a1 exist: ${lab.remaining()}`)
  await lab.teardown()
  assert.deepEqual(lab.remaining(), [])

  // A namespace named like a run whose process is gone is swept by the next run.
  const dead = spawnSync(process.execPath, ['-e', '0']).pid
  const leftover = `plab-${dead}-000000-a1`
  await must('ip', ['netns', 'add', leftover])
  const swept = await sweepLeftovers()
  assert.ok(swept.includes(leftover), `swept ${swept}`)
  const list = await must('ip', ['netns', 'list'])
  assert.ok(!list.includes(leftover), 'the leftover is gone')
})
