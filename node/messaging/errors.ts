/** Errors of the messaging layer; the daemon maps them to RPC codes by name (node/daemon/server.ts). */

/** No contact, pin or name matches the target. */
export class ContactNotFoundError extends Error {
  static override name = 'ContactNotFoundError'
  override name = 'ContactNotFoundError'
}

/** The peer is blocked: nothing is sent to it and its streams are refused. */
export class BlockedError extends Error {
  static override name = 'BlockedError'
  override name = 'BlockedError'
}

/** The contact's key changed behind its pinned name; sending is stopped until `contact accept-key`. */
export class KeyChangedError extends Error {
  static override name = 'KeyChangedError'
  override name = 'KeyChangedError'
}

/** `send --wait` did not see the ack in time (the message stays queued). */
export class TimeoutError extends Error {
  static override name = 'TimeoutError'
  override name = 'TimeoutError'
}

/** An invite link that does not parse. */
export class InvalidInviteError extends Error {
  static override name = 'InvalidInviteError'
  override name = 'InvalidInviteError'
}

/** A stranger's envelope refused by the limits on requests (stranger-gate.ts): stored nothing, the stream is reset. */
export class RequestLimitError extends Error {
  static override name = 'RequestLimitError'
  override name = 'RequestLimitError'
}

/** The messenger is not started (or already stopped). */
export class NotStartedError extends Error {
  static override name = 'NotStartedError'
  override name = 'NotStartedError'
}

/** No such message (or other local object): the class is shared (node/errors.ts). */
export { NotFoundError } from '../errors.ts'
