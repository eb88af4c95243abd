/**
 * Delivery alone, over a fake transport: acks to status, backoff after failures, partial acks,
 * forged acks, held queues (blocked), and peers coming into reach. `:memory:` store, no network.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { afterEach, describe, it } from 'node:test'
import type { PeerId } from '@libp2p/interface'
import type { Identity } from '../../../node/identity/index.ts'
import { backoff, Delivery, type DeliveryComponents } from '../../../node/messaging/delivery.ts'
import { signAck } from '../../../node/messaging/envelope.ts'
import { fromHex } from '../../../node/messaging/ids.ts'
import type { EnvelopeTransport } from '../../../node/messaging/transport.ts'
import type { ParleyStore } from '../../../node/store/index.ts'
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

async function setup(init: { retryMinMs?: number; retryMaxMs?: number } = {}): Promise<{
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
      outbox: { sealPending: async () => {} },
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
    await waited
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

  it('a message already read (the receipt overtook the ack) stays read', async () => {
    const { store, delivery, transport, bob, bobId, queue, ackWith } = await setup()
    const [id] = queue(1)
    store.messages.update(id!, { status: 'read' })
    transport.answer = async (envelopes, onAck) => await onAck(await ackWith(bob, envelopes.map(hexOf)))
    delivery.start()
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
