import assert from 'node:assert/strict'
import { test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { directAddresses } from '../../node/p2p/direct-path.ts'

test('a relayed peer is tried at its addresses that do not go through a relay, each naming the peer', async () => {
  const peer = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  const relay = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
  const got = directAddresses(peer, [
    multiaddr(`/ip4/198.18.0.10/tcp/4001/p2p/${relay}/p2p-circuit/p2p/${peer}`),
    multiaddr('/ip4/10.77.1.11/tcp/4242'),
    multiaddr(`/ip4/10.77.1.11/tcp/4243/p2p/${peer}`)
  ]).map(String)
  assert.deepEqual(got, [`/ip4/10.77.1.11/tcp/4242/p2p/${peer}`, `/ip4/10.77.1.11/tcp/4243/p2p/${peer}`])
  assert.deepEqual(directAddresses(peer, [multiaddr(`/ip4/1.2.3.4/tcp/1/p2p/${relay}/p2p-circuit`)]), [])
})
