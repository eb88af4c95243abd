import type { PeerId } from '@libp2p/interface'
import { sha256 } from '../crypto/primitives.ts'

/**
 * A short, human-comparable digest of a peer's identity key: the first 10 bytes of
 * SHA-256(peer id bytes) as five groups of four hex digits (`a1b2 c3d4 …`). Not a safety number
 * (that covers both keys); it names one key in lists.
 */
export function fingerprint(peerId: PeerId): string {
  const hex = Buffer.from(sha256(peerId.toMultihash().bytes).subarray(0, 10)).toString('hex')
  return hex.match(/.{4}/g)!.join(' ')
}
