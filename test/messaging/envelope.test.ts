import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PrivateKey } from '@libp2p/interface'
import type { RatchetSession } from '../../node/crypto/double-ratchet.ts'
import { type Person, person } from '../crypto/fixtures.ts'
import { generateX25519KeyPair } from '../../node/crypto/primitives.ts'
import { SignatureDomain, signWithDomain } from '../../node/crypto/signing.ts'
import { verifySignedPrekey } from '../../node/crypto/x3dh.ts'
import {
  decodeFrame,
  decryptEnvelope,
  encodeFrame,
  envelopeHash,
  initiateSession,
  MAX_FRAME_SIZE,
  type MessagePayload,
  type OpenedEnvelope,
  openAck,
  openEnvelope,
  peerIdBytes,
  respondSession,
  sealEnvelope,
  signAck
} from '../../node/messaging/envelope.ts'
import { Ack, AckBody, Envelope, EnvelopeBody, Frame } from '../../node/messaging/pb/dm.js'

/** signWithDomain, typed for protons' ArrayBuffer-backed fields. */
async function sign(key: PrivateKey, domain: SignatureDomain, payload: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await signWithDomain(key, domain, payload))
}

const text = (markdown: string): MessagePayload => ({ content: { type: 'text', markdown } })

/** One direction of a conversation, keeping seq, prevHash and the session like the outbox does. */
class Outgoing {
  from: Person
  to: Person
  session: RatchetSession
  seq = 0
  prevHash: Uint8Array = new Uint8Array(0)

  constructor(from: Person, to: Person, session: RatchetSession) {
    this.from = from
    this.to = to
    this.session = session
  }

  async send(payload: MessagePayload): Promise<Uint8Array> {
    const sealed = await sealEnvelope({
      senderKey: this.from.key,
      recipient: this.to.peerId,
      session: this.session,
      payload,
      seq: this.seq + 1,
      prevHash: this.prevHash
    })
    this.seq++
    this.prevHash = sealed.hash
    this.session = sealed.session
    return sealed.bytes
  }
}

/** Alice with a session towards Bob started from Bob's (verified) profile. */
async function aliceToBob(): Promise<{ alice: Person; bob: Person; out: Outgoing }> {
  const alice = await person()
  const bob = await person()
  assert.equal(await verifySignedPrekey(bob.key.publicKey, bob.signedPrekey), true)
  const session = initiateSession({
    identityDhKeyPair: alice.ik,
    localPeerId: alice.peerId,
    remotePeerId: bob.peerId,
    remoteIdentityDhKey: bob.ik.publicKey,
    remotePrekey: bob.signedPrekey
  })
  return { alice, bob, out: new Outgoing(alice, bob, session) }
}

function bobReceiver(bob: Person) {
  return {
    identityDhKeyPair: bob.ik,
    localPeerId: bob.peerId,
    getPrekey: (id: number) => (id === bob.signedPrekey.id ? bob.spk : undefined)
  }
}

async function resign(
  signer: PrivateKey,
  bytes: Uint8Array,
  edit: (body: EnvelopeBody) => Partial<EnvelopeBody>
): Promise<Uint8Array> {
  const envelope = Envelope.decode(bytes)
  const body = EnvelopeBody.encode({
    ...EnvelopeBody.decode(envelope.body),
    ...edit(EnvelopeBody.decode(envelope.body))
  })
  return Envelope.encode({ body, signature: await sign(signer, SignatureDomain.Envelope, body) })
}

describe('envelopes: a conversation', () => {
  it('seals, frames, opens, decrypts, chains and acks messages both ways', async () => {
    const { alice, bob, out } = await aliceToBob()
    const frames: Uint8Array[] = []
    for (const message of ['one', 'two', 'three']) {
      frames.push(encodeFrame({ envelope: await out.send(text(message)) }))
    }
    let bobSession: RatchetSession | undefined
    let previous: OpenedEnvelope | undefined
    const ids: Uint8Array[] = []
    for (const [i, frame] of frames.entries()) {
      const content = decodeFrame(frame)
      assert.ok('envelope' in content)
      const opened = await openEnvelope(content.envelope, { localPeerId: bob.peerId })
      assert.ok(opened.sender.equals(alice.peerId))
      assert.ok(opened.recipient.equals(bob.peerId))
      assert.equal(opened.seq, i + 1)
      assert.deepEqual(opened.prevHash, previous?.hash ?? new Uint8Array(0))
      assert.ok(Math.abs(opened.sentAt - Date.now()) < 60_000)
      assert.ok(opened.header.init != null)
      if (bobSession == null || !Buffer.from(bobSession.handshakeId).equals(opened.header.init.ephemeralKey)) {
        bobSession = respondSession(opened, bobReceiver(bob))
      }
      const { payload, session } = decryptEnvelope(opened, bobSession)
      bobSession = session
      assert.deepEqual(payload, text(['one', 'two', 'three'][i]!))
      ids.push(opened.id)
      previous = opened
    }
    assert.equal(new Set(ids.map(id => Buffer.from(id).toString('hex'))).size, 3)

    const ackFrame = encodeFrame({
      ack: await signAck({ receiverKey: bob.key, sender: alice.peerId, messageIds: ids })
    })
    const ackContent = decodeFrame(ackFrame)
    assert.ok('ack' in ackContent)
    const ack = await openAck(ackContent.ack, { localPeerId: alice.peerId, expectedReceiver: bob.peerId })
    assert.deepEqual(ack.messageIds, ids)
    assert.ok(ack.receiver.equals(bob.peerId))

    // Bob answers on the same session; Alice's session stops sending the X3DH fields.
    const back = new Outgoing(bob, alice, bobSession!)
    const reply = await openEnvelope(await back.send(text('hi alice')), { localPeerId: alice.peerId })
    assert.equal(reply.header.init, undefined)
    const decrypted = decryptEnvelope(reply, out.session)
    assert.deepEqual(decrypted.payload, text('hi alice'))
    out.session = decrypted.session
    const next = await openEnvelope(await out.send(text('four')), { localPeerId: bob.peerId })
    assert.equal(next.header.init, undefined)
    assert.equal(next.seq, 4)
    assert.deepEqual(decryptEnvelope(next, back.session).payload, text('four'))
  })

  it('hashes the signed bytes: hash = SHA-256("parley/envelope/1" || 0x00 || body)', async () => {
    const { bob, out } = await aliceToBob()
    const bytes = await out.send(text('x'))
    const opened = await openEnvelope(bytes, { localPeerId: bob.peerId })
    assert.deepEqual(opened.hash, envelopeHash(Envelope.decode(bytes).body))
    assert.deepEqual(opened.hash, out.prevHash)
    assert.equal(opened.hash.length, 32)
  })
})

describe('envelopes: rejections', () => {
  it('rejects a forged or altered signature: InvalidSignatureError', async () => {
    const { alice, bob, out } = await aliceToBob()
    const mallory = await person()
    const bytes = await out.send(text('hello'))
    const envelope = Envelope.decode(bytes)
    const flipped = envelope.signature.slice()
    flipped[10]! ^= 1
    const alteredBody = envelope.body.slice()
    alteredBody[alteredBody.length - 1]! ^= 1
    const forgeries = [
      Envelope.encode({ body: envelope.body, signature: flipped }),
      Envelope.encode({ body: alteredBody, signature: envelope.signature }),
      // Mallory signs an envelope that claims to come from Alice.
      await resign(mallory.key, bytes, () => ({ sentAt: 1 })),
      // Alice's signature in another domain.
      Envelope.encode({
        body: envelope.body,
        signature: await sign(alice.key, SignatureDomain.Ack, envelope.body)
      })
    ]
    for (const forged of forgeries) {
      await assert.rejects(openEnvelope(forged, { localPeerId: bob.peerId }), { name: 'InvalidSignatureError' })
    }
  })

  it("cannot pass Alice's ciphertext off as Mallory's: the session's associated data binds both peer ids", async () => {
    const { bob, out } = await aliceToBob()
    const mallory = await person()
    const bytes = await out.send(text('for bob from alice'))
    const stolen = await resign(mallory.key, bytes, () => ({ sender: new Uint8Array(peerIdBytes(mallory.peerId)) }))
    const opened = await openEnvelope(stolen, { localPeerId: bob.peerId })
    assert.ok(opened.sender.equals(mallory.peerId))
    const session = respondSession(opened, bobReceiver(bob))
    assert.throws(() => decryptEnvelope(opened, session), { name: 'DecryptError' })
  })

  it('rejects an envelope for someone else: WrongRecipientError', async () => {
    const { alice, bob } = await aliceToBob()
    const carol = await person()
    const toCarol = new Outgoing(
      alice,
      carol,
      initiateSession({
        identityDhKeyPair: alice.ik,
        localPeerId: alice.peerId,
        remotePeerId: carol.peerId,
        remoteIdentityDhKey: carol.ik.publicKey,
        remotePrekey: carol.signedPrekey
      })
    )
    const bytes = await toCarol.send(text('for carol'))
    await assert.rejects(openEnvelope(bytes, { localPeerId: bob.peerId }), { name: 'WrongRecipientError' })
    await openEnvelope(bytes, { localPeerId: carol.peerId })
  })

  it('rejects a replayed envelope after it was decrypted and the session stored: ReplayError', async () => {
    const { bob, out } = await aliceToBob()
    const first = await out.send(text('first'))
    const second = await out.send(text('second'))
    const opened1 = await openEnvelope(first, { localPeerId: bob.peerId })
    let session = decryptEnvelope(opened1, respondSession(opened1, bobReceiver(bob))).session
    session = decryptEnvelope(await openEnvelope(second, { localPeerId: bob.peerId }), session).session
    for (const replay of [first, second]) {
      const opened = await openEnvelope(replay, { localPeerId: bob.peerId })
      assert.throws(() => decryptEnvelope(opened, session), { name: 'ReplayError' })
    }
  })

  it('rejects malformed envelopes: MalformedEnvelopeError', async () => {
    const { alice, bob, out } = await aliceToBob()
    const first = await out.send(text('first'))
    const second = await out.send(text('second'))
    const rsaLike = new Uint8Array([0x12, 0x20, ...new Uint8Array(32)]) // sha2-256 multihash: no inline key
    const malformed = [
      new Uint8Array([0xff, 0xff, 0xff, 0xff]),
      new Uint8Array(0),
      await resign(alice.key, first, () => ({ id: new Uint8Array(15) })),
      await resign(alice.key, first, () => ({ recipient: rsaLike })),
      await resign(alice.key, first, () => ({ sender: new Uint8Array([1, 2, 3]) })),
      await resign(alice.key, first, () => ({ seq: 0 })),
      await resign(alice.key, first, () => ({ prevHash: new Uint8Array(32) })),
      await resign(alice.key, second, () => ({ prevHash: new Uint8Array(0) })),
      await resign(alice.key, second, () => ({ prevHash: new Uint8Array(31) })),
      await resign(alice.key, first, () => ({ header: undefined })),
      await resign(alice.key, first, body => ({ header: { ...body.header!, ratchetKey: new Uint8Array(31) } })),
      await resign(alice.key, first, body => ({
        header: { ...body.header!, init: { ...body.header!.init!, ephemeralKey: new Uint8Array(3) } }
      })),
      await resign(alice.key, first, () => ({ ciphertext: new Uint8Array(15) })),
      Envelope.encode({ body: Envelope.decode(first).body, signature: new Uint8Array(63) })
    ]
    for (const bytes of malformed) {
      await assert.rejects(openEnvelope(bytes, { localPeerId: bob.peerId }), { name: 'MalformedEnvelopeError' })
    }
  })

  it('rejects oversized envelopes and frames: FrameTooLargeError', async () => {
    const { bob, out } = await aliceToBob()
    await assert.rejects(out.send(text('x'.repeat(MAX_FRAME_SIZE))), { name: 'FrameTooLargeError' })
    assert.equal(out.seq, 0)
    await assert.rejects(openEnvelope(new Uint8Array(MAX_FRAME_SIZE + 1), { localPeerId: bob.peerId }), {
      name: 'FrameTooLargeError'
    })
    assert.throws(() => decodeFrame(new Uint8Array(MAX_FRAME_SIZE + 1)), { name: 'FrameTooLargeError' })
    assert.throws(() => encodeFrame({ envelope: new Uint8Array(MAX_FRAME_SIZE - 3) }), { name: 'FrameTooLargeError' })
    assert.equal(encodeFrame({ envelope: new Uint8Array(MAX_FRAME_SIZE - 4) }).length, MAX_FRAME_SIZE)
    // The largest text that fits goes through.
    const big = await out.send(text('y'.repeat(60_000)))
    const opened = await openEnvelope(big, { localPeerId: bob.peerId })
    const { payload } = decryptEnvelope(opened, respondSession(opened, bobReceiver(bob)))
    assert.equal((payload.content as { markdown: string }).markdown.length, 60_000)
  })

  it('reports an undecodable payload with the next session, so the message can be acked: MalformedPayloadError', async () => {
    const { bob, out } = await aliceToBob()
    // A payload of a content type from the future (field 9) decrypts but does not parse.
    const future = out.session.encrypt(new Uint8Array([0x4a, 0x01, 0x00]))
    const sealed = await sealEnvelope({
      senderKey: out.from.key,
      recipient: bob.peerId,
      session: out.session,
      payload: text('placeholder'),
      seq: 1
    })
    const body = EnvelopeBody.decode(Envelope.decode(sealed.bytes).body)
    const bytes = await resign(out.from.key, sealed.bytes, () => ({
      header: { ...body.header!, messageNumber: future.header.messageNumber },
      ciphertext: new Uint8Array(future.ciphertext)
    }))
    const opened = await openEnvelope(bytes, { localPeerId: bob.peerId })
    out.session = future.session
    out.seq = 1
    out.prevHash = opened.hash
    const session = respondSession(opened, bobReceiver(bob))
    let caught: unknown
    try {
      decryptEnvelope(opened, session)
    } catch (err) {
      caught = err
    }
    assert.equal((caught as Error).name, 'MalformedPayloadError')
    const next = (caught as { session?: RatchetSession }).session
    assert.ok(next != null && next !== session)
    assert.equal(next.established, true)
    const second = await openEnvelope(await out.send(text('next one')), { localPeerId: bob.peerId })
    assert.deepEqual(decryptEnvelope(second, next).payload, text('next one'))
  })

  it('starts a responder session only from X3DH fields and a known prekey', async () => {
    const { bob, out } = await aliceToBob()
    const opened = await openEnvelope(await out.send(text('x')), { localPeerId: bob.peerId })
    assert.throws(() => respondSession(opened, { ...bobReceiver(bob), getPrekey: () => undefined }), {
      name: 'UnknownPrekeyError'
    })
    assert.throws(
      () => respondSession({ ...opened, header: { ...opened.header, init: undefined } }, bobReceiver(bob)),
      {
        name: 'MissingSessionInitError'
      }
    )
    // The wrong prekey (e.g. a rotated one under a reused id) derives another secret.
    const wrong = respondSession(opened, { ...bobReceiver(bob), getPrekey: () => generateX25519KeyPair() })
    assert.throws(() => decryptEnvelope(opened, wrong), { name: 'DecryptError' })
  })

  it('honours an aborted signal', async () => {
    const { bob, out } = await aliceToBob()
    const bytes = await out.send(text('x'))
    const signal = AbortSignal.abort()
    await assert.rejects(openEnvelope(bytes, { localPeerId: bob.peerId, signal }), { name: 'AbortError' })
    await assert.rejects(
      sealEnvelope(
        { senderKey: out.from.key, recipient: bob.peerId, session: out.session, payload: text('y'), seq: 1 },
        { signal }
      ),
      { name: 'AbortError' }
    )
  })
})

describe('frames', () => {
  it('encodes exactly like protobuf Frame and decodes both kinds', async () => {
    const { alice, bob, out } = await aliceToBob()
    const envelope = await out.send(text('x'))
    const ack = await signAck({ receiverKey: bob.key, sender: alice.peerId, messageIds: [new Uint8Array(16)] })
    assert.deepEqual(encodeFrame({ envelope }), Frame.encode({ envelope: Envelope.decode(envelope) }))
    assert.deepEqual(encodeFrame({ ack }), Frame.encode({ ack: Ack.decode(ack) }))
    assert.deepEqual(decodeFrame(encodeFrame({ envelope })), { envelope })
    assert.deepEqual(decodeFrame(encodeFrame({ ack })), { ack })
  })

  it('rejects garbage and empty or unknown frames: MalformedFrameError', () => {
    for (const bytes of [new Uint8Array([0x0a, 0x05, 1]), new Uint8Array(0), new Uint8Array([0x1a, 0x01, 0x00])]) {
      assert.throws(() => decodeFrame(bytes), { name: 'MalformedFrameError' })
    }
  })
})

describe('acks', () => {
  it('rejects forged, misaddressed, unexpected and malformed acks by name', async () => {
    const alice = await person()
    const bob = await person()
    const mallory = await person()
    const ids = [new Uint8Array(16).fill(1), new Uint8Array(16).fill(2)]
    const ack = await signAck({
      receiverKey: bob.key,
      sender: alice.peerId,
      messageIds: ids,
      ackedAt: 1_700_000_000_000
    })
    const opened = await openAck(ack, { localPeerId: alice.peerId, expectedReceiver: bob.peerId })
    assert.equal(opened.ackedAt, 1_700_000_000_000)

    const decoded = Ack.decode(ack)
    const flipped = decoded.signature.slice()
    flipped[0]! ^= 1
    const body = AckBody.decode(decoded.body)
    const claimsBob = AckBody.encode({ ...body, messageIds: [new Uint8Array(16).fill(3)] })
    await assert.rejects(openAck(Ack.encode({ ...decoded, signature: flipped }), { localPeerId: alice.peerId }), {
      name: 'InvalidSignatureError'
    })
    await assert.rejects(
      openAck(Ack.encode({ body: claimsBob, signature: await sign(mallory.key, SignatureDomain.Ack, claimsBob) }), {
        localPeerId: alice.peerId
      }),
      { name: 'InvalidSignatureError' }
    )
    await assert.rejects(
      openAck(
        Ack.encode({
          body: decoded.body,
          signature: await sign(bob.key, SignatureDomain.Envelope, decoded.body)
        }),
        {
          localPeerId: alice.peerId
        }
      ),
      { name: 'InvalidSignatureError' }
    )
    await assert.rejects(openAck(ack, { localPeerId: mallory.peerId }), { name: 'WrongRecipientError' })
    const fromMallory = await signAck({ receiverKey: mallory.key, sender: alice.peerId, messageIds: ids })
    await assert.rejects(openAck(fromMallory, { localPeerId: alice.peerId, expectedReceiver: bob.peerId }), {
      name: 'WrongSenderError'
    })
    const resigned = async (edit: Partial<AckBody>) => {
      const b = AckBody.encode({ ...body, ...edit })
      return Ack.encode({ body: b, signature: await sign(bob.key, SignatureDomain.Ack, b) })
    }
    for (const bad of [
      new Uint8Array([0xff, 0xff]),
      await resigned({ messageIds: [] }),
      await resigned({ messageIds: [new Uint8Array(17)] }),
      await resigned({ sender: new Uint8Array([0, 1]) }),
      Ack.encode({ body: decoded.body, signature: new Uint8Array(10) })
    ]) {
      await assert.rejects(openAck(bad, { localPeerId: alice.peerId }), { name: 'MalformedAckError' })
    }
    await assert.rejects(signAck({ receiverKey: bob.key, sender: alice.peerId, messageIds: [] }), {
      name: 'RangeError'
    })
  })
})
