/**
 * The delivery lines of a chat (chat.ts, group-chat.ts): what is printed when one of our sent
 * messages is stored, delivered, read (a group message: read by N) or failed.
 */
import type { MessageStatus } from '../daemon/rpc-api.ts'
import { peerText } from '../text/peer-text.ts'
import { compactTime } from './compact-time.ts'

/** How many characters of a sent message a delivery notice repeats. */
const NOTICE_TEXT = 40

function excerpt(text: string): string {
  const one = peerText(text, 'terminal').replace(/\s+/g, ' ')
  return one.length > NOTICE_TEXT ? `${one.slice(0, NOTICE_TEXT - 1)}…` : one
}

/** The line printed when a sent message's status changes (undefined: nothing worth a line). */
export function statusNotice(
  status: MessageStatus,
  text: string,
  at: number,
  now: number,
  detail: { id: string; error?: string }
): string | undefined {
  const time = compactTime(at, now)
  if (status === 'stored') return `[${time}] · stored in a mailbox: ${excerpt(text)}`
  if (status === 'delivered') return `[${time}] ✓ delivered: ${excerpt(text)}`
  if (status === 'read') return `[${time}] ✓✓ read: ${excerpt(text)}`
  if (status === 'failed') {
    const why = detail.error !== undefined ? ` (${peerText(detail.error, 'terminal')})` : ''
    return `[${time}] ! not delivered: ${excerpt(text)}${why}; \`parley retry ${detail.id}\` sends it again`
  }
  return undefined
}

/**
 * The delivery lines of a chat (direct or group): `sent` once `messages.send` answered (and after
 * the message's own line), `showStatus` for each message.status; a status that arrives before its
 * send answered (a fast ack) is shown right after it. A group message's `readBy` shows as "read by N".
 */
export function deliveryNotices(
  print: (line: string) => void,
  now: () => number
): {
  sent(id: string, text: string, status: MessageStatus): void
  showStatus(id: string, status: MessageStatus, at: number, error?: string, readBy?: number): void
} {
  /** Our sent messages of this chat: text, the last status and read count shown. */
  const mine = new Map<string, { text: string; shown: MessageStatus; readBy: number }>()
  /** Status changes that arrived before `send` answered (a fast ack). */
  const early = new Map<string, Array<{ status: MessageStatus; at: number; error?: string; readBy?: number }>>()
  const showStatus = (id: string, status: MessageStatus, at: number, error?: string, readBy?: number): void => {
    const m = mine.get(id)
    if (m === undefined) {
      early.set(id, [...(early.get(id) ?? []), { status, at, ...(error !== undefined ? { error } : {}), readBy }])
      return
    }
    if (readBy !== undefined && readBy > m.readBy) {
      m.readBy = readBy
      print(`[${compactTime(at, now())}] ✓✓ read by ${readBy}: ${excerpt(m.text)}`)
    }
    if (m.shown === status || (m.shown === 'read' && status === 'delivered')) return
    m.shown = status
    const line = statusNotice(status, m.text, at, now(), error === undefined ? { id } : { id, error })
    if (line !== undefined) print(line)
  }
  const sent = (id: string, text: string, status: MessageStatus): void => {
    mine.set(id, { text, shown: status, readBy: 0 })
    const first = early.get(id) ?? []
    early.delete(id)
    for (const s of first) showStatus(id, s.status, s.at, s.error, s.readBy)
  }
  return { sent, showStatus }
}
