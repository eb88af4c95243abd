import assert from 'node:assert/strict'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { Record as DhtRecord } from '@libp2p/kad-dht'
import { Key } from 'interface-datastore'
import { generateIdentityKeys, identityFromKeys } from '../../node/identity/index.ts'
import { kadRecordKey } from '../../node/names/kad-datastore.ts'
import { createNameClaim, nameKey } from '../../node/names/records.ts'
import { NameRegistry } from '../../node/names/registry.ts'
import { createParleyLibp2p, RecordGuardDatastore, SqliteDatastore } from '../../node/p2p/index.ts'

const recordKey = (key: Uint8Array): Key => kadRecordKey(key)

describe('SQLite datastore', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-ds-'))
  })
  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  test('put, get, has, delete, prefix queries; values survive reopening; file 0600', async () => {
    const path = join(dir, 'a.db')
    const ds = new SqliteDatastore(path)
    ds.open()
    await ds.put(new Key('/peers/a'), Uint8Array.of(1))
    await ds.put(new Key('/peers/b'), Uint8Array.of(2))
    await ds.put(new Key('/other/c'), Uint8Array.of(3))
    assert.deepEqual(await ds.get(new Key('/peers/a')), Uint8Array.of(1))
    assert.equal(await ds.has(new Key('/peers/z')), false)
    assert.throws(() => ds.get(new Key('/peers/z')), { name: 'NotFoundError' })
    const keys: string[] = []
    for await (const pair of ds.query({ prefix: '/peers' })) keys.push(pair.key.toString())
    assert.deepEqual(keys, ['/peers/a', '/peers/b'])
    await ds.delete(new Key('/peers/b'))
    ds.close()
    if (process.platform !== 'win32') assert.equal((await stat(path)).mode & 0o777, 0o600)
    const again = new SqliteDatastore(path)
    again.open()
    assert.deepEqual(await again.get(new Key('/peers/a')), Uint8Array.of(1))
    assert.equal(await again.has(new Key('/peers/b')), false)
    again.close()
  })

  test('the record guard refuses a live claim of another key and a rollback', async () => {
    const inner = new SqliteDatastore(':memory:')
    inner.open()
    const guard = new RecordGuardDatastore(inner)
    const owner = await generateKeyPair('Ed25519')
    const other = await generateKeyPair('Ed25519')
    const key = nameKey('alice')
    const expiresAt = Date.now() + 3_600_000
    const put = async (value: Uint8Array): Promise<unknown> =>
      await guard.put(recordKey(key), new DhtRecord(key, value, new Date()).serialize())
    await put(await createNameClaim(owner, { name: 'alice', claimedAt: 1, sequence: 5n, expiresAt }))
    await assert.rejects(put(await createNameClaim(other, { name: 'alice', claimedAt: 0, sequence: 99n, expiresAt })), {
      name: 'NameTakenError'
    })
    await assert.rejects(put(await createNameClaim(owner, { name: 'alice', claimedAt: 1, sequence: 4n, expiresAt })), {
      name: 'StaleRecordError'
    })
    await put(await createNameClaim(owner, { name: 'alice', claimedAt: 1, sequence: 6n, expiresAt }))
    // other keys pass untouched
    await guard.put(new Key('/peers/x'), Uint8Array.of(1))
    inner.close()
  })

  test('a restarted node keeps its peer store and the records it stores', async () => {
    const path = join(dir, 'node.db')
    const a = await identityFromKeys(await generateIdentityKeys())
    const b = await identityFromKeys(await generateIdentityKeys())
    const dsA = new SqliteDatastore(path)
    dsA.open()
    let nodeA = await createParleyLibp2p({
      privateKey: a.privateKey,
      listen: ['/ip4/127.0.0.1/tcp/0'],
      mdns: false,
      datastore: dsA
    })
    const nodeB = await createParleyLibp2p({ privateKey: b.privateKey, listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false })
    try {
      await nodeA.dial(nodeB.getMultiaddrs()[0]!)
      const registryB = new NameRegistry({ libp2p: nodeB, identity: b })
      const deadline = Date.now() + 20_000
      while (registryB.routingTableSize() === 0 && Date.now() < deadline) await new Promise(r => setTimeout(r, 50))
      const result = await registryB.register('bob', {})
      assert.equal(result.stored, 1)
      await nodeA.stop()
      dsA.close()

      const dsA2 = new SqliteDatastore(path)
      dsA2.open()
      nodeA = await createParleyLibp2p({
        privateKey: a.privateKey,
        listen: ['/ip4/127.0.0.1/tcp/0'],
        mdns: false,
        datastore: dsA2
      })
      const known = await nodeA.peerStore.get(nodeB.peerId)
      assert.ok(known.addresses.length > 0, 'peer store kept B and its addresses')
      const stored = DhtRecord.deserialize(await dsA2.get(recordKey(nameKey('bob'))))
      assert.ok(stored.value.length > 0, 'the DHT record B stored with A is still there')
      const registryA = new NameRegistry({ libp2p: nodeA, identity: a, datastore: dsA2 })
      const r = await registryA.resolve('bob', { profile: false })
      assert.ok(r.claim.peerId.equals(nodeB.peerId))
      await nodeA.stop()
      dsA2.close()
    } finally {
      await nodeA.stop()
      await nodeB.stop()
    }
  })
})
