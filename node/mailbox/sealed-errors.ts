/** Errors of sealed blobs (docs/PROTOCOL.md §7.3). */

/** The bytes are not a blob sealed to us: wrong version or length, tampered, sealed to another key, bad padding. */
export class SealedBlobError extends Error {
  static override name = 'SealedBlobError'
  override name = 'SealedBlobError'
}

/** A frame too large for the largest sealed blob. */
export class SealedTooLargeError extends Error {
  static override name = 'SealedTooLargeError'
  override name = 'SealedTooLargeError'
}
