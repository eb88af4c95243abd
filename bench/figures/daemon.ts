/**
 * Figure 4: the daemon as a real process through the CLI: start to ready, idle RSS after one
 * minute, RSS with 1,000 messages in history.
 */
import { missing } from '../availability.ts'
import { type Figure, unavailableFigure } from '../report.ts'

const NEEDS = ['node/parley-node.ts', 'node/daemon/daemon.ts', 'node/cli/main.ts', 'node/messaging/messenger.ts']

export async function daemonFigure(_options: { quick: boolean }): Promise<Figure> {
  const absent = missing(NEEDS)
  return unavailableFigure({
    figure: 4,
    id: 'daemon',
    title: 'Daemon: start to ready, RSS',
    reason: `needs the daemon's node, not on this branch yet: ${absent.join(', ') || '(present but not wired)'}`
  })
}
