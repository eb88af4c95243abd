/**
 * The registry only wires its parts; what it owes its caller beyond them is that every part logs
 * through the caller's logger (one per node), each under its own component.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { ComponentLogger } from '@libp2p/interface'
import { defaultLogger } from '@libp2p/logger'
import { generateIdentityKeys, identityFromKeys } from '../../node/identity/index.ts'
import { NameRegistry } from '../../node/names/registry.ts'
import type { ParleyLibp2p } from '../../node/p2p/index.ts'

describe('the name registry', () => {
  test("each part logs under its own component of the caller's logger", async () => {
    const identity = await identityFromKeys(await generateIdentityKeys(), true)
    const components: string[] = []
    const logger: ComponentLogger = {
      forComponent: name => {
        components.push(name)
        return defaultLogger().forComponent(name)
      }
    }
    // construction reads these only
    const libp2p = { peerId: identity.peerId, services: { dht: {} }, peerStore: {} } as unknown as ParleyLibp2p
    const registry = new NameRegistry({ libp2p, identity, logger })
    assert.deepEqual(components.sort(), [
      'parley:names:pins',
      'parley:names:profiles',
      'parley:names:publish',
      'parley:names:query',
      'parley:names:republish',
      'parley:names:resolve'
    ])
    assert.equal(registry.routingTableSize(), 0, 'a DHT without a routing table has no peers')
    assert.equal(registry.ownName(), null)
  })
})
