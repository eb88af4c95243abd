/** The header region: the contact's name, presence and verification. */
import { h } from './dom.ts'
import { contactLabel, plain } from './labels.ts'
import type { ConversationState } from './reducer.ts'
import { lastSeenLabel } from './timeline.ts'

export interface Header {
  readonly element: HTMLElement
  /** Renders the contact (also called by a clock, for "last seen"). */
  render(state: ConversationState): void
}

export function createHeader(options: { now: () => number; locale: string | undefined }): Header {
  const title = h('h1', { class: 'contact-name' }, 'Parley')
  const presence = h('span', { class: 'presence', 'data-presence': 'offline' })
  const verifiedBadge = h('span', { class: 'verified-badge' })
  const element = h('header', { class: 'conversation-header' }, title, presence, verifiedBadge)
  return {
    element,
    render({ contact, group, me }): void {
      if (group !== undefined) {
        title.textContent = `#${plain(group.title)}`
        title.title = group.id
        presence.dataset.presence = 'group'
        // the member list: names are the members' (peer text, set as text, never as HTML)
        presence.textContent = `${group.members.length} members: ${group.members
          .map(m => `${m.peerId === me?.peerId ? 'You' : contactLabel(m)}${m.admin ? ' (admin)' : ''}`)
          .join(', ')}${group.left ? ' · you left' : ''}`
        verifiedBadge.dataset.verified = 'false'
        verifiedBadge.textContent = ''
        return
      }
      if (contact === undefined) return
      title.textContent = contactLabel(contact)
      title.title = `${plain(contact.name ?? '')} ${contact.peerId}\nFingerprint ${contact.fingerprint}`.trim()
      presence.dataset.presence = contact.presence
      presence.textContent =
        contact.presence === 'online'
          ? 'online'
          : contact.lastSeen === undefined
            ? 'offline'
            : `last seen ${lastSeenLabel(contact.lastSeen, options.now(), options.locale)}`
      verifiedBadge.dataset.verified = String(contact.verified)
      verifiedBadge.textContent = contact.verified ? '✓ Verified' : 'Not verified'
    }
  }
}
