/**
 * Figure 4's baseline: a plain libp2p 3 process with the modules Parley's daemon runs (TCP, Noise,
 * Yamux, identify, ping, kad-dht in server mode on a private protocol) and nothing of Parley: no
 * identity file, no SQLite, no RPC socket, no messaging. It prints the same `{"event":"ready"}` line
 * as `parley daemon --json`, then idles until SIGTERM.
 *
 *   node bench/baseline-daemon.ts [--bootstrap <multiaddr>]...
 */
import { parseArgs } from 'node:util'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { bootstrap } from '@libp2p/bootstrap'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'

const { values } = parseArgs({ options: { bootstrap: { type: 'string', multiple: true } } })
const list = values.bootstrap ?? []
const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  peerDiscovery: list.length > 0 ? [bootstrap({ list })] : [],
  services: {
    identify: identify(),
    ping: ping(),
    dht: kadDHT({ protocol: '/parley-bench/kad/1.0.0', clientMode: false, peerInfoMapper: passthroughMapper })
  }
})
process.stdout.write(
  `${JSON.stringify({
    event: 'ready',
    peerId: node.peerId.toString(),
    addresses: node.getMultiaddrs().map(a => a.toString())
  })}\n`
)
await new Promise<void>(resolve => {
  process.once('SIGTERM', () => resolve())
  process.once('SIGINT', () => resolve())
})
await node.stop()
process.exit(0)
