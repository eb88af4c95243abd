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
  Ack: 'parley/ack/1'
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

export async function signWithDomain(
  key: PrivateKey,
  domain: SignatureDomain,
  payload: Uint8Array
): Promise<Uint8Array> {
  return await key.sign(signedBytes(domain, payload))
}

export async function verifyWithDomain(
  key: PublicKey,
  domain: SignatureDomain,
  payload: Uint8Array,
  signature: Uint8Array
): Promise<boolean> {
  try {
    return await key.verify(signedBytes(domain, payload), signature)
  } catch {
    return false
  }
}
