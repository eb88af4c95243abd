/**
 * Envelopes: the signed, end-to-end encrypted unit of a direct message (docs/PROTOCOL.md §3.4).
 *
 * Sending: `sealEnvelope` encrypts a payload with the session and signs the result; store the
 * envelope bytes (outbox) and the returned session in one transaction, then send
 * `encodeFrame({ envelope: bytes })`, byte-identical on every retry.
 *
 * Receiving: `openEnvelope` checks size, structure, recipient and the sender's signature BEFORE any
 * decryption; then `decryptEnvelope` with the session for that sender (a new one from
 * `respondSession` if the header carries X3DH fields of an unknown handshake). Store the message and
 * the returned session in one transaction, then `signAck`.
 */
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { type RatchetHeader, RatchetSession } from '../crypto/double-ratchet.ts'
import { UnknownPrekeyError } from '../crypto/errors.ts'
import { type RandomSource, randomBytes, sha256, type X25519KeyPair } from '../crypto/primitives.ts'
import { SignatureDomain, signedBytes, signWithDomain, verifyWithDomain } from '../crypto/signing.ts'
import { type MessagePayload, decodePayload, encodePayload } from './content.ts'
import { ENVELOPE_HASH_LENGTH, MAX_FRAME_SIZE, MESSAGE_ID_LENGTH, SIGNATURE_LENGTH } from './envelope-constants.ts'
import {
  FrameTooLargeError,
  InvalidSignatureError,
  MalformedEnvelopeError,
  MalformedPayloadError,
  MissingSessionInitError,
  WrongRecipientError
} from './envelope-errors.ts'
import { frameSize } from './envelope-frame.ts'
import { ed25519PeerFromBytes, peerIdBytes, peerIdBytesOfKey } from './envelope-peer.ts'
import { Envelope, EnvelopeBody, type RatchetHeader as RatchetHeaderPb } from './pb/dm.js'

export * from './content.ts'
export * from './envelope-ack.ts'
export * from './envelope-constants.ts'
export * from './envelope-errors.ts'
export * from './envelope-frame.ts'
export * from './envelope-peer.ts'

export interface SealEnvelopeInit {
  /** the sender's identity key (signs the envelope) */
  senderKey: PrivateKey
  recipient: PeerId
  /** the session with `recipient`; not changed (the next one is returned) */
  session: RatchetSession
  payload: MessagePayload
  /** per sender → recipient, 1 for the first envelope */
  seq: number
  /** `hash` of the previous envelope to this recipient; empty or absent for seq 1 */
  prevHash?: Uint8Array
  /** ms since the Unix epoch. @default Date.now() */
  sentAt?: number
  /** 16 bytes. @default 16 random bytes */
  id?: Uint8Array
}

export interface SealedEnvelope {
  id: Uint8Array
  /** the encoded Envelope message: store it in the outbox, send it as `encodeFrame({ envelope: bytes })` */
  bytes: Uint8Array
  /** SHA-256 of the signed bytes: the next envelope's prevHash */
  hash: Uint8Array
  /** the session after this message; store it with the outbox entry, in one transaction */
  session: RatchetSession
}

/** A structurally valid envelope whose signature verified and that is addressed to us. */
export interface OpenedEnvelope {
  id: Uint8Array
  sender: PeerId
  recipient: PeerId
  sentAt: number
  seq: number
  /** empty for seq 1 */
  prevHash: Uint8Array
  header: RatchetHeader
  ciphertext: Uint8Array
  /** SHA-256 of the signed bytes (what the sender's next envelope names as prevHash) */
  hash: Uint8Array
  /** the encoded Envelope message */
  bytes: Uint8Array
}

export interface OpenEnvelopeOptions {
  /** our peer id: the envelope must be addressed to us */
  localPeerId: PeerId
  signal?: AbortSignal
  /** check the signature on the thread pool (one of several opened at once) */
  offThread?: boolean
}

export interface DecryptedEnvelope {
  payload: MessagePayload
  /** the session after this message; store it with the message, in one transaction */
  session: RatchetSession
}

function owned(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes)
}

/** SHA-256(utf8("parley/envelope/1") || 0x00 || body): the hash that chains a sender's envelopes. */
export function envelopeHash(body: Uint8Array): Uint8Array {
  return sha256(signedBytes(SignatureDomain.Envelope, body))
}

function headerToPb(header: RatchetHeader): RatchetHeaderPb {
  const pb: RatchetHeaderPb = {
    ratchetKey: owned(header.ratchetKey),
    previousChainLength: header.previousChainLength,
    messageNumber: header.messageNumber
  }
  if (header.init != null) {
    pb.init = {
      identityDhKey: owned(header.init.identityDhKey),
      ephemeralKey: owned(header.init.ephemeralKey),
      prekeyId: header.init.prekeyId
    }
  }
  return pb
}

function headerFromPb(pb: RatchetHeaderPb | undefined): RatchetHeader {
  if (pb == null) {
    throw new MalformedEnvelopeError('envelope has no ratchet header')
  }
  if (pb.ratchetKey.length !== 32) {
    throw new MalformedEnvelopeError(`ratchet key must be 32 bytes, got ${pb.ratchetKey.length}`)
  }
  const header: RatchetHeader = {
    ratchetKey: pb.ratchetKey,
    previousChainLength: pb.previousChainLength,
    messageNumber: pb.messageNumber
  }
  if (pb.init != null) {
    if (pb.init.identityDhKey.length !== 32 || pb.init.ephemeralKey.length !== 32) {
      throw new MalformedEnvelopeError('X3DH keys in the header must be 32 bytes')
    }
    header.init = { ...pb.init }
  }
  return header
}

/** Encrypts `payload` for `recipient` and signs the envelope. Does not change `session`. */
export async function sealEnvelope(
  init: SealEnvelopeInit,
  options: { signal?: AbortSignal; random?: RandomSource } = {}
): Promise<SealedEnvelope> {
  const id = init.id ?? (options.random ?? randomBytes)(MESSAGE_ID_LENGTH)
  if (id.length !== MESSAGE_ID_LENGTH) {
    throw new RangeError(`message id must be ${MESSAGE_ID_LENGTH} bytes, got ${id.length}`)
  }
  if (!Number.isSafeInteger(init.seq) || init.seq < 1) {
    throw new RangeError(`seq must be a positive safe integer, got ${init.seq}`)
  }
  const prevHash = init.prevHash ?? new Uint8Array(0)
  if (init.seq === 1 ? prevHash.length !== 0 : prevHash.length !== ENVELOPE_HASH_LENGTH) {
    throw new RangeError(
      `prevHash must be empty for seq 1 and ${ENVELOPE_HASH_LENGTH} bytes after, got ${prevHash.length}`
    )
  }
  const sentAt = init.sentAt ?? Date.now()
  if (!Number.isSafeInteger(sentAt) || sentAt < 0) {
    throw new RangeError(`sentAt must be a non-negative safe integer, got ${sentAt}`)
  }
  options.signal?.throwIfAborted()
  const plaintext = encodePayload(init.payload)
  const { header, ciphertext, session } = init.session.encrypt(plaintext)
  const body = EnvelopeBody.encode({
    id: owned(id),
    sender: owned(peerIdBytesOfKey(init.senderKey)),
    recipient: owned(peerIdBytes(init.recipient)),
    sentAt,
    seq: init.seq,
    prevHash: owned(prevHash),
    header: headerToPb(header),
    ciphertext: owned(ciphertext)
  })
  const signature = await signWithDomain(init.senderKey, SignatureDomain.Envelope, body)
  const bytes = Envelope.encode({ body, signature: owned(signature) })
  const size = frameSize(bytes)
  if (size > MAX_FRAME_SIZE) {
    throw new FrameTooLargeError(`envelope frame would be ${size} bytes, more than MAX_FRAME_SIZE=${MAX_FRAME_SIZE}`)
  }
  return { id, bytes, hash: envelopeHash(body), session }
}

/**
 * Parses an Envelope, checks that it is addressed to `localPeerId` and verifies the sender's
 * signature. Decrypts nothing. Throws FrameTooLargeError, MalformedEnvelopeError,
 * WrongRecipientError or InvalidSignatureError.
 */
export async function openEnvelope(bytes: Uint8Array, options: OpenEnvelopeOptions): Promise<OpenedEnvelope> {
  if (bytes.length > MAX_FRAME_SIZE) {
    throw new FrameTooLargeError(`envelope is ${bytes.length} bytes, more than MAX_FRAME_SIZE=${MAX_FRAME_SIZE}`)
  }
  let envelope: Envelope
  let body: EnvelopeBody
  try {
    envelope = Envelope.decode(bytes)
    body = EnvelopeBody.decode(envelope.body)
  } catch (err) {
    throw new MalformedEnvelopeError(`cannot decode envelope: ${(err as Error).message}`)
  }
  if (body.id.length !== MESSAGE_ID_LENGTH) {
    throw new MalformedEnvelopeError(`message id must be ${MESSAGE_ID_LENGTH} bytes, got ${body.id.length}`)
  }
  const sender = ed25519PeerFromBytes(body.sender)
  const recipient = ed25519PeerFromBytes(body.recipient)
  if (sender == null || recipient == null) {
    throw new MalformedEnvelopeError('sender and recipient must be Ed25519 peer ids')
  }
  if (!Number.isSafeInteger(body.seq) || body.seq < 1 || !Number.isSafeInteger(body.sentAt) || body.sentAt < 0) {
    throw new MalformedEnvelopeError(`seq or sent time out of range: seq=${body.seq} sentAt=${body.sentAt}`)
  }
  if (body.seq === 1 ? body.prevHash.length !== 0 : body.prevHash.length !== ENVELOPE_HASH_LENGTH) {
    throw new MalformedEnvelopeError(`prev hash must be empty for seq 1 and ${ENVELOPE_HASH_LENGTH} bytes after`)
  }
  const header = headerFromPb(body.header)
  if (body.ciphertext.length < 16) {
    throw new MalformedEnvelopeError(`ciphertext must be at least 16 bytes, got ${body.ciphertext.length}`)
  }
  if (envelope.signature.length !== SIGNATURE_LENGTH) {
    throw new MalformedEnvelopeError(`signature must be ${SIGNATURE_LENGTH} bytes, got ${envelope.signature.length}`)
  }
  if (!recipient.peerId.equals(options.localPeerId)) {
    throw new WrongRecipientError(`envelope is for ${recipient.peerId}, not for us (${options.localPeerId})`)
  }
  options.signal?.throwIfAborted()
  if (
    !(await verifyWithDomain(sender.publicKey, SignatureDomain.Envelope, envelope.body, envelope.signature, options))
  ) {
    throw new InvalidSignatureError(`envelope signature of ${sender.peerId} does not verify`)
  }
  return {
    id: body.id,
    sender: sender.peerId,
    recipient: recipient.peerId,
    sentAt: body.sentAt,
    seq: body.seq,
    prevHash: body.prevHash,
    header,
    ciphertext: body.ciphertext,
    hash: envelopeHash(envelope.body),
    bytes
  }
}

/**
 * Decrypts an opened envelope with the session for its sender and decodes the payload. Does not
 * change `session`. Throws DecryptError, ReplayError, TooManySkippedMessagesError or
 * MalformedPayloadError (which carries the next session, see there).
 */
export function decryptEnvelope(
  envelope: OpenedEnvelope,
  session: RatchetSession,
  options: { random?: RandomSource } = {}
): DecryptedEnvelope {
  const { plaintext, session: next } = session.decrypt(envelope.header, envelope.ciphertext, options)
  try {
    return { payload: decodePayload(plaintext), session: next }
  } catch (err) {
    if (err instanceof MalformedPayloadError) {
      err.session = next
    }
    throw err
  }
}

export interface InitiateSessionInit {
  /** our X25519 identity DH key pair (from the identity file) */
  identityDhKeyPair: X25519KeyPair
  localPeerId: PeerId
  remotePeerId: PeerId
  /** the remote profile's X25519 identity DH key */
  remoteIdentityDhKey: Uint8Array
  /** the remote profile's signed prekey, its signature already checked (verifySignedPrekey) */
  remotePrekey: { id: number; publicKey: Uint8Array }
  /** @default the CSPRNG */
  random?: RandomSource
}

/** Starts a session with a peer from its profile (we are the initiator). */
export function initiateSession(init: InitiateSessionInit): RatchetSession {
  return RatchetSession.initiate({
    identityDhKeyPair: init.identityDhKeyPair,
    initiatorId: peerIdBytes(init.localPeerId),
    responderId: peerIdBytes(init.remotePeerId),
    responderIdentityDhKey: init.remoteIdentityDhKey,
    responderPrekey: init.remotePrekey,
    random: init.random
  })
}

export interface RespondSessionInit {
  /** our X25519 identity DH key pair */
  identityDhKeyPair: X25519KeyPair
  localPeerId: PeerId
  /** our signed prekey pairs by id (the current one and recently rotated ones) */
  getPrekey: (id: number) => X25519KeyPair | undefined
}

/**
 * Starts the responder session named by an opened envelope's X3DH fields. Decrypt the envelope with
 * it next and keep only the session decryptEnvelope returns. Throws MissingSessionInitError or
 * UnknownPrekeyError.
 */
export function respondSession(envelope: OpenedEnvelope, init: RespondSessionInit): RatchetSession {
  const sessionInit = envelope.header.init
  if (sessionInit == null) {
    throw new MissingSessionInitError('the envelope carries no X3DH fields')
  }
  const prekeyKeyPair = init.getPrekey(sessionInit.prekeyId)
  if (prekeyKeyPair == null) {
    throw new UnknownPrekeyError(`no signed prekey with id ${sessionInit.prekeyId}`)
  }
  return RatchetSession.respond({
    identityDhKeyPair: init.identityDhKeyPair,
    prekeyKeyPair,
    initiatorId: peerIdBytes(envelope.sender),
    responderId: peerIdBytes(init.localPeerId),
    init: sessionInit
  })
}
