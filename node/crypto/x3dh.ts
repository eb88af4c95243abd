/**
 * X3DH-style session start (Signal's X3DH without one-time prekeys, docs/PROTOCOL.md §3.2).
 *
 *   DH1 = DH(IK_A, SPK_B)   DH2 = DH(EK_A, IK_B)   DH3 = DH(EK_A, SPK_B)
 *   SK  = HKDF-SHA256(ikm = 0xFF×32 || DH1 || DH2 || DH3, salt = 0×32, info = "parley/x3dh/1", 32)
 *
 * IK are the long-term X25519 identity DH keys (from the identity file and the profile record), SPK_B
 * is the responder's signed prekey, EK_A a fresh ephemeral key. Without one-time prekeys, a replayed
 * first message yields the same SK on the responder; the Double Ratchet's replay check and the
 * messaging layer's message-id deduplication reject it.
 */
import type { PrivateKey, PublicKey } from '@libp2p/interface'
import { KDF_INFO, SYMMETRIC_KEY_LENGTH, X25519_KEY_LENGTH } from './constants.ts'
import { InvalidKeyError, InvalidPrekeySignatureError } from './errors.ts'
import { dh, generateX25519KeyPair, hkdf, type RandomSource, type X25519KeyPair } from './primitives.ts'
import { SignatureDomain, signWithDomain, verifyWithDomain } from './signing.ts'

/** A signed prekey as published in the profile record. */
export interface SignedPrekey {
  /** uint32 chosen by the owner; names the key in the first messages of a session */
  id: number
  /** X25519 public key, 32 bytes */
  publicKey: Uint8Array
  /** Ed25519 signature of the identity key, domain Prekey, over `u32be(id) || publicKey` */
  signature: Uint8Array
}

/** The X3DH fields an initiator puts in the headers of its first messages (until the first reply). */
export interface SessionInit {
  /** the initiator's X25519 identity DH public key (IK_A) */
  identityDhKey: Uint8Array
  /** the initiator's ephemeral public key (EK_A); also names the session (its handshake id) */
  ephemeralKey: Uint8Array
  /** id of the responder's signed prekey that was used */
  prekeyId: number
}

/** What both sides derive: the shared secret SK and the associated data AD that binds the identities. */
export interface X3dhResult {
  sharedSecret: Uint8Array
  associatedData: Uint8Array
}

const FILLER = new Uint8Array(X25519_KEY_LENGTH).fill(0xff)
const ZERO_SALT = new Uint8Array(SYMMETRIC_KEY_LENGTH)

function checkPrekeyId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) {
    throw new RangeError(`prekey id must be a uint32, got ${id}`)
  }
}

/** The bytes a prekey signature covers: `u32be(id) || publicKey`. */
export function prekeySignaturePayload(id: number, publicKey: Uint8Array): Uint8Array {
  checkPrekeyId(id)
  if (publicKey.length !== X25519_KEY_LENGTH) {
    throw new InvalidKeyError(`prekey public key must be ${X25519_KEY_LENGTH} bytes, got ${publicKey.length}`)
  }
  const out = new Uint8Array(4 + X25519_KEY_LENGTH)
  new DataView(out.buffer).setUint32(0, id)
  out.set(publicKey, 4)
  return out
}

/** Signs a prekey with the identity key (domain Prekey). */
export async function signPrekey(
  identityKey: PrivateKey,
  prekey: { id: number; publicKey: Uint8Array }
): Promise<SignedPrekey> {
  const signature = await signWithDomain(
    identityKey,
    SignatureDomain.Prekey,
    prekeySignaturePayload(prekey.id, prekey.publicKey)
  )
  return { id: prekey.id, publicKey: prekey.publicKey, signature }
}

/** True if `prekey.signature` is the identity key's signature (domain Prekey) of this prekey. */
export async function verifySignedPrekey(identityPublicKey: PublicKey, prekey: SignedPrekey): Promise<boolean> {
  let payload: Uint8Array
  try {
    payload = prekeySignaturePayload(prekey.id, prekey.publicKey)
  } catch {
    return false
  }
  return await verifyWithDomain(identityPublicKey, SignatureDomain.Prekey, payload, prekey.signature)
}

/** Like verifySignedPrekey, but throws InvalidPrekeySignatureError. */
export async function assertSignedPrekey(identityPublicKey: PublicKey, prekey: SignedPrekey): Promise<void> {
  if (!(await verifySignedPrekey(identityPublicKey, prekey))) {
    throw new InvalidPrekeySignatureError('signed prekey signature does not verify')
  }
}

/**
 * AD = u16be(len(initiatorId)) || initiatorId || u16be(len(responderId)) || responderId
 *      || initiatorIdentityDhKey (32) || responderIdentityDhKey (32)
 * where the ids are the peer ids' multihash bytes (which hold the Ed25519 identity keys).
 */
export function x3dhAssociatedData(
  initiatorId: Uint8Array,
  initiatorIdentityDhKey: Uint8Array,
  responderId: Uint8Array,
  responderIdentityDhKey: Uint8Array
): Uint8Array {
  for (const [name, id] of [
    ['initiator id', initiatorId],
    ['responder id', responderId]
  ] as const) {
    if (id.length === 0 || id.length > 0xffff) {
      throw new RangeError(`${name} must be 1..65535 bytes, got ${id.length}`)
    }
  }
  for (const [name, key] of [
    ['initiator identity DH key', initiatorIdentityDhKey],
    ['responder identity DH key', responderIdentityDhKey]
  ] as const) {
    if (key.length !== X25519_KEY_LENGTH) {
      throw new InvalidKeyError(`${name} must be ${X25519_KEY_LENGTH} bytes, got ${key.length}`)
    }
  }
  const out = new Uint8Array(4 + initiatorId.length + responderId.length + 2 * X25519_KEY_LENGTH)
  const view = new DataView(out.buffer)
  view.setUint16(0, initiatorId.length)
  out.set(initiatorId, 2)
  let offset = 2 + initiatorId.length
  view.setUint16(offset, responderId.length)
  out.set(responderId, offset + 2)
  offset += 2 + responderId.length
  out.set(initiatorIdentityDhKey, offset)
  out.set(responderIdentityDhKey, offset + X25519_KEY_LENGTH)
  return out
}

function deriveSharedSecret(dh1: Uint8Array, dh2: Uint8Array, dh3: Uint8Array): Uint8Array {
  const ikm = new Uint8Array(4 * X25519_KEY_LENGTH)
  ikm.set(FILLER, 0)
  ikm.set(dh1, X25519_KEY_LENGTH)
  ikm.set(dh2, 2 * X25519_KEY_LENGTH)
  ikm.set(dh3, 3 * X25519_KEY_LENGTH)
  return hkdf(ikm, ZERO_SALT, KDF_INFO.X3dh, SYMMETRIC_KEY_LENGTH)
}

export interface X3dhInitiateInit {
  /** our X25519 identity DH key pair (IK_A) */
  identityDhKeyPair: X25519KeyPair
  /** our peer id's multihash bytes */
  initiatorId: Uint8Array
  /** the responder's peer id's multihash bytes */
  responderId: Uint8Array
  /** the responder's X25519 identity DH public key (IK_B), from its profile record */
  responderIdentityDhKey: Uint8Array
  /** the responder's signed prekey (SPK_B); the caller has verified its signature */
  responderPrekey: { id: number; publicKey: Uint8Array }
  /** @default the CSPRNG */
  random?: RandomSource
}

export interface X3dhInitiateResult extends X3dhResult {
  init: SessionInit
}

/** Initiator side: creates EK_A and derives SK and AD. */
export function x3dhInitiate(init: X3dhInitiateInit): X3dhInitiateResult {
  checkPrekeyId(init.responderPrekey.id)
  const ephemeral = generateX25519KeyPair(init.random)
  const ik = init.identityDhKeyPair
  const sharedSecret = deriveSharedSecret(
    dh(ik.privateKey, init.responderPrekey.publicKey),
    dh(ephemeral.privateKey, init.responderIdentityDhKey),
    dh(ephemeral.privateKey, init.responderPrekey.publicKey)
  )
  return {
    sharedSecret,
    associatedData: x3dhAssociatedData(init.initiatorId, ik.publicKey, init.responderId, init.responderIdentityDhKey),
    init: { identityDhKey: ik.publicKey, ephemeralKey: ephemeral.publicKey, prekeyId: init.responderPrekey.id }
  }
}

export interface X3dhRespondInit {
  /** our X25519 identity DH key pair (IK_B) */
  identityDhKeyPair: X25519KeyPair
  /** our signed prekey pair named by `init.prekeyId` (SPK_B) */
  prekeyKeyPair: X25519KeyPair
  /** the initiator's peer id's multihash bytes (the envelope's verified sender) */
  initiatorId: Uint8Array
  /** our peer id's multihash bytes */
  responderId: Uint8Array
  /** the X3DH fields from the initial message header */
  init: SessionInit
}

/** Responder side: derives the same SK and AD from the initial message's header. */
export function x3dhRespond(init: X3dhRespondInit): X3dhResult {
  const ik = init.identityDhKeyPair
  const sharedSecret = deriveSharedSecret(
    dh(init.prekeyKeyPair.privateKey, init.init.identityDhKey),
    dh(ik.privateKey, init.init.ephemeralKey),
    dh(init.prekeyKeyPair.privateKey, init.init.ephemeralKey)
  )
  return {
    sharedSecret,
    associatedData: x3dhAssociatedData(init.initiatorId, init.init.identityDhKey, init.responderId, ik.publicKey)
  }
}
