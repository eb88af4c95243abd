/**
 * Delivery alone, over a fake transport: acks to status, backoff after failures, partial acks,
 * forged acks, held queues (blocked), and peers coming into reach. `:memory:` store, no network.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { afterEach, describe, it } from 'node:test'
import type { PeerId } from '@libp2p/interface'
import type { Identity } from '../../../node/identity/index.ts'
import { backoff, Delivery, type DeliveryComponents, type DeliveryInit } from '../../../node/messaging/delivery.ts'
import { signAck } from '../../../node/messaging/envelope.ts'
import { fromHex } from '../../../node/messaging/ids.ts'
import type { EnvelopeTransport } from '../../../node/messaging/transport.ts'
import { HELD, type ParleyStore } from '../../../node/store/index.ts'
import { contact, identity, logger, memoryStore, noPeers, type Recorded, recorder, until } from './fakes.ts'

/** Receives envelopes by their position; `answer` decides what comes back. */
class FakeTransport implements EnvelopeTransport {
  calls: Array<{ at: number; envelopes: Uint8Array[] }> = []
  answer: (envelopes: Uint8Array[], onAck: (ack: Uint8Array) => Promise<number>) => Promise<number> = async () => {
    throw new Error('unreachable')
  }

  async send(_peerId: string, envelopes: Uint8Array[], onAck: (ack: Uint8Array) => Promise<number>): Promise<number> {
    this.calls.push({ at: Date.now(), envelopes })
    return await this.answer(envelopes, onAck)
  }
}

let running: Delivery[] = []
afterEach(() => {
  for (const d of running) d.stop()
  running = []
})

async function setup(init: DeliveryInit = {}): Promise<{
  store: ParleyStore
  delivery: Delivery
  transport: FakeTransport
  events: EventTarget
  recorded: Recorded[]
  alice: Identity
  bob: Identity
  bobId: string
  queue: (n: number) => string[]
  ackWith: (signer: Identity, ids: string[]) => Promise<Uint8Array>
}> {
  const alice = await identity()
  const bob = await identity()
  const bobId = bob.peerId.toString()
  const store = memoryStore()
  contact(store, bob.peerId)
  const transport = new FakeTransport()
  const events = new EventTarget()
  const { notify, events: recorded } = recorder()
  const delivery = new Delivery(
    {
      events: events as unknown as DeliveryComponents['events'],
      identity: alice,
      store,
      outbox: { sealPending: async () => {}, synced: async () => await store.sync() },
      transport,
      peers: noPeers,
      notify,
      logger
    },
    init
  )
  running.push(delivery)
  // the envelope bytes stand for themselves: byte 0..15 is the message id
  const queue = (n: number): string[] =>
    Array.from({ length: n }, (_, i) => {
      const id = randomBytes(16).toString('hex')
      store.messages.insert({
        id,
        peerId: bobId,
        direction: 'out',
        text: `m${i}`,
        sentAt: Date.now(),
        storedAt: Date.now(),
        seq: i + 1,
        prevHash: new Uint8Array(0),
        status: 'queued',
        unread: false,
        outOfOrder: false
      })
      store.outbox.add({
        messageId: id,
        peerId: bobId,
        seq: i + 1,
        envelope: fromHex(id),
        nextAttempt: Date.now(),
        kind: 'message'
      })
      return id
    })
  const ackWith = async (signer: Identity, ids: string[]): Promise<Uint8Array> =>
    await signAck({ receiverKey: signer.privateKey, sender: alice.peerId, messageIds: ids.map(fromHex) })
  return { store, delivery, transport, events, recorded, alice, bob, bobId, queue, ackWith }
}

const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

describe('backoff', () => {
  it('doubles from the minimum and stops at the maximum', () => {
    const r = { retryMinMs: 1_000, retryMaxMs: 60_000 }
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map(a => backoff(a, r)),
      [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]
    )
    assert.equal(backoff(10_000, r), 60_000, 'no overflow after many attempts')
  })
})

describe('delivery', () => {
  it('acks take entries out of the outbox, mark messages delivered, notify, and answer waitFor', async () => {
    const { store, delivery, transport, recorded, bob, bobId, queue, ackWith } = await setup()
    const ids = queue(3)
    transport.answer = async (envelopes, onAck) => {
      let n = 0
      for (const e of envelopes) n += await onAck(await ackWith(bob, [hexOf(e)]))
      return n
    }
    const waited = delivery.waitFor(ids[2]!, { timeoutMs: 5_000, signal: AbortSignal.timeout(10_000) })
    delivery.start()
    assert.equal(await waited, 'delivered')
    await until(() => store.outbox.forPeer(bobId).length === 0)
    assert.equal(transport.calls.length, 1, 'one stream for the batch')
    for (const id of ids) {
      const m = store.messages.get(id)!
      assert.equal(m.status, 'delivered')
      assert.ok(m.deliveredAt !== undefined)
    }
    const statuses = recorded.filter(r => r.event === 'message.status').map(r => r.detail)
    assert.deepEqual(
      statuses.map(s => [s.id, s.status]),
      ids.map(id => [id, 'delivered'])
    )
  })

  it('a delivery reads each pending envelope once: the acks take entries without reading them again', async () => {
    const { store, delivery, transport, bob, bobId, queue, ackWith } = await setup()
    const ids = queue(5)
    // every envelope the store hands out, by message id
    const reads = new Map<string, number>()
    const count = (rows: Array<{ messageId: string } | undefined>) => {
      for (const r of rows) if (r !== undefined) reads.set(r.messageId, (reads.get(r.messageId) ?? 0) + 1)
    }
    const { forPeer, get } = store.outbox
    store.outbox.forPeer = peerId => {
      const rows = forPeer(peerId)
      count(rows)
      return rows
    }
    store.outbox.get = id => {
      const row = get(id)
      count([row])
      return row
    }
    transport.answer = async (envelopes, onAck) => await onAck(await ackWith(bob, envelopes.map(hexOf)))
    const waited = delivery.waitFor(ids[4]!, { timeoutMs: 5_000, signal: AbortSignal.timeout(10_000) })
    delivery.start()
    await waited
    store.outbox.forPeer = forPeer
    await until(() => store.outbox.forPeer(bobId).length === 0)
    assert.equal(transport.calls.length, 1)
    assert.deepEqual(
      ids.map(id => reads.get(id)),
      ids.map(() => 1)
    )
  })

  it('no envelope goes out before every commit so far is durable (store.sync)', async () => {
    const { store, delivery, transport, bob, queue, ackWith } = await setup()
    // an outbox turn committed without its fsync yet (outbox.ts answers the send only after it)
    const fsync = Promise.withResolvers<void>()
    let syncs = 0
    store.sync = async () => {
      syncs++
      await fsync.promise
    }
    const [id] = queue(1)
    transport.answer = async (envelopes, onAck) => await onAck(await ackWith(bob, envelopes.map(hexOf)))
    const waited = delivery.waitFor(id!, { timeoutMs: 5_000, signal: AbortSignal.timeout(10_000) })
    delivery.start()
    await until(() => syncs > 0)
    await new Promise(resolve => setTimeout(resolve, 50))
    assert.equal(transport.calls.length, 0, 'nothing written while the fsync runs')
    fsync.resolve()
    await waited
    assert.equal(transport.calls.length, 1)
  })

  it('a message already read (the receipt overtook the ack) stays read', async () => {
    const { store, delivery, transport, bob, bobId, queue, ackWith } = await setup()
    const [id] = queue(1)
    store.messages.update(id!, { status: 'read' })
    transport.answer = async (envelopes, onAck) => await onAck(await ackWith(bob, envelopes.map(hexOf)))
    const waited = delivery.waitFor(id!, { timeoutMs: 5_000, signal: AbortSignal.timeout(10_000) })
    delivery.start()
    assert.equal(await waited, 'read', 'send --wait answers with the status the ack left')
    await until(() => store.outbox.forPeer(bobId).length === 0)
    assert.equal(store.messages.get(id!)?.status, 'read')
  })

  it('a failed delivery backs off, doubling up to the maximum, and reports the error once', async () => {
    const { store, delivery, transport, recorded, bobId, queue } = await setup({ retryMinMs: 40, retryMaxMs: 160 })
    const [id] = queue(1)
    transport.answer = async () => {
      throw new Error('connection refused')
    }
    delivery.start()
    await until(() => (store.outbox.get(id!)?.attempts ?? 0) >= 5, 10_000)
    delivery.stop()
    const calls = transport.calls.slice(0, 5)
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i]!.at)
    const expected = [40, 80, 160, 160]
    gaps.forEach((gap, i) => {
      assert.ok(gap >= expected[i]! - 2, `retry ${i + 1} waited ${gap} ms, at least ${expected[i]}`)
    })
    const entry = store.outbox.get(id!)!
    assert.equal(entry.attempts, 5)
    // after the fifth failure the next attempt is the maximum away (uncapped it would be 640 ms)
    const ahead = entry.nextAttempt - calls[4]!.at
    assert.ok(ahead >= 160 && ahead < 640, `next attempt ${ahead} ms after the fifth`)
    assert.match(entry.lastError ?? '', /connection refused/)
    assert.match(store.messages.get(id!)?.error ?? '', /connection refused/)
    const queued = recorded.filter(r => r.event === 'message.status' && r.detail.status === 'queued')
    assert.equal(queued.length, 1, 'the error is reported on the first failure only')
    assert.equal(store.outbox.forPeer(bobId).length, 1, 'nothing leaves the outbox without an ack')
  })

  it('a partial ack delivers what it names; the rest waits for the next attempt', async () => {
    const { store, delivery, transport, bob, bobId, queue, ackWith } = await setup({ retryMinMs: 60_000 })
    const ids = queue(2)
    transport.answer = async (envelopes, onAck) => await onAck(await ackWith(bob, [hexOf(envelopes[0]!)]))
    delivery.start()
    await until(() => store.outbox.get(ids[1]!)?.attempts === 1)
    assert.equal(store.outbox.get(ids[0]!), undefined)
    assert.equal(store.messages.get(ids[0]!)?.status, 'delivered')
    assert.match(store.outbox.get(ids[1]!)?.lastError ?? '', /acked 1 of 2/)
    assert.ok(store.outbox.forPeer(bobId)[0]!.nextAttempt > Date.now() + 30_000, 'due after the backoff')
  })

  it('an ack signed by another key delivers nothing', async () => {
    const { store, delivery, transport, bobId, queue, ackWith } = await setup({ retryMinMs: 60_000 })
    const mallory = await identity()
    const [id] = queue(1)
    transport.answer = async (envelopes, onAck) => await onAck(await ackWith(mallory, envelopes.map(hexOf)))
    delivery.start()
    await until(() => store.outbox.get(id!)?.attempts === 1)
    assert.equal(store.messages.get(id!)?.status, 'queued')
    assert.equal(store.outbox.forPeer(bobId).length, 1)
  })

  it('holds the queue of a blocked peer without dialing; deliverNow after unblocking sends at once', async () => {
    const { store, delivery, transport, bob, bobId, queue, ackWith } = await setup({ retryMaxMs: 60_000 })
    store.contacts.put({ ...store.contacts.get(bobId)!, state: 'blocked' })
    const [id] = queue(1)
    transport.answer = async (envelopes, onAck) => await onAck(await ackWith(bob, envelopes.map(hexOf)))
    delivery.start()
    await until(() => store.outbox.get(id!)?.attempts === 1)
    assert.equal(transport.calls.length, 0)
    assert.equal(store.outbox.get(id!)?.lastError, 'blocked')
    assert.ok(store.outbox.get(id!)!.nextAttempt > Date.now() + 30_000, 'held for the longest delay')
    store.contacts.put({ ...store.contacts.get(bobId)!, state: 'contact' })
    delivery.deliverNow(bobId)
    await until(() => store.outbox.get(id!) === undefined)
    assert.equal(transport.calls.length, 1)
  })

  it('a peer connecting makes its waiting queue due at once', async () => {
    const { store, delivery, transport, events, bob, queue, ackWith } = await setup({ retryMinMs: 60_000 })
    const [id] = queue(1)
    transport.answer = async () => {
      throw new Error('offline')
    }
    delivery.start()
    await until(() => store.outbox.get(id!)?.attempts === 1)
    transport.answer = async (envelopes, onAck) => await onAck(await ackWith(bob, envelopes.map(hexOf)))
    events.dispatchEvent(new CustomEvent<PeerId>('peer:connect', { detail: bob.peerId }))
    await until(() => store.outbox.get(id!) === undefined)
    assert.equal(transport.calls.length, 2)
  })

  it('waitFor times out with TimeoutError while the message stays queued', async () => {
    const { store, delivery, queue } = await setup()
    const [id] = queue(1)
    await assert.rejects(delivery.waitFor(id!, { timeoutMs: 20, signal: AbortSignal.timeout(5_000) }), {
      name: 'TimeoutError'
    })
    assert.equal(store.messages.get(id!)?.status, 'queued')
  })

  it('a restart makes everything queued due now', async () => {
    const { store, delivery, transport, bob, bobId, queue, ackWith } = await setup()
    const [id] = queue(1)
    store.outbox.failed([id!], 'earlier', Date.now() + 3_600_000)
    transport.answer = async (envelopes, onAck) => await onAck(await ackWith(bob, envelopes.map(hexOf)))
    delivery.start()
    await until(() => store.outbox.forPeer(bobId).length === 0)
  })
})

describe('failed messages', () => {
  const HOUR = 3600_000
  const statusEvents = (recorded: Recorded[], id: string) =>
    recorded.flatMap(r => (r.event === 'message.status' && r.detail.id === id ? [r.detail] : []))

  it('an undeliverable message is failed with its reason after the fail-after time, no timer retries it, and retry sends it again', async () => {
    // the clock that decides "failed" is the test's; delivery's backoff keeps the real one
    let now = Date.now()
    const { store, delivery, transport, recorded, bob, bobId, queue, ackWith } = await setup({
      now: () => now,
      retryMinMs: 5,
      retryMaxMs: 10
    })
    const [old] = queue(1)
    store.outbox.release(old!, now) // queued exactly at the test clock's now
    transport.answer = async () => {
      throw new Error('peer unreachable')
    }
    delivery.start()
    await until(() => transport.calls.length >= 2)
    assert.equal(store.messages.get(old!)?.status, 'queued', 'still queued within the fail-after time')
    assert.equal(store.settings.failAfterMs(), 168 * HOUR, 'seven days by default')

    now += 168 * HOUR - 1
    const before = transport.calls.length
    await until(() => transport.calls.length > before + 1)
    assert.equal(store.messages.get(old!)?.status, 'queued', 'not one millisecond early')

    now += 1
    await until(() => store.messages.get(old!)?.status === 'failed')
    const failed = store.messages.get(old!)!
    assert.match(failed.error ?? '', /peer unreachable/)
    assert.equal(store.outbox.get(old!)?.nextAttempt, HELD, 'held: in the outbox, due never')
    const events = statusEvents(recorded, old!)
    assert.deepEqual(
      events.filter(e => e.status === 'failed').map(e => e.error !== undefined && /peer unreachable/.test(e.error)),
      [true],
      'one failed event, with the reason'
    )
    // nothing is due: the retry timer has nothing to do, a connection does not take it either
    await delivery.settled()
    assert.deepEqual(store.outbox.peers(), [{ peerId: bobId, nextAttempt: HELD }])
    delivery.deliverNow(bobId)
    await delivery.settled()
    assert.equal(store.outbox.get(old!)?.nextAttempt, HELD)

    // retry: queued again, with the whole fail-after time anew, and delivered this time
    transport.answer = async (envelopes, onAck) => await onAck(await ackWith(bob, envelopes.map(hexOf)))
    assert.equal(delivery.retryMessage(old!), 'queued')
    await until(() => store.messages.get(old!)?.status === 'delivered')
    const after = statusEvents(recorded, old!).map(e => e.status)
    assert.deepEqual(after.slice(-3), ['failed', 'queued', 'delivered'])
    assert.equal(delivery.retryMessage(old!), undefined, 'a delivered message is not in the outbox')
  })

  it("the fail-after time is the user's, and a retried message counts from the retry", async () => {
    let now = Date.now()
    const { store, delivery, transport, queue } = await setup({ now: () => now, retryMinMs: 5, retryMaxMs: 10 })
    store.settings.setFailAfterMs(2 * HOUR)
    const [id] = queue(1)
    store.outbox.release(id!, now)
    transport.answer = async () => {
      throw new Error('nope')
    }
    delivery.start()
    now += 2 * HOUR
    await until(() => store.messages.get(id!)?.status === 'failed')
    now += 10 * HOUR
    delivery.retryMessage(id!)
    const calls = transport.calls.length
    await until(() => transport.calls.length > calls + 1)
    assert.equal(store.messages.get(id!)?.status, 'queued', 'the retry counts from now, not from the first send')
    now += 2 * HOUR
    await until(() => store.messages.get(id!)?.status === 'failed')
  })
})
