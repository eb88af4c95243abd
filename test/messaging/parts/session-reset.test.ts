/**
 * Session reset requests at the sender (docs/PROTOCOL.md §3.12), over a fake transport and real
 * sealed envelopes: only a request signed by the peer we delivered to, in the reset domain,
 * addressed to us, naming an envelope of this delivery with the bytes we still hold, restarts the
 * session; anything a third party can forge or replay changes nothing. `:memory:` stores.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import type { PeerId } from '@libp2p/interface'
import { SignatureDomain, signWithDomain } from '../../../node/crypto/signing.ts'
import type { Identity } from '../../../node/identity/index.ts'
import { Delivery, type DeliveryComponents } from '../../../node/messaging/delivery.ts'
import { envelopeHash } from '../../../node/messaging/envelope.ts'
import { peerIdBytes } from '../../../node/messaging/envelope-peer.ts'
import { Outbox } from '../../../node/messaging/outbox.ts'
import { Envelope, SessionReset, SessionResetBody } from '../../../node/messaging/pb/dm.js'
import { openSessionReset, signSessionReset } from '../../../node/messaging/session-reset.ts'
import { SessionRestart } from '../../../node/messaging/session-restart.ts'
import type { EnvelopeTransport } from '../../../node/messaging/transport.ts'
import {
  contact,
  FakeDirectory,
  identity,
  logger,
  memoryStore,
  noPeers,
  PeerLocks,
  recorder,
  sealerFor,
  until
} from './fakes.ts'

/** Answers every delivery with the session reset request `reply` builds from the envelopes it got. */
class ResettingTransport implements EnvelopeTransport {
  deliveries: Uint8Array[][] = []
  reply: (envelopes: Uint8Array[]) => Promise<Uint8Array> = async () => {
    throw new Error('unset')
  }

  async send(
    _peerId: string,
    envelopes: Uint8Array[],
    _onAck: (ack: Uint8Array) => Promise<number>,
    options: { onSessionReset?: (request: Uint8Array) => Promise<void> }
  ): Promise<number> {
    this.deliveries.push(envelopes)
    await options.onSessionReset!(await this.reply(envelopes))
    return 0
  }
}

const idOf = (envelope: Uint8Array): Uint8Array => {
  const body = Envelope.decode(envelope).body
  return body.subarray(2, 18) // field 1 (id, 16 bytes) is first: 0x0a 0x10 || id
}
const hashOf = (envelope: Uint8Array): Uint8Array => envelopeHash(Envelope.decode(envelope).body)

async function setup() {
  const alice = await identity()
  const bob = await identity()
  const carol = await identity()
  const bobId = bob.peerId.toString()
  const store = memoryStore()
  contact(store, bob.peerId)
  const directory = new FakeDirectory(store)
  directory.publish(bob)
  const locks = new PeerLocks()
  const outbox = new Outbox({ store, locks, sealer: sealerFor(store, alice, directory), logger })
  const transport = new ResettingTransport()
  const { notify, events } = recorder()
  let now = 1_800_000_000_000
  const restart = new SessionRestart({ store, locks, notify, logger }, { now: () => now })
  const delivery = new Delivery(
    {
      events: new EventTarget() as unknown as DeliveryComponents['events'],
      identity: alice,
      store,
      outbox,
      transport,
      peers: noPeers,
      restart,
      notify,
      logger
    },
    { retryMinMs: 60_000, retryMaxMs: 60_000 }
  )
  for (let i = 0; i < 3; i++) {
    await outbox.enqueue(bobId, randomBytes(16).toString('hex'), { type: 'text', markdown: `m${i}` }, 'message')
  }
  const snapshot = () => ({
    bytes: store.outbox.forPeer(bobId).map(e => Buffer.from(e.envelope).toString('hex')),
    session: Buffer.from(store.sessions.current(bobId)?.handshakeId ?? []).toString('hex'),
    chain: store.chains.get(bobId, 'out')?.seq
  })
  const request = (signer: Identity, envelope: Uint8Array, over: { sender?: PeerId; hash?: Uint8Array } = {}) =>
    signSessionReset({
      requesterKey: signer.privateKey,
      sender: over.sender ?? alice.peerId,
      envelopeId: idOf(envelope),
      envelopeHash: over.hash ?? hashOf(envelope),
      lastSeq: 0,
      lastHash: new Uint8Array(0)
    })
  /** one delivery run; resolves when it ended */
  const deliverOnce = async (): Promise<void> => {
    const before = transport.deliveries.length
    store.outbox.reschedule(bobId, 0)
    for (const e of store.outbox.forPeer(bobId)) store.outbox.release(e.messageId, Date.now())
    delivery.deliverNow(bobId)
    await until(() => transport.deliveries.length > before)
    await delivery.settled()
  }
  delivery.start()
  await until(() => transport.deliveries.length > 0)
  await delivery.settled()
  return {
    alice,
    bob,
    carol,
    bobId,
    store,
    transport,
    events,
    snapshot,
    request,
    deliverOnce,
    later: (ms: number) => {
      now += ms
    },
    delivery
  }
}

describe('session reset requests', () => {
  it('round-trip: signed in its own domain, every field checked', async () => {
    const a = await identity()
    const b = await identity()
    const bytes = await signSessionReset({
      requesterKey: b.privateKey,
      sender: a.peerId,
      envelopeId: new Uint8Array(16).fill(1),
      envelopeHash: new Uint8Array(32).fill(2),
      lastSeq: 7,
      lastHash: new Uint8Array(32).fill(3)
    })
    const r = await openSessionReset(bytes, { localPeerId: a.peerId, expectedRequester: b.peerId })
    assert.equal(r.lastSeq, 7)
    assert.ok(r.requester.equals(b.peerId))
    await assert.rejects(openSessionReset(bytes, { localPeerId: b.peerId, expectedRequester: b.peerId }), {
      name: 'WrongRecipientError'
    })
    await assert.rejects(openSessionReset(bytes, { localPeerId: a.peerId, expectedRequester: a.peerId }), {
      name: 'WrongSenderError'
    })
    await assert.rejects(
      openSessionReset(new Uint8Array([1, 2, 3]), { localPeerId: a.peerId, expectedRequester: b.peerId }),
      {
        name: 'MalformedSessionResetError'
      }
    )
  })

  it("nothing a third party can forge or replay restarts the session; the peer's own request does, once", async () => {
    const { alice, bob, carol, transport, events, snapshot, request, deliverOnce, later, store, bobId } = await setup()
    const first = snapshot()
    assert.equal(first.bytes.length, 3)
    const restarted = () => events.filter(e => e.event === 'session.restarted')

    const forgeries: Array<[string, (envelopes: Uint8Array[]) => Promise<Uint8Array>]> = [
      ['signed by a third party', async envs => await request(carol, envs[0]!)],
      ['addressed to someone else', async envs => await request(bob, envs[0]!, { sender: carol.peerId })],
      ['naming bytes we do not hold', async envs => await request(bob, envs[0]!, { hash: new Uint8Array(32).fill(9) })],
      [
        'an envelope of another delivery',
        async () =>
          await request(
            bob,
            Envelope.encode({
              body: Envelope.decode(transport.deliveries[0]![0]!).body.map((b, i) => (i > 1 && i < 18 ? 0xee : b)),
              signature: new Uint8Array(64)
            })
          )
      ],
      [
        'signed by the peer in another domain (an ack signature)',
        async envs => {
          const body = SessionResetBody.encode({
            requester: peerIdBytes(bob.peerId) as Uint8Array<ArrayBuffer>,
            sender: peerIdBytes(alice.peerId) as Uint8Array<ArrayBuffer>,
            envelopeId: idOf(envs[0]!) as Uint8Array<ArrayBuffer>,
            envelopeHash: hashOf(envs[0]!) as Uint8Array<ArrayBuffer>,
            lastSeq: 0,
            lastHash: new Uint8Array(0)
          })
          const signature = await signWithDomain(bob.privateKey, SignatureDomain.Ack, body)
          return SessionReset.encode({ body, signature: signature as Uint8Array<ArrayBuffer> })
        }
      ]
    ]
    for (const [what, forge] of forgeries) {
      transport.reply = forge
      await deliverOnce()
      assert.deepEqual(snapshot(), first, `${what}: nothing changed`)
      assert.equal(restarted().length, 0, what)
    }

    // Bob's own request: a new session, everything unacked sealed again in order, one event
    let genuine: Uint8Array | undefined
    transport.reply = async envs => {
      genuine ??= await request(bob, envs[0]!)
      return genuine
    }
    await deliverOnce()
    const after = snapshot()
    assert.equal(restarted().length, 1)
    assert.deepEqual(restarted()[0]!.detail, { peerId: bobId, at: 1_800_000_000_000, by: 'peer' })
    assert.notEqual(after.session, first.session, 'a new session')
    assert.equal(after.bytes.length, 3)
    assert.ok(
      after.bytes.every((b, i) => b !== first.bytes[i]),
      'each entry sealed again'
    )
    assert.equal(after.chain, 3, 'the chain continues from what Bob said it stored (nothing): seq 1..3 again')
    assert.deepEqual(
      store.messages.history(bobId, { limit: 10 }).map(m => m.seq),
      [1, 2, 3]
    )

    // the same request replayed later names bytes we no longer hold: nothing happens
    later(3600_000)
    transport.reply = async () => genuine!
    await deliverOnce()
    assert.deepEqual(snapshot(), after)
    assert.equal(restarted().length, 1)
  })
})
