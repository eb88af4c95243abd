/**
 * What the store keeps: the domain's own states (node/messaging builds on them and
 * node/daemon/rpc-api.ts re-exports them as parts of the wire shapes), the rows of each table, and
 * the typed API over them (ParleyStore; openStore in index.ts builds one).
 */

/** A peer we talk to, one who asked to talk to us, or one we refused. */
export type ContactState = 'contact' | 'request' | 'blocked' | 'declined'

/**
 * Outgoing: queued until acked (delivered), then read on a receipt; stored while one of the
 * recipient's mailboxes holds it and the recipient has not acked it yet; incoming: received.
 */
export type MessageStatus = 'queued' | 'stored' | 'delivered' | 'read' | 'failed' | 'received'

export type Direction = 'in' | 'out'

export interface Snippet {
  language: string
  /** Workspace-relative path, forward slashes. */
  path: string
  startLine: number
  endLine: number
  text: string
}

export interface ContactRow {
  peerId: string
  /** a name we resolved or were given (contact add NAME, invite link); used to address the contact */
  name?: string
  /** the name the peer claims in its messages: a display hint, never used to address it */
  announcedName?: string
  state: ContactState
  verified: boolean
  keyChanged: boolean
  lastSeen?: number
  /** multiaddrs learnt from an invite link or a profile */
  addresses: string[]
  /** when the session with this peer was last restarted (one side had lost it, docs/PROTOCOL.md §3.12) */
  sessionRestartedAt?: number
  createdAt: number
  updatedAt: number
}

export interface SessionRow {
  peerId: string
  handshakeId: Uint8Array
  /** RatchetSession.serialize() */
  state: Uint8Array
  current: boolean
  updatedAt: number
}

export interface ChainRow {
  seq: number
  hash: Uint8Array
}

/** A message that matched a search, with an excerpt of its text around the match. */
export interface SearchHit {
  message: MessageRow
  /** plain text: the words around the match, `…` where text was left out */
  excerpt: string
  /** the matching words in `excerpt`: [start, end) UTF-16 offsets */
  highlights: Array<[number, number]>
}

/** A group message that matched a search. */
export interface GroupSearchHit {
  message: GroupMessageRow
  excerpt: string
  highlights: Array<[number, number]>
}

export interface MessageRow {
  /** 32 hex characters (the 16-byte envelope id) */
  id: string
  peerId: string
  direction: Direction
  text: string
  snippet?: Snippet
  sentAt: number
  storedAt: number
  seq: number
  prevHash: Uint8Array
  status: MessageStatus
  deliveredAt?: number
  error?: string
  unread: boolean
  outOfOrder: boolean
}

/**
 * message: a message row goes with it; receipt: a read receipt; queues: our mailbox queues for the
 * contact (§7.5); group: a group frame to one member (node/groups), no row in messages
 */
export type OutboxKind = 'message' | 'receipt' | 'queues' | 'group'

export interface OutboxRow {
  messageId: string
  peerId: string
  seq: number
  /** the sealed Envelope bytes, resent byte-identical */
  envelope: Uint8Array
  attempts: number
  nextAttempt: number
  lastError?: string
  kind: OutboxKind
  /** when one of the recipient's mailboxes accepted it (docs/PROTOCOL.md §7.6) */
  depositedAt?: number
}

/** One of our signed prekeys (docs/PROTOCOL.md §3.2): the current one, or a retired one kept a while. */
export interface PrekeyRow {
  id: number
  /** X25519 private key */
  privateKey: Uint8Array
  /** Ed25519 signature, domain parley/prekey/1 */
  signature: Uint8Array
  createdAt: number
  /** when a newer prekey replaced it; absent for the current one */
  retiredAt?: number
}

export interface InviteRow {
  secret: string
  createdAt: number
  usedAt?: number
  usedBy?: string
}

export interface ParleyStore {
  /**
   * runs fn in one BEGIN IMMEDIATE … COMMIT transaction (ROLLBACK on throw); nested calls join the
   * outer one. `durable: false` commits without waiting for the fsync (WAL, synchronous=NORMAL):
   * atomic and safe against a crash of the process, but power loss may roll it back together with
   * the commits after it; only for state whose loss the protocol repairs (docs/SECURITY.md).
   * @default { durable: true }
   */
  transaction<T>(fn: () => T, options?: { durable?: boolean }): T
  /**
   * runs fn inside the current transaction (a new one when there is none) behind a savepoint: when
   * fn throws, only its own writes are undone and the error is rethrown; the transaction goes on.
   */
  savepoint<T>(fn: () => T): T
  /**
   * resolves once every commit so far is durable: the `durable: false` commits since the last
   * durable one are fsync'd off the event loop (one fdatasync of the WAL for every caller waiting
   * meanwhile). `transaction(fn, { durable: false })` then `await sync()` is as durable as a default
   * transaction once sync resolves, without blocking the thread for the fsync: for the message
   * path, which must not act on the commit (network, ack) before sync resolves.
   */
  sync(): Promise<void>
  /** TOFU pins: name → peer id, first use wins until the user accepts a new key */
  pins: {
    get(name: string): { peerId: string; pinnedAt: number } | undefined
    set(name: string, peerId: string): void
  }
  /** the node's settings, one typed value each */
  settings: {
    /** send read receipts when a conversation is read; @default false */
    readReceipts(): boolean
    setReadReceipts(on: boolean): void
    /** the name we registered (the registry keeps it across restarts), or undefined */
    ownName(): string | undefined
    setOwnName(name: string | undefined): void
    /** how long an outgoing message may stay undeliverable before it is failed; @default 7 days */
    failAfterMs(): number
    setFailAfterMs(ms: number): void
  }
  /** our signed prekeys: the current one and the retired ones still kept */
  prekeys: {
    /** the newest prekey not retired */
    current(): PrekeyRow | undefined
    get(id: number): PrekeyRow | undefined
    add(row: Omit<PrekeyRow, 'retiredAt'>): void
    /** retires every prekey but `keep` at `at` (those already retired keep their time) */
    retireAllBut(keep: number, at: number): void
    /** deletes the prekeys retired at or before `before`; returns how many */
    prune(before: number): number
  }
  /**
   * the secret of the invite link we used to add a peer, which our first envelope to it carries
   * (docs/PROTOCOL.md §4); deleted once that envelope is sealed
   */
  inviteSecrets: {
    get(peerId: string): string | undefined
    set(peerId: string, secret: string): void
    delete(peerId: string): void
  }
  contacts: {
    get(peerId: string): ContactRow | undefined
    byName(name: string): ContactRow | undefined
    list(): ContactRow[]
    /** how many contacts are in this state */
    count(state: ContactState): number
    /** inserts or replaces the whole row */
    put(row: ContactRow): void
  }
  sessions: {
    current(peerId: string): SessionRow | undefined
    get(peerId: string, handshakeId: Uint8Array): SessionRow | undefined
    /** every session with the peer, the current one first, then the most recently used */
    all(peerId: string): SessionRow[]
    /** stores a session; `current` makes it the peer's only current one */
    put(peerId: string, handshakeId: Uint8Array, state: Uint8Array, current: boolean): void
    /** no session with the peer is current any more (the next seal starts a new one); all are kept for decrypting */
    retire(peerId: string): void
  }
  chains: {
    get(peerId: string, direction: Direction): ChainRow | undefined
    set(peerId: string, direction: Direction, chain: ChainRow): void
    delete(peerId: string, direction: Direction): void
  }
  messages: {
    get(id: string): MessageRow | undefined
    /**
     * Messages whose text has every word of `query` (case and diacritics ignored; the last word as
     * a prefix when no message has it whole), newest stored first, in one conversation when `peerId`
     * is given.
     */
    search(query: string, options: { peerId?: string; limit: number }): SearchHit[]
    insert(row: MessageRow): void
    /** oldest first: the `limit` newest messages stored before `before` (storedAt, exclusive) */
    history(peerId: string, options: { limit: number; before?: number }): MessageRow[]
    update(id: string, patch: Partial<Pick<MessageRow, 'status' | 'deliveredAt' | 'error' | 'seq' | 'prevHash'>>): void
    /** marks incoming messages read; returns their ids */
    markRead(peerId: string): string[]
    unread(peerId: string): number
    /** how many messages the peer sent us that we stored */
    countFrom(peerId: string): number
    last(peerId: string): MessageRow | undefined
  }
  outbox: {
    add(row: Omit<OutboxRow, 'attempts' | 'lastError'>): void
    get(messageId: string): OutboxRow | undefined
    /** stores the sealed envelope of an entry queued before it could be sealed */
    seal(messageId: string, seq: number, envelope: Uint8Array): void
    /** a peer's pending entries in queue order (= seq order; unsealed ones have an empty envelope) */
    forPeer(peerId: string): OutboxRow[]
    /** peers with something pending */
    peers(): Array<{ peerId: string; nextAttempt: number }>
    remove(messageId: string): boolean
    failed(messageIds: string[], error: string, nextAttempt: number): void
    /** entries of outgoing messages still `queued` that were queued (or retried) at or before `queuedBefore` */
    queuedSince(peerId: string, queuedBefore: number): string[]
    /** entries no timer retries (failed messages): they go again on `release`, or along with a later entry to the peer */
    hold(messageIds: string[], error: string): void
    /** makes a held (or any) entry due at `at`, its fail-after time counting from `at` again */
    release(messageId: string, at: number): void
    /** forgets the sealed envelopes of every entry to the peer: they are sealed again, in order, before the next delivery */
    unseal(peerId: string): void
    /** makes every pending envelope to the peer due at `at` (writes only when one is due later) */
    reschedule(peerId: string, at: number): void
    /** one of the recipient's mailboxes accepted these entries at `at` */
    deposited(messageIds: string[], at: number): void
  }
  invites: {
    create(secret: string): void
    get(secret: string): InviteRow | undefined
    /** marks an unused invite used by peerId; false when unknown or already used */
    use(secret: string, peerId: string): boolean
  }
  /** the community this node runs (`daemon --community`): its invites and its allowlist */
  community: {
    /** stores an invite's secret hash with its uses and expiry */
    createInvite(secretHash: Uint8Array, uses: number, expiresAt: number): void
    /** the invite with this secret hash, or undefined */
    invite(secretHash: Uint8Array): CommunityInviteRow | undefined
    /** takes one use of the invite; false when none is left */
    useInvite(secretHash: Uint8Array): boolean
    member(peerId: string): CommunityMemberRow | undefined
    memberByName(name: string): CommunityMemberRow[]
    members(): CommunityMemberRow[]
    /** adds the member, or updates the name of one already in */
    addMember(row: CommunityMemberRow): void
    /** false when the peer was not a member */
    removeMember(peerId: string): boolean
    /** sets a member's relay limits (undefined: the community's default, none) */
    setMemberLimits(peerId: string, limits: { relayDurationMs?: number; relayDataBytes?: number }): boolean
  }
  /** the communities this node joined as a member */
  communities: {
    list(): JoinedCommunityRow[]
    get(peerId: string): JoinedCommunityRow | undefined
    put(row: JoinedCommunityRow): void
    /** false when not joined */
    remove(peerId: string): boolean
  }
  /** a member's mailboxes (docs/PROTOCOL.md §7.5): our queues, our contacts' queues */
  mailboxes: {
    /** every queue we created, oldest first */
    queues(): OwnQueueRow[]
    queue(queueId: Uint8Array): OwnQueueRow | undefined
    /** our queue at `community` for `contact` (undefined: the public queue) */
    queueFor(community: string, contact: string | undefined): OwnQueueRow | undefined
    addQueue(row: OwnQueueRow): void
    /** false when there was no such queue */
    removeQueue(queueId: Uint8Array): boolean
    /** the queue addresses the contact handed us, in its order */
    contactQueues(peerId: string): ContactQueueRow[]
    /**
     * replaces the contact's queue addresses; true when it wants ours: we held none of its queues
     * and never handed ours, or it renewed a queue at a community (it gave ours up and became a
     * contact again)
     */
    setContactQueues(peerId: string, queues: ContactQueueRow[]): boolean
    /** the contact's X25519 identity DH key as its profile last gave it */
    dhKey(peerId: string): Uint8Array | undefined
    setDhKey(peerId: string, dhKey: Uint8Array): void
    /** when we last handed the contact our queues, or undefined */
    queuesSentAt(peerId: string): number | undefined
    setQueuesSentAt(peerId: string, at: number): void
    /** the peer is no longer a contact (blocked, declined): its queue addresses and our hand-over forgotten */
    forgetContact(peerId: string): void
  }
  seen: {
    has(id: string): boolean
    add(id: string, peerId: string): void
  }
  /** the mailboxes this community node keeps for its members (issue 12, mailbox-tables.ts) */
  mailbox: MailboxTable
  /** group conversations (node/store/group-tables.ts) */
  groups: GroupTables
  close(): void
}

export interface CommunityInviteRow {
  usesLeft: number
  expiresAt: number
  createdAt: number
}

export interface CommunityMemberRow {
  peerId: string
  /** the name the member gave when joining (its own claim, not checked by the community) */
  name?: string
  joinedAt: number
  /** per-member relay limits; undefined = the community's defaults */
  relayDurationMs?: number
  relayDataBytes?: number
}

export interface JoinedCommunityRow {
  peerId: string
  /** the community's multiaddrs without /p2p/ */
  addresses: string[]
  joinedAt: number
}

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

// ---------------------------------------------------------------- groups (node/groups, issue 13)

export interface GroupRow {
  /** 16 bytes, hex */
  id: string
  title: string
  /** peer ids, sorted */
  members: string[]
  admins: string[]
  /** peers taken out by the log (a message from one of them is refused, not kept for later) */
  removed: string[]
  /** hashes (hex) of the log's heads: the parents of our next event */
  heads: string[]
  /** we were a member and are no longer (left or removed): history stays, sending stops */
  left: boolean
  /** our hash chain as a sender in this group: the last seq and its hash */
  outSeq: number
  outHash: Uint8Array
  /** the largest lamport value seen in the group (ours included) */
  lamport: number
  createdAt: number
  updatedAt: number
}

export interface GroupChainRow {
  groupId: string
  sender: string
  signingKey: Uint8Array
  signingPrivate?: Uint8Array
  iteration: number
  chainKey: Uint8Array
  /** iteration → message key */
  skipped: Map<number, Uint8Array>
  /** our own chain that seals now (at most one per group) */
  current: boolean
}

export interface GroupMessageRow {
  id: string
  groupId: string
  sender: string
  direction: Direction
  text: string
  snippet?: Snippet
  mentions: string[]
  sentAt: number
  storedAt: number
  seq: number
  lamport: number
  unread: boolean
  /** ours: the GroupMessage bytes handed to every member */
  wire?: Uint8Array
}

export interface GroupTables {
  get(id: string): GroupRow | undefined
  list(): GroupRow[]
  put(row: GroupRow): void
  /** the encoded GroupEvent of each event of the group's log */
  events(groupId: string): Uint8Array[]
  /** false when the event was already there */
  addEvent(groupId: string, hash: string, event: Uint8Array): boolean
  chain(groupId: string, sender: string, signingKey: Uint8Array): GroupChainRow | undefined
  /** every chain of the group this store holds (ours and the members') */
  chains(groupId: string): GroupChainRow[]
  /** our chain that seals now */
  currentChain(groupId: string): GroupChainRow | undefined
  putChain(row: GroupChainRow): void
  /** our chains stop sealing (a member left or was removed: the next send starts a new chain) */
  retireChains(groupId: string): void
  /** drops every chain of a sender (taken out of the group) */
  dropChains(groupId: string, sender: string): void
  /** the members our chain `signingKey` was sent to */
  distributed(groupId: string, signingKey: Uint8Array): Set<string>
  markDistributed(groupId: string, signingKey: Uint8Array, member: string): void
  /** a sender's hash chain in the group: the last seq stored and its hash */
  senderChain(groupId: string, sender: string): { seq: number; hash: Uint8Array } | undefined
  setSenderChain(groupId: string, sender: string, seq: number, hash: Uint8Array): void
  /** false when a message with this id is already stored */
  insertMessage(m: GroupMessageRow): boolean
  message(id: string): GroupMessageRow | undefined
  /** full-text search of group messages (as messages.search), newest first; in one group when groupId is given */
  search(query: string, options: { groupId?: string; limit: number }): GroupSearchHit[]
  /** in display order (lamport, sender, seq), oldest first; `before`: lamport bound, exclusive */
  history(groupId: string, options: { limit: number; before?: number }): GroupMessageRow[]
  unread(groupId: string): number
  /** marks the group's messages read; returns those that were unread, with their senders */
  markRead(groupId: string): Array<{ id: string; sender: string }>
  /** a pairwise outbox entry `entryId` carries a group frame to `member` (message: one of our group messages; frame: a control frame) */
  addOutgoing(o: { entryId: string; groupId: string; member: string; messageId?: string; frame?: Uint8Array }): void
  /** the group message an outbox entry carries (undefined for a control frame) */
  outgoingMessage(entryId: string): string | undefined
  /** the frame an outbox entry carries (for sealing it later) */
  outgoingFrame(entryId: string): Uint8Array | undefined
  /** how many members our message went to, and how many acked it (their entries left the outbox) */
  deliveries(messageId: string): { members: number; delivered: number; read: number }
  /** `member` read our messages `ids` (its read receipt): the ids newly marked, each with its group */
  markReadBy(member: string, ids: string[], at: number): Array<{ id: string; groupId: string }>
  /** keeps a frame until the group, the sender's membership or its chain is known; drops the oldest past `max` */
  addPending(groupId: string, from: string, frame: Uint8Array, max: number): void
  pending(groupId: string): Array<{ rowid: number; from: string; frame: Uint8Array }>
  removePending(rowid: number): void
}
