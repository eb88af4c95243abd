/** The words the conversation shows for a contact (the one contactLabel of node/text), a sender and a delivery state. No DOM. */
import type { ContactView, GroupView, MessageStatus, MessageView } from '../../node/daemon/rpc-api.ts'
import { contactLabel } from '../../node/text/contact-label.ts'

export const statusText: Readonly<Record<MessageStatus, string>> = {
  queued: 'Queued',
  stored: 'Stored in a mailbox',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not delivered',
  received: ''
}

export const statusIcon: Readonly<Record<MessageStatus, string>> = {
  queued: '◷',
  // one tick: a mailbox holds it; two: the recipient has it (read keeps two, in the accent colour)
  stored: '✓',
  delivered: '✓✓',
  read: '✓✓',
  failed: '⚠',
  received: ''
}

/** Bidirectional-text controls: in a name or path they can make `evil.ts` read as `ste.live`. */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g

/** Shows bidi controls as U+FFFD instead of letting them reorder what the user reads. */
export function plain(text: string): string {
  return text.replace(BIDI_CONTROLS, '\uFFFD')
}

export { contactLabel }

/** "You" for my messages, the contact's label for theirs. */
export function senderLabel(message: MessageView, contact: ContactView | undefined, group?: GroupView): string {
  if (message.direction === 'out') return 'You'
  if (group !== undefined) {
    const member = group.members.find(m => m.peerId === message.from)
    return contactLabel(member ?? { peerId: message.from })
  }
  return contactLabel(contact ?? { peerId: message.from })
}
