import type { PeerId, PublicKey } from '@libp2p/interface'
import { peerIdFromMultihash } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'

/** A peer id on the wire: its multihash bytes (for Ed25519 an identity multihash holding the key). */
export function peerIdBytes(peerId: PeerId): Uint8Array {
  return peerId.toMultihash().bytes
}

/**
 * Parses a peer id from its multihash bytes and returns it with its Ed25519 public key. Returns
 * undefined for anything else (garbage, or a hashed RSA/secp256k1 id whose key is not inline).
 */
export function ed25519PeerFromBytes(bytes: Uint8Array): { peerId: PeerId; publicKey: PublicKey } | undefined {
  try {
    const peerId = peerIdFromMultihash(Digest.decode(bytes))
    if (peerId.type !== 'Ed25519' || peerId.publicKey == null) {
      return undefined
    }
    return { peerId, publicKey: peerId.publicKey }
  } catch {
    return undefined
  }
}
