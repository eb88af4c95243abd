/** One message of the log: its body (Markdown or a snippet card) and, for mine, the delivery line. */
import type { ContactView, GroupView, MessageView, Snippet } from '../../node/daemon/rpc-api.ts'
import type { SelfView } from '../protocol.ts'
import { h } from './dom.ts'
import { senderLabel, statusIcon, statusText } from './labels.ts'
import { renderMarkdown } from './markdown.ts'
import { toSafeFragment } from './sanitize.ts'
import { type SnippetEvents, snippetCard } from './snippet-card.ts'
import { fullTimeLabel, placedAt, timeLabel } from './timeline.ts'

/** What a message's buttons ask for; each settles when the host answered (failures are reported by the caller). */
export interface MessageEvents extends SnippetEvents {
  /** Sends a failed message again. */
  retry(id: string): Promise<void>
}

/** What a message is rendered with besides itself. */
export interface MessageContext {
  me: SelfView | undefined
  contact: ContactView | undefined
  /** a group's conversation: senders are its members */
  group?: GroupView
  locale: string | undefined
  events: MessageEvents
}

export function messageElement(message: MessageView, firstOfGroup: boolean, context: MessageContext): HTMLElement {
  const at = placedAt(message)
  const element = h('div', {
    class: `message message-${message.direction}`,
    'data-id': message.id,
    'data-status': message.status,
    title: `${message.direction === 'out' ? 'Sent' : 'Received'} ${fullTimeLabel(at, context.locale)}`
  })
  // Screen readers hear each added message on its own: say who and when where the header is not repeated.
  if (!firstOfGroup) {
    element.append(
      h(
        'span',
        { class: 'sr-only' },
        `${senderLabel(message, context.contact, context.group)}, ${timeLabel(at, context.locale)}: `
      )
    )
  }
  if (message.snippet !== undefined) {
    element.append(snippetCard(message as MessageView & { snippet: Snippet }, context.events))
  } else {
    const me = context.me?.name?.toLowerCase() ?? undefined
    element.append(h('div', { class: 'markdown' }, toSafeFragment(renderMarkdown(message.text, { me }))))
  }
  if (message.direction === 'out') element.append(deliveryLine(message, context))
  return element
}

/** Shows a new delivery state on a message's element in place. */
export function updateDelivery(element: HTMLElement, message: MessageView, context: MessageContext): void {
  element.dataset.status = message.status
  element.querySelector(':scope > .delivery')?.replaceWith(deliveryLine(message, context))
}

function deliveryLine(message: MessageView, context: MessageContext): HTMLElement {
  const line = h(
    'div',
    { class: 'delivery', 'data-status': message.status },
    h('span', { class: 'delivery-icon', 'aria-hidden': 'true' }, statusIcon[message.status]),
    h('span', { class: 'delivery-text' }, statusText[message.status])
  )
  // a group message of ours: how many members read it (their read receipts)
  if (message.readBy !== undefined && message.readBy > 0) {
    line.append(h('span', { class: 'delivery-read' }, `· read by ${message.readBy}`))
  }
  if (message.deliveredAt !== undefined && (message.status === 'delivered' || message.status === 'read')) {
    line.title = `Delivered ${fullTimeLabel(message.deliveredAt, context.locale)}`
  }
  if (
    message.status === 'failed' ||
    ((message.status === 'queued' || message.status === 'stored') && message.error !== undefined)
  ) {
    if (message.error !== undefined) line.append(h('span', { class: 'delivery-error' }, `— ${message.error}`))
  }
  if (message.status === 'failed') {
    const retry = h('button', { type: 'button', class: 'retry', 'aria-label': 'Retry sending this message' }, 'Retry')
    retry.addEventListener('click', () => {
      retry.disabled = true
      // On success the new state replaces this line (and this button) anyway.
      void context.events.retry(message.id).finally(() => {
        retry.disabled = false
      })
    })
    line.append(retry)
  }
  return line
}
