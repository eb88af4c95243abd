/**
 * The message list region: the scrolling log of days, sender groups and messages. It follows the
 * state's {@link ListChange}: one new message is appended in place (so screen readers hear only it),
 * a changed one is replaced, anything else rebuilds the log.
 */
import type { MessageView } from '../../node/daemon/rpc-api.ts'
import { h, replaceChildren } from './dom.ts'
import { contactLabel, senderLabel } from './labels.ts'
import { type MessageContext, type MessageEvents, messageElement, updateDelivery } from './message-element.ts'
import type { ConversationState, ListChange } from './reducer.ts'
import { continuesGroup, dayKey, dayLabel, fullTimeLabel, groupTimeline, placedAt, timeLabel } from './timeline.ts'

/** Distance from the bottom (px) within which new messages keep the log scrolled to the end. */
const STICK_TO_BOTTOM = 48

export interface MessageList {
  /** The scroller: `above` (e.g. the load-older control), then the log. */
  readonly element: HTMLElement
  render(state: ConversationState): void
  /** Moves keyboard focus to the log. */
  focus(): void
}

export interface MessageListOptions {
  now: () => number
  locale: string | undefined
  events: MessageEvents
  above: HTMLElement
}

export function createMessageList(options: MessageListOptions): MessageList {
  const { now, locale, events } = options
  const log = h('div', {
    class: 'log',
    role: 'log',
    'aria-live': 'polite',
    'aria-relevant': 'additions',
    'aria-label': 'Messages',
    tabindex: -1
  })
  const scroller = h('div', { class: 'scroller' }, options.above, log)
  log.append(h('p', { class: 'placeholder' }, 'Connecting…'))
  const elements = new Map<string, HTMLElement>()
  let applied: ListChange | undefined
  let revealed = 0
  let failed = false

  const context = (state: ConversationState): MessageContext => ({
    me: state.me,
    contact: state.contact,
    group: state.group,
    locale,
    events
  })

  const atBottom = (): boolean => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= STICK_TO_BOTTOM
  const scrollToBottom = (): void => {
    scroller.scrollTop = scroller.scrollHeight
  }

  function element(message: MessageView, firstOfGroup: boolean, state: ConversationState): HTMLElement {
    const created = messageElement(message, firstOfGroup, context(state))
    elements.set(message.id, created)
    return created
  }

  function groupElement(message: MessageView, state: ConversationState): HTMLElement {
    const at = placedAt(message)
    return h(
      'div',
      { class: `group group-${message.direction}`, 'data-from': message.from },
      h(
        'div',
        { class: 'group-header' },
        h('span', { class: 'sender' }, senderLabel(message, state.contact, state.group)),
        ' ',
        h('time', { datetime: new Date(at).toISOString(), title: fullTimeLabel(at, locale) }, timeLabel(at, locale))
      )
    )
  }

  function dayElement(day: string, start: number): HTMLElement {
    return h(
      'section',
      { class: 'day', 'data-day': day },
      h('h2', { class: 'day-label' }, h('span', {}, dayLabel(start, now(), locale)))
    )
  }

  function rebuild(state: ConversationState, keepPosition: boolean): void {
    const fromBottom = scroller.scrollHeight - scroller.scrollTop
    log.setAttribute('aria-busy', 'true')
    elements.clear()
    const days = groupTimeline(state.messages).map(day => {
      const section = dayElement(day.day, day.start)
      for (const group of day.groups) {
        const groupEl = groupElement(group.messages[0]!, state)
        group.messages.forEach((message, i) => {
          groupEl.append(element(message, i === 0, state))
        })
        section.append(groupEl)
      }
      return section
    })
    const name = state.contact === undefined ? '' : contactLabel(state.contact)
    const empty = h('p', { class: 'placeholder' }, `No messages yet. Say hello to ${name}.`)
    replaceChildren(log, ...(days.length === 0 ? [empty] : days))
    log.removeAttribute('aria-busy')
    if (keepPosition) scroller.scrollTop = scroller.scrollHeight - fromBottom
    else scrollToBottom()
  }

  /**
   * Adds the state's first `count` messages (older than all the others) above the log. The day
   * they join is rendered again with them, since a sender group may now start earlier; the days
   * after it are not touched, so a page costs its own messages and one day, not the whole log.
   */
  function prepend(state: ConversationState, count: number): void {
    const first = log.firstElementChild as HTMLElement | null
    if (first === null || first.dataset.day === undefined) {
      rebuild(state, true)
      return
    }
    const fromBottom = scroller.scrollHeight - scroller.scrollTop
    let end = count
    while (end < state.messages.length && dayKey(placedAt(state.messages[end]!)) === first.dataset.day) end++
    const days = groupTimeline(state.messages.slice(0, end)).map(day => {
      const section = dayElement(day.day, day.start)
      for (const group of day.groups) {
        const groupEl = groupElement(group.messages[0]!, state)
        group.messages.forEach((message, i) => {
          groupEl.append(element(message, i === 0, state))
        })
        section.append(groupEl)
      }
      return section
    })
    first.replaceWith(...days)
    scroller.scrollTop = scroller.scrollHeight - fromBottom
  }

  /** Adds the state's last message at the end without touching the rest. */
  function append(state: ConversationState, message: MessageView): void {
    const previous = state.messages.at(-2)
    const stick = atBottom() || message.direction === 'out'
    if (state.messages.length === 1) log.replaceChildren()
    const key = dayKey(placedAt(message))
    let day = log.lastElementChild as HTMLElement | null
    if (day === null || day.dataset.day !== key) {
      day = dayElement(key, placedAt(message))
      log.append(day)
    }
    const first = !continuesGroup(previous, message)
    let group = day.lastElementChild as HTMLElement
    if (first) {
      group = groupElement(message, state)
      day.append(group)
    }
    group.append(element(message, first, state))
    if (stick) scrollToBottom()
  }

  /** Scrolls to the message the host asked for (once per request) and marks it until the next one. */
  function reveal(state: ConversationState): void {
    if (state.reveal === undefined || state.reveal.requests === revealed) return
    const target = elements.get(state.reveal.id)
    if (target === undefined) return
    revealed = state.reveal.requests
    for (const old of log.querySelectorAll('.revealed')) old.classList.remove('revealed')
    target.classList.add('revealed')
    target.scrollIntoView({ block: 'center' })
  }

  function replace(state: ConversationState, message: MessageView): void {
    const old = elements.get(message.id)
    if (old === undefined) return
    const first = old.previousElementSibling?.classList.contains('group-header') ?? true
    old.replaceWith(element(message, first, state))
  }

  return {
    element: scroller,
    render(state): void {
      if (state.contact !== undefined) log.setAttribute('aria-label', `Messages with ${contactLabel(state.contact)}`)
      if (state.phase === 'failed' && !failed) {
        replaceChildren(log, h('p', { class: 'placeholder' }, 'Could not load the conversation.'))
      }
      failed = state.phase === 'failed'
      // Each change is applied once, however often the regions are rendered.
      if (state.change !== applied) apply(state)
      reveal(state)
    },
    focus(): void {
      log.focus()
    }
  }

  function apply(state: ConversationState): void {
    applied = state.change
    const change = state.change
    switch (change.kind) {
      case 'none':
        break
      case 'rebuild':
        rebuild(state, change.keepPosition)
        break
      case 'append':
        append(state, change.message)
        break
      case 'prepend':
        prepend(state, change.count)
        break
      case 'replace':
        replace(state, change.message)
        break
      case 'status': {
        const existing = elements.get(change.message.id)
        if (existing !== undefined) updateDelivery(existing, change.message, context(state))
        break
      }
    }
  }
}
