/**
 * Synchronous Ed25519 for group frames: a chain's own signing key pair (raw 32-byte halves, kept in
 * the store), and verification of identity and chain signatures inside the receiving transaction.
 * Every signature covers the domain-separated bytes of node/crypto/signing.ts.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto'
import { type SignatureDomain, signedBytes } from '../crypto/signing.ts'

export interface SigningKeyPair {
  /** 32 bytes */
  publicKey: Uint8Array
  /** the 32-byte seed */
  privateKey: Uint8Array
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url')

export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey } = generateKeyPairSync('ed25519')
  const jwk = privateKey.export({ format: 'jwk' })
  return {
    publicKey: new Uint8Array(Buffer.from(jwk.x as string, 'base64url')),
    privateKey: new Uint8Array(Buffer.from(jwk.d as string, 'base64url'))
  }
}

function privateKeyObject(pair: SigningKeyPair): KeyObject {
  return createPrivateKey({
    format: 'jwk',
    key: { kty: 'OKP', crv: 'Ed25519', d: b64(pair.privateKey), x: b64(pair.publicKey) }
  })
}

export function signRaw(pair: SigningKeyPair, domain: SignatureDomain, payload: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, signedBytes(domain, payload), privateKeyObject(pair)))
}

/** False for a bad signature or a key that is not a 32-byte Ed25519 public key. */
export function verifyRaw(
  publicKey: Uint8Array,
  domain: SignatureDomain,
  payload: Uint8Array,
  signature: Uint8Array
): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false
  try {
    const key = createPublicKey({ format: 'jwk', key: { kty: 'OKP', crv: 'Ed25519', x: b64(publicKey) } })
    return verify(null, signedBytes(domain, payload), key, signature)
  } catch {
    return false
  }
}
