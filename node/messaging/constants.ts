/** The direct-message protocol: a stream per peer, kept open a while for the next delivery (docs/PROTOCOL.md §3.8, §3.11). */
export const DM_PROTOCOL = '/parley/dm/1.0.0'

/** Most sends to one peer sealed and stored in one transaction (group commit): bounds how long the first of them waits. */
export const MAX_SENDS_PER_COMMIT = 64

/** Most envelopes a sender writes on one stream: bounds a receiver's work per stream; the rest goes on the next one. */
export const MAX_ENVELOPES_PER_STREAM = 64

/** Inbound dm streams at once per connection: a few deliveries in flight, not a flood. */
export const MAX_INBOUND_STREAMS = 16

/** Dialling a peer and opening the dm stream: a reachable peer on a LAN answers well within this. */
export const DIAL_TIMEOUT_MS = 10_000

/** Each read on a dm stream (next envelope, next ack) must complete within this: a stalled peer cannot hold a stream. */
export const READ_TIMEOUT_MS = 10_000

/**
 * A dm stream kept open after a delivery for the next one to the same peer is closed after sitting
 * idle this long: well within the receiver's READ_TIMEOUT_MS, which would otherwise reset it.
 */
export const IDLE_STREAM_MS = 5_000

/** Whole delivery (dial, write, all acks): a sender never waits forever on one peer. */
export const DELIVERY_TIMEOUT_MS = 30_000

/** First retry delay after a failed delivery; doubles per attempt. */
export const RETRY_MIN_MS = 1_000

/** Longest retry delay: an unreachable peer is still tried every minute (and at once on connect). */
export const RETRY_MAX_MS = 60_000

/** How often presence is refreshed by pinging connected contacts (libp2p closes idle connections). */
export const PRESENCE_INTERVAL_MS = 30_000
/** an incoming dm stream refreshes a contact's last seen only when it is older than this: a commit per stream is not worth it (stored envelopes set it anyway) */
export const LAST_SEEN_WRITE_INTERVAL_MS = 30_000
/** while a contact stays online, presence rewrites its last seen at most this often (it shows online meanwhile) */
export const LAST_SEEN_ONLINE_WRITE_MS = 10 * 60_000

/**
 * Longest interval between two profile look-ups for one unreachable peer's addresses: the first
 * comes at once, the next after a twelfth of this, each interval twice the one before (a peer that
 * just published its relay address is found within seconds), up to this (DHT queries are not free).
 */
export const PROFILE_REFRESH_MS = 60_000

/** How often named contacts are re-resolved to notice a key change behind their name. */
export const KEY_CHECK_INTERVAL_MS = 10 * 60_000

/** Invite secrets: 128 random bits, unguessable. */
export const INVITE_SECRET_LENGTH = 16

/** The invite link scheme and host. */
export const INVITE_LINK_PREFIX = 'parley://invite?'

/** Most addresses an invite link carries (and we accept from one). */
export const MAX_INVITE_ADDRESSES = 8

/** Communities an invite names (issue 11): a person is in one or two; the link stays short. */
export const MAX_INVITE_COMMUNITIES = 4

/**
 * A signed prekey is replaced after this long (docs/PROTOCOL.md §3.2): a prekey's private key
 * opens every first message sealed to it, so it should not live for ever; weekly, as Signal does.
 */
export const PREKEY_ROTATE_MS = 7 * 24 * 3600_000

/**
 * A replaced prekey is kept this long for first messages sealed to it before the change: a sender
 * may hold a profile copy up to 48 h old and keep a sealed first message in its outbox until it is
 * delivered (failed after 7 days by default, then retried by hand). Later, the session restart of
 * §3.12 recovers the conversation.
 */
export const PREKEY_KEEP_MS = 30 * 24 * 3600_000

/** How often the rotation is checked: a daemon that was asleep catches up within this. */
export const PREKEY_CHECK_MS = 3600_000

/** Default time after which an undeliverable outgoing message is failed (the user changes it: settings.failAfterHours). */
export const FAIL_AFTER_HOURS = 7 * 24

/** The longest fail-after time a user can set: a year. */
export const MAX_FAIL_AFTER_HOURS = 365 * 24

/**
 * Requests from strangers (docs/SECURITY.md, "Requests from strangers"): at most this many peers
 * wait in the requests list; a new stranger beyond it is refused until the user accepts, declines
 * or blocks some, so a flood of fresh identities cannot bury the list.
 */
export const MAX_PENDING_REQUESTS = 50

/** New strangers let in at once before the rate applies (a conference, a shared invite). */
export const REQUEST_BURST = 10

/** After the burst, one new stranger per this long, in total: fresh identities cost nothing to make. */
export const REQUEST_REFILL_MS = 60_000

/** Messages kept from one stranger until the user accepts it: enough for a real first conversation, a bound on what a flood stores (50 × 32 KiB per stranger, MAX_PENDING_REQUESTS strangers). */
export const MAX_MESSAGES_PER_REQUEST = 50

/**
 * Shortest time between two session restarts with one peer (§3.12): an honest restart is one per
 * lost state; a peer asking again and again costs us a profile lookup and a re-seal each time.
 */
export const SESSION_RESTART_MIN_INTERVAL_MS = 60_000

/**
 * The store option of the message path's two commits (the outbox turn, the inbox batch): committed
 * without the fsync, which store.sync() then runs off the thread; nothing acts on them before it.
 */
export const UNSYNCED = { durable: false } as const

/**
 * A delivery that has not reached the recipient directly or through a relay after this long also
 * deposits the envelopes in the recipient's mailboxes (docs/PROTOCOL.md §7.6): a reachable peer
 * acks within a second; an offline one would otherwise wait for the dial timeout.
 */
export const MAILBOX_AFTER_MS = 3_000
