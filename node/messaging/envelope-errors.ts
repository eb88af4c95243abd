import type { RatchetSession } from '../crypto/double-ratchet.ts'

/** InvalidSignatureError: an envelope's or ack's signature does not verify against its signer's identity key. */
export { DecryptError, InvalidSignatureError, ReplayError, TooManySkippedMessagesError } from '../crypto/errors.ts'

/** The envelope (or ack) is addressed to another peer. */
export class WrongRecipientError extends Error {
  static override name = 'WrongRecipientError'
  override name = 'WrongRecipientError'
}

/** The ack is signed by another peer than the one the envelopes were sent to. */
export class WrongSenderError extends Error {
  static override name = 'WrongSenderError'
  override name = 'WrongSenderError'
}

/** A frame (or the payload that would go in one) exceeds MAX_FRAME_SIZE. */
export class FrameTooLargeError extends Error {
  static override name = 'FrameTooLargeError'
  override name = 'FrameTooLargeError'
}

/** The bytes are not a Frame of a known kind. */
export class MalformedFrameError extends Error {
  static override name = 'MalformedFrameError'
  override name = 'MalformedFrameError'
}

/** The bytes are not a well-formed Envelope (protobuf, lengths, peer ids, sequence). */
export class MalformedEnvelopeError extends Error {
  static override name = 'MalformedEnvelopeError'
  override name = 'MalformedEnvelopeError'
}

/** The bytes are not a well-formed Ack. */
export class MalformedAckError extends Error {
  static override name = 'MalformedAckError'
  override name = 'MalformedAckError'
}

/**
 * The decrypted plaintext is not a well-formed Payload (or one of a newer content type). When thrown
 * by decryptEnvelope, `session` is the session after this message: store it and ack the id, so the
 * sender does not retry a message that will never parse.
 */
export class MalformedPayloadError extends Error {
  static override name = 'MalformedPayloadError'
  override name = 'MalformedPayloadError'
  session?: RatchetSession
}

/** A session was to be started from an envelope whose header carries no X3DH fields. */
export class MissingSessionInitError extends Error {
  static override name = 'MissingSessionInitError'
  override name = 'MissingSessionInitError'
}

/** A session reset request (§3.12) that does not decode or breaks the field rules. */
export class MalformedSessionResetError extends Error {
  static override name = 'MalformedSessionResetError'
  override name = 'MalformedSessionResetError'
}
