import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { defaultLogger } from '@libp2p/logger'
import type { Datastore } from 'interface-datastore'
import { MAX_RECORD_LIFETIME_MS, RECORD_LIFETIME_MS } from '../../node/names/constants.ts'
import { DhtQuery } from '../../node/names/dht-query.ts'
import { nameKey, profileKey } from '../../node/names/records.ts'
import type { ParleyNode } from '../../node/parley-node.ts'
import { TestClock } from '../names/helpers.ts'
import { CommunityNet, eventually } from './helpers.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** The records a node stores itself (kad-dht's copy in its datastore), read without asking the network. */
function localCopy(node: ParleyNode, key: Uint8Array): Promise<Uint8Array | undefined> {
  // the node's datastore is private to it; the test reads it as kad-dht would
  const datastore = (node as unknown as { datastore: Datastore }).datastore
  return new DhtQuery({
    dht: node.libp2p.services.dht,
    peerId: node.peerId,
    datastore,
    logger: defaultLogger()
  }).localValue(key)
}

/**
 * The community keeps its members' signed records alive while they are offline (republished
 * unchanged), stops for a removed member, and a name still lapses at its signed expiry. Real nodes
 * on 127.0.0.1 sharing a test clock.
 */
describe('community records', { timeout: 300_000 }, () => {
  const net = new CommunityNet()
  const clock = new TestClock()
  let community: ParleyNode
  let mira: ParleyNode
  let rex: ParleyNode

  before(async () => {
    community = (await net.start({ community: true, now: clock.now })).node
    const bootstrap = community.addresses()
    mira = (await net.start({ bootstrap, now: clock.now })).node
    rex = (await net.start({ bootstrap, now: clock.now })).node
    const link = community.community.invite({ uses: 2, ttlMs: HOUR })
    await mira.community.join(link)
    await rex.community.join(link)
    await eventually(() => mira.registry.routingTableSize() > 0 && rex.registry.routingTableSize() > 0)
    await mira.registry.register('mira')
    await rex.registry.register('rex-the-removed')
    await eventually(async () => (await localCopy(community, nameKey('mira'))) !== undefined)
    await eventually(async () => (await localCopy(community, profileKey(mira.peerId))) !== undefined)
    await eventually(async () => (await localCopy(community, nameKey('rex-the-removed'))) !== undefined)
    await community.community.remove(rex.peerId.toString())
  })
  after(() => net.close())

  test("while a member is offline its community republishes its records, byte for byte; a removed member's are not", async () => {
    const signedClaim = await localCopy(community, nameKey('mira'))
    const signedProfile = await localCopy(community, profileKey(mira.peerId))
    await net.stop(mira)
    await net.stop(rex)
    clock.advance(3 * DAY)

    // a node that came after they left: it holds none of their records
    const late = (await net.start({ bootstrap: community.addresses(), now: clock.now })).node
    await eventually(() => late.registry.routingTableSize() > 0 && community.registry.routingTableSize() > 1)
    assert.equal(await localCopy(late, nameKey('mira')), undefined)

    const result = await community.community.republishMembers()
    assert.equal(result.members, 1)
    assert.ok(result.records >= 2, `records put: ${result.records}`)
    assert.deepEqual(await localCopy(late, nameKey('mira')), signedClaim)
    assert.deepEqual(await localCopy(late, profileKey(mira.peerId)), signedProfile)
    assert.equal(await localCopy(late, nameKey('rex-the-removed')), undefined)

    // 30 days offline: the name still resolves, to its owner
    clock.advance(27 * DAY)
    const resolved = await late.registry.resolve('mira')
    assert.ok(resolved.claim.peerId.equals(mira.peerId))
  })

  test('a name whose owner stopped renewing it lapses at its signed expiry: republishing cannot extend it', async () => {
    assert.ok(RECORD_LIFETIME_MS >= 30 * DAY && RECORD_LIFETIME_MS <= MAX_RECORD_LIFETIME_MS)
    clock.advance(RECORD_LIFETIME_MS)
    const result = await community.community.republishMembers()
    assert.equal(result.records, 0)
    await assert.rejects(
      (async () => {
        const late = (await net.start({ bootstrap: community.addresses(), now: clock.now })).node
        await eventually(() => late.registry.routingTableSize() > 0)
        await late.registry.resolve('mira')
      })(),
      { name: 'NameNotFoundError' }
    )
  })
})
