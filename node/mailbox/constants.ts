/** The mailbox protocol (docs/PROTOCOL.md §7): ids, sizes, the node's defaults, timeouts. */

/** Its own id, registered only on community nodes: any other node refuses it at negotiation. */
export const MAILBOX_PROTOCOL = '/parley/mailbox/1.0.0'

/** Largest message on a mailbox stream: a 64 KiB blob and its fields (pb/mailbox.proto). */
export const MAX_MAILBOX_MESSAGE_BYTES = 73_728

/** Largest sealed blob: the biggest padding bucket (§7.3). */
export const MAX_BLOB_BYTES = 65_536

/** A queue id: 128 random bits, picked by the node, unguessable. */
export const QUEUE_ID_BYTES = 16

/** A deposit credential: 256 random bits, picked by the queue's owner. */
export const CREDENTIAL_BYTES = 32

/** A deposit id: the first 16 bytes of sha256(queue_id || blob). */
export const DEPOSIT_ID_BYTES = 16

/** Most deposit ids one DELETE carries: 1024 × 16 bytes, far below the message limit. */
export const MAX_DELETE_IDS = 1024

/** The domain of the proof of work (§7.4), so a hash made for something else never counts. */
export const POW_DOMAIN = 'parley/mailbox-pow/1'

/** Deposits are kept 30 days (Signal 14 days, SimpleX 21: a month covers a long holiday). */
export const DEFAULT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000

/** One queue holds at most 1,000 deposits / 16 MiB: one contact's backlog, not a member's disk. */
export const DEFAULT_QUEUE_MAX_DEPOSITS = 1_000
export const DEFAULT_QUEUE_MAX_BYTES = 16 * 1024 * 1024

/** All of a member's queues hold at most 10,000 deposits / 256 MiB: a community node hosts many members. */
export const DEFAULT_MEMBER_MAX_DEPOSITS = 10_000
export const DEFAULT_MEMBER_MAX_BYTES = 256 * 1024 * 1024

/** A member holds at most 1,000 queues: one per contact per community, with room to spare. */
export const DEFAULT_MEMBER_MAX_QUEUES = 1_000

/** Leading zero bits a public-queue deposit must show: 18 bits is about 0.3 s of one core per first message. */
export const DEFAULT_POW_DIFFICULTY = 18

/** Deposits per second and burst per remote IP address: a member's sends get through, a flood does not. */
export const DEFAULT_DEPOSIT_RATE_PER_SECOND = 50
export const DEFAULT_DEPOSIT_BURST = 200

/**
 * A member's own requests (QUEUE_CREATE, SUBSCRIBE, DELETE, QUEUE_DELETE) per second and burst,
 * per member peer id: a member's start (a queue per contact) and its deletes get through, a
 * member's loop does not take the node.
 */
export const DEFAULT_MEMBER_REQUEST_RATE_PER_SECOND = 20
export const DEFAULT_MEMBER_REQUEST_BURST = 200

/** Remote addresses whose rate buckets are kept at once: a flood of addresses cannot grow memory. */
export const MAX_RATE_BUCKETS = 10_000

/** Each message on a mailbox stream must arrive (or be taken by the other side) within 10 s: slow streams are cut. */
export const MESSAGE_TIMEOUT_MS = 10_000

/** A client call (dial, request, answer) gives up after this long. */
export const CALL_TIMEOUT_MS = 20_000

/** Mailbox streams a node serves at once, over all connections: each may buffer a 72 KiB message. */
export const MAX_ACTIVE_STREAMS = 256

/** Mailbox streams one connection may open at once (a depositor's batch; a member's subscription and deletes). */
export const MAX_STREAMS_PER_CONNECTION = 32

/** Deposits one subscription reads from the store at a time: a member with a full mailbox costs one page of memory. */
export const SUBSCRIBE_PAGE = 32

/** Expired deposits and the queues of removed members are swept this often. */
export const SWEEP_INTERVAL_MS = 60 * 60 * 1000

/** A depositor opens at most this many streams at once over its throwaway connection. */
export const DEPOSIT_CONCURRENCY = 8

/** Most proof of work a depositor does for one blob (about 2^24 hashes, seconds of one core): a node asking more is refused. */
export const MAX_CLIENT_POW_DIFFICULTY = 24
