/**
 * The messaging domain's public types: what the messenger shows of contacts and messages, the
 * events it emits, and what it needs of the name directory. A leaf module (types only), so every
 * part of node/messaging can import it without a cycle; node/daemon/rpc-api.ts re-exports the views
 * and events as its wire shapes.
 */
import type { ComponentLogger, Libp2p, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { SignedPrekey } from '../crypto/x3dh.ts'
import type { GroupEvents } from '../groups/types.ts'
import type { Identity } from '../identity/index.ts'
import type { ParleyStore } from '../store/index.ts'
import type { ContactState, Direction, MessageStatus, Snippet } from '../store/states.ts'
import type { MessageStatusEvent } from './status-event.ts'

export type { ContactState, Direction, MessageStatus, Snippet } from '../store/states.ts'

export type Presence = 'online' | 'offline'

/** What a send carries: Markdown text or a code snippet. */
/** mentions: peer ids a group message @mentions (ignored for a direct message) */
export type SendContent = ({ text: string } | { snippet: Snippet }) & { mentions?: string[] }

/** A queued send's id and status (queued, or delivered/read when the caller waited). */
export interface SendResult {
  id: string
  status: MessageStatus
}

/** A message that matched a search (store SearchHit, as a view). */
export interface MessageMatch {
  message: MessageView
  /** plain text around the match; `…` where text was left out */
  excerpt: string
  /** the matching words in `excerpt`: [start, end) UTF-16 offsets */
  highlights: Array<[number, number]>
  /** a group message: its group (`message.to` is the group's id) */
  group?: { id: string; title: string }
}

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
  /** A group message of ours: how many members read it (their read receipts). */
  readBy?: number
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
  /** when the session was last restarted because one side had lost it (§3.12), ms since the epoch */
  sessionRestartedAt?: number
  /** Last message preview, for lists. */
  lastMessage?: { text: string; at: number; direction: Direction }
}

/** What the messenger tells its owner (the daemon pushes each as an RPC notification of that name); group events are node/groups/types.ts's. */
export interface MessagingEvents extends GroupEvents {
  'message.received': { message: MessageView }
  'message.status': MessageStatusEvent
  'presence.changed': { peerId: string; presence: Presence; lastSeen?: number }
  'contact.request': { contact: ContactView }
  'contact.changed': { contact: ContactView }
  /**
   * The session with a peer was restarted because one side had lost it (docs/PROTOCOL.md §3.12):
   * `by: 'us'` when this node could not open the peer's messages and asked it to start over,
   * `by: 'peer'` when the peer asked and we sealed again what it had not acknowledged.
   */
  'session.restarted': { peerId: string; at: number; by: 'us' | 'peer' }
}

export type Notify = <E extends keyof MessagingEvents>(event: E, detail: MessagingEvents[E]) => void

/** What the messenger needs of a profile record (node/names/profile.ts Profile fits it). */
export interface DirectoryProfile {
  peerId: PeerId
  /** X25519 identity DH public key */
  dhKey: Uint8Array
  /** signature verified by the record validator (checked again before use) */
  prekey: SignedPrekey
  addresses: Multiaddr[]
  /** the peer's public contact queues (docs/PROTOCOL.md §7.4): where a stranger's first messages wait */
  mailboxes?: Array<{ community: string; addresses: string[]; queueId: Uint8Array }>
}

export interface Directory {
  /** resolves a name through the DHT, pins it on first use; throws NameNotFoundError / InvalidNameError.
   * keyChanged=true when the name now points at a key other than the pinned one (pin unchanged) */
  resolveName(
    name: string,
    options: { signal?: AbortSignal }
  ): Promise<{ peerId: PeerId; profile: DirectoryProfile; keyChanged: boolean }>
  /** the peer's current valid profile record from the DHT (cached briefly; `cache: false` asks the DHT); throws NotFoundError */
  profile(peerId: PeerId, options: { signal?: AbortSignal; cache?: boolean }): Promise<DirectoryProfile>
  /** our own registered name, or null */
  ownName(): string | null
  /** signs and publishes our profile record now (after a prekey rotation); absent in directories that publish nothing */
  publishProfile?(options?: { signal?: AbortSignal }): Promise<unknown>
}

/**
 * Delivery through the recipient's mailboxes when it cannot be reached directly (docs/PROTOCOL.md
 * §7.6): node/mailbox seals each envelope to the recipient and deposits it from a throwaway identity.
 */
export interface MailboxFallback {
  /**
   * Seals and deposits the entries (in order) in every mailbox of the peer; resolves to the ids at
   * least one mailbox accepted. Throws (MailboxFullError, MailboxUnreachableError, …) when none did;
   * resolves to [] when the peer has no mailbox we know of.
   */
  deposit(
    peerId: string,
    entries: Array<{ messageId: string; envelope: Uint8Array }>,
    options: { signal: AbortSignal }
  ): Promise<string[]>
}

/** What the messenger is built from (each part takes the few of these it uses). */
export interface MessengerComponents {
  libp2p: Libp2p
  identity: Identity
  store: ParleyStore
  directory: Directory
  notify: Notify
  /** delivery through mailboxes (§7.6); without it only direct and relayed paths are tried */
  mailbox?: MailboxFallback
  /** a contact handed us its mailbox queues (§7.5); `first`: it has none of ours (a new contact, or one that renewed its queues) */
  onMailboxQueues?: (peerId: string, first: boolean) => void
  /** scoped per node by the caller; each part logs under parley:dm:<part> */
  logger: ComponentLogger
}

/** Timings of the parts; tests shorten them. */
export interface MessengerInit {
  /** how long a dm stream kept open for the next delivery may sit idle; @default IDLE_STREAM_MS */
  idleStreamMs?: number
  /** @default PRESENCE_INTERVAL_MS */
  presenceIntervalMs?: number
  /** @default KEY_CHECK_INTERVAL_MS */
  keyCheckIntervalMs?: number
  /** @default PROFILE_REFRESH_MS */
  profileRefreshMs?: number
  /** @default RETRY_MIN_MS */
  retryMinMs?: number
  /** @default RETRY_MAX_MS */
  retryMaxMs?: number
  /** @default PREKEY_ROTATE_MS */
  prekeyRotateMs?: number
  /** @default PREKEY_KEEP_MS */
  prekeyKeepMs?: number
  /** @default PREKEY_CHECK_MS */
  prekeyCheckMs?: number
  /** @default MAX_PENDING_REQUESTS */
  maxPendingRequests?: number
  /** @default REQUEST_BURST */
  requestBurst?: number
  /** @default REQUEST_REFILL_MS */
  requestRefillMs?: number
  /** @default MAX_MESSAGES_PER_REQUEST */
  maxMessagesPerRequest?: number
  /** how long a delivery may try the direct path before the envelopes also go to the mailboxes; @default MAILBOX_AFTER_MS */
  mailboxAfterMs?: number
  /** the clock of prekey rotation, failing undeliverable messages and the rate of new requests; tests move it. @default Date.now */
  now?: () => number
}

/** The messaging operations the node offers its clients (node/daemon/methods.ts maps the RPC onto them). */
export interface Messaging {
  listContacts(): ContactView[]
  /** target: an invite link, a peer id or a name */
  addContact(target: string, options: { signal: AbortSignal }): Promise<ContactView>
  acceptContact(target: string, options: { signal: AbortSignal }): Promise<ContactView>
  declineContact(target: string, options: { signal: AbortSignal }): Promise<ContactView>
  blockContact(target: string, options: { signal: AbortSignal }): Promise<ContactView>
  unblockContact(target: string, options: { signal: AbortSignal }): Promise<ContactView>
  verifyContact(target: string, options: { signal: AbortSignal }): Promise<ContactView>
  /** accepts a changed key behind a pinned name; sending resumes */
  acceptKey(target: string, options: { signal: AbortSignal }): Promise<ContactView>
  invite(): Promise<string>
  /** wait: resolve once delivered (TimeoutError after timeoutMs, the message stays queued) */
  send(
    target: string,
    content: SendContent,
    options: { wait: boolean; timeoutMs: number; signal: AbortSignal }
  ): Promise<SendResult>
  /** oldest first; `before` pages backwards by storedAt. send, history and markRead also take a group (its id or `#title`, node/groups) */
  history(target: string, options: { limit: number; before?: number; signal?: AbortSignal }): Promise<MessageView[]>
  /** messages with every word of `query`, newest first; in one conversation when `target` is given */
  search(query: string, options: { target?: string; limit: number; signal?: AbortSignal }): Promise<MessageMatch[]>
  markRead(target: string, options?: { signal?: AbortSignal }): Promise<void>
  retry(id: string): Promise<SendResult>
  settings(update?: SettingsUpdate): Settings
}

/** The user's settings of the messenger. */
export interface Settings {
  /** send read receipts; @default false */
  readReceipts: boolean
  /** an outgoing message not delivered this many hours after it was queued (or retried) becomes `failed`; @default 168 (7 days) */
  failAfterHours: number
}

export type SettingsUpdate = Partial<Settings>
