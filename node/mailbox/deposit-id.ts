/** A deposit's id (docs/PROTOCOL.md §7.1): the same blob in the same queue is one deposit, however often it comes. */
import { createHash } from 'node:crypto'
import { DEPOSIT_ID_BYTES } from './constants.ts'

/** The first 16 bytes of sha256(queueId || blob). */
export function depositId(queueId: Uint8Array, blob: Uint8Array): Uint8Array {
  const digest = createHash('sha256').update(queueId).update(blob).digest()
  return new Uint8Array(digest.buffer, digest.byteOffset, DEPOSIT_ID_BYTES).slice()
}
