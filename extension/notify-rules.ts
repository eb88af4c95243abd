import type { ContactState, MessageView } from '../node/daemon/rpc-api.ts'
import { peerText, truncate } from '../node/text/peer-text.ts'
import { NOTIFICATION_PREVIEW_CHARS } from './constants.ts'
import { mentions } from './mentions.ts'

/** `parley.notifications`. */
export type NotificationMode = 'all' | 'mentions' | 'off'

/** Whether a new message deserves a notification, given the setting and what the user sees. */
export function shouldNotify(
  message: Pick<MessageView, 'direction' | 'text'>,
  options: {
    mode: NotificationMode
    visible: boolean
    myName: string | null | undefined
    /** The sender's contact state; a stranger's request has its own notification. */
    senderState: ContactState | undefined
  }
): boolean {
  if (message.direction !== 'in' || options.visible || options.mode === 'off') return false
  if (options.senderState !== 'contact') return false
  return options.mode === 'all' || mentions(message.text, options.myName)
}

/** A new message's notification: the sender's label and a preview, plain text with no link in it (peerText). */
export function notificationText(sender: string, message: Pick<MessageView, 'text' | 'snippet'>): string {
  const body =
    message.snippet !== undefined
      ? `sent a snippet: ${message.snippet.path}:${message.snippet.startLine}-${message.snippet.endLine}`
      : message.text
  return peerText(`${sender}: ${truncate(peerText(body, 'notification'), NOTIFICATION_PREVIEW_CHARS)}`, 'notification')
}
