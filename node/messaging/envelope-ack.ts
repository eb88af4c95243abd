/**
 * Acks: the recipient's signed statement that it has stored (or had already stored) the listed
 * envelopes. docs/PROTOCOL.md §3.6.
 */
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { SignatureDomain, signWithDomain, verifyWithDomain } from '../crypto/signing.ts'
import { MAX_ACK_IDS, MAX_FRAME_SIZE, MESSAGE_ID_LENGTH, SIGNATURE_LENGTH } from './envelope-constants.ts'
import {
  FrameTooLargeError,
  InvalidSignatureError,
  MalformedAckError,
  WrongRecipientError,
  WrongSenderError
} from './envelope-errors.ts'
import { ed25519PeerFromBytes, peerIdBytes, peerIdBytesOfKey } from './envelope-peer.ts'
import { Ack, AckBody } from './pb/dm.js'

export interface SignAckInit {
  /** the acking recipient's identity key */
  receiverKey: PrivateKey
  /** the peer that sent the envelopes */
  sender: PeerId
  /** ids of the envelopes stored (1..MAX_ACK_IDS, 16 bytes each) */
  messageIds: Uint8Array[]
  /** ms since the Unix epoch. @default Date.now() */
  ackedAt?: number
}

export interface OpenedAck {
  /** who acked (verified signer) */
  receiver: PeerId
  /** whom the ack is for (checked: us) */
  sender: PeerId
  messageIds: Uint8Array[]
  ackedAt: number
}

export interface OpenAckOptions {
  /** our peer id: the ack must be addressed to us */
  localPeerId: PeerId
  /** if set, the ack must be signed by this peer (the envelopes' recipient) */
  expectedReceiver?: PeerId
  signal?: AbortSignal
}

function owned(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes)
}

/** Builds and signs an Ack (domain Ack over the AckBody bytes); returns the encoded Ack message. */
export async function signAck(init: SignAckInit, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
  const { messageIds } = init
  if (messageIds.length === 0 || messageIds.length > MAX_ACK_IDS) {
    throw new RangeError(`an ack lists 1..${MAX_ACK_IDS} message ids, got ${messageIds.length}`)
  }
  for (const id of messageIds) {
    if (id.length !== MESSAGE_ID_LENGTH) {
      throw new RangeError(`message ids are ${MESSAGE_ID_LENGTH} bytes, got ${id.length}`)
    }
  }
  const ackedAt = init.ackedAt ?? Date.now()
  if (!Number.isSafeInteger(ackedAt) || ackedAt < 0) {
    throw new RangeError(`ackedAt must be a non-negative safe integer, got ${ackedAt}`)
  }
  options.signal?.throwIfAborted()
  const body = AckBody.encode({
    receiver: owned(peerIdBytesOfKey(init.receiverKey)),
    sender: owned(peerIdBytes(init.sender)),
    messageIds: messageIds.map(owned),
    ackedAt
  })
  const signature = await signWithDomain(init.receiverKey, SignatureDomain.Ack, body)
  const bytes = Ack.encode({ body, signature: owned(signature) })
  if (bytes.length > MAX_FRAME_SIZE) {
    throw new FrameTooLargeError(`ack is ${bytes.length} bytes, more than MAX_FRAME_SIZE=${MAX_FRAME_SIZE}`)
  }
  return bytes
}

/**
 * Parses and verifies an Ack. Throws MalformedAckError, WrongRecipientError (not addressed to us),
 * WrongSenderError (not signed by `expectedReceiver`) or InvalidSignatureError.
 */
export async function openAck(bytes: Uint8Array, options: OpenAckOptions): Promise<OpenedAck> {
  if (bytes.length > MAX_FRAME_SIZE) {
    throw new FrameTooLargeError(`ack is ${bytes.length} bytes, more than MAX_FRAME_SIZE=${MAX_FRAME_SIZE}`)
  }
  let ack: Ack
  let body: AckBody
  try {
    ack = Ack.decode(bytes)
    body = AckBody.decode(ack.body, { limits: { messageIds: MAX_ACK_IDS } })
  } catch (err) {
    throw new MalformedAckError(`cannot decode ack: ${(err as Error).message}`)
  }
  const receiver = ed25519PeerFromBytes(body.receiver)
  const sender = ed25519PeerFromBytes(body.sender)
  if (receiver == null || sender == null) {
    throw new MalformedAckError('ack peer ids must be Ed25519 peer ids')
  }
  if (ack.signature.length !== SIGNATURE_LENGTH) {
    throw new MalformedAckError(`ack signature must be ${SIGNATURE_LENGTH} bytes, got ${ack.signature.length}`)
  }
  if (body.messageIds.length === 0 || body.messageIds.some(id => id.length !== MESSAGE_ID_LENGTH)) {
    throw new MalformedAckError(`an ack lists 1..${MAX_ACK_IDS} message ids of ${MESSAGE_ID_LENGTH} bytes`)
  }
  if (!Number.isSafeInteger(body.ackedAt)) {
    throw new MalformedAckError(`ack time out of range: ${body.ackedAt}`)
  }
  if (!sender.peerId.equals(options.localPeerId)) {
    throw new WrongRecipientError(`ack is for ${sender.peerId}, not for us (${options.localPeerId})`)
  }
  if (options.expectedReceiver != null && !receiver.peerId.equals(options.expectedReceiver)) {
    throw new WrongSenderError(`ack is signed by ${receiver.peerId}, expected ${options.expectedReceiver}`)
  }
  options.signal?.throwIfAborted()
  if (!(await verifyWithDomain(receiver.publicKey, SignatureDomain.Ack, ack.body, ack.signature))) {
    throw new InvalidSignatureError(`ack signature of ${receiver.peerId} does not verify`)
  }
  return { receiver: receiver.peerId, sender: sender.peerId, messageIds: body.messageIds, ackedAt: body.ackedAt }
}
