/**
 * The proof of work of public contact queues (docs/PROTOCOL.md §7.4, after Nostr's NIP-13):
 * sha256(utf8("parley/mailbox-pow/1") || 0x00 || queue_id || sha256(blob) || uint64_be(nonce))
 * has at least `difficulty` leading zero bits. The node sets the difficulty.
 */
import { createHash } from 'node:crypto'
import { POW_DOMAIN } from './constants.ts'

const PREFIX = new Uint8Array([...new TextEncoder().encode(POW_DOMAIN), 0])

/** Nonces tried between two looks at the signal (and two turns of the event loop). */
const SLICE = 4096

/** The bytes the proof hashes, with the nonce's 8 bytes at the end. */
function powInput(queueId: Uint8Array, blob: Uint8Array): { input: Uint8Array; view: DataView } {
  const blobHash = createHash('sha256').update(blob).digest()
  const input = new Uint8Array(PREFIX.length + queueId.length + blobHash.length + 8)
  input.set(PREFIX, 0)
  input.set(queueId, PREFIX.length)
  input.set(blobHash, PREFIX.length + queueId.length)
  return { input, view: new DataView(input.buffer, input.length - 8, 8) }
}

/** Leading zero bits of a hash. */
export function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8
      continue
    }
    return bits + Math.clz32(byte) - 24
  }
  return bits
}

/** The proof's hash for this nonce (test vectors, and the node's check). */
export function powHash(queueId: Uint8Array, blob: Uint8Array, nonce: number): Uint8Array {
  const { input, view } = powInput(queueId, blob)
  view.setBigUint64(0, BigInt(nonce))
  return new Uint8Array(createHash('sha256').update(input).digest())
}

/** The node's check: the nonce meets the difficulty for this queue and blob. */
export function checkPow(queueId: Uint8Array, blob: Uint8Array, nonce: number, difficulty: number): boolean {
  if (difficulty <= 0) return true
  if (!Number.isSafeInteger(nonce) || nonce < 0) return false
  return leadingZeroBits(powHash(queueId, blob, nonce)) >= difficulty
}

/** The depositor's work: the first nonce from 0 that meets the difficulty (about 2^difficulty hashes). */
export async function solvePow(
  queueId: Uint8Array,
  blob: Uint8Array,
  difficulty: number,
  options: { signal?: AbortSignal } = {}
): Promise<number> {
  if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > 40) {
    throw new RangeError(`a proof-of-work difficulty is 0..40 bits, got ${difficulty}`)
  }
  const { input, view } = powInput(queueId, blob)
  for (let nonce = 0; ; nonce++) {
    view.setBigUint64(0, BigInt(nonce))
    if (leadingZeroBits(createHash('sha256').update(input).digest()) >= difficulty) return nonce
    if (nonce % SLICE === SLICE - 1) {
      options.signal?.throwIfAborted()
      await new Promise(resolve => setImmediate(resolve))
    }
  }
}
