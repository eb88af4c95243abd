/**
 * The libp2p node a deposit goes out from (docs/PROTOCOL.md §7.2): a fresh random Ed25519
 * identity, TCP, Noise and Yamux, nothing else (no DHT, no identify, no discovery, no listening),
 * so the community node cannot link the deposit to the sender's own peer id. Stopped after the batch.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'

export async function createThrowawayNode(): Promise<Libp2p> {
  return await createLibp2p({
    privateKey: await generateKeyPair('Ed25519'),
    addresses: { listen: [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // one dial to one community and a few streams: nothing to keep alive or to look up
    connectionMonitor: { enabled: false }
  })
}
