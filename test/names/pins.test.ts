/**
 * Trust on first use, against the store's pins (a :memory: database) and a fake resolution.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { PeerId } from '@libp2p/interface'
import { defaultLogger } from '@libp2p/logger'
import type { NameClaim } from '../../node/names/profile.ts'
import { type KeyChangedEvent, NamePins } from '../../node/names/pins.ts'
import type { Resolution, ResolveOptions } from '../../node/names/resolver.ts'
import { openStore } from '../../node/store/index.ts'
import { keyed } from './fake-query.ts'

function resolution(name: string, owner: PeerId): Resolution {
  const claim: NameClaim = { name, peerId: owner, claimedAt: 1, sequence: 1n, expiresAt: Date.now() + 60_000 }
  const winner = { from: owner, claim, value: new Uint8Array() }
  return { claim, holders: 1, selection: { winner, holders: 1, stale: [], losers: [] } }
}

describe('TOFU pins', () => {
  test('the first key is pinned; the same key again is no change; another key is reported and not pinned', async () => {
    const store = openStore(':memory:')
    try {
      const [alice, mallory] = [await keyed(), await keyed()]
      let owner = alice.peerId
      const asked: ResolveOptions[] = []
      const changes: KeyChangedEvent[] = []
      const pins = new NamePins(
        {
          resolve: async (name, options) => {
            asked.push(options)
            return resolution(name, owner)
          },
          pins: store.pins,
          logger: defaultLogger()
        },
        { onKeyChanged: event => changes.push(event) }
      )

      const first = await pins.resolvePinned('Alice', { profile: false })
      assert.equal(first.keyChanged, false)
      assert.equal(asked[0]?.preferred, undefined, 'nothing pinned yet')
      assert.equal(asked[0]?.profile, false, 'options pass through')
      assert.equal(store.pins.get('alice')?.peerId, alice.peerId.toString(), 'pinned under the normalized name')

      const again = await pins.resolvePinned('alice')
      assert.equal(again.keyChanged, false)
      assert.ok(asked[1]?.preferred?.equals(alice.peerId), 'the pin is preferred in ties')

      owner = mallory.peerId
      const changed = await pins.resolvePinned('alice')
      assert.equal(changed.keyChanged, true)
      assert.ok(changed.claim.peerId.equals(mallory.peerId))
      assert.deepEqual(changes, [
        { name: 'alice', oldPeerId: alice.peerId.toString(), newPeerId: mallory.peerId.toString() }
      ])
      assert.equal(store.pins.get('alice')?.peerId, alice.peerId.toString(), 'the pin stays until the user accepts')
    } finally {
      store.close()
    }
  })

  test('a pin that is not a peer id prefers nobody and reports the change; no pin store pins nothing', async () => {
    const store = openStore(':memory:')
    try {
      const alice = await keyed()
      store.pins.set('alice', 'not-a-peer-id')
      const asked: ResolveOptions[] = []
      const pins = new NamePins({
        resolve: async (name, options) => {
          asked.push(options)
          return resolution(name, alice.peerId)
        },
        pins: store.pins,
        logger: defaultLogger()
      })
      assert.equal((await pins.resolvePinned('alice')).keyChanged, true)
      assert.equal(asked[0]?.preferred, undefined)

      const unpinned = new NamePins({ resolve: async name => resolution(name, alice.peerId), logger: defaultLogger() })
      assert.equal((await unpinned.resolvePinned('alice')).keyChanged, false)
      assert.equal((await unpinned.resolvePinned('alice')).keyChanged, false)
    } finally {
      store.close()
    }
  })

  test("a full query's verdict for another key than the pin is reported as a key change; for the pinned key, nothing", async () => {
    const store = openStore(':memory:')
    try {
      const [alice, mallory] = [await keyed(), await keyed()]
      const changes: KeyChangedEvent[] = []
      const pins = new NamePins(
        { resolve: async name => resolution(name, alice.peerId), pins: store.pins, logger: defaultLogger() },
        { onKeyChanged: event => changes.push(event) }
      )
      pins.observe('alice', mallory.peerId)
      assert.deepEqual(changes, [], 'nothing pinned: nothing to report')
      await pins.resolvePinned('alice')
      pins.observe('alice', alice.peerId)
      assert.deepEqual(changes, [])
      pins.observe('alice', mallory.peerId)
      assert.deepEqual(changes, [
        { name: 'alice', oldPeerId: alice.peerId.toString(), newPeerId: mallory.peerId.toString() }
      ])
      assert.equal(store.pins.get('alice')?.peerId, alice.peerId.toString(), 'the pin stays')
    } finally {
      store.close()
    }
  })
})
