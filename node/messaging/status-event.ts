/**
 * The message.status event: a message of ours changed status. The messenger pushes it for direct
 * messages (peerId = the peer), node/groups for group messages (peerId = the group's id). Types
 * only and importing no other part of node/messaging, so that node/groups/types.ts can use it
 * without a cycle through messaging/types.ts.
 */
import type { MessageStatus } from '../store/states.ts'

export interface MessageStatusEvent {
  id: string
  peerId: string
  status: MessageStatus
  deliveredAt?: number
  error?: string
  /** a group message of ours: how many members read it (§8.5) */
  readBy?: number
}
