/**
 * One node's loggers: each component's name (parley:dm:outbox, …) followed by the end of the node's
 * peer id, so that with many nodes in one process (tests, benchmarks) `DEBUG=parley:*` still tells
 * them apart, and `DEBUG='*:<tag>'` follows one node.
 */
import type { ComponentLogger, PeerId } from '@libp2p/interface'
import { logger } from '@libp2p/logger'

export function nodeLogger(peerId: PeerId): ComponentLogger {
  const tag = peerId.toString().slice(-6)
  return { forComponent: (name: string) => logger(`${name}:${tag}`) }
}
