import { createHash } from 'node:crypto'
import type { PeerId } from '@libp2p/interface'
import { SAFETY_NUMBER_DIGITS, SAFETY_NUMBER_ITERATIONS } from './constants.ts'

const VERSION = Uint8Array.of(0, 0)

function publicKeyBytes(peerId: PeerId): Uint8Array {
  if (peerId.publicKey == null) throw new TypeError(`peer id ${peerId} does not hold a public key`)
  return peerId.publicKey.raw
}

/**
 * One side's fingerprint: 30 decimal digits from the identity key (docs/PROTOCOL.md §2.6).
 *   h = SHA-512(0x0000 || key || peerIdBytes); repeat 5200 times: h = SHA-512(h || key)
 *   the first 30 bytes in six 5-byte chunks, each as a big-endian integer mod 100000, 5 digits each.
 */
export function fingerprintDigits(peerId: PeerId): string {
  const key = publicKeyBytes(peerId)
  let hash = createHash('sha512').update(VERSION).update(key).update(peerId.toMultihash().bytes).digest()
  for (let i = 0; i < SAFETY_NUMBER_ITERATIONS; i++) hash = createHash('sha512').update(hash).update(key).digest()
  let digits = ''
  for (let chunk = 0; chunk < SAFETY_NUMBER_DIGITS / 10; chunk++) {
    let n = 0
    for (let i = 0; i < 5; i++) n = n * 256 + hash[chunk * 5 + i]!
    digits += String(n % 100_000).padStart(5, '0')
  }
  return digits
}

function groups(digits: string): string {
  return digits.match(/.{1,5}/g)!.join(' ')
}

/** A peer's fingerprint as printed: 30 digits in groups of 5. */
export function fingerprint(peerId: PeerId): string {
  return groups(fingerprintDigits(peerId))
}

/**
 * The safety number of two accounts: both fingerprints, the numerically smaller first, 60 digits in
 * groups of 5. Both people compute the same number; compared out of band, it proves that each holds
 * the other's real key (no one in the middle).
 */
export function safetyNumber(a: PeerId, b: PeerId): string {
  const [x, y] = [fingerprintDigits(a), fingerprintDigits(b)].sort()
  return groups(`${x}${y}`)
}
