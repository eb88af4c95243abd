/** One message on a terminal: when, who, the text (peer text, made safe) and, for ours, its status. */
import type { MessageView } from '../daemon/rpc-api.ts'
import { shortPeerId } from '../text/contact-label.ts'
import { peerText } from '../text/peer-text.ts'
import { compactTime as formatTime } from './compact-time.ts'

/** The status shown after an outgoing message: nothing once delivered or read. */
export function statusSuffix(m: Pick<MessageView, 'direction' | 'status' | 'error'>): string {
  if (m.direction !== 'out' || m.status === 'delivered' || m.status === 'read') return ''
  if (m.status === 'failed') return ` (failed${m.error !== undefined ? `: ${peerText(m.error, 'terminal')}` : ''})`
  // queued behind a full or unreachable mailbox: say why
  if (m.status === 'queued' && m.error !== undefined && /mailbox/.test(m.error)) {
    return ` (queued: ${peerText(m.error, 'terminal')})`
  }
  return ` (${m.status})`
}

export function formatMessage(
  m: MessageView,
  names: Map<string, string> = new Map(),
  now: number = Date.now()
): string {
  const who = m.direction === 'out' ? 'me' : (names.get(m.from) ?? shortPeerId(m.from))
  // a peer's text on a terminal: no escape sequence, bidi control or hidden character gets through
  const body = peerText(
    m.snippet !== undefined
      ? `[${m.snippet.language}] ${m.snippet.path}:${m.snippet.startLine}-${m.snippet.endLine}\n${m.snippet.text}`
      : m.text,
    'terminal'
  )
  return `[${formatTime(m.sentAt, now)}] ${who}: ${body}${statusSuffix(m)}`
}
