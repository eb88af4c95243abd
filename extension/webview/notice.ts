/** The notice area under the log: a request's failure or a short note, cleared after a while. */
import { h } from './dom.ts'

/** How long a notice stays, ms. */
const NOTICE_TIME = 8000

export interface Notice {
  readonly element: HTMLElement
  /** Shows `text` (replacing the previous notice) for a few seconds. */
  show(text: string): void
  /** A rejection handler that shows "`action` failed: why". */
  failure(action: string): (error: unknown) => void
  close(): void
}

export function createNotice(): Notice {
  const element = h('div', { class: 'notice', role: 'status', 'aria-live': 'polite' })
  let timer: ReturnType<typeof setTimeout> | undefined
  const show = (text: string): void => {
    element.textContent = text
    clearTimeout(timer)
    timer = setTimeout(() => {
      element.textContent = ''
    }, NOTICE_TIME)
  }
  return {
    element,
    show,
    failure: action => error => show(`${action} failed: ${error instanceof Error ? error.message : String(error)}`),
    close: () => clearTimeout(timer)
  }
}
