/** X25519 public and private keys are 32 raw bytes (RFC 7748). */
export const X25519_KEY_LENGTH = 32

/** Root, chain and message keys are 32 bytes: the HMAC-SHA256 output size and the AES-256 key size. */
export const SYMMETRIC_KEY_LENGTH = 32

/** AES-256-GCM nonce: 96 bits, the size GCM is specified for (NIST SP 800-38D). */
export const AEAD_NONCE_LENGTH = 12

/** AES-256-GCM tag: the full 128 bits; truncated tags weaken forgery resistance. */
export const AEAD_TAG_LENGTH = 16

/**
 * Most message keys one incoming message may make us derive in a single chain (Signal's MAX_SKIP).
 * An authenticated but buggy or hostile peer can otherwise make us run unbounded HMACs and store
 * unbounded keys with one forged message number; 1000 covers any realistic loss burst, because the
 * outbox delivers in order and retries until acked.
 */
export const MAX_SKIP = 1000

/**
 * Most skipped message keys a session keeps (oldest evicted first). Bounds the serialized session
 * (about 70 bytes per key, so at most ~70 KiB) that is rewritten in SQLite with every message.
 */
export const MAX_SKIPPED_KEYS = 1000

/**
 * How many earlier remote ratchet keys a session remembers, so that a replayed message from an old
 * chain is reported as a replay instead of starting a (failing) DH ratchet step. 32 bytes each.
 */
export const MAX_RETIRED_RATCHET_KEYS = 64

/** Version of the serialized session state; bumped on any incompatible change. */
export const SESSION_STATE_VERSION = 1

/** HKDF info strings (docs/PROTOCOL.md §3). Changing one changes every derived key. */
export const KDF_INFO = {
  X3dh: 'parley/x3dh/1',
  Root: 'parley/ratchet/root/1',
  Message: 'parley/ratchet/message/1'
} as const

/** Single-byte HMAC inputs of the symmetric-key ratchet (as in Signal's Double Ratchet spec). */
export const CHAIN_MESSAGE_KEY_INPUT = 0x01
export const CHAIN_NEXT_KEY_INPUT = 0x02
