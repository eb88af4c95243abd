/** Our own DHT: the public IPFS DHT (/ipfs/kad/1.0.0) refuses custom record namespaces. */
export const DHT_PROTOCOL = '/parley/kad/1.0.0'

/** kad-dht's datastore namespace (its default), where the record guard looks for records. */
export const DHT_DATASTORE_PREFIX = '/dht'

/**
 * Connections per host per second before libp2p refuses more (default 5). On loopback and behind a
 * NAT every peer shares one host address, so the default refuses a LAN's worth of peers at start.
 */
export const INBOUND_CONNECTION_THRESHOLD = 200

/** Inbound connections still upgrading (default 10): a dozen local peers start at once. */
export const MAX_INCOMING_PENDING_CONNECTIONS = 100

/** Total connections (libp2p default 300 on Node, kept): a chat node needs its contacts + a DHT's k. */
export const MAX_CONNECTIONS = 300

/**
 * How often libp2p's connection monitor pings each open connection (libp2p default 10 s). Every
 * ping opens a stream on both ends and writes the peer-store record of both peers; a node keeps
 * a connection to most of its routing table, so at 10 s a 100-peer node opened 20 streams and made
 * 20 datastore writes a second doing nothing. Dead TCP connections are still noticed within a
 * minute, and the messenger pings contacts every 30 s itself (presence).
 */
export const CONNECTION_PING_INTERVAL_MS = 60_000

/** Delay before dialing bootstrap peers: a moment for our listeners to come up (default 1 s). */
export const BOOTSTRAP_DELAY_MS = 100

/** mDNS query interval: find LAN peers within seconds, without flooding the LAN. */
export const MDNS_INTERVAL_MS = 10_000

/** mDNS service tag, so we find other Parley nodes and not every libp2p node on the LAN. */
export const MDNS_SERVICE_TAG = '_parley-discovery._udp.local'

/** Known peers dialed at start, so a restarted node rejoins the DHT without a bootstrap list. */
export const RECONNECT_KNOWN_PEERS = 20

/**
 * Peer-store writes are buffered this long and then written in one transaction (SqliteDatastore):
 * libp2p rewrites a peer's record on every stream, and none of it needs durability.
 */
export const PEER_STORE_FLUSH_MS = 1000

/**
 * How long a community relay waits for the hop handshake (the library default, 30 s): a member
 * behind a slow NAT still answers a STOP in time.
 */
export const RELAY_HOP_TIMEOUT_MS = 30_000

/**
 * Reservations a community relay holds at once (circuit-relay-v2's default is 15, for a public
 * relay serving strangers): only members may reserve, so a team of hundreds fits.
 */
export const RELAY_MAX_RESERVATIONS = 1024

/** A relayed peer is first tried directly this long after its connection opens: identify has brought its addresses by then. */
export const DIRECT_PATH_FIRST_TRY_MS = 2_000
/** Peers still only relayed are tried directly again this often (mDNS may have found a shared LAN meanwhile). */
export const DIRECT_PATH_SWEEP_MS = 10_000
/** A peer without a direct path is tried at most this rarely after repeated failures: unreachable dials cost little, but not nothing. */
export const DIRECT_PATH_MAX_PAUSE_MS = 10 * 60_000
/** One direct attempt: a LAN or public address answers well within this, a filtered one never does. */
export const DIRECT_PATH_DIAL_TIMEOUT_MS = 5_000
