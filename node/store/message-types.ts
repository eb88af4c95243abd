/** Rows of messages (and a search's hits) and of the outbox. */
import type { Direction, MessageStatus, OutboxKind, Snippet } from './states.ts'

/** A message that matched a search, with an excerpt of its text around the match. */
export interface SearchHit {
  message: MessageRow
  /** plain text: the words around the match, `…` where text was left out */
  excerpt: string
  /** the matching words in `excerpt`: [start, end) UTF-16 offsets */
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
