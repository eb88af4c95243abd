/** Errors of the mailbox layer (docs/PROTOCOL.md §7); node/daemon/error-codes.ts maps them to RPC codes. */

/** The queue (QUEUE_FULL) or all of its owner's queues (MEMBER_FULL) hold their most deposits or bytes. */
export class MailboxFullError extends Error {
  static override name = 'MailboxFullError'
  override name = 'MailboxFullError'
  /** QUEUE_FULL or MEMBER_FULL */
  readonly status: string
  constructor(message: string, status = 'QUEUE_FULL') {
    super(message)
    this.status = status
  }
}

/** The community node could not be dialed, did not speak the mailbox protocol, broke off or timed out. */
export class MailboxUnreachableError extends Error {
  static override name = 'MailboxUnreachableError'
  override name = 'MailboxUnreachableError'
}

/** The node refused the request: NOT_A_MEMBER, UNKNOWN_QUEUE, TOO_LARGE, BAD_REQUEST, TOO_MANY_QUEUES, POW_REQUIRED. */
export class MailboxRefusedError extends Error {
  static override name = 'MailboxRefusedError'
  override name = 'MailboxRefusedError'
  /** the node's status, e.g. NOT_A_MEMBER */
  readonly status: string
  /** POW_REQUIRED: the leading zero bits the node asks for */
  readonly powDifficulty?: number
  constructor(message: string, status = 'UNSPECIFIED', powDifficulty?: number) {
    super(message)
    this.status = status
    if (powDifficulty !== undefined) this.powDifficulty = powDifficulty
  }
}

/** Too many deposits from our address, or too many requests from us as a member: the node asks us to try again later. */
export class MailboxRateLimitedError extends Error {
  static override name = 'MailboxRateLimitedError'
  override name = 'MailboxRateLimitedError'
}

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
