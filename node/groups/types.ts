/** The views of groups and group messages (the RPC's wire shapes) and the events groups push. */
import type { MessageStatusEvent } from '../messaging/status-event.ts'
import type { Direction, MessageStatus, Snippet } from '../store/index.ts'

export interface GroupMemberView {
  peerId: string
  /** our contact's name (or the name it announced), when it is a contact */
  name?: string
  admin: boolean
}

export interface GroupView {
  /** 32 hex digits */
  id: string
  title: string
  members: GroupMemberView[]
  /** messages not yet read */
  unread: number
  /** we left or were removed: history stays, sending stops */
  left: boolean
  /** we are an admin */
  admin: boolean
}

export interface GroupMessageView {
  id: string
  groupId: string
  /** the sender's peer id */
  from: string
  /** the group's id (a group message is to the group) */
  to: string
  direction: Direction
  text: string
  snippet?: Snippet
  /** peer ids the message @mentions */
  mentions: string[]
  sentAt: number
  storedAt: number
  /** ours: queued until every member acked, then delivered; theirs: received */
  status: MessageStatus
  /** ours: how many members it went to, how many have it and how many told us they read it */
  delivery?: { members: number; delivered: number; read: number }
  /** ours: how many members read it (their read receipts, §8.5) */
  readBy?: number
}

/** What a membership change did, as the group.changed event tells it. */
export interface GroupChange {
  added: string[]
  removed: string[]
  admins: string[]
  title?: string
}

export interface GroupEvents {
  'group.message': { message: GroupMessageView }
  /** one of our group messages reached every member or was read by one more (peerId = the group id) */
  'message.status': MessageStatusEvent
  'group.changed': { group: GroupView; change: GroupChange }
}

export type GroupNotify = <E extends keyof GroupEvents>(event: E, detail: GroupEvents[E]) => void
