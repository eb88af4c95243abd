/**
 * Session reset requests (docs/PROTOCOL.md §3.12): a receiver that cannot open an envelope of a
 * peer (it lost its session state: a home restored from an older copy, a reset database) answers
 * with this signed request instead of an ack. It names the exact envelope (id and hash) it could
 * not open and the last envelope of the sender's chain it did store, so the sender can start a new
 * session and seal again, continuing that chain, what was never acknowledged.
 */
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { SignatureDomain, signWithDomain, verifyWithDomain } from '../crypto/signing.ts'
import { ENVELOPE_HASH_LENGTH, MAX_FRAME_SIZE, MESSAGE_ID_LENGTH, SIGNATURE_LENGTH } from './envelope-constants.ts'
import {
  FrameTooLargeError,
  InvalidSignatureError,
  MalformedSessionResetError,
  WrongRecipientError,
  WrongSenderError
} from './envelope-errors.ts'
import { ed25519PeerFromBytes, peerIdBytes, peerIdBytesOfKey } from './envelope-peer.ts'
import { SessionReset, SessionResetBody } from './pb/dm.js'

export interface SessionResetRequest {
  /** the receiver that could not open the envelope (the verified signer) */
  requester: PeerId
  /** the envelope's sender, whom it asks (checked: us) */
  sender: PeerId
  envelopeId: Uint8Array
  envelopeHash: Uint8Array
  /** the last envelope of the sender's chain the requester stored: seq 0 and an empty hash when none */
  lastSeq: number
  lastHash: Uint8Array
}

function owned(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes)
}

function checkFields(r: {
  envelopeId: Uint8Array
  envelopeHash: Uint8Array
  lastSeq: number
  lastHash: Uint8Array
}): string | undefined {
  if (r.envelopeId.length !== MESSAGE_ID_LENGTH) return `envelope id must be ${MESSAGE_ID_LENGTH} bytes`
  if (r.envelopeHash.length !== ENVELOPE_HASH_LENGTH) return `envelope hash must be ${ENVELOPE_HASH_LENGTH} bytes`
  if (!Number.isSafeInteger(r.lastSeq) || r.lastSeq < 0) return `last seq out of range: ${r.lastSeq}`
  if ((r.lastSeq === 0) !== (r.lastHash.length === 0)) return 'last hash must be empty iff last seq is 0'
  if (r.lastSeq > 0 && r.lastHash.length !== ENVELOPE_HASH_LENGTH)
    return `last hash must be ${ENVELOPE_HASH_LENGTH} bytes`
  return undefined
}

/** Builds and signs a request (domain parley/session-reset/1 over the body); returns the encoded SessionReset. */
export async function signSessionReset(init: {
  requesterKey: PrivateKey
  sender: PeerId
  envelopeId: Uint8Array
  envelopeHash: Uint8Array
  lastSeq: number
  lastHash: Uint8Array
}): Promise<Uint8Array> {
  const problem = checkFields(init)
  if (problem !== undefined) throw new RangeError(problem)
  const body = SessionResetBody.encode({
    requester: owned(peerIdBytesOfKey(init.requesterKey)),
    sender: owned(peerIdBytes(init.sender)),
    envelopeId: owned(init.envelopeId),
    envelopeHash: owned(init.envelopeHash),
    lastSeq: init.lastSeq,
    lastHash: owned(init.lastHash)
  })
  const signature = await signWithDomain(init.requesterKey, SignatureDomain.SessionReset, body)
  return SessionReset.encode({ body, signature: owned(signature) })
}

/**
 * Parses and verifies a request. Throws MalformedSessionResetError, WrongRecipientError (not for
 * us), WrongSenderError (not signed by `expectedRequester`, the peer we delivered to) or
 * InvalidSignatureError.
 */
export async function openSessionReset(
  bytes: Uint8Array,
  options: { localPeerId: PeerId; expectedRequester?: PeerId }
): Promise<SessionResetRequest> {
  if (bytes.length > MAX_FRAME_SIZE) throw new FrameTooLargeError(`session reset is ${bytes.length} bytes`)
  let reset: SessionReset
  let body: SessionResetBody
  try {
    reset = SessionReset.decode(bytes)
    body = SessionResetBody.decode(reset.body)
  } catch (err) {
    throw new MalformedSessionResetError(`cannot decode session reset: ${(err as Error).message}`)
  }
  const requester = ed25519PeerFromBytes(body.requester)
  const sender = ed25519PeerFromBytes(body.sender)
  if (requester == null || sender == null) throw new MalformedSessionResetError('peer ids must be Ed25519 peer ids')
  if (reset.signature.length !== SIGNATURE_LENGTH) {
    throw new MalformedSessionResetError(`signature must be ${SIGNATURE_LENGTH} bytes`)
  }
  const problem = checkFields(body)
  if (problem !== undefined) throw new MalformedSessionResetError(problem)
  if (!sender.peerId.equals(options.localPeerId)) {
    throw new WrongRecipientError(`session reset is for ${sender.peerId}, not for us`)
  }
  // a stream names the peer it came from; a mailbox hides the depositor: then the signer is the requester the body names
  if (options.expectedRequester !== undefined && !requester.peerId.equals(options.expectedRequester)) {
    throw new WrongSenderError(`session reset is signed by ${requester.peerId}, expected ${options.expectedRequester}`)
  }
  if (!(await verifyWithDomain(requester.publicKey, SignatureDomain.SessionReset, reset.body, reset.signature))) {
    throw new InvalidSignatureError(`session reset signature of ${requester.peerId} does not verify`)
  }
  return {
    requester: requester.peerId,
    sender: sender.peerId,
    envelopeId: body.envelopeId,
    envelopeHash: body.envelopeHash,
    lastSeq: body.lastSeq,
    lastHash: body.lastHash
  }
}
