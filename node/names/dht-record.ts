import { Record as DhtRecord } from '@libp2p/kad-dht'

/** kad-dht's stored form of a record (the libp2p Record protobuf), as its own put writes it. */
export function createPutRecord(key: Uint8Array, value: Uint8Array): Uint8Array {
  return new DhtRecord(key, value, new Date()).serialize()
}
