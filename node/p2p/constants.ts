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

/** Delay before dialing bootstrap peers: a moment for our listeners to come up (default 1 s). */
export const BOOTSTRAP_DELAY_MS = 100

/** mDNS query interval: find LAN peers within seconds, without flooding the LAN. */
export const MDNS_INTERVAL_MS = 10_000

/** mDNS service tag, so we find other Parley nodes and not every libp2p node on the LAN. */
export const MDNS_SERVICE_TAG = '_parley-discovery._udp.local'
