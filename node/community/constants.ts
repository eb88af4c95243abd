/** The join protocol (docs/PROTOCOL.md §6): its own id, so a node that is no community refuses it at negotiation. */
export const JOIN_PROTOCOL = '/parley/community/join/1.0.0'

/** Link prefix of community invites; contact invites are `parley://invite?` (a different host part). */
export const COMMUNITY_LINK_PREFIX = 'parley://community?'

/** Bytes of a join secret: 256 bits, unguessable for the life of an invite. */
export const JOIN_SECRET_BYTES = 32

/** Bytes of a join challenge's nonce: fresh per stream, so a proof is never replayed. */
export const JOIN_NONCE_BYTES = 32

/** Largest join message: a secret, a signature and a 32-byte name fit many times over. */
export const MAX_JOIN_MESSAGE_BYTES = 4096

/** Longest name a member may give at join (the name rules' maximum, NAME_MAX_LENGTH). */
export const MAX_MEMBER_NAME_LENGTH = 32

/** The join exchange (dial, challenge, proof, answer) must finish this soon. */
export const JOIN_TIMEOUT_MS = 15_000

/** An invite is good for one join unless said otherwise: a link forwarded by mistake admits no one else. */
export const DEFAULT_INVITE_USES = 1

/** An invite expires after 7 days unless said otherwise: long enough for a teammate to get to it. */
export const DEFAULT_INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000

/** Most uses and longest life of one invite: a link for a whole team, for a quarter. */
export const MAX_INVITE_USES = 10_000
export const MAX_INVITE_TTL_MS = 90 * 24 * 60 * 60 * 1000

/** Most addresses a community link carries: a public host has a few (IPv4, IPv6, DNS). */
export const MAX_LINK_ADDRESSES = 8

/** Longest community link we parse. */
export const MAX_LINK_LENGTH = 2048

/**
 * How often a member checks that each joined community is connected and holds its reservation.
 * js-libp2p never makes a configured reservation again after the relay connection drops (#3601),
 * so the member does it itself; at 5 s plus a dial, a restarted community has it back well within 30 s.
 */
export const RESERVATION_CHECK_MS = 5_000

/** How often the community node republishes its members' records (its own are on the registry's 6 h schedule). */
export const MEMBER_REPUBLISH_INTERVAL_MS = 6 * 60 * 60 * 1000

/** First member republish after start: the DHT must have peers first. */
export const MEMBER_REPUBLISH_START_DELAY_MS = 30_000

/** Dialing a community gives up after this long (then the next check tries again). */
export const DIAL_TIMEOUT_MS = 10_000

/** A refused reservation is asked again after 10 s, 20 s, … up to this: a removed member stops asking. */
export const MAX_REFUSED_BACKOFF_MS = 10 * 60 * 1000
