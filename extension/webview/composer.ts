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
  // @mention completion in a group: the members' names matching what follows the `@` being typed
  const suggestions = h('div', { class: 'mention-suggestions', role: 'listbox', hidden: true })
  let memberNames: string[] = []
  const element = h(
    'div',
    { class: 'composer' },
    note,
    suggestions,
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

  /** The `@prefix` that ends at the caret, if one does. */
  function mentionAtCaret(): { start: number; prefix: string } | undefined {
    const caret = input.selectionStart ?? input.value.length
    const match = /(?:^|[\s(])@([\p{L}\p{N}_.-]*)$/u.exec(input.value.slice(0, caret))
    if (match === null) return undefined
    return { start: caret - (match[1] ?? '').length, prefix: (match[1] ?? '').toLowerCase() }
  }

  function mentionCandidates(): string[] {
    const at = mentionAtCaret()
    if (at === undefined) return []
    return memberNames.filter(n => n.startsWith(at.prefix) && n !== at.prefix).slice(0, 5)
  }

  function showSuggestions(): void {
    const names = mentionCandidates()
    suggestions.replaceChildren(
      ...names.map((n, i) =>
        h('span', { class: 'mention-suggestion', role: 'option', 'aria-selected': String(i === 0) }, `@${n}`)
      )
    )
    suggestions.hidden = names.length === 0
  }

  /** Completes the `@prefix` at the caret with the first matching member; false when there is none. */
  function completeMention(): boolean {
    const at = mentionAtCaret()
    const name = mentionCandidates()[0]
    if (at === undefined || name === undefined) return false
    const caret = input.selectionStart ?? input.value.length
    input.value = `${input.value.slice(0, at.start)}${name} ${input.value.slice(caret)}`
    const end = at.start + name.length + 1
    input.setSelectionRange(end, end)
    showSuggestions()
    return true
  }

  input.addEventListener('keydown', event => {
    if ((event.key === 'Tab' || event.key === 'Enter') && !event.shiftKey && !suggestions.hidden && completeMention()) {
      event.preventDefault()
      return
    }
    // keyCode 229: a key that an input method is still composing (e.g. confirming a CJK candidate).
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return
    if (event.altKey || event.metaKey) return
    event.preventDefault()
    send()
  })
  input.addEventListener('input', () => {
    showSuggestions()
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
      const { contact, group } = state
      if (contact === undefined) return
      memberNames = (group?.members ?? [])
        .map(m => m.name)
        .filter((n): n is string => n !== undefined && n !== state.me?.name)
      const name = group !== undefined ? `#${group.title}` : contactLabel(contact)
      input.placeholder = `Message ${name}`
      label.textContent = `Message ${name}`
      let text = ''
      if (contact.state === 'blocked') text = `You blocked ${name}. Unblock them to send messages.`
      else if (contact.keyChanged) text = 'Sending is paused until you accept the new key.'
      if (group?.left === true) text = 'You are no longer a member of this group.'
      note.textContent = text
      note.hidden = text === ''
      input.disabled = contact.state === 'blocked' || group?.left === true
      sendButton.disabled = text !== '' || state.sending
    },
    focus(): void {
      input.focus()
    },
    saveDraft
  }
}
