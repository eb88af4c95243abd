import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { lpStream } from '@libp2p/utils'
import {
  createQueue,
  deleteDeposits,
  deleteQueue,
  deposit,
  MAX_BLOB_BYTES,
  subscribe
} from '../../node/mailbox/index.ts'
import { MailboxRequest } from '../../node/mailbox/pb/mailbox.js'
import { createThrowawayNode } from '../../node/mailbox/throwaway-node.ts'
import { CommunityNet, eventually, tcpPort } from '../community/helpers.ts'
import { TestClock } from '../names/helpers.ts'
import { admit, blobs, Collector, errorOf, homeOf } from './helpers.ts'
import { openRaw } from './raw.ts'

const DAY = 24 * 60 * 60 * 1000

describe('mailbox lifecycle: restarts, retention, push, floods and slow streams', { timeout: 300_000 }, () => {
  const net = new CommunityNet()
  after(() => net.close())

  test('deposits survive a restart of the community node (store and libp2p closed and reopened)', async () => {
    const first = await net.start({ community: true })
    const { node: alice } = await net.start()
    await admit(first.node, alice)
    const q = await createQueue(alice.libp2p, homeOf(first.node))
    const sent = blobs(5, 2000, 1)
    await deposit({ ...homeOf(first.node), ...q }, sent)
    const port = tcpPort(first.node)
    await net.stop(first.node)

    const { node: again } = await net.start({
      community: true,
      home: first.home,
      identity: first.identity,
      listen: [`/ip4/127.0.0.1/tcp/${port}`]
    })
    // (alice's own reconnects may still fail while the node comes back: try until one is in place)
    const sub = await eventually(async () => {
      const c = new Collector(alice, homeOf(again))
      await c.ready
      return c
    })
    await eventually(() => sub.deposits.length === 5)
    assert.deepEqual(
      sub.deposits.map(d => d.blob),
      sent
    )
    await sub.stop()
    // and the queue still takes deposits
    await deposit({ ...homeOf(again), ...q }, blobs(1, 100, 2))
    assert.equal(again.community.members()[0]!.deposits, 6)
  })

  test('retention: deposits older than the configured days are swept, younger ones stay', async () => {
    const clock = new TestClock()
    const { node: community } = await net.start({ community: true, now: clock.now, mailbox: { retentionMs: 3 * DAY } })
    const { node: alice } = await net.start()
    await admit(community, alice)
    const home = homeOf(community)
    const q = await createQueue(alice.libp2p, home)
    await deposit({ ...home, ...q }, blobs(2, 100, 1))
    clock.advance(2 * DAY)
    await deposit({ ...home, ...q }, blobs(1, 100, 2))
    clock.advance(DAY + 1000)
    assert.deepEqual(community.community.mailbox!.sweep(), { expired: 2, queues: 0 })
    const sub = new Collector(alice, home)
    await sub.ready
    await eventually(() => sub.deposits.length === 1)
    assert.deepEqual(sub.deposits[0]!.blob, blobs(1, 100, 2)[0])
    await sub.stop()
    assert.equal(community.community.members()[0]!.queues, 1)
  })

  test('push: an open subscription gets each new deposit; a second subscription replaces the first', async () => {
    const { node: community } = await net.start({ community: true })
    const { node: alice } = await net.start()
    await admit(community, alice)
    const home = homeOf(community)
    const q = await createQueue(alice.libp2p, home)
    const first = new Collector(alice, home)
    await first.ready
    for (let i = 0; i < 3; i++) {
      await deposit({ ...home, ...q }, blobs(1, 500, 10 + i))
      await eventually(() => first.deposits.length === i + 1)
    }
    const second = new Collector(alice, home)
    await second.ready
    // the first one ended cleanly once the second was in place
    await first.done
    await eventually(() => second.deposits.length === 3)
    await deposit({ ...home, ...q }, blobs(1, 500, 20))
    await eventually(() => second.deposits.length === 4)
    assert.equal(first.deposits.length, 3)
    await deleteDeposits(
      alice.libp2p,
      home,
      second.deposits.map(d => d.depositId)
    )
    await second.stop()
    assert.equal(community.community.members()[0]!.deposits, 0)
    // the node notices the member's close and lets the subscription go
    await eventually(() => community.community.mailbox!.load().subscriptions === 0)
  })

  test('a flood of deposits from fresh identities is rate limited; the member is still served', async () => {
    const { node: community } = await net.start({ community: true, mailbox: { depositRate: 2, depositBurst: 10 } })
    const { node: alice } = await net.start()
    await admit(community, alice)
    const home = homeOf(community)
    const q = await createQueue(alice.libp2p, home)
    const outcomes = await Promise.all(
      blobs(40, 200, 3).map(b =>
        deposit({ ...home, ...q }, [b]).then(
          () => 'stored',
          (e: Error) => e.name
        )
      )
    )
    const limited = outcomes.filter(o => o === 'MailboxRateLimitedError').length
    const stored = outcomes.filter(o => o === 'stored').length
    assert.equal(limited + stored, 40, outcomes.join(','))
    assert.ok(limited >= 20, `${limited} of 40 limited`)
    // member requests are not deposits: alice creates, subscribes and deletes as usual
    await createQueue(alice.libp2p, home)
    const sub = new Collector(alice, home)
    await sub.ready
    await eventually(() => sub.deposits.length === stored)
    await deleteDeposits(
      alice.libp2p,
      home,
      sub.deposits.map(d => d.depositId)
    )
    await sub.stop()
  })

  test("a member's own requests are rate limited per member peer id; deposits and other members are not", async () => {
    // the node's clock stands still: no token comes back until the test moves it
    let t = Date.now()
    const { node: community } = await net.start({
      community: true,
      now: () => t,
      mailbox: { memberRequestRate: 1, memberRequestBurst: 4 }
    })
    const { node: alice } = await net.start()
    const { node: bob } = await net.start()
    await admit(community, alice)
    await admit(community, bob)
    const home = homeOf(community)
    const q = await createQueue(alice.libp2p, home)
    await deleteDeposits(alice.libp2p, home, [new Uint8Array(16)])
    const sub = new Collector(alice, home)
    await sub.ready
    await sub.stop()
    await createQueue(alice.libp2p, home)
    // the burst of 4 is spent: each kind of member request is refused by name
    for (const call of [
      () => createQueue(alice.libp2p, home),
      () => deleteDeposits(alice.libp2p, home, [new Uint8Array(16)]),
      () => deleteQueue(alice.libp2p, home, q.queueId),
      () => subscribe(alice.libp2p, home, () => {}, AbortSignal.timeout(30_000))
    ]) {
      const err = await errorOf(call())
      assert.equal(err.name, 'MailboxRateLimitedError')
      assert.match(err.message, /member's requests/)
    }
    // deposits into alice's queue and bob's requests have buckets of their own
    await deposit({ ...home, ...q }, blobs(1, 300, 9))
    await createQueue(bob.libp2p, home)
    // a second later alice has one token again
    t += 1000
    await deleteQueue(alice.libp2p, home, q.queueId)
    assert.equal((await errorOf(createQueue(alice.libp2p, home))).name, 'MailboxRateLimitedError')
  })

  test('slow streams are cut: a request that never finishes, a subscriber that never reads', async () => {
    const { node: community } = await net.start({ community: true })
    const server = community.community.mailbox!
    const stranger = await createThrowawayNode()
    try {
      // half a request, then silence: cut after the 10 s read timeout
      const stream = await openRaw(stranger, community)
      stream.send(new Uint8Array([0x90, 0x03, 1, 2, 3]))
      await eventually(() => server.load().streams === 1)
      const err = await errorOf(lpStream(stream).read({ signal: AbortSignal.timeout(60_000) }))
      assert.notEqual(err.name, 'TimeoutError')
      await eventually(() => server.load().streams === 0)
    } finally {
      await stranger.stop()
    }

    // a member that subscribes and never reads while its mailbox fills
    const { node: alice } = await net.start()
    await admit(community, alice)
    const home = homeOf(community)
    const q = await createQueue(alice.libp2p, home)
    const raw = await openRaw(alice.libp2p, community)
    raw.pause?.()
    await lpStream(raw).write(MailboxRequest.encode({ subscribe: {} }))
    await eventually(() => server.load().subscriptions === 1)
    for (let i = 0; i < 8; i++) await deposit({ ...home, ...q }, blobs(10, MAX_BLOB_BYTES, 100 + i))
    await eventually(() => server.load().subscriptions === 0, 90_000)
    assert.equal(server.load().streams, 0)
    // the deposits wait for a subscriber that reads
    const sub = new Collector(alice, home)
    await sub.ready
    await eventually(() => sub.deposits.length === 80, 60_000)
    await sub.stop()
  })
})
