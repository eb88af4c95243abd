/**
 * ProfileLookup: the first valid copy answers, a newer one of the next copies replaces it; the cache
 * is reused for PROFILE_CACHE_MS, replaced at once by the owner's newer profile we store ourselves.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { defaultLogger } from '@libp2p/logger'
import { multiaddr } from '@multiformats/multiaddr'
import { signPrekey, x25519PublicKey } from '../../node/crypto/index.ts'
import { ProfileLookup } from '../../node/names/profile-lookup.ts'
import { createProfileRecord, profileKey } from '../../node/names/records.ts'
import { FakeQuery, held, type Keyed, keyed, peers, settle } from './fake-query.ts'

async function profileOf(owner: Keyed, sequence: bigint, address: string): Promise<Uint8Array> {
  return await createProfileRecord(owner.key, {
    dhKey: x25519PublicKey(new Uint8Array(32).fill(2)),
    prekey: await signPrekey(owner.key, { id: 1, publicKey: x25519PublicKey(new Uint8Array(32).fill(3)) }),
    addresses: [multiaddr(address)],
    sequence,
    expiresAt: Date.now() + 3_600_000
  })
}

/** A lookup for `me` over `query`, with the addresses it hands the peer store. */
function lookupOf(query: FakeQuery, me: Keyed): { lookup: ProfileLookup; merged: string[] } {
  const merged: string[] = []
  const lookup = new ProfileLookup({
    query,
    peerId: me.peerId,
    peerStore: { merge: async (_peer, data) => merged.push(...data.multiaddrs.map(a => a.toString())) },
    logger: defaultLogger()
  })
  return { lookup, merged }
}

describe('profile lookup', () => {
  test("the owner's newer profile, stored by us, replaces the cached one; a forged one does not", async () => {
    const [me, alice] = [await keyed(), await keyed()]
    const query = new FakeQuery()
    query.scripts = [{ answers: held(await peers(3), await profileOf(alice, 1n, '/ip4/127.0.0.1/tcp/4001')) }]
    const { lookup, merged } = lookupOf(query, me)
    assert.equal((await lookup.profile(alice.peerId)).sequence, 1n)
    assert.equal((await lookup.profile(alice.peerId)).sequence, 1n)
    assert.equal(query.gathers, 1, 'cached')

    // a copy in alice's name with a higher sequence whose signature does not verify
    const forged = (await profileOf(alice, 3n, '/ip4/127.0.0.1/tcp/4666')).slice()
    forged[forged.length - 1]! ^= 1
    query.storeLocal(profileKey(alice.peerId), forged)
    assert.equal((await lookup.profile(alice.peerId)).sequence, 1n, 'a forged newer copy is refused')

    query.storeLocal(profileKey(alice.peerId), await profileOf(alice, 2n, '/ip4/127.0.0.1/tcp/4002'))
    const newer = await lookup.profile(alice.peerId)
    assert.equal(newer.sequence, 2n, 'the new profile alice published (and we store) is used at once')
    assert.equal(newer.addresses[0]?.toString(), '/ip4/127.0.0.1/tcp/4002')
    assert.ok(merged.includes('/ip4/127.0.0.1/tcp/4002'), 'and its addresses reach the peer store')
    assert.equal(query.gathers, 1, 'without asking the DHT')

    query.storeLocal(profileKey(alice.peerId), await profileOf(alice, 1n, '/ip4/127.0.0.1/tcp/4001'))
    assert.equal((await lookup.profile(alice.peerId)).sequence, 2n, 'an older stored copy never rolls it back')
  })

  test('the first valid copy answers; a newer one among the next copies replaces it, and the query stops at PROFILE_QUORUM', async () => {
    const [me, alice] = [await keyed(), await keyed()]
    const [p1, p2, p3, p4, p5] = await peers(5)
    const older = await profileOf(alice, 1n, '/ip4/127.0.0.1/tcp/4001')
    const forged = (await profileOf(alice, 9n, '/ip4/127.0.0.1/tcp/4666')).slice()
    forged[forged.length - 1]! ^= 1
    const query = new FakeQuery()
    query.scripts = [
      {
        answers: [
          { from: p1!, value: older },
          { from: p2!, value: forged },
          { from: p3!, value: await profileOf(alice, 2n, '/ip4/127.0.0.1/tcp/4002') },
          { from: p4!, value: older },
          { from: p5!, value: await profileOf(alice, 3n, '/ip4/127.0.0.1/tcp/4003') }
        ],
        holdAfter: 1
      }
    ]
    const { lookup, merged } = lookupOf(query, me)
    const first = await lookup.profile(alice.peerId)
    assert.equal(first.sequence, 1n, 'answered by the first valid copy, before the others arrive')
    assert.equal(query.parsed, 1)

    query.release()
    await settle()
    assert.equal(query.parsed, 4, 'the query stops at the third valid copy (the forged one does not count)')
    const later = await lookup.profile(alice.peerId)
    assert.equal(later.sequence, 2n, 'the newest of the three valid copies replaced the first answer')
    assert.ok(merged.includes('/ip4/127.0.0.1/tcp/4002'), 'and its addresses reached the peer store')
    assert.equal(query.gathers, 1, 'from the cache')
  })

  test('a newer copy found in the background never rolls back a profile cached since', async () => {
    const [me, alice] = [await keyed(), await keyed()]
    const query = new FakeQuery()
    query.scripts = [
      {
        answers: [
          { from: (await peers(1))[0]!, value: await profileOf(alice, 1n, '/ip4/127.0.0.1/tcp/4001') },
          ...held(await peers(2), await profileOf(alice, 2n, '/ip4/127.0.0.1/tcp/4002'))
        ],
        holdAfter: 1
      }
    ]
    const { lookup } = lookupOf(query, me)
    assert.equal((await lookup.profile(alice.peerId)).sequence, 1n)
    // meanwhile alice's publish of sequence 5 reaches us
    query.storeLocal(profileKey(alice.peerId), await profileOf(alice, 5n, '/ip4/127.0.0.1/tcp/4005'))
    assert.equal((await lookup.profile(alice.peerId)).sequence, 5n)
    query.release()
    await settle()
    assert.equal(
      (await lookup.profile(alice.peerId)).sequence,
      5n,
      'sequence 2 from the background query does not replace 5'
    )
  })
})
