/**
 * Figure 3: names in a 100-node DHT on 127.0.0.1 in one process: register time, resolve time from
 * random nodes (p50/p99), then the share of names that still resolve after 30% of the nodes stop.
 * Goals: resolve p50 < 100 ms, p99 < 500 ms, 100% after churn.
 */
import { missing } from '../availability.ts'
import { type Figure, unavailableFigure } from '../report.ts'

const NEEDS = ['node/names/index.ts', 'node/p2p/index.ts']

export async function namesFigure(_options: { quick: boolean }): Promise<Figure> {
  const absent = missing(NEEDS)
  return unavailableFigure({
    figure: 3,
    id: 'names',
    title: 'Names in a DHT: register, resolve, churn',
    reason: `needs the names registry, not on this branch yet: ${absent.join(', ') || '(present but not wired)'}`
  })
}
