/**
 * PeerAddresses alone: the refresh of an unreachable peer's addresses asks the DHT (not the profile
 * cache), at once and then at intervals that double, and hands the addresses to the peer store.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { multiaddr } from '@multiformats/multiaddr'
import { PeerAddresses } from '../../../node/messaging/peers.ts'
import type { DirectoryProfile } from '../../../node/messaging/types.ts'
import { identity, logger } from './fakes.ts'

describe('peer addresses', () => {
  it("a refresh asks the DHT for the peer's profile (a cached one may predate its relay address), at intervals that double", async () => {
    const bob = await identity()
    const relayed = multiaddr(`/ip4/198.18.0.2/tcp/4001/p2p/${bob.peerId}/p2p-circuit`)
    const asked: Array<{ cache?: boolean }> = []
    const merged: Multiaddr[][] = []
    const peers = new PeerAddresses(
      {
        libp2p: {
          peerStore: {
            merge: async (_peer: PeerId, data: { multiaddrs: Multiaddr[] }) => {
              merged.push(data.multiaddrs)
            }
          },
          getConnections: () => []
        } as never,
        directory: {
          profile: async (peerId: PeerId, options: { cache?: boolean }) => {
            asked.push({ cache: options.cache })
            return { peerId, addresses: [relayed] } as unknown as DirectoryProfile
          }
        },
        logger
      },
      { profileRefreshMs: 12_000 }
    )
    await peers.refresh(bob.peerId.toString())
    assert.deepEqual(asked, [{ cache: false }])
    assert.deepEqual(
      merged.map(m => m.map(String)),
      [[relayed.toString()]]
    )
    await peers.refresh(bob.peerId.toString())
    assert.equal(asked.length, 1, 'not again within the first interval (1 s, a twelfth of 12 s)')
    await new Promise(resolve => setTimeout(resolve, 1_100))
    await peers.refresh(bob.peerId.toString())
    assert.equal(asked.length, 2, 'again after the first interval')
    await peers.refresh(bob.peerId.toString())
    assert.equal(asked.length, 2, 'not again within the second, twice as long')
  })
})
