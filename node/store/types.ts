/**
 * The typed API over the store's tables (ParleyStore; openStore in index.ts builds one). The rows
 * of each table family are in their own file (contact-, message-, community-, mailbox- and
 * group-types.ts), the domain's own states in states.ts.
 */
import type { ChainRow, ContactRow, InviteRow, PrekeyRow, SessionRow } from './contact-types.ts'
import type { CommunityInviteRow, CommunityMemberRow, JoinedCommunityRow } from './community-types.ts'
import type { GroupTables } from './group-types.ts'
import type { ContactQueueRow, MailboxTable, OwnQueueRow } from './mailbox-types.ts'
import type { MessageRow, OutboxRow, SearchHit } from './message-types.ts'
import type { ContactState, Direction, MessageStatus, OutboxKind } from './states.ts'

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
    /**
     * An acked message: `delivered` at `at`, its error cleared, unless a read receipt overtook the
     * ack (read stays read); returns the status it has now, undefined when there is no such message.
     */
    markDelivered(id: string, at: number): MessageStatus | undefined
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
    /** whether any entry to the peer waits unsealed (without reading the envelopes) */
    unsealed(peerId: string): boolean
    /** removes an entry; its kind, or undefined when there was none (an ack's one statement) */
    take(messageId: string): OutboxKind | undefined
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
