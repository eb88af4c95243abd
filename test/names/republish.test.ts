import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { RECORD_LIFETIME_MS } from '../../node/names/constants.ts'
import { createNetwork, stopNetwork, TestClock, type TestNode } from './helpers.ts'

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
})
