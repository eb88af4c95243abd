/**
 * Sender-key chains (docs/PROTOCOL.md §8.2), as Signal's sender keys: a chain key steps forward by
 * HMAC-SHA256 (message key = HMAC(ck, 0x01), next ck = HMAC(ck, 0x02)), so a key once used and
 * dropped cannot be computed again from what is kept (forward secrecy), and a member given the
 * chain at iteration n cannot compute the keys of iterations before n (a new member cannot read the
 * past). Each chain has its own Ed25519 signing key; its public half names the chain.
 */
import { AEAD_NONCE_LENGTH, SYMMETRIC_KEY_LENGTH } from '../crypto/constants.ts'
import { hkdf, hmac, randomBytes } from '../crypto/primitives.ts'
import {
  CHAIN_KEY_LENGTH,
  GROUP_CHAIN_KEY_INPUT,
  GROUP_MESSAGE_KDF_INFO,
  GROUP_MESSAGE_KEY_INPUT,
  MAX_CHAIN_SKIP,
  MAX_SKIPPED_GROUP_KEYS
} from './constants.ts'
import { generateSigningKeyPair } from './ed25519.ts'
import { GroupReplayError, MalformedGroupFrameError } from './errors.ts'

export interface SenderChain {
  /** the chain's Ed25519 public key: its id */
  signingKey: Uint8Array
  /** our own chains only: the seed that signs */
  signingPrivate?: Uint8Array
  /** the index of the message key chainKey derives next */
  iteration: number
  chainKey: Uint8Array
  /** message keys of iterations skipped over, by iteration (a late message still opens) */
  skipped: Map<number, Uint8Array>
}

const ZERO_SALT = new Uint8Array(32)

/** A fresh chain of our own, at iteration 0. */
export function newSenderChain(): SenderChain {
  const pair = generateSigningKeyPair()
  return {
    signingKey: pair.publicKey,
    signingPrivate: pair.privateKey,
    iteration: 0,
    chainKey: randomBytes(CHAIN_KEY_LENGTH),
    skipped: new Map()
  }
}

function step(chainKey: Uint8Array): { messageKey: Uint8Array; next: Uint8Array } {
  return {
    messageKey: hmac(chainKey, Uint8Array.of(GROUP_MESSAGE_KEY_INPUT)),
    next: hmac(chainKey, Uint8Array.of(GROUP_CHAIN_KEY_INPUT))
  }
}

/** The next message key of our own chain, and the chain after it. */
export function nextMessageKey(chain: SenderChain): { messageKey: Uint8Array; iteration: number; chain: SenderChain } {
  const { messageKey, next } = step(chain.chainKey)
  return { messageKey, iteration: chain.iteration, chain: { ...chain, chainKey: next, iteration: chain.iteration + 1 } }
}

/**
 * The message key of `iteration` in a received chain, and the chain after it (the key is gone from
 * it). Throws GroupReplayError for an iteration already used (or skipped and dropped), and
 * MalformedGroupFrameError for one more than MAX_CHAIN_SKIP ahead.
 */
export function messageKeyAt(chain: SenderChain, iteration: number): { messageKey: Uint8Array; chain: SenderChain } {
  if (iteration < chain.iteration) {
    const key = chain.skipped.get(iteration)
    if (key === undefined) throw new GroupReplayError(`message key ${iteration} of this chain was already used`)
    const skipped = new Map(chain.skipped)
    skipped.delete(iteration)
    return { messageKey: key, chain: { ...chain, skipped } }
  }
  if (iteration - chain.iteration > MAX_CHAIN_SKIP) {
    throw new MalformedGroupFrameError(
      `iteration ${iteration} is more than ${MAX_CHAIN_SKIP} ahead of the chain (${chain.iteration})`
    )
  }
  const skipped = new Map(chain.skipped)
  let chainKey = chain.chainKey
  for (let i = chain.iteration; i < iteration; i++) {
    const s = step(chainKey)
    skipped.set(i, s.messageKey)
    chainKey = s.next
  }
  while (skipped.size > MAX_SKIPPED_GROUP_KEYS) skipped.delete(skipped.keys().next().value as number)
  const { messageKey, next } = step(chainKey)
  return { messageKey, chain: { ...chain, chainKey: next, iteration: iteration + 1, skipped } }
}

/** A message key → the AES-256-GCM key and nonce it encrypts one message with. */
export function messageKeyMaterial(messageKey: Uint8Array): { key: Uint8Array; nonce: Uint8Array } {
  const okm = hkdf(messageKey, ZERO_SALT, GROUP_MESSAGE_KDF_INFO, SYMMETRIC_KEY_LENGTH + AEAD_NONCE_LENGTH)
  return { key: okm.subarray(0, SYMMETRIC_KEY_LENGTH), nonce: okm.subarray(SYMMETRIC_KEY_LENGTH) }
}
