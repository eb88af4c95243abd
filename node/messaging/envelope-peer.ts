import type { PeerId, PrivateKey, PublicKey } from '@libp2p/interface'
import { peerIdFromMultihash, peerIdFromPrivateKey } from '@libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'

/** A peer id on the wire: its multihash bytes (for Ed25519 an identity multihash holding the key). */
export function peerIdBytes(peerId: PeerId): Uint8Array {
  return peerId.toMultihash().bytes
}

/** The peer id bytes of our own keys (signing keys live as long as the node): computed once per key. */
const ownIds = new WeakMap<PrivateKey, Uint8Array>()

export function peerIdBytesOfKey(key: PrivateKey): Uint8Array {
  let bytes = ownIds.get(key)
  if (bytes === undefined) {
    bytes = peerIdBytes(peerIdFromPrivateKey(key))
    ownIds.set(key, bytes)
  }
  return bytes
}

/** Peer ids parsed from their bytes, oldest first: the same few senders and receivers, envelope after envelope. */
const parsed = new Map<string, { peerId: PeerId; publicKey: PublicKey }>()
const PARSED_MAX = 1024

/**
 * Parses a peer id from its multihash bytes and returns it with its Ed25519 public key. Returns
 * undefined for anything else (garbage, or a hashed RSA/secp256k1 id whose key is not inline).
 * Remembers the last PARSED_MAX valid ones (the results are immutable values).
 */
export function ed25519PeerFromBytes(bytes: Uint8Array): { peerId: PeerId; publicKey: PublicKey } | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  const known = parsed.get(text)
  if (known !== undefined) return known
  try {
    const peerId = peerIdFromMultihash(Digest.decode(bytes))
    if (peerId.type !== 'Ed25519' || peerId.publicKey == null) {
      return undefined
    }
    const result = { peerId, publicKey: peerId.publicKey }
    if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!)
    parsed.set(text, result)
    return result
  } catch {
    return undefined
  }
}
