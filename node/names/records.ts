import type { Ed25519PublicKey, PeerId, PrivateKey } from '@libp2p/interface'
import { peerIdFromMultihash, peerIdFromString } from '@libp2p/peer-id'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import * as Digest from 'multiformats/hashes/digest'
import { bytesEqual, SignatureDomain, signWithDomain, verifySignedPrekey, verifyWithDomain } from '../crypto/index.ts'
import {
  CLOCK_SKEW_MS,
  MAX_ADDRESS_BYTES,
  MAX_ADDRESSES,
  MAX_RECORD_BYTES,
  MAX_RECORD_LIFETIME_MS,
  NAME_NAMESPACE,
  PROFILE_NAMESPACE
} from './constants.ts'
import {
  ExpiryTooFarError,
  InvalidNameError,
  InvalidSignatureError,
  KeyMismatchError,
  MalformedRecordError,
  RecordExpiredError,
  RecordTooLargeError
} from './errors.ts'
import { normalizeName } from './name-rules.ts'
import { NameClaimBody, NameClaimRecord, ProfileBody, ProfileRecord } from './pb/records.js'
import type { NameClaim, Profile, ProfileMailbox } from './profile.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

const NAME_PREFIX = encoder.encode(`/${NAME_NAMESPACE}/`)
const PROFILE_PREFIX = encoder.encode(`/${PROFILE_NAMESPACE}/`)

export interface ValidationOptions {
  /** the clock, ms since the epoch; @default Date.now */
  now?: () => number
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false
  return true
}

/** DHT key of a name claim: `utf8("/parley-name/" + normalized name)`. */
export function nameKey(name: string): Uint8Array {
  return concat(NAME_PREFIX, encoder.encode(normalizeName(name)))
}

/** DHT key of a profile record: `utf8("/parley-profile/") || peer id multihash bytes`. */
export function profileKey(peerId: PeerId): Uint8Array {
  return concat(PROFILE_PREFIX, peerId.toMultihash().bytes)
}

/** The name in a name-claim key (throws MalformedRecordError / InvalidNameError). */
export function nameFromKey(key: Uint8Array): string {
  if (!startsWith(key, NAME_PREFIX)) throw new MalformedRecordError('not a /parley-name/ key')
  let name: string
  try {
    name = decoder.decode(key.subarray(NAME_PREFIX.length))
  } catch {
    throw new MalformedRecordError('name key is not UTF-8')
  }
  if (normalizeName(name) !== name) throw new InvalidNameError(`name key "${name}" is not normalized`)
  return name
}

/** The Ed25519 peer id whose multihash bytes these are (throws MalformedRecordError). */
export function ed25519PeerIdFromBytes(bytes: Uint8Array): PeerId & { publicKey: Ed25519PublicKey } {
  let peerId: PeerId
  try {
    peerId = peerIdFromMultihash(Digest.decode(bytes))
  } catch (err) {
    throw new MalformedRecordError(`peer id does not parse: ${(err as Error).message}`)
  }
  if (peerId.type !== 'Ed25519' || peerId.publicKey == null) {
    throw new MalformedRecordError(`peer id must be an Ed25519 identity multihash, got ${peerId.type}`)
  }
  return peerId as PeerId & { publicKey: Ed25519PublicKey }
}

/** The peer id in a profile key (throws MalformedRecordError). */
export function peerIdFromProfileKey(key: Uint8Array): PeerId {
  if (!startsWith(key, PROFILE_PREFIX)) throw new MalformedRecordError('not a /parley-profile/ key')
  return ed25519PeerIdFromBytes(key.subarray(PROFILE_PREFIX.length))
}

function toMillis(field: string, value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new MalformedRecordError(`${field} is out of range`)
  return Number(value)
}

function checkExpiry(expiresAt: number, options: ValidationOptions): void {
  const now = (options.now ?? Date.now)()
  if (expiresAt <= now) throw new RecordExpiredError(`record expired at ${new Date(expiresAt).toISOString()}`)
  if (expiresAt > now + MAX_RECORD_LIFETIME_MS + CLOCK_SKEW_MS) {
    throw new ExpiryTooFarError(
      `record expiry ${new Date(expiresAt).toISOString()} is more than ${MAX_RECORD_LIFETIME_MS / 86_400_000} days ahead`
    )
  }
}

function checkSize(value: Uint8Array): void {
  if (!(value instanceof Uint8Array)) throw new MalformedRecordError('record value must be bytes')
  if (value.length > MAX_RECORD_BYTES) {
    throw new RecordTooLargeError(`record is ${value.length} bytes, at most ${MAX_RECORD_BYTES} are accepted`)
  }
}

function parse<T>(what: string, fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    throw new MalformedRecordError(`${what} does not parse: ${(err as Error).message}`)
  }
}

/**
 * protons-runtime 7.1 mis-encodes uint64 values in [2^31, 2^32) (the low word is taken as a signed
 * int32, so the varint comes out one byte long). Our sequences and times are ms since the epoch,
 * far above that range; refuse the range rather than sign a corrupt body.
 */
function checkUint64(field: string, value: bigint): bigint {
  if (value < 0n || value >= 2n ** 64n) throw new RangeError(`${field} must be a uint64, got ${value}`)
  if (value >= 2n ** 31n && value < 2n ** 32n) {
    throw new RangeError(`${field} ${value} is in [2^31, 2^32), which protons-runtime 7 cannot encode`)
  }
  return value
}

// ---------------------------------------------------------------------------------------------
// Name claims

export interface NameClaimInit {
  name: string
  claimedAt: number
  sequence: bigint
  expiresAt: number
}

/** Signs a name claim with the owner's key; returns the record value. */
export async function createNameClaim(privateKey: PrivateKey, init: NameClaimInit): Promise<Uint8Array> {
  if (privateKey.type !== 'Ed25519') throw new TypeError(`the owner key must be Ed25519, got ${privateKey.type}`)
  const body = NameClaimBody.encode({
    name: normalizeName(init.name),
    peerId: privateKey.publicKey.toMultihash().bytes,
    claimedAt: checkUint64('claimedAt', BigInt(init.claimedAt)),
    sequence: checkUint64('sequence', init.sequence),
    expiresAt: checkUint64('expiresAt', BigInt(init.expiresAt))
  })
  const signature = await signWithDomain(privateKey, SignatureDomain.NameClaim, body)
  return NameClaimRecord.encode({ body, signature: signature as Uint8Array<ArrayBuffer> })
}

/** Parses a claim without verifying it (for values a validator already accepted). */
export function decodeNameClaim(value: Uint8Array): { claim: NameClaim; record: NameClaimRecord } {
  checkSize(value)
  const record = parse('name claim record', () => NameClaimRecord.decode(value))
  const body = parse('name claim body', () => NameClaimBody.decode(record.body))
  const claim: NameClaim = {
    name: body.name,
    peerId: ed25519PeerIdFromBytes(body.peerId),
    claimedAt: toMillis('claimed_at', body.claimedAt),
    sequence: body.sequence,
    expiresAt: toMillis('expires_at', body.expiresAt)
  }
  return { claim, record }
}

/**
 * Verifies a name claim stored under `key`: size cap first, then parse, name rules, key match,
 * signature by the claimed owner (domain parley/name/1), expiry within bounds. Returns the claim.
 */
export async function verifyNameClaim(
  key: Uint8Array,
  value: Uint8Array,
  options: ValidationOptions = {}
): Promise<NameClaim> {
  checkSize(value)
  const keyName = nameFromKey(key)
  const { claim, record } = decodeNameClaim(value)
  if (normalizeName(claim.name) !== claim.name)
    throw new InvalidNameError(`claimed name "${claim.name}" is not normalized`)
  if (claim.name !== keyName) throw new KeyMismatchError(`claim for "${claim.name}" stored under "${keyName}"`)
  const publicKey = (claim.peerId as PeerId & { publicKey: Ed25519PublicKey }).publicKey
  if (
    record.signature.length !== 64 ||
    !(await verifyWithDomain(publicKey, SignatureDomain.NameClaim, record.body, record.signature))
  ) {
    throw new InvalidSignatureError(`name claim signature does not verify with ${claim.peerId}`)
  }
  checkExpiry(claim.expiresAt, options)
  return claim
}

// ---------------------------------------------------------------------------------------------
// Profile records

export interface ProfileInit {
  dhKey: Uint8Array
  prekey: { id: number; publicKey: Uint8Array; signature: Uint8Array }
  addresses: Multiaddr[]
  sequence: bigint
  expiresAt: number
  /** public contact queues (§7.4); at most MAX_PROFILE_MAILBOXES are published */
  mailboxes?: ProfileMailbox[]
}

/** Most public contact queues a profile lists: a member uses at most 3 communities (docs/PROTOCOL.md §7.4). */
export const MAX_PROFILE_MAILBOXES = 3
/** Most addresses of one community node in a profile's mailbox. */
const MAX_MAILBOX_ADDRESSES = 8

function mailboxFromRecord(r: { community: Uint8Array; addresses: Uint8Array[]; queueId: Uint8Array }): ProfileMailbox {
  const community = ed25519PeerIdFromBytes(r.community).toString()
  if (r.queueId.length !== 16)
    throw new MalformedRecordError(`mailbox queue id must be 16 bytes, got ${r.queueId.length}`)
  if (r.addresses.length > MAX_MAILBOX_ADDRESSES) {
    throw new MalformedRecordError(
      `a mailbox lists at most ${MAX_MAILBOX_ADDRESSES} addresses, got ${r.addresses.length}`
    )
  }
  const addresses = r.addresses.map(bytes => {
    if (bytes.length > MAX_ADDRESS_BYTES) throw new MalformedRecordError('mailbox address too long')
    return parse('mailbox address', () => multiaddr(bytes)).toString()
  })
  return { community, addresses, queueId: r.queueId }
}

/** Signs a profile record with the owner's key; returns the record value. */
export async function createProfileRecord(privateKey: PrivateKey, init: ProfileInit): Promise<Uint8Array> {
  if (privateKey.type !== 'Ed25519') throw new TypeError(`the owner key must be Ed25519, got ${privateKey.type}`)
  const addresses = init.addresses
    .map(a => a.bytes)
    .filter(b => b.length <= MAX_ADDRESS_BYTES)
    .slice(0, MAX_ADDRESSES)
  const body = ProfileBody.encode({
    peerId: privateKey.publicKey.toMultihash().bytes,
    dhKey: init.dhKey as Uint8Array<ArrayBuffer>,
    prekeyId: init.prekey.id,
    prekey: init.prekey.publicKey as Uint8Array<ArrayBuffer>,
    prekeySignature: init.prekey.signature as Uint8Array<ArrayBuffer>,
    addresses: addresses as Array<Uint8Array<ArrayBuffer>>,
    sequence: checkUint64('sequence', init.sequence),
    expiresAt: checkUint64('expiresAt', BigInt(init.expiresAt)),
    mailboxes: (init.mailboxes ?? []).slice(0, MAX_PROFILE_MAILBOXES).map(m => ({
      community: peerIdFromString(m.community).toMultihash().bytes,
      addresses: m.addresses.slice(0, MAX_MAILBOX_ADDRESSES).map(a => multiaddr(a).bytes as Uint8Array<ArrayBuffer>),
      queueId: m.queueId as Uint8Array<ArrayBuffer>
    }))
  })
  const signature = await signWithDomain(privateKey, SignatureDomain.Profile, body)
  return ProfileRecord.encode({ body, signature: signature as Uint8Array<ArrayBuffer> })
}

/** Parses a profile without verifying signatures or expiry (for values a validator already accepted). */
export function decodeProfile(value: Uint8Array): { profile: Profile; record: ProfileRecord } {
  checkSize(value)
  const record = parse('profile record', () => ProfileRecord.decode(value))
  const body = parse('profile body', () =>
    ProfileBody.decode(record.body, {
      limits: { mailboxes: MAX_PROFILE_MAILBOXES, mailboxes$: { addresses: MAX_MAILBOX_ADDRESSES } }
    })
  )
  const peerId = ed25519PeerIdFromBytes(body.peerId)
  if (body.dhKey.length !== 32) throw new MalformedRecordError(`dh key must be 32 bytes, got ${body.dhKey.length}`)
  if (body.prekey.length !== 32) throw new MalformedRecordError(`prekey must be 32 bytes, got ${body.prekey.length}`)
  if (body.addresses.length > MAX_ADDRESSES) {
    throw new MalformedRecordError(`at most ${MAX_ADDRESSES} addresses, got ${body.addresses.length}`)
  }
  const addresses = body.addresses.map(bytes => {
    if (bytes.length > MAX_ADDRESS_BYTES) throw new MalformedRecordError('address too long')
    return parse('address', () => multiaddr(bytes))
  })
  return {
    record,
    profile: {
      peerId,
      identityKey: peerId.publicKey,
      dhKey: body.dhKey,
      prekey: { id: body.prekeyId, publicKey: body.prekey, signature: body.prekeySignature },
      addresses,
      sequence: body.sequence,
      expiresAt: toMillis('expires_at', body.expiresAt),
      mailboxes: body.mailboxes.map(mailboxFromRecord)
    }
  }
}

/**
 * Verifies a profile record stored under `key`: size cap, parse, the key's peer id equals the
 * record's, the owner's signature (domain parley/profile/1) and prekey signature, expiry bounds.
 */
export async function verifyProfileRecord(
  key: Uint8Array,
  value: Uint8Array,
  options: ValidationOptions = {}
): Promise<Profile> {
  checkSize(value)
  const keyPeer = peerIdFromProfileKey(key)
  const { profile, record } = decodeProfile(value)
  if (!bytesEqual(keyPeer.toMultihash().bytes, profile.peerId.toMultihash().bytes)) {
    throw new KeyMismatchError(`profile of ${profile.peerId} stored under ${keyPeer}`)
  }
  if (
    record.signature.length !== 64 ||
    !(await verifyWithDomain(profile.identityKey, SignatureDomain.Profile, record.body, record.signature))
  ) {
    throw new InvalidSignatureError(`profile signature does not verify with ${profile.peerId}`)
  }
  if (!(await verifySignedPrekey(profile.identityKey, profile.prekey))) {
    throw new InvalidSignatureError(`prekey signature does not verify with ${profile.peerId}`)
  }
  checkExpiry(profile.expiresAt, options)
  return profile
}
