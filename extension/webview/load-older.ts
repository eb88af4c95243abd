/** The "Load older messages" control above the log. */
import { h } from './dom.ts'
import type { ConversationState } from './reducer.ts'

export interface LoadOlder {
  readonly element: HTMLButtonElement
  render(state: ConversationState): void
}

/** `onLoad` hears a click while more history exists and none is being loaded. */
export function createLoadOlder(onLoad: () => void): LoadOlder {
  const element = h('button', { type: 'button', class: 'load-older', hidden: true }, 'Load older messages')
  element.addEventListener('click', () => {
    if (!element.disabled) onLoad()
  })
  return {
    element,
    render({ hasOlder, loadingOlder }): void {
      element.hidden = !hasOlder
      element.disabled = loadingOlder
      element.textContent = loadingOlder ? 'Loading…' : 'Load older messages'
    }
  }
}
