/** The snippet card region of a message: language, location, line numbers, highlighted code, Copy and Open. */
import type { MessageView, Snippet } from '../../node/daemon/rpc-api.ts'
import { h } from './dom.ts'
import { plain } from './labels.ts'
import { renderCodeBlock } from './markdown.ts'
import { toSafeFragment } from './sanitize.ts'

/** What the card's buttons ask for; each settles when the host answered (failures are reported by the caller). */
export interface SnippetEvents {
  /** Puts the code on the clipboard; true when it was copied. */
  copy(text: string): Promise<boolean>
  /** Opens the snippet's file at its lines in the receiver's workspace. */
  openSnippet(messageId: string, snippet: Snippet): Promise<void>
}

/** How long "Copied" shows before the button says "Copy" again, ms. */
const COPIED_TIME = 1500

export function snippetCard(message: MessageView & { snippet: Snippet }, events: SnippetEvents): HTMLElement {
  const { snippet } = message
  const lines = snippet.endLine > snippet.startLine ? `${snippet.startLine}–${snippet.endLine}` : `${snippet.startLine}`
  const location = `${plain(snippet.path)}:${lines}`
  const copy = h(
    'button',
    { type: 'button', class: 'snippet-copy', 'aria-label': `Copy code from ${location}` },
    'Copy'
  )
  copy.addEventListener('click', () => {
    copy.disabled = true
    void events
      .copy(snippet.text)
      .then(copied => {
        copy.textContent = copied ? 'Copied' : 'Copy'
        setTimeout(() => {
          copy.textContent = 'Copy'
        }, COPIED_TIME)
      })
      .finally(() => {
        copy.disabled = false
      })
  })
  const open = h(
    'button',
    { type: 'button', class: 'snippet-open', 'aria-label': `Open ${location}` },
    'Open at Location'
  )
  open.addEventListener('click', () => {
    open.disabled = true
    void events.openSnippet(message.id, snippet).finally(() => {
      open.disabled = false
    })
  })
  const lineCount = Math.max(1, snippet.text.replace(/\n$/, '').split('\n').length)
  const gutter = h(
    'pre',
    { class: 'snippet-gutter', 'aria-hidden': 'true' },
    Array.from({ length: lineCount }, (_, i) => String(snippet.startLine + i)).join('\n')
  )
  const code = toSafeFragment(renderCodeBlock(snippet.text, snippet.language))
  return h(
    'section',
    { class: 'snippet', 'aria-label': `Code snippet ${location}` },
    h(
      'div',
      { class: 'snippet-header' },
      h('span', { class: 'snippet-language' }, plain(snippet.language) || 'text'),
      h('span', { class: 'snippet-location', title: location }, location),
      h('span', { class: 'snippet-actions' }, copy, open)
    ),
    h('div', { class: 'snippet-body' }, gutter, h('div', { class: 'snippet-code' }, code))
  )
}
