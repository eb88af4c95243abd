import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { PROFILE_CACHE_MS, RECORD_LIFETIME_MS } from '../../node/names/constants.ts'
import type { Resolution } from '../../node/names/resolver.ts'
import { createNetwork, stopNetwork, TestClock, type TestNode, waitFor } from './helpers.ts'

interface TransportManager {
  listen(addrs: Multiaddr[]): Promise<void>
}

describe('republishing', { timeout: 120_000 }, () => {
  const clock = new TestClock()
  let nodes: TestNode[] = []

  before(async () => {
    nodes = await createNetwork(4, clock)
  })
  after(async () => {
    await stopNetwork(nodes)
  })

  test('records republished before expiry outlive their first lifetime; unrenewed ones lapse', async () => {
    const [owner, other, resolver] = nodes as [TestNode, TestNode, TestNode]
    await owner.registry.register('renewed', {})
    await other.registry.register('forgotten', {})
    const first = await resolver.registry.resolve('renewed')
    clock.advance(RECORD_LIFETIME_MS - 4 * 3_600_000) // 20 h: the owner's timer would fire by now
    assert.equal(await owner.registry.republish(), true)
    clock.advance(10 * 3_600_000) // 30 h after the first claim
    const renewed = await resolver.registry.resolve('renewed')
    assert.ok(renewed.claim.peerId.equals(owner.libp2p.peerId))
    assert.ok(renewed.claim.expiresAt > first.claim.expiresAt)
    assert.equal(renewed.claim.claimedAt, first.claim.claimedAt)
    assert.ok(renewed.profile !== undefined, 'the profile was republished too')
    assert.ok(renewed.profile.sequence > (first.profile?.sequence ?? 0n))
    await assert.rejects(resolver.registry.resolve('forgotten'), { name: 'NameNotFoundError' })
  })

  test('a new listening address is republished in the profile within seconds', async () => {
    const [, , resolver, mover] = nodes as [TestNode, TestNode, TestNode, TestNode]
    mover.registry.start()
    await waitFor(async () => {
      try {
        return (await resolver.registry.profile(mover.libp2p.peerId)).addresses.length > 0
      } catch {
        return false
      }
    })
    const before = mover.libp2p.getMultiaddrs().map(a => a.toString())
    // libp2p 3 has no public "listen on one more address": its transport manager does it
    const { transportManager } = (mover.libp2p as unknown as { components: { transportManager: TransportManager } })
      .components
    await transportManager.listen([multiaddr('/ip4/127.0.0.1/tcp/0')])
    const after = mover.libp2p.getMultiaddrs().map(a => a.toString())
    const added = after.filter(a => !before.includes(a))
    assert.equal(added.length, 1)
    await waitFor(async () => {
      clock.advance(PROFILE_CACHE_MS + 1) // past the resolver's profile cache
      const profile = await resolver.registry.profile(mover.libp2p.peerId)
      return profile.addresses.some(a => a.toString() === added[0])
    }, 30_000)
  })

  test('a resolve with cache: false (what `parley resolve` asks for) shows a new address without waiting out the profile cache, and refreshes it', async () => {
    const [, owner, resolver] = nodes as [TestNode, TestNode, TestNode]
    owner.registry.start()
    await owner.registry.register('mover', {})
    const cached = await resolver.registry.resolve('mover')
    assert.ok(cached.profile !== undefined)
    const { transportManager } = (owner.libp2p as unknown as { components: { transportManager: TransportManager } })
      .components
    const before = owner.libp2p.getMultiaddrs().map(a => a.toString())
    await transportManager.listen([multiaddr('/ip4/127.0.0.1/tcp/0')])
    const added = owner.libp2p
      .getMultiaddrs()
      .find(a => !before.includes(a.toString()))!
      .toString()
    let fresh: Resolution | undefined
    await waitFor(async () => {
      fresh = await resolver.registry.resolve('mover', { cache: false })
      return fresh.profile?.addresses.some(a => a.toString() === added) === true
    }, 30_000)
    assert.ok(fresh!.profile!.sequence > cached.profile.sequence)
    // the fresh answer refreshed the cache: a plain resolve now shows it too
    const after = await resolver.registry.resolve('mover')
    assert.equal(after.profile?.sequence, fresh!.profile!.sequence)
  })
})

describe('a publish that reached too few peers', { timeout: 120_000 }, () => {
  test('does not count as done: the owner publishes again soon, not in 6 h', async () => {
    const clock = new TestClock()
    const nodes = await createNetwork(5, clock)
    try {
      const owner = nodes[0] as TestNode
      await owner.registry.register('thinly', {})
      assert.equal(await owner.registry.republish(), true, 'four peers answering: enough')
      // three of the four peers vanish without a goodbye: the routing table still lists them, and
      // one peer storing the claim is less than half of the peers the owner knows
      await stopNetwork(nodes.slice(1, 4))
      assert.ok(owner.registry.routingTableSize() >= 3)
      assert.equal(await owner.registry.republish(), false)
    } finally {
      await stopNetwork([nodes[0] as TestNode, nodes[4] as TestNode])
    }
  })
})
