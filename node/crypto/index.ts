/**
 * Parley's end-to-end encryption: primitives from node:crypto, an X3DH-style session start from a
 * signed prekey, and the Double Ratchet (docs/PROTOCOL.md §3).
 */
export * from './constants.ts'
export * from './errors.ts'
export {
  aeadDecrypt,
  aeadEncrypt,
  bytesEqual,
  dh,
  generateX25519KeyPair,
  hkdf,
  hmac,
  type RandomSource,
  randomBytes,
  sha256,
  type X25519KeyPair,
  x25519PublicKey
} from './primitives.ts'
export {
  assertSignedPrekey,
  prekeySignaturePayload,
  type SessionInit,
  type SignedPrekey,
  signPrekey,
  verifySignedPrekey,
  type X3dhInitiateInit,
  type X3dhInitiateResult,
  type X3dhRespondInit,
  type X3dhResult,
  x3dhAssociatedData,
  x3dhInitiate,
  x3dhRespond
} from './x3dh.ts'
export {
  type DecryptOptions,
  type DecryptResult,
  type EncryptResult,
  encodeHeaderForAead,
  kdfChain,
  kdfRoot,
  messageKeyMaterial,
  type RatchetHeader,
  type RatchetInitiateInit,
  type RatchetRespondInit,
  RatchetSession
} from './double-ratchet.ts'
export { SignatureDomain, signedBytes, signWithDomain, verifyWithDomain } from './signing.ts'
