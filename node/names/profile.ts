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
  /** the owner's public contact queues (docs/PROTOCOL.md §7.4), at most 3 */
  mailboxes: ProfileMailbox[]
}

/** A public contact queue as a profile lists it: a stranger's first messages wait there. */
export interface ProfileMailbox {
  /** the community node's peer id */
  community: string
  /** its multiaddrs without /p2p/ */
  addresses: string[]
  /** 16 bytes */
  queueId: Uint8Array
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
