import * as vscode from 'vscode'
import type { MessageView } from '../node/daemon/rpc-api.ts'
import type { ChatHost } from './chat-host.ts'
import { NOTIFICATION_PREVIEW_CHARS } from './constants.ts'
import { mentions } from './mentions.ts'
import type { NotificationMode } from './settings.ts'

/** Whether a new message deserves a notification, given the setting and what the user sees. */
export function shouldNotify(
  message: Pick<MessageView, 'direction' | 'text'>,
  options: { mode: NotificationMode; visible: boolean; myName: string | null | undefined }
): boolean {
  if (message.direction !== 'in' || options.visible || options.mode === 'off') return false
  return options.mode === 'all' || mentions(message.text, options.myName)
}

export function notificationText(sender: string, message: Pick<MessageView, 'text' | 'snippet'>): string {
  const body =
    message.snippet !== undefined
      ? `sent a snippet: ${message.snippet.path}:${message.snippet.startLine}-${message.snippet.endLine}`
      : message.text.replace(/\s+/g, ' ').trim()
  const short = body.length > NOTIFICATION_PREVIEW_CHARS ? `${body.slice(0, NOTIFICATION_PREVIEW_CHARS - 1)}…` : body
  return `${sender}: ${short}`
}

/** Shows a notification for a new message when its conversation is not visible (setting). */
export function notifyMessage(
  host: ChatHost,
  message: MessageView,
  options: { mode: NotificationMode; visible: boolean; open: (peerId: string) => void }
): void {
  if (!shouldNotify(message, { mode: options.mode, visible: options.visible, myName: host.store.me?.name })) return
  // A stranger's first message is a request: its own notification (Accept / Decline) covers it.
  const contact = host.store.get(message.from)
  if (contact?.state !== 'contact') return
  const text = notificationText(host.store.label(message.from), message)
  const open = 'Open'
  void vscode.window.showInformationMessage(text, open).then(choice => {
    if (choice === open) options.open(message.from)
  })
}
