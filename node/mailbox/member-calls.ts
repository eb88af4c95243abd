/**
 * The mailbox calls a member makes (client.ts, docs/PROTOCOL.md §7.2), as one interface: the
 * member's parts (queues.ts, collector.ts, mailbox-delivery.ts) get them as a component, so each is
 * tested alone against a real community node or a store of deposits in memory.
 */
import type { Libp2p } from '@libp2p/interface'
import type { QueueHome } from './client.ts'
import type { PublicQueue, QueueAddress, StoredDeposit } from './types.ts'

export type { QueueHome } from './client.ts'

export interface MailboxCalls {
  createQueue(
    libp2p: Libp2p,
    community: QueueHome,
    options?: { public?: boolean; signal?: AbortSignal }
  ): Promise<{ queueId: Uint8Array; credential: Uint8Array }>
  subscribe(
    libp2p: Libp2p,
    community: QueueHome,
    onDeposit: (deposit: StoredDeposit) => Promise<void> | void,
    signal: AbortSignal
  ): Promise<void>
  deleteDeposits(
    libp2p: Libp2p,
    community: QueueHome,
    depositIds: Uint8Array[],
    options?: { signal?: AbortSignal }
  ): Promise<void>
  deleteQueue(
    libp2p: Libp2p,
    community: QueueHome,
    queueId: Uint8Array,
    options?: { signal?: AbortSignal }
  ): Promise<void>
  deposit(
    address: QueueAddress | PublicQueue,
    blobs: Uint8Array[],
    options?: { signal?: AbortSignal; powDifficulty?: number; owner?: string }
  ): Promise<void>
}
