/**
 * The composer region: the message box, its Send button and the note that says why sending is
 * paused. Enter sends, Shift+Enter adds a line; typing is saved as the draft after a pause.
 */
import { h } from './dom.ts'
import { contactLabel } from './labels.ts'
import type { ConversationState } from './reducer.ts'

export interface ComposerEvents {
  /** The user sends `text` (not blank); resolves true once the host took it (failures are reported by the caller). */
  send(text: string): Promise<boolean>
  /** The text to keep as the draft (after a pause in typing, on blur, when the page goes away). */
  saveDraft(text: string): void
}

export interface Composer {
  readonly element: HTMLElement
  render(state: ConversationState): void
  focus(): void
  /** Saves the draft now (the page is hidden or closes). */
  saveDraft(): void
}

export function createComposer(events: ComposerEvents, options: { draftDelay: number }): Composer {
  const input = h('textarea', {
    class: 'composer-input',
    id: 'parley-composer',
    rows: 1,
    placeholder: 'Message',
    'aria-describedby': 'parley-composer-hint'
  })
  const label = h('label', { class: 'sr-only', for: 'parley-composer' }, 'Message')
  const hint = h(
    'span',
    { class: 'sr-only', id: 'parley-composer-hint' },
    'Enter sends, Shift+Enter starts a new line.'
  )
  const sendButton = h('button', { type: 'button', class: 'send' }, 'Send')
  const note = h('div', { class: 'composer-note', hidden: true })
  const element = h(
    'div',
    { class: 'composer' },
    note,
    h('div', { class: 'composer-row' }, label, hint, input, sendButton)
  )

  let draftTimer: ReturnType<typeof setTimeout> | undefined
  let loaded = false
  // What the last render showed: a snapshot's draft wins unless the user has typed since the last save.
  let savedDraft = ''
  let snapshots = 0
  let focusRequests = 0

  function saveDraft(): void {
    clearTimeout(draftTimer)
    draftTimer = undefined
    events.saveDraft(input.value)
  }

  function send(): void {
    const text = input.value
    if (text.trim() === '' || !loaded || sendButton.disabled) return
    void events.send(text).then(sent => {
      if (sent) {
        if (input.value === text) input.value = ''
        saveDraft()
      }
      input.focus()
    })
  }

  input.addEventListener('keydown', event => {
    // keyCode 229: a key that an input method is still composing (e.g. confirming a CJK candidate).
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return
    if (event.altKey || event.metaKey) return
    event.preventDefault()
    send()
  })
  input.addEventListener('input', () => {
    clearTimeout(draftTimer)
    draftTimer = setTimeout(saveDraft, options.draftDelay)
  })
  input.addEventListener('blur', saveDraft)
  sendButton.addEventListener('click', send)

  return {
    element,
    render(state): void {
      loaded = state.phase === 'loaded'
      if (state.snapshots !== snapshots) {
        snapshots = state.snapshots
        if (input.value === savedDraft) input.value = state.savedDraft
      }
      savedDraft = state.savedDraft
      if (state.focusRequests !== focusRequests) {
        focusRequests = state.focusRequests
        input.focus()
      }
      const { contact } = state
      if (contact === undefined) return
      const name = contactLabel(contact)
      input.placeholder = `Message ${name}`
      label.textContent = `Message ${name}`
      let text = ''
      if (contact.state === 'blocked') text = `You blocked ${name}. Unblock them to send messages.`
      else if (contact.keyChanged) text = 'Sending is paused until you accept the new key.'
      note.textContent = text
      note.hidden = text === ''
      input.disabled = contact.state === 'blocked'
      sendButton.disabled = text !== '' || state.sending
    },
    focus(): void {
      input.focus()
    },
    saveDraft
  }
}
