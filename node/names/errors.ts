/** A name breaks one of the name rules; the message says which. */
export class InvalidNameError extends Error {
  static override name = 'InvalidNameError'
  override name = 'InvalidNameError'
}

/** The name is held live by another key. */
export class NameTakenError extends Error {
  static override name = 'NameTakenError'
  override name = 'NameTakenError'
}

/** No valid, live claim for the name was found. */
export class NameNotFoundError extends Error {
  static override name = 'NameNotFoundError'
  override name = 'NameNotFoundError'
}

/**
 * The DHT could not say whether a name is held: the node has no DHT peers, or more of the peers
 * asked failed (timeouts, refused dials) than answered. Retrying later may succeed.
 */
export class LookupFailedError extends Error {
  static override name = 'LookupFailedError'
  override name = 'LookupFailedError'
}

/** No valid profile record for the peer was found (the class is shared: node/errors.ts). */
export { NotFoundError } from '../errors.ts'

/** A record value is larger than MAX_RECORD_BYTES (refused before parsing). */
export class RecordTooLargeError extends Error {
  static override name = 'RecordTooLargeError'
  override name = 'RecordTooLargeError'
}

/** A record value or DHT key does not parse, or a field has the wrong size. */
export class MalformedRecordError extends Error {
  static override name = 'MalformedRecordError'
  override name = 'MalformedRecordError'
}

/** A record's signature (or its prekey's) does not verify with the owner's key (defined in crypto/errors.ts). */
export { InvalidSignatureError } from '../crypto/errors.ts'

/** The record is stored under a key that does not belong to it (another peer id or name). */
export class KeyMismatchError extends Error {
  static override name = 'KeyMismatchError'
  override name = 'KeyMismatchError'
}

/** The record's expiry has passed. */
export class RecordExpiredError extends Error {
  static override name = 'RecordExpiredError'
  override name = 'RecordExpiredError'
}

/** The record's expiry is further ahead than MAX_RECORD_LIFETIME_MS (+ clock skew). */
export class ExpiryTooFarError extends Error {
  static override name = 'ExpiryTooFarError'
  override name = 'ExpiryTooFarError'
}

/** A storing node refuses a record older (lower sequence) than the one it holds from the same owner. */
export class StaleRecordError extends Error {
  static override name = 'StaleRecordError'
  override name = 'StaleRecordError'
}

/** A DHT record under a namespace Parley has no record type for (kad-dht asks us by the key's namespace). */
export class UnknownNamespaceError extends Error {
  static override name = 'UnknownNamespaceError'
  override name = 'UnknownNamespaceError'
}
