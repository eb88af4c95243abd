import type { Ed25519PublicKey, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { SignedPrekey } from '../crypto/index.ts'

/** A peer's verified profile record (docs/PROTOCOL.md §2.2). */
export interface Profile {
  peerId: PeerId
  identityKey: Ed25519PublicKey
  /** X25519 identity DH public key */
  dhKey: Uint8Array
  /** signature already verified by the record validator */
  prekey: SignedPrekey
  addresses: Multiaddr[]
  sequence: bigint
  /** ms since the epoch */
  expiresAt: number
}

/** A verified name claim (docs/PROTOCOL.md §2.3). */
export interface NameClaim {
  /** normalized name */
  name: string
  /** the owner */
  peerId: PeerId
  /** when the owner first claimed the name, ms since the epoch (the owner's word, never trusted) */
  claimedAt: number
  sequence: bigint
  /** ms since the epoch */
  expiresAt: number
}
