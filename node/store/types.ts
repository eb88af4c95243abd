/**
 * What the store keeps about contacts and messages: the domain's own states. node/messaging builds
 * on them and node/daemon/rpc-api.ts re-exports them as parts of the wire shapes.
 */

/** A peer we talk to, one who asked to talk to us, or one we refused. */
export type ContactState = 'contact' | 'request' | 'blocked' | 'declined'

/** Outgoing: queued until acked (delivered), then read on a receipt; incoming: received. */
export type MessageStatus = 'queued' | 'delivered' | 'read' | 'failed' | 'received'

export type Direction = 'in' | 'out'

export interface Snippet {
  language: string
  /** Workspace-relative path, forward slashes. */
  path: string
  startLine: number
  endLine: number
  text: string
}
