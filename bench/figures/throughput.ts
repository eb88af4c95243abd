/**
 * Figure 2: sustained 1 KiB messages per second from one sender to one receiver, every message
 * acked and durable, against the crypto-bound rate (crypto.ts): one core doing exactly the
 * node:crypto operations of a message and nothing else. Goal: at least 60% of it.
 */
import { missing } from '../availability.ts'
import { type Figure, unavailableFigure } from '../report.ts'
import { round } from '../stats.ts'
import type { CryptoBaseline } from './crypto.ts'

const NEEDS = ['node/parley-node.ts', 'node/messaging/messenger.ts', 'node/store/index.ts', 'node/p2p/index.ts']

export async function throughputFigure(options: { quick: boolean; crypto: CryptoBaseline }): Promise<Figure> {
  const absent = missing(NEEDS)
  return unavailableFigure({
    figure: 2,
    id: 'throughput',
    title: 'Sustained 1 KiB throughput, acked + durable',
    reason: `needs the node, not on this branch yet: ${absent.join(', ') || '(present but not wired)'}`,
    measurements: [
      {
        id: 'crypto-bound-rate',
        label: 'crypto-bound rate (1 core, raw node:crypto)',
        value: round(options.crypto.cryptoBoundRate),
        unit: 'msg/s'
      }
    ]
  })
}
