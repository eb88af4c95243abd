/** Sizes, limits and KDF labels of group conversations (docs/PROTOCOL.md §8). */

/** Group ids: the first 16 bytes of SHA-256 of the create event's body. */
export const GROUP_ID_LENGTH = 16

/** Group message ids are 128 random bits, as direct-message ids. */
export const GROUP_MESSAGE_ID_LENGTH = 16

/** Chain keys and message keys are HMAC-SHA256 outputs. */
export const CHAIN_KEY_LENGTH = 32

/** A chain's Ed25519 signing key (public half), which is also the chain's id. */
export const SIGNING_KEY_LENGTH = 32

/** Event and message hashes are SHA-256. */
export const GROUP_HASH_LENGTH = 32

/** Members of one group: bounds the fan-out of a send (one pairwise envelope per member) and the create event. */
export const MAX_GROUP_MEMBERS = 256

/** A title is a label, not a document. */
export const MAX_TITLE_BYTES = 128

/** Events of one group's log; a log past it refuses new events (replay is quadratic in the worst case). */
export const MAX_GROUP_EVENTS = 2048

/** Parents of one event: the heads its author knew; more than a handful means a log nobody merged. */
export const MAX_EVENT_PARENTS = 64

/** How far ahead of the chain a message's iteration may be (keys skipped and kept for later). */
export const MAX_CHAIN_SKIP = 1000

/** Skipped message keys kept per chain (the oldest go first). */
export const MAX_SKIPPED_GROUP_KEYS = 1000

/** Frames kept for later (group or chain not known yet), in total; the oldest go first. */
export const MAX_PENDING_FRAMES = 1000

/** Message key → AES-256-GCM key and nonce (HKDF-SHA256, zero salt). */
export const GROUP_MESSAGE_KDF_INFO = 'parley/group-message-key/1'

/** Chain step inputs, as in the Double Ratchet's symmetric chain (Signal's sender keys). */
export const GROUP_MESSAGE_KEY_INPUT = 0x01
export const GROUP_CHAIN_KEY_INPUT = 0x02
