/**
 * Signal's Double Ratchet (https://signal.org/docs/specifications/doubleratchet/) over X25519,
 * HKDF-SHA256, HMAC-SHA256 and AES-256-GCM; docs/PROTOCOL.md §3.3.
 *
 * A RatchetSession is immutable: encrypt and decrypt return the next session next to their result
 * and never change the one they are called on. The messaging layer stores the message and the next
 * session in one SQLite transaction and simply drops the next session if anything fails, so a
 * forged, tampered or replayed message can never advance or corrupt a stored session.
 */
import {
  AEAD_NONCE_LENGTH,
  CHAIN_MESSAGE_KEY_INPUT,
  CHAIN_NEXT_KEY_INPUT,
  KDF_INFO,
  MAX_RETIRED_RATCHET_KEYS,
  MAX_SKIP,
  MAX_SKIPPED_KEYS,
  SESSION_STATE_VERSION,
  SYMMETRIC_KEY_LENGTH,
  X25519_KEY_LENGTH
} from './constants.ts'
import {
  DecryptError,
  InvalidKeyError,
  InvalidSessionStateError,
  ReplayError,
  SessionNotReadyError,
  TooManySkippedMessagesError
} from './errors.ts'
import { SessionState } from './pb/session.js'
import {
  aeadDecrypt,
  aeadEncrypt,
  bytesEqual,
  dh,
  generateX25519KeyPair,
  hkdf,
  hmac,
  type RandomSource,
  type X25519KeyPair
} from './primitives.ts'
import { type SessionInit, type X3dhInitiateInit, type X3dhRespondInit, x3dhInitiate, x3dhRespond } from './x3dh.ts'

/** The ratchet header that travels (in clear, authenticated) with every ciphertext. */
export interface RatchetHeader {
  /** the sender's current ratchet public key, 32 bytes */
  ratchetKey: Uint8Array
  /** number of messages in the sender's previous sending chain (PN) */
  previousChainLength: number
  /** number of this message in the current sending chain (N) */
  messageNumber: number
  /** the X3DH fields, in every message of the initiator until it has received a reply */
  init?: SessionInit
}

export interface EncryptResult {
  header: RatchetHeader
  ciphertext: Uint8Array
  /** the session after this message; store it in the same transaction as the outgoing message */
  session: RatchetSession
}

export interface DecryptResult {
  plaintext: Uint8Array
  /** the session after this message; store it in the same transaction as the incoming message */
  session: RatchetSession
}

export interface DecryptOptions {
  /** randomness for the new ratchet key pair of a DH ratchet step. @default the CSPRNG */
  random?: RandomSource
}

interface SkippedKey {
  ratchetKey: Uint8Array
  n: number
  messageKey: Uint8Array
}

interface State {
  initiator: boolean
  handshakeId: Uint8Array
  associatedData: Uint8Array
  rootKey: Uint8Array
  sending: X25519KeyPair
  remoteRatchetKey?: Uint8Array
  sendingChainKey?: Uint8Array
  receivingChainKey?: Uint8Array
  sendCount: number
  receiveCount: number
  previousSendCount: number
  pendingInit?: SessionInit
  /** insertion-ordered (oldest first); shared between sessions, copied before any change */
  skipped: Map<string, SkippedKey>
  retiredRatchetKeys: Uint8Array[]
  received: boolean
}

const ZERO_SALT = new Uint8Array(SYMMETRIC_KEY_LENGTH)
const MESSAGE_KEY_INPUT = Uint8Array.of(CHAIN_MESSAGE_KEY_INPUT)
const NEXT_KEY_INPUT = Uint8Array.of(CHAIN_NEXT_KEY_INPUT)
const MAX_UINT32 = 0xffffffff

/** KDF_RK: HKDF(salt = rootKey, ikm = dhOutput, info = "parley/ratchet/root/1", 64) → [rootKey', chainKey]. */
export function kdfRoot(rootKey: Uint8Array, dhOutput: Uint8Array): [rootKey: Uint8Array, chainKey: Uint8Array] {
  const out = hkdf(dhOutput, rootKey, KDF_INFO.Root, 2 * SYMMETRIC_KEY_LENGTH)
  return [out.slice(0, SYMMETRIC_KEY_LENGTH), out.slice(SYMMETRIC_KEY_LENGTH)]
}

/** KDF_CK: messageKey = HMAC(chainKey, 0x01), chainKey' = HMAC(chainKey, 0x02). */
export function kdfChain(chainKey: Uint8Array): [chainKey: Uint8Array, messageKey: Uint8Array] {
  return [hmac(chainKey, NEXT_KEY_INPUT), hmac(chainKey, MESSAGE_KEY_INPUT)]
}

/** AES-256-GCM key and nonce of one message: HKDF(ikm = mk, salt = 0×32, info = "parley/ratchet/message/1", 44). */
export function messageKeyMaterial(messageKey: Uint8Array): { key: Uint8Array; nonce: Uint8Array } {
  const out = hkdf(messageKey, ZERO_SALT, KDF_INFO.Message, SYMMETRIC_KEY_LENGTH + AEAD_NONCE_LENGTH)
  return { key: out.slice(0, SYMMETRIC_KEY_LENGTH), nonce: out.slice(SYMMETRIC_KEY_LENGTH) }
}

/**
 * The canonical header bytes authenticated by the AEAD (after the session's associated data):
 * ratchetKey (32) || u32be(PN) || u32be(N) || 0x00
 * or, with the X3DH fields,
 * ratchetKey (32) || u32be(PN) || u32be(N) || 0x01 || identityDhKey (32) || ephemeralKey (32) || u32be(prekeyId)
 */
export function encodeHeaderForAead(header: RatchetHeader): Uint8Array {
  checkHeader(header)
  const init = header.init
  const out = new Uint8Array(41 + (init == null ? 0 : 68))
  const view = new DataView(out.buffer)
  out.set(header.ratchetKey, 0)
  view.setUint32(32, header.previousChainLength)
  view.setUint32(36, header.messageNumber)
  if (init != null) {
    out[40] = 1
    out.set(init.identityDhKey, 41)
    out.set(init.ephemeralKey, 73)
    view.setUint32(105, init.prekeyId)
  }
  return out
}

function isUint32(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) >= 0 && (n as number) <= MAX_UINT32
}

function checkHeader(header: RatchetHeader): void {
  if (!(header.ratchetKey instanceof Uint8Array) || header.ratchetKey.length !== X25519_KEY_LENGTH) {
    throw new DecryptError(`header ratchet key must be ${X25519_KEY_LENGTH} bytes`)
  }
  if (!isUint32(header.previousChainLength) || !isUint32(header.messageNumber)) {
    throw new DecryptError(
      `header counters must be uint32, got PN=${header.previousChainLength} N=${header.messageNumber}`
    )
  }
  const init = header.init
  if (init != null) {
    if (init.identityDhKey?.length !== X25519_KEY_LENGTH || init.ephemeralKey?.length !== X25519_KEY_LENGTH) {
      throw new DecryptError(`header X3DH keys must be ${X25519_KEY_LENGTH} bytes`)
    }
    if (!isUint32(init.prekeyId)) {
      throw new DecryptError(`header prekey id must be uint32, got ${init.prekeyId}`)
    }
  }
}

function associatedDataFor(session: Uint8Array, header: RatchetHeader): Uint8Array {
  const headerBytes = encodeHeaderForAead(header)
  const out = new Uint8Array(session.length + headerBytes.length)
  out.set(session, 0)
  out.set(headerBytes, session.length)
  return out
}

/** protons' generated types want ArrayBuffer-backed arrays; ours almost always are. */
function pb(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes)
}

function skippedKeyId(ratchetKey: Uint8Array, n: number): string {
  return `${Buffer.from(ratchetKey.buffer, ratchetKey.byteOffset, ratchetKey.byteLength).toString('hex')}:${n}`
}

/** A mutable working copy of a session's state, turned into a new RatchetSession on success. */
class Draft {
  readonly state: State
  private skippedOwned = false

  constructor(state: State) {
    this.state = { ...state }
  }

  private ownSkipped(): Map<string, SkippedKey> {
    if (!this.skippedOwned) {
      this.state.skipped = new Map(this.state.skipped)
      this.skippedOwned = true
    }
    return this.state.skipped
  }

  takeSkipped(id: string): Uint8Array | undefined {
    const found = this.state.skipped.get(id)
    if (found == null) {
      return undefined
    }
    this.ownSkipped().delete(id)
    return found.messageKey
  }

  /** Stores the receiving chain's keys up to (not including) message number `until`. */
  skipUntil(until: number): void {
    const s = this.state
    if (s.receivingChainKey == null || until <= s.receiveCount) {
      return
    }
    if (until - s.receiveCount > MAX_SKIP) {
      throw new TooManySkippedMessagesError(
        `header skips ${until - s.receiveCount} messages, more than MAX_SKIP=${MAX_SKIP}`
      )
    }
    const skipped = this.ownSkipped()
    const ratchetKey = s.remoteRatchetKey!
    let chainKey = s.receivingChainKey
    while (s.receiveCount < until) {
      const [next, messageKey] = kdfChain(chainKey)
      skipped.set(skippedKeyId(ratchetKey, s.receiveCount), { ratchetKey, n: s.receiveCount, messageKey })
      chainKey = next
      s.receiveCount++
    }
    s.receivingChainKey = chainKey
    // Evict the oldest keys beyond the bound (a Map iterates in insertion order).
    for (const id of skipped.keys()) {
      if (skipped.size <= MAX_SKIPPED_KEYS) {
        break
      }
      skipped.delete(id)
    }
  }

  nextReceivingKey(): Uint8Array {
    const s = this.state
    const [next, messageKey] = kdfChain(s.receivingChainKey!)
    s.receivingChainKey = next
    s.receiveCount++
    return messageKey
  }

  dhRatchet(header: RatchetHeader, random: RandomSource | undefined): void {
    const s = this.state
    if (s.remoteRatchetKey != null) {
      s.retiredRatchetKeys = [...s.retiredRatchetKeys, s.remoteRatchetKey].slice(-MAX_RETIRED_RATCHET_KEYS)
    }
    s.previousSendCount = s.sendCount
    s.sendCount = 0
    s.receiveCount = 0
    s.remoteRatchetKey = header.ratchetKey
    ;[s.rootKey, s.receivingChainKey] = kdfRoot(s.rootKey, dh(s.sending.privateKey, s.remoteRatchetKey))
    s.sending = generateX25519KeyPair(random)
    ;[s.rootKey, s.sendingChainKey] = kdfRoot(s.rootKey, dh(s.sending.privateKey, s.remoteRatchetKey))
  }
}

export type RatchetInitiateInit = X3dhInitiateInit
export type RatchetRespondInit = X3dhRespondInit

/** A Double Ratchet session with one peer. Immutable; see the module comment. */
export class RatchetSession {
  readonly #state: State

  private constructor(state: State) {
    this.#state = state
  }

  /**
   * Starts a session as the initiator (X3DH from the responder's profile, then the first DH ratchet
   * step towards its signed prekey). Messages carry the X3DH fields until a reply is decrypted.
   */
  static initiate(init: RatchetInitiateInit): RatchetSession {
    const x3dh = x3dhInitiate(init)
    const sending = generateX25519KeyPair(init.random)
    const remoteRatchetKey = init.responderPrekey.publicKey
    const [rootKey, sendingChainKey] = kdfRoot(x3dh.sharedSecret, dh(sending.privateKey, remoteRatchetKey))
    return new RatchetSession({
      initiator: true,
      handshakeId: x3dh.init.ephemeralKey,
      associatedData: x3dh.associatedData,
      rootKey,
      sending,
      remoteRatchetKey,
      sendingChainKey,
      sendCount: 0,
      receiveCount: 0,
      previousSendCount: 0,
      pendingInit: x3dh.init,
      skipped: new Map(),
      retiredRatchetKeys: [],
      received: false
    })
  }

  /**
   * Starts a session as the responder from the X3DH fields of a received header. The session can
   * send only after it has decrypted that message (call decrypt next and keep its session).
   */
  static respond(init: RatchetRespondInit): RatchetSession {
    const x3dh = x3dhRespond(init)
    return new RatchetSession({
      initiator: false,
      handshakeId: init.init.ephemeralKey,
      associatedData: x3dh.associatedData,
      rootKey: x3dh.sharedSecret,
      sending: init.prekeyKeyPair,
      sendCount: 0,
      receiveCount: 0,
      previousSendCount: 0,
      skipped: new Map(),
      retiredRatchetKeys: [],
      received: false
    })
  }

  /** The initiator's ephemeral X3DH key: the same on both sides, names this session. */
  get handshakeId(): Uint8Array {
    return this.#state.handshakeId
  }

  /** True if we started this session. */
  get initiator(): boolean {
    return this.#state.initiator
  }

  /** True once a message from the peer has been decrypted in this session. */
  get established(): boolean {
    return this.#state.received
  }

  /** True if this session's headers still carry the X3DH fields (the initiator has no reply yet). */
  get awaitingReply(): boolean {
    return this.#state.pendingInit != null
  }

  /** Number of skipped message keys held (bounded by MAX_SKIPPED_KEYS). */
  get skippedKeyCount(): number {
    return this.#state.skipped.size
  }

  /** Encrypts one message. Does not change this session. */
  encrypt(plaintext: Uint8Array): EncryptResult {
    const s = this.#state
    if (s.sendingChainKey == null) {
      throw new SessionNotReadyError('a responder session cannot send before it has decrypted a message')
    }
    if (s.sendCount >= MAX_UINT32) {
      throw new RangeError('sending chain exhausted')
    }
    const header: RatchetHeader = {
      ratchetKey: s.sending.publicKey,
      previousChainLength: s.previousSendCount,
      messageNumber: s.sendCount
    }
    if (s.pendingInit != null) {
      header.init = s.pendingInit
    }
    const [sendingChainKey, messageKey] = kdfChain(s.sendingChainKey)
    const { key, nonce } = messageKeyMaterial(messageKey)
    const ciphertext = aeadEncrypt(key, nonce, plaintext, associatedDataFor(s.associatedData, header))
    return {
      header,
      ciphertext,
      session: new RatchetSession({ ...s, sendingChainKey, sendCount: s.sendCount + 1 })
    }
  }

  /**
   * Decrypts one message. Does not change this session: the returned session holds the new state.
   * Throws DecryptError (tampered header, ciphertext or associated data; wrong session),
   * ReplayError (already decrypted) or TooManySkippedMessagesError.
   */
  decrypt(header: RatchetHeader, ciphertext: Uint8Array, options: DecryptOptions = {}): DecryptResult {
    checkHeader(header)
    const draft = new Draft(this.#state)
    const s = draft.state
    let messageKey = draft.takeSkipped(skippedKeyId(header.ratchetKey, header.messageNumber))
    try {
      if (messageKey == null) {
        if (
          s.remoteRatchetKey != null &&
          s.receivingChainKey != null &&
          bytesEqual(header.ratchetKey, s.remoteRatchetKey)
        ) {
          if (header.messageNumber < s.receiveCount) {
            throw new ReplayError(`message ${header.messageNumber} of this chain was already decrypted`)
          }
        } else if (s.retiredRatchetKeys.some(key => bytesEqual(key, header.ratchetKey))) {
          throw new ReplayError(`message ${header.messageNumber} of an earlier chain was already decrypted`)
        } else {
          draft.skipUntil(header.previousChainLength)
          draft.dhRatchet(header, options.random)
        }
        draft.skipUntil(header.messageNumber)
        messageKey = draft.nextReceivingKey()
      }
    } catch (err) {
      if (err instanceof InvalidKeyError) {
        throw new DecryptError(`bad ratchet key in header: ${err.message}`)
      }
      throw err
    }
    const { key, nonce } = messageKeyMaterial(messageKey)
    const plaintext = aeadDecrypt(key, nonce, ciphertext, associatedDataFor(s.associatedData, header))
    s.received = true
    s.pendingInit = undefined
    return { plaintext, session: new RatchetSession(s) }
  }

  /** The full session state as bytes (protobuf SessionState, docs/PROTOCOL.md §3.5) for storage. */
  serialize(): Uint8Array {
    const s = this.#state
    return SessionState.encode({
      version: SESSION_STATE_VERSION,
      initiator: s.initiator,
      handshakeId: pb(s.handshakeId),
      associatedData: pb(s.associatedData),
      rootKey: pb(s.rootKey),
      sendingPrivateKey: pb(s.sending.privateKey),
      sendingPublicKey: pb(s.sending.publicKey),
      remoteRatchetKey: pb(s.remoteRatchetKey ?? new Uint8Array(0)),
      sendingChainKey: pb(s.sendingChainKey ?? new Uint8Array(0)),
      receivingChainKey: pb(s.receivingChainKey ?? new Uint8Array(0)),
      sendCount: s.sendCount,
      receiveCount: s.receiveCount,
      previousSendCount: s.previousSendCount,
      pendingInit:
        s.pendingInit == null
          ? undefined
          : {
              identityDhKey: pb(s.pendingInit.identityDhKey),
              ephemeralKey: pb(s.pendingInit.ephemeralKey),
              prekeyId: s.pendingInit.prekeyId
            },
      skipped: [...s.skipped.values()].map(k => ({
        ratchetKey: pb(k.ratchetKey),
        n: k.n,
        messageKey: pb(k.messageKey)
      })),
      retiredRatchetKeys: s.retiredRatchetKeys.map(pb),
      received: s.received
    })
  }

  /** Restores a session from serialize()'s bytes. Throws InvalidSessionStateError. */
  static deserialize(bytes: Uint8Array): RatchetSession {
    let pb: SessionState
    try {
      pb = SessionState.decode(bytes)
    } catch (err) {
      throw new InvalidSessionStateError(`cannot decode session state: ${(err as Error).message}`)
    }
    if (pb.version !== SESSION_STATE_VERSION) {
      throw new InvalidSessionStateError(`unknown session state version ${pb.version}`)
    }
    const key = (name: string, bytes: Uint8Array, length: number): Uint8Array => {
      if (bytes.length !== length) {
        throw new InvalidSessionStateError(`${name} must be ${length} bytes, got ${bytes.length}`)
      }
      return bytes
    }
    const optionalKey = (name: string, bytes: Uint8Array, length: number): Uint8Array | undefined =>
      bytes.length === 0 ? undefined : key(name, bytes, length)
    const skipped = new Map<string, SkippedKey>()
    for (const k of pb.skipped) {
      const ratchetKey = key('skipped ratchet key', k.ratchetKey, X25519_KEY_LENGTH)
      skipped.set(skippedKeyId(ratchetKey, k.n), {
        ratchetKey,
        n: k.n,
        messageKey: key('skipped message key', k.messageKey, SYMMETRIC_KEY_LENGTH)
      })
    }
    const remoteRatchetKey = optionalKey('remote ratchet key', pb.remoteRatchetKey, X25519_KEY_LENGTH)
    const receivingChainKey = optionalKey('receiving chain key', pb.receivingChainKey, SYMMETRIC_KEY_LENGTH)
    if (receivingChainKey != null && remoteRatchetKey == null) {
      throw new InvalidSessionStateError('receiving chain without remote ratchet key')
    }
    const state: State = {
      initiator: pb.initiator,
      handshakeId: key('handshake id', pb.handshakeId, X25519_KEY_LENGTH),
      associatedData: pb.associatedData,
      rootKey: key('root key', pb.rootKey, SYMMETRIC_KEY_LENGTH),
      sending: {
        privateKey: key('sending private key', pb.sendingPrivateKey, X25519_KEY_LENGTH),
        publicKey: key('sending public key', pb.sendingPublicKey, X25519_KEY_LENGTH)
      },
      remoteRatchetKey,
      sendingChainKey: optionalKey('sending chain key', pb.sendingChainKey, SYMMETRIC_KEY_LENGTH),
      receivingChainKey,
      sendCount: pb.sendCount,
      receiveCount: pb.receiveCount,
      previousSendCount: pb.previousSendCount,
      skipped,
      retiredRatchetKeys: pb.retiredRatchetKeys.map(k => key('retired ratchet key', k, X25519_KEY_LENGTH)),
      received: pb.received
    }
    if (pb.pendingInit != null) {
      state.pendingInit = {
        identityDhKey: key('pending init identity key', pb.pendingInit.identityDhKey, X25519_KEY_LENGTH),
        ephemeralKey: key('pending init ephemeral key', pb.pendingInit.ephemeralKey, X25519_KEY_LENGTH),
        prekeyId: pb.pendingInit.prekeyId
      }
    }
    return new RatchetSession(state)
  }
}
