import { Key } from 'interface-datastore'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import { DHT_DATASTORE_PREFIX } from '../p2p/constants.ts'

/**
 * Where kad-dht keeps its own copy of a record in the libp2p datastore:
 * `<datastorePrefix>/record/<base32 of the DHT key>`.
 *
 * The names code reads and writes that copy directly because kad-dht has no public API for the
 * local copy alone: `get` and `put` always go on to query the network, and wait (until their signal
 * aborts) for a peer when the routing table is empty. A node must still answer from, and keep,
 * its own copy then. This is kad-dht's private `bufferToRecordKey(`${datastorePrefix}/record`, key)`
 * (src/utils.ts, used by src/content-fetching/index.ts and src/rpc/handlers/get-value.ts), checked
 * against @libp2p/kad-dht 16.4.5. test/names/kad-datastore.test.ts fails if kad-dht moves it.
 */
export function kadRecordKey(key: Uint8Array, datastorePrefix: string = DHT_DATASTORE_PREFIX): Key {
  return new Key(`${datastorePrefix}/record/${uint8ArrayToString(key, 'base32')}`, false)
}
