import { Key } from 'interface-datastore'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import { DHT_DATASTORE_PREFIX } from '../p2p/constants.ts'

/**
 * kad-dht's layout of records in the libp2p datastore: `<datastorePrefix>/record/<base32 of the
 * DHT key>`. This module is the one place that knows it.
 *
 * The names code reads and writes kad-dht's own copy of a record directly because kad-dht has no
 * public API for the local copy alone: `get` and `put` always go on to query the network, and wait
 * (until their signal aborts) for a peer when the routing table is empty; a node must still answer
 * from, and keep, its own copy then. The record guard (node/p2p/record-guard.ts) recognizes record
 * writes by the same layout. It is kad-dht's private `bufferToRecordKey(`${datastorePrefix}/record`, key)`
 * (src/utils.ts, used by src/content-fetching/index.ts and src/rpc/handlers/get-value.ts), checked
 * against @libp2p/kad-dht 16.4.5; test/names/kad-datastore.test.ts fails if kad-dht moves it.
 */
export function kadRecordPrefix(datastorePrefix: string = DHT_DATASTORE_PREFIX): string {
  return `${datastorePrefix}/record/`
}

/** Where kad-dht keeps its copy of the record under DHT key `key` (see kadRecordPrefix). */
export function kadRecordKey(key: Uint8Array, datastorePrefix: string = DHT_DATASTORE_PREFIX): Key {
  return new Key(`${kadRecordPrefix(datastorePrefix)}${uint8ArrayToString(key, 'base32')}`, false)
}
