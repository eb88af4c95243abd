/**
 * The JSON-RPC 2.0 contract between the daemon and its clients (the `parley` CLI and the VS Code
 * extension). One request per line (newline-delimited JSON) over the daemon's Unix socket.
 *
 * Every method validates its params; errors carry one of {@link RpcErrorCode}. Notifications
 * (no `id`) are pushed by the daemon to every connected client.
 */

/** Stable error codes. -326xx are JSON-RPC's own; 1xxx are Parley's. */
export const RpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  Internal: -32603,
  /** A name, peer or contact that does not exist (CLI exit code 2). */
  NotFound: 1001,
  /** The name is held live by another key. */
  NameTaken: 1002,
  /** The contact's key changed and the new key is not accepted yet: sending is stopped. */
  KeyChanged: 1003,
  /** The peer is blocked. */
  Blocked: 1004,
  /** The operation did not finish in time (e.g. `send --wait`, or a name lookup most DHT peers did not answer). */
  Timeout: 1005,
  /** A name breaks the name rules (the message says which). */
  InvalidName: 1006,
  // 1007 was NoName ("no name registered where one is needed"): no call ever needed one, so no call
  // returned it. Retired (issue 10); the number is not reused.
  /** An invite link that does not parse or whose secret is unknown. */
  InvalidInvite: 1008
} as const
export type RpcErrorCode = (typeof RpcErrorCode)[keyof typeof RpcErrorCode]

export type Presence = 'online' | 'offline'
export type ContactState = 'contact' | 'request' | 'blocked' | 'declined'
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

/** What `messages.send` carries: Markdown text or a code snippet. */
export type SendContent = { text: string } | { snippet: Snippet }

export interface MessageView {
  id: string
  /** Peer id of the sender. */
  from: string
  /** Peer id of the recipient. */
  to: string
  direction: Direction
  /** Markdown source for text messages; for snippets the snippet text. */
  text: string
  /** Present on code-snippet messages. */
  snippet?: Snippet
  /** Sender's clock, ms since the epoch. */
  sentAt: number
  /** Local time the message was stored (received or queued), ms since the epoch. */
  storedAt: number
  /** Time the signed ack arrived (outgoing, delivered), ms since the epoch. */
  deliveredAt?: number
  status: MessageStatus
  /** Last delivery error for outgoing messages that have not been delivered yet. */
  error?: string
}

export interface ContactView {
  peerId: string
  /** Pinned name, if the contact was added by name or announced one. */
  name?: string
  /**
   * The name the peer claims for itself in its messages (a stranger's request, an invitee). Not
   * verified: show it as a claim, never as `name`; it is never used to address the peer.
   */
  announcedName?: string
  state: ContactState
  verified: boolean
  /** A new key was seen behind the pinned name; sending stops until accepted. */
  keyChanged: boolean
  presence: Presence
  /** ms since the epoch; absent when never seen. */
  lastSeen?: number
  unread: number
  fingerprint: string
  /** Last message preview, for lists. */
  lastMessage?: { text: string; at: number; direction: Direction }
}

export interface StatusResult {
  peerId: string
  name: string | null
  addresses: string[]
  connections: number
  routingTable: number
}

export interface ResolveResult {
  name: string
  peerId: string
  fingerprint: string
  addresses: string[]
  keyChanged: boolean
}

/** Method name → [params, result]. */
export interface RpcMethods {
  'node.status': [Record<string, never>, StatusResult]
  'node.whoami': [Record<string, never>, { peerId: string; name: string | null; fingerprint: string }]
  'node.stop': [Record<string, never>, { stopping: true }]
  'names.register': [{ name: string }, { name: string; peerId: string; stored: number }]
  'names.resolve': [{ name: string }, ResolveResult]
  'peers.list': [Record<string, never>, { peers: Array<{ peerId: string; addresses: string[] }> }]
  'safety.number': [{ target: string }, { peerId: string; name?: string; safetyNumber: string }]
  'contacts.list': [Record<string, never>, { contacts: ContactView[] }]
  /** target: a name, a peer id or an invite link. */
  'contacts.add': [{ target: string }, { contact: ContactView }]
  'contacts.accept': [{ target: string }, { contact: ContactView }]
  'contacts.decline': [{ target: string }, { contact: ContactView }]
  'contacts.block': [{ target: string }, { contact: ContactView }]
  'contacts.unblock': [{ target: string }, { contact: ContactView }]
  'contacts.verify': [{ target: string }, { contact: ContactView }]
  /** Accept a changed key behind a pinned name; sending resumes. */
  'contacts.acceptKey': [{ target: string }, { contact: ContactView }]
  'invite.create': [Record<string, never>, { link: string }]
  /** Exactly one of text and snippet. wait: resolve once delivered (or Timeout after timeoutMs). */
  'messages.send': [
    {
      target: string
      text?: string
      snippet?: Snippet
      wait?: boolean
      timeoutMs?: number
    },
    { id: string; status: MessageStatus }
  ]
  /** Oldest first; `before` pages backwards by storedAt. */
  'messages.history': [{ target: string; limit?: number; before?: number }, { messages: MessageView[] }]
  /** Marks everything in the conversation read (sends read receipts if enabled). */
  'messages.markRead': [{ target: string }, { unread: 0 }]
  /** Retry a failed/queued outgoing message now. */
  'messages.retry': [{ id: string }, { id: string; status: MessageStatus }]
  'settings.get': [Record<string, never>, { readReceipts: boolean }]
  'settings.set': [{ readReceipts?: boolean }, { readReceipts: boolean }]
}

export type RpcMethod = keyof RpcMethods
export type RpcParams<M extends RpcMethod> = RpcMethods[M][0]
export type RpcResult<M extends RpcMethod> = RpcMethods[M][1]

/** Notification name → params. */
export interface RpcNotifications {
  'message.received': { message: MessageView }
  'message.status': {
    id: string
    peerId: string
    status: MessageStatus
    deliveredAt?: number
    error?: string
  }
  'presence.changed': { peerId: string; presence: Presence; lastSeen?: number }
  'contact.request': { contact: ContactView }
  'contact.changed': { contact: ContactView }
  /** A pinned name now resolves to another key. */
  'key.changed': { name: string; oldPeerId: string; newPeerId: string }
  'name.changed': { name: string | null }
  'node.addresses': { addresses: string[] }
}

export type RpcNotification = keyof RpcNotifications
