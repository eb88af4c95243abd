/** Rows of group conversations (node/groups, issue 13) and their tables (GroupTables, group-tables.ts). */
import type { Direction, Snippet } from './states.ts'

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

/** A group message that matched a search. */
export interface GroupSearchHit {
  message: GroupMessageRow
  excerpt: string
  highlights: Array<[number, number]>
}
