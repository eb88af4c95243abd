/**
 * Fuzzing the direct-message decoders (docs/PROTOCOL.md §3.4–3.8) with random bytes, damaged valid
 * messages and structurally generated protobufs: every input either decodes or fails with one of
 * the documented error classes (asserted by name), a damaged message never opens as anything but
 * the original, and a hostile peer's well-signed envelopes never change the session they are
 * tried against.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { type Person, person } from '../crypto/fixtures.ts'
import { RatchetSession } from '../../node/crypto/double-ratchet.ts'
import { SignatureDomain, signWithDomain } from '../../node/crypto/signing.ts'
import {
  decodeFrame,
  decodePayload,
  decryptEnvelope,
  encodeFrame,
  encodePayload,
  initiateSession,
  type MessagePayload,
  type OpenedEnvelope,
  openAck,
  openEnvelope,
  peerIdBytes,
  respondSession,
  sealEnvelope,
  signAck
} from '../../node/messaging/envelope.ts'
import { Ack, AckBody, Envelope, EnvelopeBody, Frame, Payload } from '../../node/messaging/pb/dm.js'
import {
  anyString,
  assertErrorName,
  budget,
  fuzzParameters,
  HeapWatch,
  Outcomes,
  mutated,
  oversize,
  randomBytes,
  watchUnhandled
} from './harness.ts'

const FRAME_ERRORS = ['FrameTooLargeError', 'MalformedFrameError']
const ENVELOPE_ERRORS = ['FrameTooLargeError', 'MalformedEnvelopeError', 'WrongRecipientError', 'InvalidSignatureError']
const ACK_ERRORS = [
  'FrameTooLargeError',
  'MalformedAckError',
  'WrongRecipientError',
  'WrongSenderError',
  'InvalidSignatureError'
]
const PAYLOAD_ERRORS = ['MalformedPayloadError']
const DECRYPT_ERRORS = ['DecryptError', 'ReplayError', 'TooManySkippedMessagesError', 'MalformedPayloadError']
const RESPOND_ERRORS = ['MissingSessionInitError', 'UnknownPrekeyError', 'InvalidKeyError', 'DecryptError']

/** Inputs per property: short mode a few hundred, long mode enough for ≥ 1,000,000 across the suite. */
const RUNS = budget(300, 150_000)
/** Properties that sign every input are slower: fewer of them. */
const SIGNED_RUNS = budget(150, 50_000)

function sessionTowards(from: Person, to: Person): RatchetSession {
  return initiateSession({
    identityDhKeyPair: from.ik,
    localPeerId: from.peerId,
    remotePeerId: to.peerId,
    remoteIdentityDhKey: to.ik.publicKey,
    remotePrekey: to.signedPrekey
  })
}

function receiver(who: Person) {
  return {
    identityDhKeyPair: who.ik,
    localPeerId: who.peerId,
    getPrekey: (id: number) => (id === who.signedPrekey.id ? who.spk : undefined)
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

const PAYLOADS: MessagePayload[] = [
  {
    content: { type: 'text', markdown: 'hello **bob**' },
    senderName: 'alice',
    inviteSecret: new Uint8Array(16).fill(7)
  },
  { content: { type: 'text', markdown: '' } },
  {
    content: { type: 'snippet', language: 'ts', path: 'src/a.ts', startLine: 3, endLine: 9, text: 'const a = 1\n' }
  },
  { content: { type: 'read-receipt', messageIds: [new Uint8Array(16).fill(1), new Uint8Array(16).fill(2)] } }
]

describe('fuzz: direct-message decoders', () => {
  let alice: Person
  let bob: Person
  let mallory: Person
  /** Alice's envelopes to Bob, in order (the first carries X3DH fields). */
  const envelopes: Uint8Array[] = []
  const envelopeHashes = new Set<string>()
  /** Well-formed envelopes addressed to someone else. */
  const foreign: Uint8Array[] = []
  const foreignAcks: Uint8Array[] = []
  /** Acks from Bob to Alice. */
  const acks: Uint8Array[] = []
  const ackIds = new Map<string, string>()
  const frames: Uint8Array[] = []
  const payloads: Uint8Array[] = []
  /** Bob's session with Mallory, after Mallory's honest first message. */
  let bobFromMallory: RatchetSession
  let sessionBytes: Uint8Array[]
  /** Mallory's current ratchet public key as Bob knows it (headers that name the current chain). */
  let malloryRatchetKey: Uint8Array
  const bobFromMalloryRemoteKey = (): Uint8Array<ArrayBuffer> => new Uint8Array(malloryRatchetKey)
  const unhandled = watchUnhandled()
  let heap: HeapWatch

  before(async () => {
    alice = await person()
    bob = await person()
    mallory = await person()
    let session = sessionTowards(alice, bob)
    let prevHash: Uint8Array = new Uint8Array(0)
    for (const [i, payload] of PAYLOADS.entries()) {
      const sealed = await sealEnvelope({
        senderKey: alice.key,
        recipient: bob.peerId,
        session,
        payload,
        seq: i + 1,
        prevHash
      })
      session = sealed.session
      prevHash = sealed.hash
      envelopes.push(sealed.bytes)
      envelopeHashes.add(hex(sealed.hash))
      frames.push(encodeFrame({ envelope: sealed.bytes }))
      payloads.push(encodePayload(payload))
    }
    for (const ids of [
      [new Uint8Array(16).fill(9)],
      Array.from({ length: 40 }, (_, i) => new Uint8Array(16).fill(i))
    ]) {
      const ack = await signAck({ receiverKey: bob.key, sender: alice.peerId, messageIds: ids })
      acks.push(ack)
      ackIds.set(hex(ack), ids.map(hex).join(','))
      frames.push(encodeFrame({ ack }))
    }
    // Alice's envelopes to Mallory: well-formed and signed, but not for Bob
    const toMallory = await sealEnvelope({
      senderKey: alice.key,
      recipient: mallory.peerId,
      session: sessionTowards(alice, mallory),
      payload: PAYLOADS[0] as MessagePayload,
      seq: 1
    })
    foreign.push(toMallory.bytes)
    frames.push(encodeFrame({ envelope: toMallory.bytes }))
    // acks Alice must refuse: Bob's ack meant for Mallory, Mallory's ack for Alice
    foreignAcks.push(await signAck({ receiverKey: bob.key, sender: mallory.peerId, messageIds: [new Uint8Array(16)] }))
    foreignAcks.push(
      await signAck({ receiverKey: mallory.key, sender: alice.peerId, messageIds: [new Uint8Array(16)] })
    )
    const malloryOut = sessionTowards(mallory, bob)
    const first = await sealEnvelope({
      senderKey: mallory.key,
      recipient: bob.peerId,
      session: malloryOut,
      payload: PAYLOADS[1] as MessagePayload,
      seq: 1
    })
    const opened = await openEnvelope(first.bytes, { localPeerId: bob.peerId })
    bobFromMallory = decryptEnvelope(opened, respondSession(opened, receiver(bob))).session
    malloryRatchetKey = opened.header.ratchetKey
    sessionBytes = [bobFromMallory.serialize(), malloryOut.serialize(), first.session.serialize()]
    // warm up every decoder before taking the heap baseline
    for (const bytes of [...envelopes, ...acks, ...frames, ...payloads]) {
      await openEnvelope(bytes, { localPeerId: bob.peerId }).catch(() => {})
      await openAck(bytes, { localPeerId: alice.peerId }).catch(() => {})
      try {
        decodeFrame(bytes)
        decodePayload(bytes)
      } catch {}
    }
    heap = await HeapWatch.start()
  })

  after(async () => {
    await heap.assertFlat()
    unhandled.assertNone()
    unhandled.dispose()
  })

  // ---- structural arbitraries: protobufs with plausible and implausible field values ----

  const peerBytes = (): fc.Arbitrary<Uint8Array> =>
    fc.oneof(
      fc.constant(peerIdBytes(alice.peerId)),
      fc.constant(peerIdBytes(bob.peerId)),
      fc.constant(peerIdBytes(mallory.peerId)),
      // identity multihash of an Ed25519 protobuf key with random (often invalid) point bytes
      fc
        .uint8Array({ minLength: 32, maxLength: 32 })
        .map(k => Uint8Array.from([0x00, 0x24, 0x08, 0x01, 0x12, 0x20, ...k])),
      // sha2-256 multihash (a hashed RSA/secp256k1 id: no inline key)
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map(k => Uint8Array.from([0x12, 0x20, ...k])),
      fc.uint8Array({ maxLength: 48 })
    )
  /** `length` bytes most of the time (weight 4:1, or `weight`:1), any length up to twice that otherwise. */
  const bytesOf = (length: number, weight = 4): fc.Arbitrary<Uint8Array<ArrayBuffer>> =>
    fc.oneof(
      { weight, arbitrary: fc.uint8Array({ minLength: length, maxLength: length }) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: length * 2 + 1 }) }
    ) as fc.Arbitrary<Uint8Array<ArrayBuffer>>
  const uint64 = fc.oneof(
    fc.nat(),
    fc.constantFrom(0, 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER),
    fc.maxSafeNat()
  )
  const uint32 = fc.oneof(fc.nat({ max: 5 }), fc.nat({ max: 2000 }), fc.constantFrom(0xffffffff, 2 ** 31))
  const header = fc.record(
    {
      ratchetKey: bytesOf(32),
      previousChainLength: uint32,
      messageNumber: uint32,
      init: fc.record({ identityDhKey: bytesOf(32), ephemeralKey: bytesOf(32), prekeyId: uint32 })
    },
    { requiredKeys: ['ratchetKey', 'previousChainLength', 'messageNumber'] }
  )
  const body = (sender?: Uint8Array): fc.Arbitrary<Uint8Array> =>
    fc
      .record(
        {
          id: bytesOf(16),
          sender: sender === undefined ? peerBytes() : fc.constant(sender),
          recipient: fc.oneof({ weight: 3, arbitrary: fc.constant(peerIdBytes(bob.peerId)) }, peerBytes()),
          sentAt: uint64,
          seq: uint64,
          prevHash: fc.oneof(fc.constant(new Uint8Array(0)), bytesOf(32)),
          header,
          ciphertext: fc.uint8Array({ maxLength: 300 })
        },
        { requiredKeys: ['id', 'sender', 'recipient', 'sentAt', 'seq', 'prevHash', 'ciphertext'] }
      )
      .map(b => EnvelopeBody.encode(b as EnvelopeBody))
  /** Bodies that mostly pass the structural checks, so that signature, recipient and decryption are reached. */
  const plausibleBody = (sender: Uint8Array): fc.Arbitrary<Uint8Array> =>
    fc
      .record(
        {
          id: bytesOf(16, 20),
          recipient: fc.oneof({ weight: 8, arbitrary: fc.constant(peerIdBytes(bob.peerId)) }, peerBytes()),
          sentAt: uint64,
          chain: fc.oneof(
            { weight: 3, arbitrary: fc.constant({ seq: 1, prevHash: new Uint8Array(0) }) },
            {
              weight: 6,
              arbitrary: fc.record({ seq: fc.integer({ min: 2, max: 2 ** 40 }), prevHash: bytesOf(32, 1000) })
            },
            { weight: 1, arbitrary: fc.record({ seq: uint64, prevHash: bytesOf(32) }) }
          ),
          header: fc.record(
            {
              ratchetKey: fc.oneof(
                { weight: 3, arbitrary: bytesOf(32, 20) },
                fc.constant(bobFromMalloryRemoteKey()),
                // a low-order point and zero
                fc.constant(new Uint8Array(32)),
                fc.constant(Uint8Array.from([1, ...new Uint8Array(31)]))
              ),
              previousChainLength: uint32,
              messageNumber: uint32,
              init: fc.record({ identityDhKey: bytesOf(32, 20), ephemeralKey: bytesOf(32, 20), prekeyId: uint32 })
            },
            { requiredKeys: ['ratchetKey', 'previousChainLength', 'messageNumber'] }
          ),
          ciphertext: fc.oneof(
            { weight: 10, arbitrary: fc.uint8Array({ minLength: 16, maxLength: 300 }) },
            fc.uint8Array({ maxLength: 15 })
          )
        },
        { requiredKeys: ['id', 'recipient', 'sentAt', 'chain', 'header', 'ciphertext'] }
      )
      .map(({ chain, ...b }) => EnvelopeBody.encode({ ...b, ...chain, sender } as EnvelopeBody))
  const structuredEnvelope = (): fc.Arbitrary<Uint8Array> =>
    fc
      .tuple(body(), bytesOf(64))
      .map(([b, signature]) => Envelope.encode({ body: b as Uint8Array<ArrayBuffer>, signature }))
  const structuredAck = (): fc.Arbitrary<Uint8Array> =>
    fc
      .record({
        receiver: peerBytes(),
        sender: fc.oneof({ weight: 3, arbitrary: fc.constant(peerIdBytes(alice.peerId)) }, peerBytes()),
        messageIds: fc.oneof(
          fc.array(bytesOf(16), { maxLength: 20 }),
          fc.integer({ min: 1020, max: 1030 }).map(n => Array.from({ length: n }, () => new Uint8Array(16)))
        ),
        ackedAt: uint64,
        signature: bytesOf(64)
      })
      .map(({ signature, ...b }) =>
        Ack.encode({ body: AckBody.encode(b as AckBody) as Uint8Array<ArrayBuffer>, signature })
      )
  const structuredPayload = (): fc.Arbitrary<Uint8Array> =>
    fc
      .record(
        {
          text: fc.record({ markdown: anyString(100) }),
          snippet: fc.record({
            language: fc.string({ maxLength: 10 }),
            path: fc.string({ maxLength: 20 }),
            startLine: uint32,
            endLine: uint32,
            text: fc.string({ maxLength: 50 })
          }),
          readReceipt: fc.record({
            messageIds: fc.oneof(
              fc.array(bytesOf(16), { maxLength: 8 }),
              fc.integer({ min: 1020, max: 1030 }).map(n => Array.from({ length: n }, () => new Uint8Array(16)))
            )
          }),
          inviteSecret: fc.uint8Array({ maxLength: 80 }),
          senderName: anyString(140)
        },
        { requiredKeys: [] }
      )
      .map(p => Payload.encode(p as Payload))

  /** Valid messages whose signature has one bit flipped (the body is intact). */
  const signatureDamaged = (samples: Uint8Array[], codec: typeof Envelope | typeof Ack): fc.Arbitrary<Uint8Array> =>
    fc.tuple(fc.constantFrom(...samples), fc.nat({ max: 511 })).map(([bytes, bit]) => {
      const { body, signature } = codec.decode(bytes)
      const flipped = signature.slice()
      flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7))
      return codec.encode({ body, signature: flipped })
    })

  // ---- properties ----

  it('decodeFrame: frames or FrameTooLargeError / MalformedFrameError', t => {
    const outcomes = new Outcomes()
    const input = fc.oneof(
      randomBytes,
      oversize,
      mutated(frames),
      structuredEnvelope().map(e => encodeFrame({ envelope: e })),
      structuredAck().map(a => encodeFrame({ ack: a })),
      fc.oneof(structuredEnvelope(), structuredAck()).map(inner => Frame.encode({ envelope: Envelope.decode(inner) }))
    )
    fc.assert(
      fc.property(input, bytes => {
        try {
          const content = decodeFrame(bytes)
          assert.ok(
            ('envelope' in content && content.envelope instanceof Uint8Array) ||
              ('ack' in content && content.ack instanceof Uint8Array)
          )
          outcomes.ok()
        } catch (err) {
          assertErrorName(err, FRAME_ERRORS, bytes)
          outcomes.error(err)
        }
      }),
      fuzzParameters(RUNS)
    )
    t.diagnostic(outcomes.toString())
    outcomes.assertSeen(['ok', ...FRAME_ERRORS])
  })

  it('openEnvelope: a damaged envelope is rejected by name or opens as the original, unchanged', async t => {
    const outcomes = new Outcomes()
    const input = fc.oneof(
      randomBytes,
      oversize,
      { weight: 4, arbitrary: mutated([...envelopes, ...foreign]) },
      structuredEnvelope(),
      fc.constantFrom(...foreign),
      signatureDamaged(envelopes, Envelope)
    )
    await fc.assert(
      fc.asyncProperty(input, async bytes => {
        try {
          const opened = await openEnvelope(bytes, { localPeerId: bob.peerId })
          // only re-encodings of the same signed body open (e.g. unknown fields appended)
          assert.ok(envelopeHashes.has(hex(opened.hash)), 'a damaged envelope opened as a new message')
          assert.ok(opened.sender.equals(alice.peerId))
          outcomes.ok()
        } catch (err) {
          assertErrorName(err, ENVELOPE_ERRORS, bytes)
          outcomes.error(err)
        }
      }),
      fuzzParameters(RUNS)
    )
    t.diagnostic(outcomes.toString())
    outcomes.assertSeen(ENVELOPE_ERRORS)
  })

  it('openAck: a damaged ack is rejected by name or lists exactly the original ids', async t => {
    const outcomes = new Outcomes()
    const input = fc.oneof(
      randomBytes,
      oversize,
      { weight: 4, arbitrary: mutated([...acks, ...foreignAcks]) },
      structuredAck(),
      fc.constantFrom(...foreignAcks),
      signatureDamaged(acks, Ack)
    )
    await fc.assert(
      fc.asyncProperty(input, async bytes => {
        try {
          const opened = await openAck(bytes, { localPeerId: alice.peerId, expectedReceiver: bob.peerId })
          const ids = opened.messageIds.map(hex).join(',')
          assert.ok([...ackIds.values()].includes(ids), 'a damaged ack opened with other ids')
          assert.ok(opened.receiver.equals(bob.peerId))
          outcomes.ok()
        } catch (err) {
          assertErrorName(err, ACK_ERRORS, bytes)
          outcomes.error(err)
        }
      }),
      fuzzParameters(RUNS)
    )
    t.diagnostic(outcomes.toString())
    outcomes.assertSeen(['MalformedAckError', 'WrongRecipientError', 'WrongSenderError', 'InvalidSignatureError'])
  })

  it('decodePayload: payloads that decode are valid and re-encode to the same payload', t => {
    const outcomes = new Outcomes()
    const input = fc.oneof(
      randomBytes,
      { weight: 2, arbitrary: mutated(payloads) },
      { weight: 2, arbitrary: structuredPayload() }
    )
    fc.assert(
      fc.property(input, bytes => {
        let payload: MessagePayload
        try {
          payload = decodePayload(bytes)
        } catch (err) {
          assertErrorName(err, PAYLOAD_ERRORS, bytes)
          outcomes.error(err)
          return
        }
        assert.deepEqual(decodePayload(encodePayload(payload)), payload)
        outcomes.ok()
      }),
      fuzzParameters(RUNS)
    )
    t.diagnostic(outcomes.toString())
    outcomes.assertSeen(['ok', ...PAYLOAD_ERRORS])
  })

  it('the receive pipeline (frame → open → respond/decrypt) only fails by name and never changes a session', async t => {
    const outcomes = new Outcomes()
    const input = fc.oneof(
      mutated(frames),
      randomBytes,
      structuredEnvelope().map(e => encodeFrame({ envelope: e }))
    )
    const before = hex(bobFromMallory.serialize())
    await fc.assert(
      fc.asyncProperty(input, async bytes => {
        try {
          const content = decodeFrame(bytes)
          if (!('envelope' in content)) return
          const opened = await openEnvelope(content.envelope, { localPeerId: bob.peerId })
          decryptEnvelope(opened, respondSession(opened, receiver(bob)))
          outcomes.ok()
        } catch (err) {
          assertErrorName(err, [...FRAME_ERRORS, ...ENVELOPE_ERRORS, ...RESPOND_ERRORS, ...DECRYPT_ERRORS], bytes)
          outcomes.error(err)
        }
      }),
      fuzzParameters(RUNS)
    )
    assert.equal(hex(bobFromMallory.serialize()), before)
    t.diagnostic(outcomes.toString())
  })

  it("a hostile peer's well-signed envelopes fail by name and leave the session as it was", async t => {
    const outcomes = new Outcomes()
    const malloryBytes = peerIdBytes(mallory.peerId)
    const before = hex(bobFromMallory.serialize())
    await fc.assert(
      fc.asyncProperty(plausibleBody(malloryBytes), async signedBody => {
        const signature = new Uint8Array(await signWithDomain(mallory.key, SignatureDomain.Envelope, signedBody))
        const bytes = Envelope.encode({ body: signedBody as Uint8Array<ArrayBuffer>, signature })
        let opened: OpenedEnvelope
        try {
          opened = await openEnvelope(bytes, { localPeerId: bob.peerId })
        } catch (err) {
          // a valid signature: only structure or recipient can be wrong
          assertErrorName(err, ['MalformedEnvelopeError', 'WrongRecipientError'], bytes)
          outcomes.error(err)
          return
        }
        assert.ok(opened.sender.equals(mallory.peerId))
        try {
          decryptEnvelope(opened, bobFromMallory)
          assert.fail('random ciphertext decrypted')
        } catch (err) {
          assertErrorName(err, DECRYPT_ERRORS, bytes)
          outcomes.error(err)
        }
        if (opened.header.init != null) {
          try {
            decryptEnvelope(opened, respondSession(opened, receiver(bob)))
            assert.fail('random ciphertext decrypted under a new session')
          } catch (err) {
            assertErrorName(err, [...RESPOND_ERRORS, ...DECRYPT_ERRORS], bytes)
            outcomes.error(err)
          }
        }
      }),
      fuzzParameters(SIGNED_RUNS)
    )
    assert.equal(hex(bobFromMallory.serialize()), before)
    t.diagnostic(outcomes.toString())
    outcomes.assertSeen(['MalformedEnvelopeError', 'DecryptError', 'TooManySkippedMessagesError', 'UnknownPrekeyError'])
  })

  it('RatchetSession.deserialize: a damaged stored session is refused with InvalidSessionStateError', t => {
    const outcomes = new Outcomes()
    fc.assert(
      fc.property(fc.oneof(mutated(sessionBytes), randomBytes), bytes => {
        try {
          RatchetSession.deserialize(bytes)
          outcomes.ok()
        } catch (err) {
          assertErrorName(err, ['InvalidSessionStateError'], bytes)
          outcomes.error(err)
        }
      }),
      fuzzParameters(RUNS)
    )
    t.diagnostic(outcomes.toString())
    outcomes.assertSeen(['InvalidSessionStateError'])
  })
})
