/**
 * When is "no claim" an answer? Only when the DHT answered. A node with no DHT peers, or whose
 * query mostly failed, says LookupFailedError (RPC code Timeout, CLI exit 1) instead of
 * NameNotFoundError (exit 2): a user offline is not told that a taken name is free.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { createNetwork, createTestNode, stopNetwork, TestClock, type TestNode } from './helpers.ts'

describe('lookups the DHT could not answer', { timeout: 300_000 }, () => {
  const clock = new TestClock()
  let nodes: TestNode[] = []

  before(async () => {
    nodes = await createNetwork(5, clock)
    await nodes[1]!.registry.register('alice', {})
  })

  after(() => stopNetwork(nodes))

  test('a node with no DHT peers cannot look a name up', async () => {
    const lone = await createTestNode(clock)
    try {
      await assert.rejects(lone.registry.resolve('alice'), {
        name: 'LookupFailedError',
        message: /not connected to any DHT peer/
      })
    } finally {
      await stopNetwork([lone])
    }
  })

  test('with the peers answering, an unclaimed name is not found and a claimed one resolves', async () => {
    const resolver = nodes[0]!
    await assert.rejects(resolver.registry.resolve('nobody', { profile: false }), { name: 'NameNotFoundError' })
    const stranger = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    await assert.rejects(resolver.registry.profile(stranger), { name: 'NotFoundError' })
    const r = await resolver.registry.resolve('alice', { profile: false })
    assert.ok(r.claim.peerId.equals(nodes[1]!.libp2p.peerId))
  })

  test('when most peers asked fail, a name is not reported free', async () => {
    const resolver = nodes[0]!
    // the others vanish without a goodbye: the resolver's routing table still lists them
    await stopNetwork(nodes.slice(1))
    nodes = [resolver]
    await assert.rejects(resolver.registry.resolve('nobody', { profile: false }), {
      name: 'LookupFailedError',
      message: /peers asked did not answer; try again/
    })
    const stranger = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    await assert.rejects(resolver.registry.profile(stranger), {
      name: 'LookupFailedError',
      message: /profile of .* peers asked did not answer/
    })
  })
})
