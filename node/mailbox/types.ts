/**
 * The shapes the two halves of mailboxes share (issue 12, docs/PROTOCOL.md §7): the community
 * node's side (queues, deposits, quotas: `node/mailbox/server*.ts`) and the member's side (queue
 * addresses handed to contacts, sealed blobs, deposits from throwaway identities, fetching).
 */

/** Where a contact deposits for us: given only inside the end-to-end channel (§7.5). */
export interface QueueAddress {
  /** the community node's peer id */
  community: string
  /** the community node's multiaddrs (without /p2p/), at most 8 */
  addresses: string[]
  /** 16 bytes, chosen by the node */
  queueId: Uint8Array
  /** 32 bytes, chosen by the queue's owner; the node keeps only its SHA-256. Empty for a public queue. */
  credential: Uint8Array
}

/** A public contact queue as a profile lists it: first messages from strangers, proof of work (§7.4). */
export interface PublicQueue {
  community: string
  addresses: string[]
  queueId: Uint8Array
}

/** One deposit as its queue's owner receives it. */
export interface StoredDeposit {
  /** 16 bytes: the first 16 bytes of sha256(queueId || blob) */
  depositId: Uint8Array
  queueId: Uint8Array
  storedAt: number
  blob: Uint8Array
}

/** What `status --json` shows of one mailbox. */
export interface MailboxStatus {
  /** the community node's peer id */
  community: string
  /** our queues there (one per contact, and the public one) */
  queues: number
  /** contacts that handed us a queue there */
  contactQueues: number
  /** deposits waiting there for us, as far as we know (undefined: not subscribed now) */
  waiting?: number
}
