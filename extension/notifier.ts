import * as vscode from 'vscode'
import type { MessageView } from '../node/daemon/rpc-api.ts'
import type { ChatHost } from './chat-host.ts'
import { type NotificationMode, notificationText, shouldNotify } from './notify-rules.ts'

/** Shows a notification for a new message when its conversation is not visible (setting). */
export function notifyMessage(
  host: ChatHost,
  message: MessageView,
  options: { mode: NotificationMode; visible: boolean; open: (peerId: string) => void }
): void {
  const senderState = host.store.get(message.from)?.state
  if (
    !shouldNotify(message, { mode: options.mode, visible: options.visible, myName: host.store.me?.name, senderState })
  ) {
    return
  }
  const text = notificationText(host.store.label(message.from), message)
  const open = 'Open'
  void vscode.window.showInformationMessage(text, open).then(choice => {
    if (choice === open) options.open(message.from)
  })
}
