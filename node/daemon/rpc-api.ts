/**
 * The JSON-RPC 2.0 contract between the daemon and its clients (the `parley` CLI and the VS Code
 * extension). One request per line (newline-delimited JSON) over the daemon's Unix socket.
 *
 * Every method validates its params; errors carry one of {@link RpcErrorCode}. Notifications
 * (no `id`) are pushed by the daemon to every connected client.
 */
import type { CommunityView, MemberView } from '../community/types.ts'
import type { MailboxStatus } from '../mailbox/types.ts'
import type { GroupView } from '../groups/types.ts'
import type {
  ContactView,
  MessageMatch,
  MessageView,
  MessagingEvents,
  SendResult,
  Settings,
  SettingsUpdate,
  Snippet
} from '../messaging/types.ts'

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
  /** An invite link (contact or community) that does not parse or whose secret is unknown. */
  InvalidInvite: 1008,
  /** `community join`: the community knows no invite with the link's secret (a wrong link). */
  CommunityInviteUnknown: 1009,
  /** `community join`: the invite has no use left. */
  CommunityInviteUsed: 1010,
  /** `community join`: the invite expired. */
  CommunityInviteExpired: 1011,
  /** `community invite|members|remove` on a daemon without --community, or `join` on a peer that is no community. */
  NotACommunity: 1012,
  /** `community join`: the community could not be reached, broke off, or refused our proof. */
  CommunityUnreachable: 1013,
  // 1020–1029: mailboxes on community nodes (issue 12, docs/PROTOCOL.md §7)
  /** The recipient's mailbox (one queue, or all of its owner's) holds its most deposits or bytes. */
  MailboxFull: 1020,
  /** A mailbox's community node could not be reached, does not keep mailboxes, or broke off. */
  MailboxUnreachable: 1021,
  /** The community node refused a mailbox request (the status in the message: NOT_A_MEMBER, UNKNOWN_QUEUE, …). */
  MailboxRefused: 1022,
  /** The community node limits deposits from this address: later. */
  MailboxRateLimited: 1023,
  /** No group matches the id or `#title` (or the title is not unique) (CLI exit code 2). */
  GroupNotFound: 1030,
  /** Only an admin of the group may add, remove, make admin or rename. */
  NotGroupAdmin: 1031,
  /** Not a member: we left or were removed (send, change), or the peer is not in the group (remove, admin). */
  NotGroupMember: 1032,
  /** A membership change that cannot apply: already a member or an admin, a bad title, the group is full. */
  InvalidGroupChange: 1033
} as const
export type RpcErrorCode = (typeof RpcErrorCode)[keyof typeof RpcErrorCode]

// the domain's types (node/store, node/messaging, node/community, node/groups) are the parts of the wire shapes below
export type { CommunityView, MemberView } from '../community/types.ts'
export type { MailboxStatus } from '../mailbox/types.ts'
export type { GroupChange, GroupMemberView, GroupMessageView, GroupView } from '../groups/types.ts'
export type {
  ContactState,
  ContactView,
  Direction,
  MessageStatus,
  MessageMatch,
  MessageView,
  Presence,
  SendContent,
  SendResult,
  Settings,
  SettingsUpdate,
  Snippet
} from '../messaging/types.ts'

export interface StatusResult {
  peerId: string
  name: string | null
  addresses: string[]
  connections: number
  routingTable: number
  /** this daemon runs as a community node (`daemon --community`) */
  community: boolean
  /** public: dialable directly; private: only through a relay; unknown: cannot tell (docs/PROTOCOL.md §6.3) */
  reachability: 'public' | 'private' | 'unknown'
  /** our /p2p-circuit addresses (full multiaddrs), one per reservation */
  relayAddresses: string[]
  /** the communities we joined */
  communities: CommunityView[]
  /** our mailboxes at those communities (issue 12): our queues, contacts' queues, deposits waiting */
  mailboxes: MailboxStatus[]
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
  /** relayed: every connection to the peer goes through a relay (none is direct). */
  'peers.list': [Record<string, never>, { peers: Array<{ peerId: string; addresses: string[]; relayed: boolean }> }]
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
    SendResult
  ]
  /** Oldest first; `before` pages backwards by storedAt. */
  'messages.history': [{ target: string; limit?: number; before?: number }, { messages: MessageView[] }]
  /** Full-text search, newest first; `target` limits it to one conversation. */
  'messages.search': [{ query: string; target?: string; limit?: number }, { matches: MessageMatch[] }]
  /** Marks everything in the conversation read (sends read receipts if enabled). */
  'messages.markRead': [{ target: string }, { unread: 0 }]
  /** Retry a failed/queued outgoing message now. */
  'messages.retry': [{ id: string }, SendResult]
  /** Community node: a `parley://community?…` link; uses @default 1, expiresMs @default 7 days. */
  'community.invite': [{ uses?: number; expiresMs?: number }, { link: string }]
  'community.members': [Record<string, never>, { members: MemberView[] }]
  /** target: a member's peer id or the name it gave. */
  'community.remove': [{ target: string }, { removed: { peerId: string; name: string | null } }]
  /** Community node: a member's relay limits; neither given = unlimited (the default). */
  'community.limit': [
    { target: string; durationMs?: number; dataBytes?: number },
    { member: { peerId: string; relayDurationMs: number | null; relayDataBytes: number | null } }
  ]
  /** Member: join by a community link. */
  'community.join': [{ link: string }, { community: { peerId: string; addresses: string[] } }]
  'community.list': [Record<string, never>, { communities: CommunityView[] }]
  'community.leave': [{ peerId: string }, { left: string }]
  'settings.get': [Record<string, never>, Settings]
  /** failAfterHours: 1..8760 (MAX_FAIL_AFTER_HOURS) */
  'settings.set': [SettingsUpdate, Settings]
  /** A group with us as its admin; members: names or peer ids (also reached by messages.send/history/markRead as a target: the id or `#title`). */
  'groups.create': [{ title: string; members?: string[] }, { group: GroupView }]
  /** group: the id or `#title`; member: a name or a peer id. Admins only (but leave). */
  'groups.add': [{ group: string; member: string }, { group: GroupView }]
  'groups.remove': [{ group: string; member: string }, { group: GroupView }]
  'groups.admin': [{ group: string; member: string }, { group: GroupView }]
  'groups.rename': [{ group: string; title: string }, { group: GroupView }]
  'groups.leave': [{ group: string }, { group: GroupView }]
  'groups.list': [Record<string, never>, { groups: GroupView[] }]
}

export type RpcMethod = keyof RpcMethods
export type RpcParams<M extends RpcMethod> = RpcMethods[M][0]
export type RpcResult<M extends RpcMethod> = RpcMethods[M][1]

/** Notification name → params: the messenger's events, and the node's. */
export interface RpcNotifications extends MessagingEvents {
  /** A pinned name now resolves to another key. */
  'key.changed': { name: string; oldPeerId: string; newPeerId: string }
  'name.changed': { name: string | null }
  'node.addresses': { addresses: string[] }
}

export type RpcNotification = keyof RpcNotifications
