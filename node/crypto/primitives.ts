/**
 * The cryptographic primitives of Parley's end-to-end encryption, all from node:crypto (OpenSSL in
 * Node, BoringSSL in Electron): X25519, HKDF-SHA256, HMAC-SHA256, SHA-256 and AES-256-GCM.
 *
 * AEAD choice: AES-256-GCM. Every message key is used for exactly one message and the nonce is
 * derived with it, so GCM's nonce-reuse fragility does not apply; GCM runs on AES-NI/ARMv8 AES in
 * OpenSSL and BoringSSL alike. ChaCha20-Poly1305 would be as good cryptographically, but Electron's
 * node:crypto (BoringSSL) does not offer it through createCipheriv (electron/electron#24024), and the
 * daemon may run on VS Code's Electron runtime.
 *
 * X25519 keys cross module boundaries as raw 32-byte Uint8Arrays. Raw keys are turned into KeyObjects
 * (52 µs for a private key) at most once per array instance: callers and sessions must treat key
 * arrays as immutable.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes as nodeRandomBytes,
  timingSafeEqual
} from 'node:crypto'
import { AEAD_NONCE_LENGTH, AEAD_TAG_LENGTH, SYMMETRIC_KEY_LENGTH, X25519_KEY_LENGTH } from './constants.ts'
import { DecryptError, InvalidKeyError } from './errors.ts'

/** An X25519 key pair as raw 32-byte arrays (the private key is the unclamped RFC 7748 scalar). */
export interface X25519KeyPair {
  publicKey: Uint8Array
  privateKey: Uint8Array
}

/** A source of random bytes; injected in tests so that vectors are deterministic. */
export type RandomSource = (length: number) => Uint8Array

// DER prefixes that wrap a raw X25519 key (OID 1.3.101.110) as PKCS#8 / SPKI.
const PKCS8_X25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20
])
const SPKI_X25519_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00])

const privateKeyObjects = new WeakMap<Uint8Array, KeyObject>()
const publicKeyObjects = new WeakMap<Uint8Array, KeyObject>()

/** Cryptographically secure random bytes. */
export function randomBytes(length: number): Uint8Array {
  return new Uint8Array(nodeRandomBytes(length))
}

function checkLength(name: string, bytes: Uint8Array, length: number): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidKeyError(`${name} must be a Uint8Array, got ${typeof bytes}`)
  }
  if (bytes.length !== length) {
    throw new InvalidKeyError(`${name} must be ${length} bytes, got ${bytes.length}`)
  }
}

function concat2(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}

function privateKeyObject(privateKey: Uint8Array): KeyObject {
  let key = privateKeyObjects.get(privateKey)
  if (key == null) {
    checkLength('X25519 private key', privateKey, X25519_KEY_LENGTH)
    key = createPrivateKey({ key: Buffer.from(concat2(PKCS8_X25519_PREFIX, privateKey)), format: 'der', type: 'pkcs8' })
    privateKeyObjects.set(privateKey, key)
  }
  return key
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  let key = publicKeyObjects.get(publicKey)
  if (key == null) {
    checkLength('X25519 public key', publicKey, X25519_KEY_LENGTH)
    key = createPublicKey({ key: Buffer.from(concat2(SPKI_X25519_PREFIX, publicKey)), format: 'der', type: 'spki' })
    publicKeyObjects.set(publicKey, key)
  }
  return key
}

/** The X25519 public key of a raw private key. */
export function x25519PublicKey(privateKey: Uint8Array): Uint8Array {
  const spki = createPublicKey(privateKeyObject(privateKey)).export({ format: 'der', type: 'spki' })
  return new Uint8Array(spki.subarray(SPKI_X25519_PREFIX.length))
}

/**
 * A fresh X25519 key pair. With `random`, it supplies the 32-byte private key (deterministic tests);
 * without, OpenSSL generates the pair, which also leaves its KeyObject cached for the next dh().
 */
export function generateX25519KeyPair(random?: RandomSource): X25519KeyPair {
  if (random == null) {
    const pair = generateKeyPairSync('x25519')
    const jwk = pair.privateKey.export({ format: 'jwk' })
    if (jwk.d == null || jwk.x == null) {
      throw new InvalidKeyError('OpenSSL exported an X25519 key without d or x')
    }
    const privateKey = new Uint8Array(Buffer.from(jwk.d, 'base64url'))
    privateKeyObjects.set(privateKey, pair.privateKey)
    return { privateKey, publicKey: new Uint8Array(Buffer.from(jwk.x, 'base64url')) }
  }
  const privateKey = Uint8Array.from(random(X25519_KEY_LENGTH))
  checkLength('random X25519 private key', privateKey, X25519_KEY_LENGTH)
  return { privateKey, publicKey: x25519PublicKey(privateKey) }
}

/**
 * X25519(privateKey, publicKey). Throws InvalidKeyError for a wrong length or a low-order public key
 * (OpenSSL refuses an all-zero shared secret, as RFC 7748 §6.1 recommends).
 */
export function dh(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  const priv = privateKeyObject(privateKey)
  const pub = publicKeyObject(publicKey)
  try {
    return new Uint8Array(diffieHellman({ privateKey: priv, publicKey: pub }))
  } catch (err) {
    throw new InvalidKeyError(`X25519 failed (low-order public key?): ${(err as Error).message}`)
  }
}

/** HKDF-SHA256 (RFC 5869). */
export function hkdf(ikm: Uint8Array, salt: Uint8Array, info: string | Uint8Array, length: number): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', ikm, salt, info, length))
}

/** HMAC-SHA256 (RFC 2104). */
export function hmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(data).digest())
}

/** SHA-256. */
export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest())
}

/** Constant-time equality of two byte arrays (false for different lengths). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

/** AES-256-GCM encryption; returns ciphertext || 16-byte tag. */
export function aeadEncrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  associatedData: Uint8Array
): Uint8Array {
  checkLength('AEAD key', key, SYMMETRIC_KEY_LENGTH)
  checkLength('AEAD nonce', nonce, AEAD_NONCE_LENGTH)
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: AEAD_TAG_LENGTH })
  cipher.setAAD(associatedData)
  const head = cipher.update(plaintext)
  const tail = cipher.final()
  const tag = cipher.getAuthTag()
  const out = new Uint8Array(head.length + tail.length + tag.length)
  out.set(head, 0)
  out.set(tail, head.length)
  out.set(tag, head.length + tail.length)
  return out
}

/** AES-256-GCM decryption of ciphertext || tag. Throws DecryptError if authentication fails. */
export function aeadDecrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  associatedData: Uint8Array
): Uint8Array {
  checkLength('AEAD key', key, SYMMETRIC_KEY_LENGTH)
  checkLength('AEAD nonce', nonce, AEAD_NONCE_LENGTH)
  if (ciphertext.length < AEAD_TAG_LENGTH) {
    throw new DecryptError(`ciphertext must be at least ${AEAD_TAG_LENGTH} bytes, got ${ciphertext.length}`)
  }
  const body = ciphertext.subarray(0, ciphertext.length - AEAD_TAG_LENGTH)
  const tag = ciphertext.subarray(ciphertext.length - AEAD_TAG_LENGTH)
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: AEAD_TAG_LENGTH })
    decipher.setAAD(associatedData)
    decipher.setAuthTag(tag)
    const head = decipher.update(body)
    const tail = decipher.final()
    return tail.length === 0 ? new Uint8Array(head) : new Uint8Array(Buffer.concat([head, tail]))
  } catch {
    throw new DecryptError('authentication failed')
  }
}
