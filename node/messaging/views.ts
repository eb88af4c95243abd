/** The views (types.ts; the RPC's wire shapes) of stored contacts and messages. */
import { peerIdFromString } from '@libp2p/peer-id'
import type { ContactView, MessageView, Presence } from './types.ts'
import type { ContactRow, MessageRow, ParleyStore } from '../store/index.ts'
import type { MessageContent } from './content.ts'
import { fingerprint } from './fingerprint.ts'

/** Fingerprints by peer id: the contacts view is built for every contact on every list, and a peer id never changes its fingerprint. */
const fingerprints = new Map<string, string>()
const MAX_FINGERPRINTS = 10_000

function contactFingerprint(peerId: string): string {
  let f = fingerprints.get(peerId)
  if (f === undefined) {
    f = fingerprint(peerIdFromString(peerId))
    if (fingerprints.size >= MAX_FINGERPRINTS) fingerprints.clear()
    fingerprints.set(peerId, f)
  }
  return f
}

export function contactView(store: Pick<ParleyStore, 'messages'>, c: ContactRow, presence: Presence): ContactView {
  const last = store.messages.last(c.peerId)
  return {
    peerId: c.peerId,
    ...(c.name !== undefined ? { name: c.name } : {}),
    ...(c.announcedName !== undefined ? { announcedName: c.announcedName } : {}),
    state: c.state,
    verified: c.verified,
    keyChanged: c.keyChanged,
    presence,
    ...(c.lastSeen !== undefined ? { lastSeen: c.lastSeen } : {}),
    unread: store.messages.unread(c.peerId),
    fingerprint: contactFingerprint(c.peerId),
    ...(c.sessionRestartedAt !== undefined ? { sessionRestartedAt: c.sessionRestartedAt } : {}),
    ...(last !== undefined ? { lastMessage: { text: last.text, at: last.storedAt, direction: last.direction } } : {})
  }
}

export function messageView(m: MessageRow, localPeerId: string): MessageView {
  return {
    id: m.id,
    from: m.direction === 'in' ? m.peerId : localPeerId,
    to: m.direction === 'in' ? localPeerId : m.peerId,
    direction: m.direction,
    text: m.text,
    ...(m.snippet !== undefined ? { snippet: m.snippet } : {}),
    sentAt: m.sentAt,
    storedAt: m.storedAt,
    ...(m.deliveredAt !== undefined ? { deliveredAt: m.deliveredAt } : {}),
    status: m.status,
    // the last delivery error matters only while the message is queued, or as the reason it failed
    ...(m.error !== undefined && (m.status === 'queued' || m.status === 'failed') ? { error: m.error } : {})
  }
}

/** The stored text and snippet of a message's content (a read receipt has neither). */
export function messageBody(content: MessageContent): Pick<MessageRow, 'text' | 'snippet'> {
  switch (content.type) {
    case 'text':
      return { text: content.markdown }
    case 'snippet': {
      const { language, path, startLine, endLine, text } = content
      return { text, snippet: { language, path, startLine, endLine, text } }
    }
    default:
      return { text: '' }
  }
}
