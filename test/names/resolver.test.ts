/**
 * The resolution rule, its fast path, the confirmation, the repair and the one retry, against a
 * fake query engine (no DHT): each decision is set up exactly.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { PeerId } from '@libp2p/interface'
import { defaultLogger } from '@libp2p/logger'
import { NAME_QUORUM } from '../../node/names/constants.ts'
import { LookupFailedError, NotFoundError } from '../../node/names/errors.ts'
import type { Profile } from '../../node/names/profile.ts'
import { nameKey } from '../../node/names/records.ts'
import { NameResolver, type NameResolverInit } from '../../node/names/resolver.ts'
import { claim, FakeQuery, held, keyed, peers, settle } from './fake-query.ts'

/** A resolver over `query`; the cache of resolved names is off unless `init` turns it on. */
function resolverWith(
  query: FakeQuery,
  profile: (peerId: PeerId) => Promise<Profile> = async () => {
    throw new NotFoundError('no profile')
  },
  init: NameResolverInit = {}
): { resolver: NameResolver; profiles: PeerId[] } {
  const profiles: PeerId[] = []
  const resolver = new NameResolver(
    {
      query,
      profile: async peerId => {
        profiles.push(peerId)
        return await profile(peerId)
      },
      logger: defaultLogger()
    },
    { cacheMs: 0, ...init }
  )
  return { resolver, profiles }
}

const fakeProfile = (peerId: PeerId): Profile => ({ peerId, sequence: 1n }) as unknown as Profile

describe('resolution with a fake query engine', () => {
  test('fast path: NAME_QUORUM peers agreeing answer before the query ends', async () => {
    const alice = await keyed()
    const value = await claim(alice, 'alice')
    const query = new FakeQuery()
    query.scripts = [{ answers: held(await peers(NAME_QUORUM + 3), value), holdAfter: NAME_QUORUM }]
    const { resolver } = resolverWith(query)
    const r = await resolver.resolve('Alice', { profile: false })
    assert.ok(r.claim.peerId.equals(alice.peerId))
    assert.equal(r.holders, NAME_QUORUM, 'answered with the quorum, the rest still held back')
    query.release()
  })

  test('no fast answer while another owner was seen, nor when it is not the pin', async () => {
    const [alice, mallory] = [await keyed(), await keyed()]
    const answers = [
      ...held(await peers(NAME_QUORUM), await claim(alice, 'alice')),
      ...held(await peers(1), await claim(mallory, 'alice'))
    ]
    const query = new FakeQuery()
    // the other owner's claim comes last: without it in, NAME_QUORUM agree
    query.scripts = [
      {
        answers: [answers.at(-1)!, ...answers.slice(0, -1), ...held(await peers(2), await claim(alice, 'alice'))],
        holdAfter: NAME_QUORUM + 1
      }
    ]
    const { resolver } = resolverWith(query)
    let done = false
    const resolving = resolver.resolve('alice', { profile: false }).finally(() => {
      done = true
    })
    await settle()
    assert.equal(done, false, 'waits for the whole query')
    query.release()
    const r = await resolving
    assert.ok(r.claim.peerId.equals(alice.peerId))
    assert.equal(r.holders, NAME_QUORUM + 2)

    const pinned = new FakeQuery()
    pinned.scripts = [
      { answers: held(await peers(NAME_QUORUM + 1), await claim(alice, 'alice')), holdAfter: NAME_QUORUM }
    ]
    const other = resolverWith(pinned).resolver
    let answered = false
    const resolvingPinned = other.resolve('alice', { profile: false, preferred: mallory.peerId }).finally(() => {
      answered = true
    })
    await settle()
    assert.equal(answered, false, 'a quorum of another key than the pin is no fast answer')
    pinned.release()
    assert.ok((await resolvingPinned).claim.peerId.equals(alice.peerId))
  })

  test('the rule: most holders win; a tie goes to the pin', async () => {
    const [alice, bob] = [await keyed(), await keyed()]
    const query = new FakeQuery()
    query.scripts = [
      {
        answers: [
          ...held(await peers(3), await claim(alice, 'alice')),
          ...held(await peers(2), await claim(bob, 'alice'))
        ]
      }
    ]
    const { resolver } = resolverWith(query)
    const r = await resolver.resolve('alice', { profile: false, preferred: bob.peerId })
    assert.ok(r.claim.peerId.equals(alice.peerId), 'three holders beat two, pin or not')
    assert.deepEqual(
      r.selection.losers.map(l => [l.peerId.toString(), l.holders]),
      [[bob.peerId.toString(), 2]]
    )

    const tie = new FakeQuery()
    tie.scripts = [
      {
        answers: [
          ...held(await peers(2), await claim(alice, 'alice')),
          ...held(await peers(2), await claim(bob, 'alice'))
        ]
      }
    ]
    const tied = resolverWith(tie).resolver
    assert.ok((await tied.resolve('alice', { profile: false, preferred: bob.peerId })).claim.peerId.equals(bob.peerId))
    assert.ok(
      (await tied.resolve('alice', { profile: false, preferred: alice.peerId })).claim.peerId.equals(alice.peerId)
    )
  })

  test('a full query that overturns a fast answer marks the name disputed: later resolves wait for it', async () => {
    const [alice, bob] = [await keyed(), await keyed()]
    const query = new FakeQuery()
    query.scripts = [
      {
        answers: [
          ...held(await peers(NAME_QUORUM), await claim(alice, 'alice')),
          ...held(await peers(NAME_QUORUM + 1), await claim(bob, 'alice'))
        ],
        holdAfter: NAME_QUORUM
      }
    ]
    const { resolver } = resolverWith(query)
    const fast = await resolver.resolve('alice', { profile: false })
    assert.ok(fast.claim.peerId.equals(alice.peerId), 'the fast answer')
    assert.equal(resolver.isDisputed('alice'), false)
    query.release()
    await settle()
    assert.equal(resolver.isDisputed('alice'), true)
    let done = false
    const again = resolver.resolve('alice', { profile: false }).finally(() => {
      done = true
    })
    await settle()
    assert.equal(done, false, 'no fast path for a disputed name')
    query.release()
    assert.ok((await again).claim.peerId.equals(bob.peerId))
  })

  test('stale holders of the owner are repaired once per update, with the current claim', async () => {
    const alice = await keyed()
    const [v1, v2, v3] = [
      await claim(alice, 'alice', { sequence: 1n }),
      await claim(alice, 'alice', { sequence: 2n }),
      await claim(alice, 'alice', { sequence: 3n })
    ]
    const [current, stale] = [await peers(3), await peers(2)]
    const query = new FakeQuery()
    query.scripts = [{ answers: [...held(current, v2), ...held(stale, v1)] }]
    const { resolver } = resolverWith(query)
    const r = await resolver.resolve('alice', { profile: false })
    assert.equal(r.claim.sequence, 2n)
    await settle()
    assert.equal(query.puts.length, 1)
    assert.deepEqual(query.puts[0]!.key, nameKey('alice'))
    assert.deepEqual(query.puts[0]!.value, v2)
    await resolver.resolve('alice', { profile: false })
    await settle()
    assert.equal(query.puts.length, 1, 'the same update is not repaired twice')

    query.scripts = [{ answers: [...held(current, v3), ...held(stale, v1)] }]
    await resolver.resolve('alice', { profile: false })
    await settle()
    assert.equal(query.puts.length, 2, 'a new update with stale holders is repaired')
    assert.deepEqual(query.puts[1]!.value, v3)

    query.scripts = [{ answers: held([...current, ...stale], v3) }]
    await resolver.resolve('alice', { profile: false })
    await settle()
    assert.equal(query.puts.length, 2, 'nothing stale, nothing to repair')
  })

  test('a lookup the DHT could not answer is tried once more, then LookupFailedError', async () => {
    const alice = await keyed()
    const query = new FakeQuery()
    query.scripts = [{ answers: [], failed: 3 }, { answers: held(await peers(2), await claim(alice, 'alice')) }]
    const { resolver } = resolverWith(query)
    const r = await resolver.resolve('alice', { profile: false })
    assert.ok(r.claim.peerId.equals(alice.peerId))
    assert.equal(query.gathers, 2)

    query.gathers = 0
    query.scripts = [{ answers: [], failed: 3 }]
    await assert.rejects(resolver.resolve('alice', { profile: false }), {
      name: 'LookupFailedError',
      message: /3 of the 3 peers asked did not answer/
    })
    assert.equal(query.gathers, 2, 'one retry, not more')

    query.gathers = 0
    query.scripts = [{ answers: held(await peers(1), new Uint8Array(8)), failed: 1 }]
    await assert.rejects(resolver.resolve('nobody', { profile: false }), { name: 'NameNotFoundError' })
    assert.equal(query.gathers, 1, 'an answered "nobody holds it" is not retried')

    query.gathers = 0
    query.peers = 0
    query.scripts = [{ answers: [] }]
    await assert.rejects(resolver.resolve('alice', { profile: false }), {
      name: 'LookupFailedError',
      message: /not connected to any DHT peer/
    })
    assert.equal(query.gathers, 1, 'no retry without DHT peers')
  })

  test('the profile of the pinned owner is fetched alongside the claims, once; a missing one is no failure', async () => {
    const alice = await keyed()
    const query = new FakeQuery()
    query.scripts = [{ answers: held(await peers(3), await claim(alice, 'alice')) }]
    const { resolver, profiles } = resolverWith(query, async peerId => fakeProfile(peerId))
    const r = await resolver.resolve('alice', { preferred: alice.peerId })
    assert.ok(r.profile?.peerId.equals(alice.peerId))
    assert.equal(profiles.length, 1, 'the prefetch is the fetch')

    const missing = resolverWith(query).resolver
    const without = await missing.resolve('alice')
    assert.equal(without.profile, undefined)
  })

  test('our own stored claim guides the prefetch; a profile lookup that failed fails the resolve', async () => {
    const alice = await keyed()
    const value = await claim(alice, 'alice')
    const query = new FakeQuery()
    query.storeLocal(nameKey('alice'), value)
    query.scripts = [{ answers: held(await peers(3), value) }]
    const { resolver, profiles } = resolverWith(query, async () => {
      throw new LookupFailedError('profile lookup timed out')
    })
    await assert.rejects(resolver.resolve('alice'), { name: 'LookupFailedError' })
    assert.ok(profiles[0]?.equals(alice.peerId), 'the stored claim owner was prefetched first')
    assert.equal(query.gathers, 2, 'and the whole resolve was tried once more')
  })

  test('with a pin, the first valid claim of the pinned key answers; a forged or expired one, or another owner first, does not', async () => {
    const [alice, mallory] = [await keyed(), await keyed()]
    const value = await claim(alice, 'alice')
    // a claim in alice's name whose signature does not verify (one bit of it flipped)
    const forged = value.slice()
    forged[forged.length - 1]! ^= 1
    const expired = await claim(alice, 'alice', { expiresAt: Date.now() - 1000 })

    const query = new FakeQuery()
    query.scripts = [{ answers: [...held(await peers(1), forged), ...held(await peers(3), value)], holdAfter: 2 }]
    const first = await resolverWith(query).resolver.resolve('alice', { profile: false, preferred: alice.peerId })
    assert.ok(first.claim.peerId.equals(alice.peerId))
    assert.equal(first.holders, 1, 'answered at the first valid claim of the pin, the forged one dropped')
    query.release()

    for (const [what, before] of [
      ['a forged claim', forged],
      ['an expired claim', expired],
      ['another owner', await claim(mallory, 'alice')]
    ] as const) {
      const q = new FakeQuery()
      q.scripts = [{ answers: [...held(await peers(1), before), ...held(await peers(2), value)], holdAfter: 1 }]
      let done = false
      const resolving = resolverWith(q)
        .resolver.resolve('alice', { profile: false, preferred: alice.peerId })
        .finally(() => {
          done = true
        })
      await settle()
      assert.equal(done, false, `${what} is no answer`)
      q.release()
      const r = await resolving
      assert.ok(r.claim.peerId.equals(alice.peerId))
      if (what === 'another owner') assert.equal(r.holders, 2, 'another owner seen: the whole query decided')
      else assert.equal(r.holders, 1, `${what} dropped, the next valid claim of the pin answered`)
    }
  })

  test('a pinned fast answer the full query overturns is reported and the name is then resolved in full', async () => {
    const [alice, bob] = [await keyed(), await keyed()]
    const query = new FakeQuery()
    query.scripts = [
      {
        answers: [
          ...held(await peers(1), await claim(alice, 'alice')),
          ...held(await peers(3), await claim(bob, 'alice'))
        ],
        holdAfter: 1
      }
    ]
    const overturned: string[] = []
    const { resolver } = resolverWith(query, undefined, {
      cacheMs: 60_000,
      onOverturned: (name, owner) => overturned.push(`${name} ${owner}`)
    })
    const fast = await resolver.resolve('alice', { profile: false, preferred: alice.peerId })
    assert.ok(fast.claim.peerId.equals(alice.peerId), 'the pin, answered fast')
    query.release()
    await settle()
    assert.deepEqual(overturned, [`alice ${bob.peerId}`])
    assert.equal(resolver.isDisputed('alice'), true)
    const again = resolver.resolve('alice', { profile: false, preferred: alice.peerId })
    await settle()
    query.release()
    const r = await again
    assert.ok(r.claim.peerId.equals(bob.peerId), 'not from the cache, nor fast: the full rule (three holders beat one)')
    assert.equal(query.gathers, 2)
  })

  test('a resolved name is reused until the cache time, never past its claim, not for another pin, nor over a newer claim we store', async () => {
    const [alice, bob] = [await keyed(), await keyed()]
    let t = Date.now()
    const now = (): number => t
    const v1 = await claim(alice, 'alice', { sequence: 1n })
    const query = new FakeQuery()
    query.scripts = [{ answers: held(await peers(NAME_QUORUM), v1) }]
    const { resolver, profiles } = resolverWith(query, async peerId => fakeProfile(peerId), { cacheMs: 60_000, now })
    await resolver.resolve('alice')
    const cached = await resolver.resolve('Alice')
    assert.equal(query.gathers, 1, 'the second resolve asked no one')
    assert.ok(cached.claim.peerId.equals(alice.peerId))
    assert.ok(cached.profile?.peerId.equals(alice.peerId), 'and still has the profile')
    assert.equal(profiles.length, 2, 'the profile is asked for each time (ProfileLookup has its own cache)')
    await resolver.resolve('alice', { profile: false, cache: false })
    assert.equal(query.gathers, 2, 'cache: false asks the DHT')

    await resolver.resolve('alice', { profile: false, preferred: bob.peerId })
    assert.equal(query.gathers, 3, 'a pin of another key is never answered from the cache')

    t += 60_001
    await resolver.resolve('alice', { profile: false })
    assert.equal(query.gathers, 4, 'after the cache time the DHT is asked again')

    query.storeLocal(nameKey('alice'), await claim(alice, 'alice', { sequence: 2n }))
    await resolver.resolve('alice', { profile: false })
    assert.equal(query.gathers, 5, 'a newer claim of the owner that we store ourselves drops the cached one')
    await resolver.resolve('alice', { profile: false })
    assert.equal(query.gathers, 6, 'still newer than what the query found')

    const short = new FakeQuery()
    short.scripts = [{ answers: held(await peers(NAME_QUORUM), await claim(alice, 'alice', { expiresAt: t + 1000 })) }]
    const lapsing = resolverWith(short, undefined, { cacheMs: 60_000, now }).resolver
    await lapsing.resolve('alice', { profile: false })
    t += 1001
    await assert.rejects(lapsing.resolve('alice', { profile: false }), { name: 'NameNotFoundError' })
    assert.equal(short.gathers, 2, 'a claim past its expiry is never served from the cache')
  })
})
