/**
 * The domain's own states, which the rows build on: node/messaging builds on them and
 * node/daemon/rpc-api.ts re-exports them as parts of the wire shapes.
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

/**
 * message: a message row goes with it; receipt: a read receipt; queues: our mailbox queues for the
 * contact (§7.5); group: a group frame to one member (node/groups), no row in messages
 */
export type OutboxKind = 'message' | 'receipt' | 'queues' | 'group'
