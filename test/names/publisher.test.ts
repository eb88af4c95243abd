/**
 * Registration and the "enough peers stored it" rule of a republish, against a fake query engine.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { defaultLogger } from '@libp2p/logger'
import { multiaddr } from '@multiformats/multiaddr'
import { generateIdentityKeys, type Identity, identityFromKeys } from '../../node/identity/index.ts'
import { RECORD_LIFETIME_MS, REPLICAS_WANTED } from '../../node/names/constants.ts'
import type { ClaimResponse } from '../../node/names/selection.ts'
import { NamePublisher, replicasWanted } from '../../node/names/publisher.ts'
import { nameKey, profileKey, verifyNameClaim, verifyProfileRecord } from '../../node/names/records.ts'
import { claim, FakeQuery, type Keyed, keyed, peers } from './fake-query.ts'

interface Setup {
  publisher: NamePublisher
  query: FakeQuery
  identity: Identity
  settings: Map<string, string>
  names: Array<string | null>
  /** the claims each query sees, in turn (the last one repeats) */
  claims: ClaimResponse[][]
}

async function setup(init: { name?: string; now?: () => number } = {}): Promise<Setup> {
  const identity = await identityFromKeys(await generateIdentityKeys(), true)
  const query = new FakeQuery()
  const settings = new Map<string, string>()
  if (init.name !== undefined) settings.set('name', init.name)
  const names: Array<string | null> = []
  const s: Setup = { publisher: undefined as unknown as NamePublisher, query, identity, settings, names, claims: [] }
  s.publisher = new NamePublisher(
    {
      query,
      claims: async () => (s.claims.length > 1 ? s.claims.shift()! : (s.claims[0] ?? [])),
      peerId: identity.peerId,
      identity,
      addresses: () => [multiaddr('/ip4/127.0.0.1/tcp/4001')],
      settings: { get: k => settings.get(k), set: (k, v) => settings.set(k, v) },
      logger: defaultLogger()
    },
    { now: init.now, onNameChanged: name => names.push(name) }
  )
  return s
}

async function responses(
  owner: Keyed,
  name: string,
  n: number,
  sequence = 1n,
  claimedAt = 1
): Promise<ClaimResponse[]> {
  const value = await claim(owner, name, { sequence, claimedAt })
  const claimed = await verifyNameClaim(nameKey(name), value)
  return (await peers(n)).map(from => ({ from, claim: claimed, value }))
}

describe('publishing with a fake query engine', () => {
  test('a publish is done when REPLICAS_WANTED peers, or half a smaller routing table, stored it', () => {
    assert.equal(REPLICAS_WANTED, 10)
    assert.deepEqual([1, 2, 3, 4, 19, 20, 21, 100].map(replicasWanted), [1, 1, 2, 2, 10, 10, 10, 10])
  })

  test('republish without a name: the profile, and whether enough peers stored it', async () => {
    const { publisher, query, identity } = await setup()
    query.peers = 0
    assert.equal(await publisher.republish(), false, 'no routing table, no publish')
    assert.equal(query.puts.length, 0)

    query.peers = 20
    query.putResult = { stored: 9, refused: 0 }
    assert.equal(await publisher.republish(), false, '9 of 10 wanted: again soon')
    query.putResult = { stored: 10, refused: 0 }
    assert.equal(await publisher.republish(), true)
    query.peers = 4
    query.putResult = { stored: 2, refused: 2 }
    assert.equal(await publisher.republish(), true, 'half of a 4-peer table')
    query.putResult = { stored: 1, refused: 3 }
    assert.equal(await publisher.republish(), false)

    assert.ok(query.puts.every(p => p.key.every((b, i) => b === profileKey(identity.peerId)[i])))
    const sequences = await Promise.all(query.puts.map(async p => (await verifyProfileRecord(p.key, p.value)).sequence))
    assert.ok(
      sequences.every((s, i) => i === 0 || s > sequences[i - 1]!),
      'every profile has a higher sequence'
    )
    assert.equal(publisher.publishedAddresses(), '/ip4/127.0.0.1/tcp/4001')
  })

  test('a publish that counted as done with few copies from a small table is due again once the table has doubled', async () => {
    const s = await setup()
    const { publisher, query } = s
    query.peers = 4
    query.putResult = { stored: 2, refused: 0 }
    await publisher.register('tiny')
    assert.equal(await publisher.republish(), true, 'half of a 4-peer table is enough for now')
    assert.equal(publisher.grownSinceShortPublish(), false)
    query.peers = 7
    assert.equal(publisher.grownSinceShortPublish(), false, 'not yet twice the table of that publish')
    query.peers = 8
    assert.equal(publisher.grownSinceShortPublish(), true)

    query.putResult = { stored: 4, refused: 0 }
    assert.equal(await publisher.republish(), true)
    assert.equal(publisher.grownSinceShortPublish(), false, 'short again, from a table of 8: due at 16')
    query.peers = 16
    assert.equal(publisher.grownSinceShortPublish(), true)
    query.putResult = { stored: 10, refused: 0 }
    assert.equal(await publisher.republish(), true)
    query.peers = 100
    assert.equal(publisher.grownSinceShortPublish(), false, 'REPLICAS_WANTED copies: never again for growth')

    // a registration itself counts too
    query.peers = 2
    query.putResult = { stored: 1, refused: 0 }
    await publisher.register('tiny')
    query.peers = 4
    assert.equal(publisher.grownSinceShortPublish(), true)
  })

  test('register claims a free name, keeps it, and publishes the profile with it', async () => {
    const now = 1_700_000_000_000
    const s = await setup({ now: () => now })
    const r = await s.publisher.register('Alice')
    assert.deepEqual(r, { name: 'alice', peerId: s.identity.peerId.toString(), stored: 20 })
    assert.equal(s.publisher.ownName(), 'alice')
    assert.equal(s.settings.get('name'), 'alice')
    assert.deepEqual(s.names, ['alice'])
    assert.equal(s.query.puts.length, 2, 'the claim, then the profile')
    const claimed = await verifyNameClaim(nameKey('alice'), s.query.puts[0]!.value, { now: () => now })
    assert.ok(claimed.peerId.equals(s.identity.peerId))
    assert.equal(claimed.claimedAt, now)
    assert.equal(claimed.expiresAt, now + RECORD_LIFETIME_MS)
  })

  test('a renewal keeps the first claim time and goes above every sequence seen', async () => {
    // a clock past 2^32 ms: with 32-day lifetimes, an expiry signed near 0 would land in the
    // [2^31, 2^32) range protons-runtime 7 cannot encode (records.ts refuses it); real clocks are far above
    const T = 2 ** 32
    const s = await setup({ now: () => T + 5_000 })
    const me = { key: s.identity.privateKey, peerId: s.identity.peerId }
    s.claims = [
      [
        ...(await responses(me, 'alice', 2, BigInt(T + 9_000), 42)),
        ...(await responses(me, 'alice', 1, BigInt(T + 7_000), 40))
      ]
    ]
    await s.publisher.register('alice')
    const renewed = await verifyNameClaim(nameKey('alice'), s.query.puts[0]!.value, { now: () => T + 5_000 })
    assert.equal(renewed.claimedAt, 40)
    assert.equal(renewed.sequence, BigInt(T + 9_001))
  })

  test('a name another key holds is refused, before and after the put', async () => {
    const s = await setup()
    const mallory = await keyed()
    s.claims = [await responses(mallory, 'alice', 3)]
    await assert.rejects(s.publisher.register('alice'), { name: 'NameTakenError' })
    assert.equal(s.query.puts.length, 0)
    assert.equal(s.publisher.ownName(), null)

    // nobody seen at first, then every peer refuses the put: someone else's claim was there
    const t = await setup()
    t.claims = [[], await responses(mallory, 'alice', 3)]
    t.query.putResult = { stored: 0, refused: 5 }
    await assert.rejects(t.publisher.register('alice'), { name: 'NameTakenError' })
    assert.equal(t.query.puts.length, 1)
    assert.equal(t.publisher.ownName(), null)
  })

  test('a republish that finds our name taken gives it up and still publishes the profile', async () => {
    const s = await setup({ name: 'alice' })
    assert.equal(s.publisher.ownName(), 'alice', 'read from the settings')
    s.claims = [await responses(await keyed(), 'alice', 3)]
    assert.equal(await s.publisher.republish(), true)
    assert.equal(s.publisher.ownName(), null)
    assert.equal(s.settings.get('name'), '')
    assert.deepEqual(s.names, [null])
    assert.equal(s.query.puts.length, 1, 'the profile only')
  })

  test('a republish whose renewal failed otherwise is not done', async () => {
    const s = await setup({ name: 'alice' })
    s.query.putResult = () => {
      throw new Error('boom')
    }
    assert.equal(await s.publisher.republish(), false)
    assert.equal(s.publisher.ownName(), 'alice', 'kept: only NameTakenError gives a name up')
  })
})
