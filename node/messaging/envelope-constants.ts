/** Largest Frame (the protobuf bytes after the varint length prefix): bounds memory per read and a peer's cost. */
export const MAX_FRAME_SIZE = 64 * 1024

/**
 * Largest encoded plaintext Payload: leaves 1 KiB of the frame for the envelope around it (ids, peer ids,
 * ratchet header with X3DH fields, tag, signature: about 450 bytes), so a payload under it always fits.
 */
export const MAX_PAYLOAD_SIZE = MAX_FRAME_SIZE - 1024

/** Message ids are 128 random bits: collision-free without coordination. */
export const MESSAGE_ID_LENGTH = 16

/** Envelope hashes (prev_hash) are SHA-256. */
export const ENVELOPE_HASH_LENGTH = 32

/** Ed25519 signatures are 64 bytes. */
export const SIGNATURE_LENGTH = 64

/** Most ids in one ack; 1024 × 18 bytes stays far below MAX_FRAME_SIZE. */
export const MAX_ACK_IDS = 1024

/** Most ids in one read receipt (same bound as acks). */
export const MAX_READ_RECEIPT_IDS = 1024

/** Invite secrets are short random tokens; anything longer is not one of ours. */
export const MAX_INVITE_SECRET_LENGTH = 64

/** A display name hint, not an identity: 128 UTF-8 bytes is plenty. */
export const MAX_SENDER_NAME_LENGTH = 128

/** Most queue addresses in one MailboxQueues payload (docs/PROTOCOL.md §7.5): a member joins at most 3 communities. */
export const MAX_MAILBOX_QUEUES = 3

/** Most multiaddrs of one community node in a queue address. */
export const MAX_QUEUE_ADDRESSES = 8

/** Queue ids are 16 bytes, chosen by the community node. */
export const QUEUE_ID_LENGTH = 16

/** Deposit credentials are 32 random bytes, chosen by the queue's owner. */
export const QUEUE_CREDENTIAL_LENGTH = 32
