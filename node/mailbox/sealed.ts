/**
 * Sealed blobs (docs/PROTOCOL.md §7.3): a dm frame encrypted to the recipient's X25519 identity DH
 * key with an ephemeral key, padded to one of a few sizes. The community node that stores it sees
 * neither the sender (its identity is inside, in the envelope's signature) nor the frame's size.
 *
 *   blob       = 0x01 || eph_pub (32) || AES-256-GCM(key, nonce, padded, aad = 0x01 || eph_pub || recipient_dh_key)
 *   key||nonce = HKDF-SHA256(X25519(eph_priv, recipient_dh_key), salt = eph_pub || recipient_dh_key, "parley/sealed/1", 44)
 *   padded     = uint32_be(len(frame)) || frame || zeros up to the bucket
 */
import { aeadDecrypt, aeadEncrypt, dh, generateX25519KeyPair, hkdf, type X25519KeyPair } from '../crypto/primitives.ts'
import { SealedBlobError, SealedTooLargeError } from './errors.ts'

/** The version byte of a sealed blob. */
export const SEALED_VERSION = 0x01

/** Total blob lengths: the smallest that fits is used, so the node learns only a coarse size. */
export const SEALED_BUCKETS = [1024, 4096, 16384, 65536] as const

const INFO = 'parley/sealed/1'
const KEY_LENGTH = 32
const NONCE_LENGTH = 12
const TAG_LENGTH = 16
/** version, ephemeral key, tag and the uint32 length: what a blob adds to its frame */
export const SEALED_OVERHEAD = 1 + 32 + TAG_LENGTH + 4

/** The largest frame a blob carries. */
export const MAX_SEALED_FRAME = 65536 - SEALED_OVERHEAD

function keys(
  shared: Uint8Array,
  ephPub: Uint8Array,
  recipientDhKey: Uint8Array
): { key: Uint8Array; nonce: Uint8Array } {
  const salt = new Uint8Array(64)
  salt.set(ephPub, 0)
  salt.set(recipientDhKey, 32)
  const okm = hkdf(shared, salt, INFO, KEY_LENGTH + NONCE_LENGTH)
  return { key: okm.subarray(0, KEY_LENGTH), nonce: okm.subarray(KEY_LENGTH) }
}

function aad(ephPub: Uint8Array, recipientDhKey: Uint8Array): Uint8Array {
  const out = new Uint8Array(65)
  out[0] = SEALED_VERSION
  out.set(ephPub, 1)
  out.set(recipientDhKey, 33)
  return out
}

/** The blob length a frame of `frameLength` bytes is padded to; SealedTooLargeError when none fits. */
export function bucketFor(frameLength: number): number {
  const bucket = SEALED_BUCKETS.find(b => frameLength + SEALED_OVERHEAD <= b)
  if (bucket === undefined) {
    throw new SealedTooLargeError(
      `a frame of ${frameLength} bytes does not fit a sealed blob (at most ${MAX_SEALED_FRAME})`
    )
  }
  return bucket
}

/**
 * Seals a dm frame (an encoded Frame: envelope, ack or session reset) to the recipient's X25519
 * identity DH key. `ephemeral` only for test vectors.
 */
export function sealBlob(frame: Uint8Array, recipientDhKey: Uint8Array, ephemeral?: X25519KeyPair): Uint8Array {
  if (recipientDhKey.length !== 32)
    throw new RangeError(`recipient DH key must be 32 bytes, got ${recipientDhKey.length}`)
  const size = bucketFor(frame.length)
  const eph = ephemeral ?? generateX25519KeyPair()
  const { key, nonce } = keys(dh(eph.privateKey, recipientDhKey), eph.publicKey, recipientDhKey)
  const padded = new Uint8Array(size - 1 - 32 - TAG_LENGTH)
  new DataView(padded.buffer).setUint32(0, frame.length)
  padded.set(frame, 4)
  const sealed = aeadEncrypt(key, nonce, padded, aad(eph.publicKey, recipientDhKey))
  const blob = new Uint8Array(size)
  blob[0] = SEALED_VERSION
  blob.set(eph.publicKey, 1)
  blob.set(sealed, 33)
  return blob
}

/**
 * Opens a blob sealed to our DH key pair; returns the frame. Throws SealedBlobError for anything
 * that is not a blob sealed to us (wrong version or size, a tampered or foreign blob, bad padding).
 */
export function openBlob(blob: Uint8Array, dhKeyPair: X25519KeyPair): Uint8Array {
  if (!(SEALED_BUCKETS as readonly number[]).includes(blob.length)) {
    throw new SealedBlobError(`a sealed blob is ${SEALED_BUCKETS.join(', ')} bytes long, got ${blob.length}`)
  }
  if (blob[0] !== SEALED_VERSION) throw new SealedBlobError(`unknown sealed blob version ${blob[0]}`)
  const ephPub = blob.subarray(1, 33)
  let padded: Uint8Array
  try {
    const { key, nonce } = keys(dh(dhKeyPair.privateKey, ephPub), ephPub, dhKeyPair.publicKey)
    padded = aeadDecrypt(key, nonce, blob.subarray(33), aad(ephPub, dhKeyPair.publicKey))
  } catch (err) {
    throw new SealedBlobError(`cannot open the sealed blob: ${(err as Error).message}`)
  }
  const length = new DataView(padded.buffer, padded.byteOffset, padded.byteLength).getUint32(0)
  if (length > padded.length - 4) throw new SealedBlobError(`frame length ${length} exceeds the blob`)
  if (padded.subarray(4 + length).some(b => b !== 0)) throw new SealedBlobError('padding is not all zeros')
  return padded.slice(4, 4 + length)
}
