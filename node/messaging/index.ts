/**
 * Messaging: contacts, sending through a durable outbox, delivery with signed acks, receiving,
 * presence and key re-checks (docs/PROTOCOL.md §3.10–3.11 and §4). The public types and the
 * factory; messenger.ts wires the parts.
 */
import { defaultLogger } from '@libp2p/logger'
import { Messenger } from './messenger.ts'
import type { MessengerComponents, MessengerInit } from './types.ts'

export { DM_PROTOCOL } from './constants.ts'
export * from './errors.ts'
export { Messenger } from './messenger.ts'
export type * from './types.ts'

/** A messenger for one node; `logger` defaults to one that logs under parley:dm:<part>. */
export function createMessenger(
  components: Omit<MessengerComponents, 'logger'> & { logger?: MessengerComponents['logger'] },
  init: MessengerInit = {}
): Messenger {
  return new Messenger({ ...components, logger: components.logger ?? defaultLogger() }, init)
}
