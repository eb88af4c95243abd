/** A ciphertext, its header or its associated data failed authentication (or the keys do not match). */
export class DecryptError extends Error {
  static override name = 'DecryptError'
  override name = 'DecryptError'
}

/** The message was already decrypted in this session (its key is gone). */
export class ReplayError extends Error {
  static override name = 'ReplayError'
  override name = 'ReplayError'
}

/** The header asks us to skip more than MAX_SKIP message keys in one chain. */
export class TooManySkippedMessagesError extends Error {
  static override name = 'TooManySkippedMessagesError'
  override name = 'TooManySkippedMessagesError'
}

/** A key has the wrong length or is a low-order X25519 point (DH output all zero). */
export class InvalidKeyError extends Error {
  static override name = 'InvalidKeyError'
  override name = 'InvalidKeyError'
}

/** Serialized session state is corrupt or of an unknown version. */
export class InvalidSessionStateError extends Error {
  static override name = 'InvalidSessionStateError'
  override name = 'InvalidSessionStateError'
}

/** A responder session cannot send before it has decrypted the initiator's first message. */
export class SessionNotReadyError extends Error {
  static override name = 'SessionNotReadyError'
  override name = 'SessionNotReadyError'
}

/** The initial message names a signed prekey id whose private key we do not (or no longer) hold. */
export class UnknownPrekeyError extends Error {
  static override name = 'UnknownPrekeyError'
  override name = 'UnknownPrekeyError'
}

/** A signed prekey's signature does not verify against the identity key. */
export class InvalidPrekeySignatureError extends Error {
  static override name = 'InvalidPrekeySignatureError'
  override name = 'InvalidPrekeySignatureError'
}

/** A signature (a record's, an envelope's, an ack's) does not verify against the signer's identity key. */
export class InvalidSignatureError extends Error {
  static override name = 'InvalidSignatureError'
  override name = 'InvalidSignatureError'
}
