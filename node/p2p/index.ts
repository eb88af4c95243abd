import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { bootstrap } from '@libp2p/bootstrap'
import { type Identify, identify } from '@libp2p/identify'
import type { Ed25519PrivateKey, Libp2p, PeerDiscovery } from '@libp2p/interface'
import { type KadDHT, kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { logger } from '@libp2p/logger'
import { mdns } from '@libp2p/mdns'
import { type Ping, ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
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
  MDNS_SERVICE_TAG
} from './constants.ts'
import { RecordGuardDatastore } from './record-guard.ts'

export { SqliteDatastore } from './sqlite-datastore.ts'
export { RecordGuardDatastore } from './record-guard.ts'

const log = logger('parley:p2p')

export type ParleyServices = { dht: KadDHT; identify: Identify; ping: Ping }
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
}

/**
 * The Parley libp2p node: TCP + Noise + Yamux, identify, ping, kad-dht on /parley/kad/1.0.0 in
 * server mode with Parley's validators and selectors, bootstrap and mDNS. Configured for loopback
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

  const node = await createLibp2p({
    privateKey: init.privateKey,
    start: init.start,
    datastore,
    addresses: { listen: init.listen },
    transports: [tcp()],
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
      dht: kadDHT({
        protocol: DHT_PROTOCOL,
        datastorePrefix: DHT_DATASTORE_PREFIX,
        clientMode: false,
        peerInfoMapper: passthroughMapper,
        validators: recordValidators(validation),
        selectors: recordSelectors()
      })
    }
  })

  // mDNS only adds peers to the peer store; dial them so they join our routing table
  node.addEventListener('peer:discovery', evt => {
    const peer = evt.detail
    if (peer.id.equals(node.peerId) || node.getConnections(peer.id).length > 0) return
    if (node.getConnections().length >= MAX_CONNECTIONS / 2) return
    node.dial(peer.id).catch(err => log('could not dial discovered peer %p: %s', peer.id, err.message))
  })
  return node
}
