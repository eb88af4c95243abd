/**
 * The two things the names code takes from kad-dht beyond its typed `KadDHT` interface: where it
 * keeps a record in the datastore (kadRecordKey) and the size of its routing table
 * (SingleKadDHT.routingTable). Both are checked against a real kad-dht here, so that an upgrade
 * that moves either fails this test instead of silently breaking lookups.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { Record as DhtRecord } from '@libp2p/kad-dht'
import { defaultLogger } from '@libp2p/logger'
import { generateIdentityKeys, identityFromKeys } from '../../node/identity/index.ts'
import { DhtQuery, routingTableSize } from '../../node/names/dht-query.ts'
import { createPutRecord } from '../../node/names/dht-record.ts'
import { kadRecordKey } from '../../node/names/kad-datastore.ts'
import { nameKey } from '../../node/names/records.ts'
import { createParleyLibp2p, SqliteDatastore } from '../../node/p2p/index.ts'
import { claim, keyed } from './fake-query.ts'
import { waitFor } from './helpers.ts'

describe('what the names code relies on in kad-dht', { timeout: 60_000 }, () => {
  test('records sit at kadRecordKey, both ways; the routing table size is read through the public interface', async () => {
    const [a, b] = [
      await identityFromKeys(await generateIdentityKeys(), true),
      await identityFromKeys(await generateIdentityKeys(), true)
    ]
    const datastore = new SqliteDatastore(':memory:')
    datastore.open()
    const nodeA = await createParleyLibp2p({
      privateKey: a.privateKey,
      listen: ['/ip4/127.0.0.1/tcp/0'],
      mdns: false,
      datastore
    })
    const nodeB = await createParleyLibp2p({ privateKey: b.privateKey, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false })
    try {
      const query = new DhtQuery({
        dht: nodeA.services.dht,
        peerId: nodeA.peerId,
        datastore,
        logger: defaultLogger()
      })
      assert.equal(query.routingTableSize(), 0)
      await nodeB.dial(nodeA.getMultiaddrs()[0]!)
      await waitFor(() => routingTableSize(nodeA.services.dht) >= 1 && routingTableSize(nodeB.services.dht) >= 1)
      assert.equal(query.routingTableSize(), 1)

      // kad-dht writes where kadRecordKey says: B's put lands in A's datastore there
      const owner = await keyed()
      const put = await claim(owner, 'layout')
      for await (const _ of nodeB.services.dht.put(nameKey('layout'), put, { signal: AbortSignal.timeout(20_000) })) {
      }
      const stored = DhtRecord.deserialize(await datastore.get(kadRecordKey(nameKey('layout'))))
      assert.deepEqual(Uint8Array.from(stored.value), put)
      assert.deepEqual(Uint8Array.from((await query.localValue(nameKey('layout'))) ?? []), put)

      // kad-dht reads where kadRecordKey says: a record written there is what A answers B with
      const written = await claim(owner, 'written')
      await datastore.put(kadRecordKey(nameKey('written')), createPutRecord(nameKey('written'), written))
      let answered: Uint8Array | undefined
      for await (const event of nodeB.services.dht.get(nameKey('written'), { signal: AbortSignal.timeout(20_000) })) {
        if (event.name === 'PEER_RESPONSE' && event.from.equals(nodeA.peerId) && event.record != null) {
          answered = event.record.value
        }
      }
      assert.deepEqual(Uint8Array.from(answered ?? []), written)
    } finally {
      await nodeB.stop()
      await nodeA.stop()
      datastore.close()
    }
  })
})
