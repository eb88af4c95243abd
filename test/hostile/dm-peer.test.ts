/**
 * A hostile peer on the wire: Mallory is a plain libp2p node (TCP + Noise + yamux on 127.0.0.1, a
 * real Parley identity, no Messenger) that opens /parley/dm/1.0.0 streams to Bob, a real Messenger
 * with a real SQLite store, and tries: oversize frames, a stream that sends one byte a second, a
 * flood of streams at once, garbage after a valid frame, replays of envelopes captured on Bob's
 * wire, envelopes for another recipient, forged senders. Each is rejected or cut off, nothing of it
 * is stored, and the honest conversation between Alice and Bob beside it continues: every message
 * delivered exactly once, in order.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import type { Libp2p, PeerId, Stream } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { lpStream, UnexpectedEOFError } from '@libp2p/utils'
import { createLibp2p } from 'libp2p'
import { SignatureDomain, signWithDomain } from '../../node/crypto/signing.ts'
import { generateIdentityKeys, type Identity, identityFromKeys } from '../../node/identity/index.ts'
import { DM_PROTOCOL, MAX_INBOUND_STREAMS } from '../../node/messaging/constants.ts'
import {
  decodeFrame,
  encodeFrame,
  initiateSession,
  MAX_FRAME_SIZE,
  openAck,
  peerIdBytes,
  sealEnvelope
} from '../../node/messaging/envelope.ts'
import { Envelope, EnvelopeBody } from '../../node/messaging/pb/dm.js'
import { budget, HeapWatch, watchUnhandled } from '../fuzz/harness.ts'
import { eventually, signal, type TestPeer, TestNet, texts } from '../messaging/helpers.ts'
import { ackedCount } from '../messaging/parts/fakes.ts'

/** Streams Mallory opens at once. */
const FLOOD = budget(1000, 5000)
/** Honest messages each way during the attacks. */
const HONEST = budget(20, 200)

interface Outcome {
  acks: number
  /** how the stream ended for Mallory: 'eof' (closed by Bob) or the error name (reset, aborted) */
  end: string
  /** our own guard ended it (a broken test), not Bob or libp2p */
  guard: boolean
}

/** Reads ack frames until the stream ends; never throws. */
async function drain(stream: Stream, acks: Uint8Array[] = []): Promise<Outcome> {
  const lp = lpStream(stream, { maxDataLength: MAX_FRAME_SIZE })
  // a guard for a broken test, not an assertion: Bob's read deadline is 10 s
  const guard = new AbortController()
  const timer = setTimeout(() => guard.abort(new Error('guard')), 120_000)
  try {
    for (;;) {
      const bytes = await lp.read({ signal: guard.signal })
      const frame = decodeFrame(bytes.subarray())
      if ('ack' in frame) acks.push(frame.ack)
    }
  } catch (err) {
    const end = err instanceof UnexpectedEOFError ? 'eof' : (err as Error).name
    // envelope ids acked (one ack names a whole batch, §3.11)
    return { acks: ackedCount(acks), end, guard: guard.signal.aborted }
  } finally {
    clearTimeout(timer)
  }
}

function varint(n: number): Uint8Array {
  const out: number[] = []
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return Uint8Array.from(out)
}

/** A frame as it goes on the stream: varint length prefix, then the Frame bytes. */
function prefixed(frame: Uint8Array): Uint8Array {
  return Uint8Array.from([...varint(frame.length), ...frame])
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** Mallory: a libp2p node with a Parley identity and no Messenger. */
async function hostilePeer(): Promise<{ identity: Identity; libp2p: Libp2p }> {
  const identity = await identityFromKeys(await generateIdentityKeys(), true)
  const libp2p = await createLibp2p({
    privateKey: identity.privateKey,
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux({ maxInboundStreams: 100_000, maxOutboundStreams: 100_000 })],
    services: { identify: identify() },
    connectionManager: { maxConnections: 1000 }
  })
  return { identity, libp2p }
}

describe('hostile peer on /parley/dm/1.0.0', () => {
  const net = new TestNet()
  let alice: TestPeer
  let bob: TestPeer
  let mallory: { identity: Identity; libp2p: Libp2p }
  /** envelope bytes as they arrived at Bob (a tap on his receive path) */
  const captured: Array<{ bytes: Uint8Array; from: string }> = []
  const unhandled = watchUnhandled()
  let heap: HeapWatch
  const sent = { alice: [] as string[], bob: [] as string[] }

  const aliceId = (): string => alice.identity.peerId.toString()
  const malloryId = (): string => mallory.identity.peerId.toString()

  const stream = async (from: Libp2p = mallory.libp2p): Promise<Stream> =>
    await from.dialProtocol(bob.libp2p.getMultiaddrs(), DM_PROTOCOL, {
      signal: AbortSignal.timeout(30_000),
      maxOutboundStreams: 100_000
    } as Parameters<Libp2p['dialProtocol']>[2])

  /** Mallory's own honest first message to Bob, sealed from Bob's published profile. */
  async function mallorysEnvelope(text: string, recipient: PeerId = bob.identity.peerId): Promise<Uint8Array> {
    const profile = net.dht.profile(recipient)
    const session = initiateSession({
      identityDhKeyPair: mallory.identity.dhKeyPair,
      localPeerId: mallory.identity.peerId,
      remotePeerId: recipient,
      remoteIdentityDhKey: profile.dhKey,
      remotePrekey: profile.prekey
    })
    const sealed = await sealEnvelope({
      senderKey: mallory.identity.privateKey,
      recipient,
      session,
      payload: { content: { type: 'text', markdown: text } },
      seq: 1
    })
    return sealed.bytes
  }

  /** An honest exchange: `count` messages each way, not waiting for delivery. */
  async function converse(tag: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const a = `${tag} a${i}`
      const b = `${tag} b${i}`
      sent.alice.push(a)
      sent.bob.push(b)
      await alice.messenger.send('bob', { text: a }, { wait: false, timeoutMs: 60_000, signal: signal() })
      await bob.messenger.send(aliceId(), { text: b }, { wait: false, timeoutMs: 60_000, signal: signal() })
    }
  }

  /** Bob's view of the honest conversation equals what was sent, exactly once and in order; same for Alice. */
  async function assertConversation(): Promise<void> {
    const fromAlice = async (): Promise<string[]> => (await texts(bob, aliceId())).filter(t => / a\d+$/.test(t))
    const fromBob = async (): Promise<string[]> => (await texts(alice, 'bob')).filter(t => / b\d+$/.test(t))
    await eventually(async () => (await fromAlice()).length >= sent.alice.length, 120_000)
    await eventually(async () => (await fromBob()).length >= sent.bob.length, 120_000)
    assert.deepEqual(await fromAlice(), sent.alice)
    assert.deepEqual(await fromBob(), sent.bob)
  }

  /** Nothing from Mallory was stored at Bob except her one honest request. */
  async function assertNothingForged(): Promise<void> {
    const known = bob.messenger.listContacts().some(c => c.peerId === malloryId())
    const fromMallory = known ? await texts(bob, malloryId()) : []
    assert.ok(
      fromMallory.every(t => t === 'hello from mallory'),
      `stored from Mallory: ${fromMallory}`
    )
    assert.ok(fromMallory.length <= 1)
    const history = await bob.messenger.history(aliceId(), { limit: 10_000 })
    for (const m of history) {
      if (m.direction === 'in') assert.equal(m.from, aliceId())
    }
  }

  before(async () => {
    alice = await net.peer('alice')
    bob = await net.peer('bob')
    mallory = await hostilePeer()
    // tap every envelope Bob's dm streams hand to the inbox (one batch per stream read)
    const inbox = bob.messenger.inbox
    const receiveBatch = inbox.receiveBatch.bind(inbox)
    inbox.receiveBatch = async (batch: Uint8Array[], from: string) => {
      for (const bytes of batch) captured.push({ bytes, from })
      return await receiveBatch(batch, from)
    }
    // the conversation is established before the attacks start
    await alice.messenger.send('bob', { text: 'hello bob' }, { wait: true, timeoutMs: 60_000, signal: signal() })
    await bob.messenger.acceptContact(aliceId(), { signal: signal() })
    await bob.messenger.send(aliceId(), { text: 'hello alice' }, { wait: true, timeoutMs: 60_000, signal: signal() })
    heap = await HeapWatch.start()
  })

  after(async () => {
    await mallory.libp2p.stop()
    await net.close()
    unhandled.dispose()
  })

  it('an oversize frame is refused before it is read, and no ack comes', async () => {
    await converse('oversize', 3)
    for (const length of [MAX_FRAME_SIZE + 1, 16 * 1024 * 1024, 2 ** 31]) {
      const s = await stream()
      const result = drain(s)
      s.send(Uint8Array.from([...varint(length), ...new Uint8Array(1024).fill(0x41)]))
      const outcome = await result
      assert.equal(outcome.acks, 0)
      assert.notEqual(outcome.end, 'eof', 'the stream is reset, not closed politely')
    }
    await assertConversation()
  })

  it('garbage after a valid frame: the valid envelope is stored and acked once, then the stream ends', async () => {
    const s = await stream()
    const acks: Uint8Array[] = []
    const result = drain(s, acks)
    s.send(prefixed(encodeFrame({ envelope: await mallorysEnvelope('hello from mallory') })))
    s.send(Uint8Array.from([...varint(40), ...new Uint8Array(40).fill(0xff)]))
    const outcome = await result
    // the stream ended (reset by Bob at the garbage) with exactly the one ack
    assert.equal(outcome.acks, 1, JSON.stringify(outcome))
    const ack = await openAck(acks[0] as Uint8Array, {
      localPeerId: mallory.identity.peerId,
      expectedReceiver: bob.identity.peerId
    })
    assert.equal(ack.messageIds.length, 1)
    await eventually(async () => (await texts(bob, malloryId())).length === 1)
    assert.equal(bob.messenger.listContacts().find(c => c.peerId === malloryId())?.state, 'request')
    await assertNothingForged()
  })

  it('forged senders and envelopes for another recipient are refused; nothing is stored', async () => {
    await converse('forged', 3)
    // Mallory's body naming Alice as the sender, signed by Mallory
    const real = Envelope.decode(await mallorysEnvelope('i am alice'))
    const body = EnvelopeBody.decode(real.body)
    const asAlice = EnvelopeBody.encode({ ...body, sender: new Uint8Array(peerIdBytes(alice.identity.peerId)) })
    const forged = Envelope.encode({
      body: asAlice,
      signature: new Uint8Array(await signWithDomain(mallory.identity.privateKey, SignatureDomain.Envelope, asAlice))
    })
    // Mallory's honest envelope, but addressed to Alice
    const forAlice = await mallorysEnvelope('for alice', alice.identity.peerId)
    // the same bytes with the signature's last bit flipped
    const flipped = Envelope.decode(await mallorysEnvelope('flipped'))
    const badSignature = flipped.signature.slice()
    badSignature[63] = (badSignature[63] as number) ^ 1
    const tampered = Envelope.encode({ body: flipped.body, signature: badSignature })
    for (const envelope of [forged, forAlice, tampered]) {
      const s = await stream()
      const result = drain(s)
      s.send(prefixed(encodeFrame({ envelope })))
      const outcome = await result
      assert.equal(outcome.acks, 0)
      assert.notEqual(outcome.end, 'eof')
    }
    await assertNothingForged()
    await assertConversation()
  })

  it("replays: Alice's captured envelopes are refused from Mallory and acked-but-not-stored from Alice", async () => {
    await converse('replay', 3)
    await assertConversation()
    const fromAlice = captured.filter(c => c.from === aliceId()).slice(-5)
    assert.ok(fromAlice.length > 0)
    const before = (await texts(bob, aliceId())).length
    // a third party replaying them: the envelope's sender is not the connection's peer
    for (const { bytes } of fromAlice) {
      const s = await stream()
      const result = drain(s)
      s.send(prefixed(encodeFrame({ envelope: bytes })))
      const outcome = await result
      assert.equal(outcome.acks, 0)
    }
    // Alice's own node replaying them (a retry after a lost ack): acked again, stored once
    const s = await stream(alice.libp2p)
    const result = drain(s)
    for (const { bytes } of fromAlice) s.send(prefixed(encodeFrame({ envelope: bytes })))
    await s.close()
    const outcome = await result
    assert.equal(outcome.acks, fromAlice.length, JSON.stringify(outcome))
    assert.equal((await texts(bob, aliceId())).length, before)
    await assertConversation()
  })

  // both attacks wait for Bob's 10 s read deadline: run them side by side
  describe('attacks bounded by the read deadline', { concurrency: true }, () => {
    it('a stream that sends one byte a second is cut off by the read deadline', async () => {
      await converse('slow', 2)
      // a 200-byte frame at one byte a second would take 200 s; Bob's per-read deadline ends it long before
      const s = await stream()
      let ended = false
      const result = drain(s).then(outcome => {
        ended = true
        return outcome
      })
      const frame = Uint8Array.from([...varint(200), ...new Uint8Array(200).fill(0x42)])
      let written = 0
      while (!ended && written < frame.length) {
        try {
          s.send(frame.subarray(written, written + 1))
        } catch {
          break
        }
        written++
        await sleep(1000)
      }
      const outcome = await result
      assert.ok(written < frame.length, `the slow stream was never cut off (${written} bytes written)`)
      assert.equal(outcome.acks, 0)
      await assertConversation()
    })

    it(`${FLOOD} streams at once: the excess is refused, the rest are cut off, the conversation goes on`, async t => {
      const connection = await mallory.libp2p.dial(bob.libp2p.getMultiaddrs(), { signal: AbortSignal.timeout(30_000) })
      // one timer for all of them (a timer per stream would itself hold memory in this process)
      const opening = AbortSignal.timeout(60_000)
      const open = async (): Promise<Outcome> => {
        const s = await connection.newStream(DM_PROTOCOL, {
          signal: opening,
          maxOutboundStreams: 100_000
        } as Parameters<typeof connection.newStream>[1])
        // half a frame, then silence
        s.send(Uint8Array.from([...varint(100), 1, 2, 3]))
        return await drain(s)
      }
      // first fill Bob's inbound slots for the protocol one by one with silent streams (the slow
      // stream beside this test may hold one of them) ...
      const held: Array<Promise<Outcome>> = []
      for (let i = 0; i < MAX_INBOUND_STREAMS; i++) {
        try {
          const s = await connection.newStream(DM_PROTOCOL, { signal: opening })
          s.send(Uint8Array.from([...varint(100), 1, 2, 3]))
          held.push(drain(s))
        } catch {}
      }
      assert.ok(held.length >= MAX_INBOUND_STREAMS - 1, `only ${held.length} silent streams were accepted`)
      // ... then open thousands more at once
      const attempts = await Promise.allSettled(Array.from({ length: FLOOD }, open))
      await converse('flood', HONEST)
      const opened = attempts.flatMap(a => (a.status === 'fulfilled' ? [a.value] : []))
      const ends = new Map<string, number>()
      for (const a of attempts) {
        const key = a.status === 'fulfilled' ? `opened, then ${a.value.end}` : `refused: ${(a.reason as Error).name}`
        ends.set(key, (ends.get(key) ?? 0) + 1)
      }
      t.diagnostic(JSON.stringify(Object.fromEntries(ends)))
      for (const outcome of opened) {
        assert.equal(outcome.acks, 0)
        assert.equal(outcome.guard, false, 'a flood stream was still open when our guard fired')
      }
      // the silent streams that got in were cut off by Bob's read deadline: reset, never by our guard
      for (const outcome of await Promise.all(held)) {
        assert.equal(outcome.acks, 0)
        assert.equal(outcome.guard, false)
        assert.notEqual(outcome.end, 'eof')
      }
      // Bob's stream limit per connection bounds how many were ever served at once
      assert.ok(opened.length < FLOOD, `all ${FLOOD} streams were accepted (limit ${MAX_INBOUND_STREAMS})`)
      await assertConversation()
      await assertNothingForged()
    })
  })

  it("Bob's memory is flat, nothing was unhandled, and both still talk", async () => {
    await converse('after', 3)
    await assertConversation()
    // Mallory's node lives in this process too: stop it so that the heap is Alice's and Bob's, and drop
    // what the test itself kept (the tap's captured envelopes, the notification logs)
    await mallory.libp2p.stop()
    captured.length = 0
    alice.events.length = 0
    bob.events.length = 0
    await heap.assertFlat(1.5)
    unhandled.assertNone()
  })
})
