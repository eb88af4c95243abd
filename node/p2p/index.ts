import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { autoNATv2 } from '@libp2p/autonat-v2'
import { bootstrap } from '@libp2p/bootstrap'
import { type CircuitRelayService, circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { dcutr } from '@libp2p/dcutr'
import { type Identify, identify } from '@libp2p/identify'
import type { ConnectionGater, Ed25519PrivateKey, Libp2p, PeerDiscovery, PeerId } from '@libp2p/interface'
import { type KadDHT, kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { logger } from '@libp2p/logger'
import { mdns } from '@libp2p/mdns'
import { type Ping, ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { uPnPNAT } from '@libp2p/upnp-nat'
import type { Datastore } from 'interface-datastore'
import { createLibp2p } from 'libp2p'
import type { ValidationOptions } from '../names/records.ts'
import { recordSelectors, recordValidators } from '../names/validators.ts'
import {
  BOOTSTRAP_DELAY_MS,
  CONNECTION_PING_INTERVAL_MS,
  DHT_DATASTORE_PREFIX,
  DHT_PROTOCOL,
  INBOUND_CONNECTION_THRESHOLD,
  MAX_CONNECTIONS,
  MAX_INCOMING_PENDING_CONNECTIONS,
  MDNS_INTERVAL_MS,
  MDNS_SERVICE_TAG,
  RELAY_HOP_TIMEOUT_MS,
  RELAY_MAX_RESERVATIONS
} from './constants.ts'
import { RecordGuardDatastore } from './record-guard.ts'
import { directPath } from './direct-path.ts'
import { type RelayControl, relayControl } from './relay-control.ts'

export { SqliteDatastore } from './sqlite-datastore.ts'
export { RecordGuardDatastore } from './record-guard.ts'
export type { RelayControl } from './relay-control.ts'

const log = logger('parley:p2p')

export type ParleyServices = {
  dht: KadDHT
  identify: Identify
  ping: Ping
  relayControl: RelayControl
  /** only on a community node (ParleyLibp2pInit.relay) */
  relay?: CircuitRelayService
}

/** A relayed connection's limits for one destination: undefined fields are unlimited. */
export interface RelayLimit {
  durationMs?: number
  dataBytes?: number
}

/** The relay server of a community node: who may reserve, and each one's limits. */
export interface RelayServerInit {
  /** only these peers get a reservation; everyone else is refused */
  mayReserve(peerId: PeerId): boolean
  /** the limits of relayed connections to this reserved peer; undefined = none */
  limitFor?(peerId: PeerId): RelayLimit | undefined
  /** @default RELAY_MAX_RESERVATIONS */
  maxReservations?: number
  /** @default 2 h (circuit-relay-v2's) */
  reservationTtlMs?: number
}
export type ParleyLibp2p = Libp2p<ParleyServices>

export interface ParleyLibp2pInit {
  privateKey: Ed25519PrivateKey
  /** multiaddrs to listen on */
  listen: string[]
  /** full multiaddrs (with /p2p/) dialed at start */
  bootstrap?: string[]
  /** LAN discovery; @default true */
  mdns?: boolean
  /** persistent store for the peer store and DHT records (wrapped by the record guard); @default in memory */
  datastore?: Datastore
  /** the clock of record validation (tests move it forward); @default Date.now */
  now?: () => number
  /** start listening right away; @default true */
  start?: boolean
  /** addresses to advertise instead of the listening ones (a public host's); @default none */
  announce?: string[]
  /** run a circuit relay server (community nodes); @default none */
  relay?: RelayServerInit
  /** map a port on the home router with UPnP; @default false (off in tests) */
  upnp?: boolean
  /** kad-dht's query shape (requests in flight per path, disjoint paths); @default kad-dht's (10, 10) */
  dhtQuery?: { alpha?: number; disjointPaths?: number }
}

/**
 * The Parley libp2p node: TCP and circuit relay v2 + Noise + Yamux, identify, ping, kad-dht on
 * /parley/kad/1.0.0 in server mode with Parley's validators and selectors, bootstrap and mDNS,
 * AutoNAT v2 and DCUtR; a community node adds the relay server (reservations for members only),
 * UPnP is an option. Configured for loopback
 * and LANs, where kad-dht's defaults fail: clientMode false (the default "auto" waits for a public
 * address that never comes), a peerInfoMapper that keeps private addresses (the default drops them,
 * leaving peers undialable) and connection-manager limits that let many peers on one host in.
 */
export async function createParleyLibp2p(init: ParleyLibp2pInit): Promise<ParleyLibp2p> {
  const validation: ValidationOptions = { now: init.now }
  // biome-ignore lint/suspicious/noExplicitAny: each discovery module declares its own components subset
  const peerDiscovery: Array<(components: any) => PeerDiscovery> = []
  const bootstrapList = init.bootstrap ?? []
  if (bootstrapList.length > 0) {
    peerDiscovery.push(bootstrap({ list: bootstrapList, timeout: BOOTSTRAP_DELAY_MS }))
  }
  if (init.mdns !== false) {
    peerDiscovery.push(mdns({ interval: MDNS_INTERVAL_MS, serviceTag: MDNS_SERVICE_TAG }))
  }
  const datastore =
    init.datastore === undefined
      ? undefined
      : new RecordGuardDatastore(init.datastore, { ...validation, datastorePrefix: DHT_DATASTORE_PREFIX })

  const relay = init.relay
  // the relay service exists only once the node does: the gater looks it up when asked
  let relayService: CircuitRelayService | undefined
  const connectionGater: ConnectionGater = {}
  if (relay !== undefined) {
    connectionGater.denyInboundRelayReservation = async peerId => !relay.mayReserve(peerId)
    // called for every relayed connection to `target` before its limits are sent: the reservation's
    // limit is what circuit-relay-v2 applies, so set the target's own there (the library has
    // one default for every reservation and no hook per peer)
    connectionGater.denyOutboundRelayedConnection = async (_source, target) => {
      const reservation = relayService?.reservations.get(target)
      if (reservation !== undefined && relay.limitFor !== undefined) {
        const limit = relay.limitFor(target)
        reservation.limit =
          limit === undefined
            ? undefined
            : {
                duration: limit.durationMs === undefined ? undefined : Math.ceil(limit.durationMs / 1000),
                data: limit.dataBytes === undefined ? undefined : BigInt(limit.dataBytes)
              }
      }
      return false
    }
  }

  const node = await createLibp2p({
    privateKey: init.privateKey,
    start: init.start,
    datastore,
    connectionGater,
    addresses: { listen: init.listen, announce: init.announce ?? [] },
    transports: [tcp(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery,
    connectionManager: {
      maxConnections: MAX_CONNECTIONS,
      inboundConnectionThreshold: INBOUND_CONNECTION_THRESHOLD,
      maxIncomingPendingConnections: MAX_INCOMING_PENDING_CONNECTIONS
    },
    connectionMonitor: { pingInterval: CONNECTION_PING_INTERVAL_MS },
    services: {
      identify: identify(),
      ping: ping(),
      relayControl: relayControl(),
      directPath: directPath(),
      autoNAT: autoNATv2(),
      dcutr: dcutr(),
      ...(init.upnp === true ? { upnp: uPnPNAT() } : {}),
      ...(relay !== undefined
        ? {
            relay: circuitRelayServer({
              hopTimeout: RELAY_HOP_TIMEOUT_MS,
              reservations: {
                maxReservations: relay.maxReservations ?? RELAY_MAX_RESERVATIONS,
                reservationTtl: relay.reservationTtlMs,
                // members' relayed connections carry DMs and DHT queries for as long as they last:
                // the library's 2 min / 128 KiB would cut every chat (limits per member instead)
                applyDefaultLimit: false
              }
            })
          }
        : {}),
      dht: kadDHT({
        protocol: DHT_PROTOCOL,
        datastorePrefix: DHT_DATASTORE_PREFIX,
        clientMode: false,
        peerInfoMapper: passthroughMapper,
        validators: recordValidators(validation),
        selectors: recordSelectors(),
        ...init.dhtQuery
      })
    }
  })

  relayService = (node.services as ParleyServices).relay
  // mDNS only adds peers to the peer store; dial them so they join our routing table
  node.addEventListener('peer:discovery', evt => {
    const peer = evt.detail
    if (peer.id.equals(node.peerId) || node.getConnections(peer.id).length > 0) return
    if (node.getConnections().length >= MAX_CONNECTIONS / 2) return
    node.dial(peer.id).catch(err => log('could not dial discovered peer %p: %s', peer.id, err.message))
  })
  return node
}
