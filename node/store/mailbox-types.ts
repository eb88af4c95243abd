/** Rows of the mailboxes: a community node's queues and deposits (its MailboxTable), a member's own queues and its contacts' queue addresses. */

/** The mailboxes of a community node: members' queues and the deposits in them (docs/PROTOCOL.md §7). */
export interface MailboxTable {
  createQueue(row: Omit<MailboxQueueRow, 'deposits' | 'bytes'>): void
  queue(queueId: Uint8Array): MailboxQueueRow | undefined
  /** the member's queues, deposits and bytes (zeros for a member without queues) */
  usage(owner: string): MailboxUsage
  /** every owner's usage, for `community members` */
  usageByOwner(): Map<string, MailboxUsage>
  /** false when the owner has no such queue; its deposits go with it */
  deleteQueue(owner: string, queueId: Uint8Array): boolean
  /** every queue of the owner and their deposits (a removed member); the number of queues dropped */
  deleteOwner(owner: string): number
  /** owners of at least one queue */
  owners(): string[]
  hasDeposit(depositId: Uint8Array): boolean
  /** stores a deposit; false when one with its id is already stored */
  addDeposit(row: MailboxDepositRow): boolean
  /** the owner's deposits stored after `seq` (0: from the first), oldest first */
  depositsAfter(owner: string, seq: number, limit: number): Array<MailboxDepositRow & { seq: number }>
  /** forgets these deposits of the owner's queues; the number forgotten */
  deleteDeposits(owner: string, depositIds: Uint8Array[]): number
  /** forgets every deposit stored before `before`; the number forgotten */
  expire(before: number): number
}

export interface MailboxQueueRow {
  queueId: Uint8Array
  /** the member's peer id */
  owner: string
  /** sha256 of the deposit credential; undefined for a public queue */
  credentialHash?: Uint8Array
  public: boolean
  createdAt: number
  /** deposits and bytes of blobs in it now */
  deposits: number
  bytes: number
}

export interface MailboxDepositRow {
  depositId: Uint8Array
  queueId: Uint8Array
  storedAt: number
  blob: Uint8Array
}

export interface MailboxUsage {
  queues: number
  deposits: number
  bytes: number
}

/** A queue we created at a community we joined (docs/PROTOCOL.md §7.5). */
export interface OwnQueueRow {
  /** 16 bytes, chosen by the community node */
  queueId: Uint8Array
  /** the community node's peer id */
  community: string
  /** 32 bytes (empty for a public queue): only its SHA-256 is at the node */
  credential: Uint8Array
  public: boolean
  /** the contact it is for; undefined for the public queue */
  contact?: string
  createdAt: number
}

/** A queue address a contact handed us: where we deposit for it. */
export interface ContactQueueRow {
  community: string
  /** multiaddrs without /p2p/ */
  addresses: string[]
  queueId: Uint8Array
  credential: Uint8Array
}
