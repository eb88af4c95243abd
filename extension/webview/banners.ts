/** The banners region: a changed key (sending paused) or an unverified contact, with their actions. */
import type { ContactView } from '../../node/daemon/rpc-api.ts'
import { h } from './dom.ts'
import { contactLabel } from './labels.ts'
import type { ConversationState } from './reducer.ts'

/** What the banners' buttons ask for; each settles when the host answered (failures are reported by the caller). */
export interface BannerEvents {
  verify(): Promise<void>
  acceptKey(): Promise<void>
}

export interface Banners {
  readonly element: HTMLElement
  render(state: ConversationState): void
}

export function createBanners(events: BannerEvents): Banners {
  const element = h('div', { class: 'banners' })
  let shown: ContactView | undefined
  return {
    element,
    render({ contact, group }): void {
      // Rebuilt only when the contact changed, so a focused button stays where it is.
      if (contact === undefined || contact === shown) return
      shown = contact
      element.replaceChildren()
      // a group's conversation: its stand-in contact has no key to verify (each member is verified as a contact)
      if (group !== undefined) return
      const banner = bannerFor(contact, events)
      if (banner !== undefined) element.append(banner)
    }
  }
}

function bannerFor(contact: ContactView, events: BannerEvents): HTMLElement | undefined {
  const name = contactLabel(contact)
  if (contact.keyChanged) {
    return h(
      'div',
      { class: 'banner banner-warning', role: 'alert', 'data-banner': 'key-changed' },
      h(
        'p',
        {},
        h('strong', {}, `${name}'s key has changed.`),
        ' This happens when they reinstall, or when someone else claims the name. ',
        'Sending is paused until you accept the new key; compare safety numbers first.'
      ),
      h(
        'div',
        { class: 'banner-actions' },
        button('Verify Safety Number', events.verify),
        button('Accept New Key', events.acceptKey)
      )
    )
  }
  if (!contact.verified && contact.state !== 'blocked') {
    return h(
      'div',
      { class: 'banner banner-info', role: 'status', 'data-banner': 'unverified' },
      h('p', {}, `${name} is not verified. Compare safety numbers to be sure nobody sits in the middle.`),
      h('div', { class: 'banner-actions' }, button('Verify', events.verify))
    )
  }
  return undefined
}

/** A button that stays disabled while its action runs. */
function button(label: string, action: () => Promise<void>): HTMLButtonElement {
  const element = h('button', { type: 'button' }, label)
  element.addEventListener('click', () => {
    element.disabled = true
    void action().finally(() => {
      element.disabled = false
    })
  })
  return element
}
