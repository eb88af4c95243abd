/**
 * Errors shared by more than one layer, each defined once. Layer-specific errors live in their
 * layer's `errors.ts` (node/names, node/messaging, node/crypto, node/identity), which re-export
 * these; node/daemon/server.ts maps error classes to RPC codes.
 */

/** No such record, message or other object (a profile record, an outgoing message). */
export class NotFoundError extends Error {
  static override name = 'NotFoundError'
  override name = 'NotFoundError'
}
