/**
 * One dm stream per peer kept open across deliveries (node/messaging/transport.ts, PROTOCOL.md
 * §3.11): reused for the next delivery, closed after sitting idle, and a stream reset in the middle
 * of a delivery loses nothing and stores nothing twice.
 */
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { Stream } from '@libp2p/interface'
import { DM_PROTOCOL } from '../../node/messaging/constants.ts'
import { eventually, signal, type TestPeer, TestNet } from './helpers.ts'

const net = new TestNet()
after(() => net.close())

/** Counts the dm streams `peer` opens. */
function countDials(peer: TestPeer): { dials: number } {
  const counter = { dials: 0 }
  const dialProtocol = peer.libp2p.dialProtocol.bind(peer.libp2p)
  peer.libp2p.dialProtocol = (async (...args: Parameters<typeof dialProtocol>) => {
    if (args[1] === DM_PROTOCOL) counter.dials++
    return await dialProtocol(...args)
  }) as typeof dialProtocol
  return counter
}

/** The dm streams open on `peer`'s connections to `other`. */
function dmStreams(peer: TestPeer, other: TestPeer): Stream[] {
  return peer.libp2p
    .getConnections(other.identity.peerId)
    .flatMap(c => c.streams)
    .filter(s => s.protocol === DM_PROTOCOL && s.status === 'open')
}

async function contacts(alice: TestPeer, bob: TestPeer): Promise<void> {
  await bob.messenger.addContact(alice.name, { signal: signal() })
  await alice.messenger.addContact(bob.name, { signal: signal() })
}

const send = (from: TestPeer, to: TestPeer, text: string, wait = true) =>
  from.messenger.send(to.name, { text }, { wait, timeoutMs: 30_000, signal: signal() })

describe('a dm stream kept open per peer', () => {
  it('carries the next deliveries to the same peer on the same stream', async () => {
    const alice = await net.peer('alice-k', { messenger: { idleStreamMs: 8_000 } })
    const bob = await net.peer('bob-k')
    await contacts(alice, bob)
    const counter = countDials(alice)
    for (let i = 0; i < 4; i++) assert.equal((await send(alice, bob, `kept ${i}`)).status, 'delivered')
    assert.equal(counter.dials, 1, 'one stream for four deliveries one after another')
    assert.equal(dmStreams(bob, alice).length, 1, 'the receiver holds that one stream open')
    const texts = bob.store.messages.history(alice.identity.peerId.toString(), { limit: 10 }).map(m => m.text)
    assert.deepEqual(texts, ['kept 0', 'kept 1', 'kept 2', 'kept 3'])
  })

  it('closes a stream that sat idle, on both ends, and opens a new one for the next delivery', async () => {
    const alice = await net.peer('alice-i', { messenger: { idleStreamMs: 300 } })
    const bob = await net.peer('bob-i')
    await contacts(alice, bob)
    const counter = countDials(alice)
    assert.equal((await send(alice, bob, 'before the pause')).status, 'delivered')
    assert.equal(counter.dials, 1)
    // closed by the sender, and the receiver closes at the end of its data (not a reset by its read timeout)
    await eventually(() => dmStreams(alice, bob).length === 0 && dmStreams(bob, alice).length === 0)
    assert.equal((await send(alice, bob, 'after the pause')).status, 'delivered')
    assert.equal(counter.dials, 2)
  })

  it('a stream reset in the middle of a delivery: every entry is delivered once after the reconnect', async () => {
    const alice = await net.peer('alice-x', { messenger: { idleStreamMs: 8_000 } })
    const bob = await net.peer('bob-x')
    const aliceId = alice.identity.peerId.toString()
    const bobId = bob.identity.peerId.toString()
    await contacts(alice, bob)
    assert.equal((await send(alice, bob, 'first')).status, 'delivered')
    const counter = countDials(alice)

    // Bob stores the next batch but its fsync hangs, so no ack leaves; meanwhile the connection goes
    const sync = bob.store.sync.bind(bob.store)
    const fsync = Promise.withResolvers<void>()
    let syncs = 0
    bob.store.sync = async () => {
      syncs++
      await fsync.promise
      await sync()
    }
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await send(alice, bob, `batch ${i}`, false)).id)
    await eventually(() => syncs > 0)
    assert.equal(alice.store.outbox.forPeer(bobId).length, 3, 'nothing acked yet')
    await bob.libp2p.hangUp(alice.identity.peerId)
    fsync.resolve()

    await eventually(() => alice.store.outbox.forPeer(bobId).length === 0, 30_000)
    for (const id of ids) assert.equal(alice.store.messages.get(id)?.status, 'delivered')
    assert.ok(counter.dials >= 1, 'the batch went again on a new stream')
    const texts = bob.store.messages.history(aliceId, { limit: 10 }).map(m => m.text)
    assert.deepEqual(texts, ['first', 'batch 0', 'batch 1', 'batch 2'], 'each stored once, in order')
  })
})
