/** DHT key namespace of profile records: `/parley-profile/<peer id multihash bytes>`. */
export const PROFILE_NAMESPACE = 'parley-profile'
/** DHT key namespace of name claims: `/parley-name/<utf8 normalized name>`. */
export const NAME_NAMESPACE = 'parley-name'

/** Shortest and longest name (after normalization): short enough to type, long enough to be unique. */
export const NAME_MIN_LENGTH = 3
export const NAME_MAX_LENGTH = 32

/**
 * Largest record value we parse. A profile with MAX_ADDRESSES addresses is ~1.2 KiB; anything
 * bigger is refused before protobuf decoding, so hostile peers cannot make us parse megabytes.
 */
export const MAX_RECORD_BYTES = 4096

/** Most addresses in a profile: a node has a few interfaces × transports; bounds the record size. */
export const MAX_ADDRESSES = 16
/** A binary multiaddr longer than this is not one we can dial. */
export const MAX_ADDRESS_BYTES = 256

/**
 * Records expire at most 35 days after they are signed (docs/PROTOCOL.md §2.6): room for
 * RECORD_LIFETIME_MS plus a few days of clock and renewal slack, and still a bound, so a name whose
 * owner stopped renewing it becomes free within five weeks (issue 11; it was 48 h before).
 */
export const MAX_RECORD_LIFETIME_MS = 35 * 24 * 60 * 60 * 1000

/** Clocks of honest peers disagree by minutes; an expiry this much beyond the bound is still accepted. */
export const CLOCK_SKEW_MS = 10 * 60 * 1000

/**
 * Lifetime we give our own records: 32 days, so a name survives its owner being offline for 30
 * days (issue 11) even when the last renewal was up to a republish interval before it went away;
 * while it is away, its community republishes the unchanged signed record (kad-dht forgets a
 * record 48 h after it last received it).
 */
export const RECORD_LIFETIME_MS = 32 * 24 * 60 * 60 * 1000

/** Republish our records this often: 4 chances before they expire, and kad-dht never republishes. */
export const REPUBLISH_INTERVAL_MS = 6 * 60 * 60 * 1000

/** Wait this long after an address change before republishing the profile (addresses come in bursts). */
export const ADDRESS_CHANGE_DEBOUNCE_MS = 2000

/** A fetched profile is reused this long by the messenger before asking the DHT again. */
export const PROFILE_CACHE_MS = 60 * 1000

/** One DHT query (get or put) may take this long on a LAN before we give up. */
export const DHT_QUERY_TIMEOUT_MS = 30 * 1000

/** Safety numbers: 60 decimal digits, as Signal's (30 per side), printed in groups of 5. */
export const SAFETY_NUMBER_DIGITS = 60
/** Iterations of SHA-512 per side: makes a search for a colliding key expensive (Signal uses 5200). */
export const SAFETY_NUMBER_ITERATIONS = 5200

/**
 * Peers a publish must reach to count as done: half of k (20). In a smaller network, half of the
 * routing table. Fewer, and it is retried after RETRY_PUBLISH_MS instead of in 6 h: a record on one
 * or two peers is lost with them.
 */
export const REPLICAS_WANTED = 10

/**
 * A publish that counted as done with fewer than REPLICAS_WANTED copies (half of a small routing
 * table) is made again once the routing table has grown to this many times its size at that publish:
 * a node that published from a tiny table reached peers that are likely not the closest to its keys.
 */
export const SHORT_PUBLISH_GROWTH = 2

/** After a failed publish (fewer peers than wanted stored our records), try again this soon. */
export const RETRY_PUBLISH_MS = 10_000

/** After the first peers connect, publish this soon (identify must first put them in the routing table). */
export const CONNECT_PUBLISH_DELAY_MS = 1000

/** Profiles kept in memory (oldest dropped first): one per contact is plenty. */
export const MAX_CACHED_PROFILES = 1000

/**
 * Fast path of a resolve: this many distinct peers returning valid live claims of one owner, with
 * no claim of another owner seen, answer it without waiting for the rest of the kad-dht query
 * (which keeps running in the background to confirm and repair). A quarter of k = 20: the first
 * responders of a converging query are the peers closest to the key the resolver knows, and an
 * attacker must hold every one of them (docs/PROTOCOL.md §2.5).
 */
export const NAME_QUORUM = 5

/**
 * Fast path of a resolve with a TOFU pin: the first valid live claim of the pinned key, with no
 * claim of another owner seen, answers it (the query runs on in the background to confirm). Only
 * the pinned key can sign such a claim, and while it is live no honest peer stores another key's
 * claim for the name, so the answer is the one the pin would keep anyway (docs/PROTOCOL.md §2.5).
 */
export const PINNED_NAME_QUORUM = 1

/**
 * A resolved name is reused this long (never past its claim's expiry) before the DHT is asked
 * again; a full query that overturns it, a failed resolve, or a newer claim we store ourselves
 * drops it first (docs/PROTOCOL.md §2.5).
 */
export const NAME_CACHE_MS = 60 * 1000

/** Resolved names kept in memory (oldest dropped first). */
export const MAX_CACHED_NAMES = 1000

/**
 * A profile fetch answers with the first valid copy (self-certifying records: any one is genuine) and
 * goes on in the background until this many, keeping the newest (ProfileLookup).
 */
export const PROFILE_QUORUM = 3

/** Names whose full query disagreed with a fast answer, remembered this many (oldest dropped first). */
export const MAX_DISPUTED_NAMES = 1000
