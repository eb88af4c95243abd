import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto'
import type { PrivateKey, PublicKey } from '@libp2p/interface'

/**
 * Signature domains. Every Ed25519 signature Parley makes covers `utf8(domain) || 0x00 || payload`,
 * so a signature made for one purpose can never be replayed as another (docs/PROTOCOL.md §1).
 */
export const SignatureDomain = {
  Profile: 'parley/profile/1',
  NameClaim: 'parley/name/1',
  Prekey: 'parley/prekey/1',
  Envelope: 'parley/envelope/1',
  Ack: 'parley/ack/1',
  /** a member's proof on the community join protocol (node/community/join-proof.ts) */
  CommunityJoin: 'parley/community-join/1',
  /** a receiver's request to restart a session (docs/PROTOCOL.md §3.12) */
  SessionReset: 'parley/session-reset/1',
  /** a group membership event, by its author's identity key (docs/PROTOCOL.md §8) */
  GroupEvent: 'parley/group-event/1',
  /** a group message, by the sender's chain signing key (docs/PROTOCOL.md §8) */
  GroupMessage: 'parley/group-message/1'
} as const
export type SignatureDomain = (typeof SignatureDomain)[keyof typeof SignatureDomain]

const encoder = new TextEncoder()

/** The exact bytes covered by a signature in `domain` over `payload`. */
export function signedBytes(domain: SignatureDomain, payload: Uint8Array): Uint8Array {
  const prefix = encoder.encode(domain)
  const out = new Uint8Array(prefix.length + 1 + payload.length)
  out.set(prefix, 0)
  out[prefix.length] = 0
  out.set(payload, prefix.length + 1)
  return out
}

/** How many peers' Ed25519 public KeyObjects stay cached (contacts plus the DHT peers whose records we check). */
const PUBLIC_KEY_CACHE_SIZE = 1024

/** Our own keys: one KeyObject per PrivateKey object, for as long as that object lives. */
const privateKeyObjects = new WeakMap<PrivateKey, KeyObject>()
/** Peers' keys arrive as new PublicKey objects per envelope (parsed from the peer id): keyed by the raw bytes. */
const publicKeyObjects = new Map<string, KeyObject>()

/**
 * A node:crypto KeyObject for an Ed25519 key, imported once. @libp2p/crypto imports a fresh one
 * from JWK on every sign and verify, which costs as much as the signature itself; node:crypto's
 * Ed25519 is the same OpenSSL code, and Ed25519 signatures are deterministic, so the bytes are
 * identical.
 */
function privateKeyObject(key: PrivateKey): KeyObject | undefined {
  if (key.type !== 'Ed25519' || key.raw.length !== 64) return undefined
  let obj = privateKeyObjects.get(key)
  if (obj === undefined) {
    obj = createPrivateKey({
      format: 'jwk',
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        d: Buffer.from(key.raw.subarray(0, 32)).toString('base64url'),
        x: Buffer.from(key.raw.subarray(32)).toString('base64url')
      }
    })
    privateKeyObjects.set(key, obj)
  }
  return obj
}

function publicKeyObject(key: PublicKey): KeyObject | undefined {
  if (key.type !== 'Ed25519' || key.raw.length !== 32) return undefined
  const id = Buffer.from(key.raw).toString('base64url')
  let obj = publicKeyObjects.get(id)
  if (obj !== undefined) {
    // least recently used first in iteration order
    publicKeyObjects.delete(id)
    publicKeyObjects.set(id, obj)
    return obj
  }
  obj = createPublicKey({ format: 'jwk', key: { kty: 'OKP', crv: 'Ed25519', x: id } })
  publicKeyObjects.set(id, obj)
  if (publicKeyObjects.size > PUBLIC_KEY_CACHE_SIZE) {
    publicKeyObjects.delete(publicKeyObjects.keys().next().value as string)
  }
  return obj
}

export async function signWithDomain(
  key: PrivateKey,
  domain: SignatureDomain,
  payload: Uint8Array
): Promise<Uint8Array> {
  const obj = privateKeyObject(key)
  if (obj === undefined) return await key.sign(signedBytes(domain, payload))
  return new Uint8Array(sign(null, signedBytes(domain, payload), obj))
}

/**
 * `offThread`: verify on libuv's thread pool (the callback form of node:crypto's verify), for
 * signatures checked several at once (a batch of envelopes): a verification costs ~3× a signature,
 * and they run in parallel while this thread goes on. A single one is faster here: the hop to the
 * pool and back costs more latency than it saves.
 */
export async function verifyWithDomain(
  key: PublicKey,
  domain: SignatureDomain,
  payload: Uint8Array,
  signature: Uint8Array,
  options: { offThread?: boolean } = {}
): Promise<boolean> {
  try {
    const obj = publicKeyObject(key)
    if (obj === undefined) return await key.verify(signedBytes(domain, payload), signature)
    if (options.offThread !== true) return verify(null, signedBytes(domain, payload), obj, signature)
    const { promise, resolve } = Promise.withResolvers<boolean>()
    verify(null, signedBytes(domain, payload), obj, signature, (err, ok) => resolve(err === null && ok))
    return await promise
  } catch {
    return false
  }
}
