/**
 * The conversation UI: header, banners, the message log, and the composer. It renders from the
 * host's snapshot (so it is whole again after VS Code drops a hidden webview) and applies pushed
 * updates in place. Everything is built from text nodes; the only HTML strings are our renderer's
 * Markdown output, which goes through {@link toSafeFragment}.
 */
import type { ContactView, MessageStatus, MessageView } from '../../node/daemon/rpc-api.ts'
import { contactLabel } from '../../node/text/contact-label.ts'
import {
  type ConversationSnapshot,
  type HostEvent,
  isAllowedLinkUrl,
  MAX_HISTORY_PAGE,
  PROTOCOL_VERSION,
  type WebviewTransport
} from '../protocol.ts'
import { h, replaceChildren } from './dom.ts'
import { HostConnection } from './host-connection.ts'
import { renderCodeBlock, renderMarkdown } from './markdown.ts'
import { toSafeFragment } from './sanitize.ts'
import {
  continuesGroup,
  dayKey,
  dayLabel,
  fullTimeLabel,
  groupTimeline,
  lastSeenLabel,
  orderMessages,
  placedAt,
  timeLabel
} from './timeline.ts'

export interface ConversationOptions {
  /** Clock for "Today" and "last seen" labels. @default Date.now */
  now?: () => number
  /** Locale for dates. @default the browser's */
  locale?: string
  /** Wait after the last keystroke before the draft is saved, ms. @default 400 */
  draftDelay?: number
}

/** Messages asked for per "load older" click. */
const OLDER_PAGE = Math.min(50, MAX_HISTORY_PAGE)
/** Distance from the bottom (px) within which new messages keep the log scrolled to the end. */
const STICK_TO_BOTTOM = 48
/** How long a request error stays in the notice area, ms. */
const NOTICE_TIME = 8000

const statusText: Record<MessageStatus, string> = {
  queued: 'Queued',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not delivered',
  received: ''
}
const statusIcon: Record<MessageStatus, string> = {
  queued: '◷',
  delivered: '✓',
  read: '✓✓',
  failed: '⚠',
  received: ''
}

/** Bidirectional-text controls: in a name or path they can make `evil.ts` read as `ste.live`. */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g

/** Shows bidi controls as U+FFFD instead of letting them reorder what the user reads. */
function plain(text: string): string {
  return text.replace(BIDI_CONTROLS, '\uFFFD')
}

export interface Conversation {
  /** Stops listening to the transport. */
  close(): void
}

/** Mounts the conversation UI in `root` and performs the `ready` handshake over `transport`. */
export function startConversation(
  root: HTMLElement,
  transport: WebviewTransport,
  options: ConversationOptions = {}
): Conversation {
  const now = options.now ?? Date.now
  const locale = options.locale
  const draftDelay = options.draftDelay ?? 400

  let snapshot: ConversationSnapshot | undefined
  let messages: MessageView[] = []
  const messageElements = new Map<string, HTMLElement>()
  let unreadPending = false
  let savedDraft = ''
  let draftTimer: ReturnType<typeof setTimeout> | undefined
  let noticeTimer: ReturnType<typeof setTimeout> | undefined
  let sending = false

  // ---- static structure ------------------------------------------------------------------------
  const title = h('h1', { class: 'contact-name' }, 'Parley')
  const presence = h('span', { class: 'presence', 'data-presence': 'offline' })
  const verifiedBadge = h('span', { class: 'verified-badge' })
  const header = h('header', { class: 'conversation-header' }, title, presence, verifiedBadge)
  const banners = h('div', { class: 'banners' })
  const loadOlder = h('button', { type: 'button', class: 'load-older', hidden: true }, 'Load older messages')
  const log = h('div', {
    class: 'log',
    role: 'log',
    'aria-live': 'polite',
    'aria-relevant': 'additions',
    'aria-label': 'Messages',
    tabindex: -1
  })
  const scroller = h('div', { class: 'scroller' }, loadOlder, log)
  const notice = h('div', { class: 'notice', role: 'status', 'aria-live': 'polite' })
  const composer = h('textarea', {
    class: 'composer-input',
    id: 'parley-composer',
    rows: 1,
    placeholder: 'Message',
    'aria-describedby': 'parley-composer-hint'
  })
  const composerLabel = h('label', { class: 'sr-only', for: 'parley-composer' }, 'Message')
  const hint = h(
    'span',
    { class: 'sr-only', id: 'parley-composer-hint' },
    'Enter sends, Shift+Enter starts a new line.'
  )
  const sendButton = h('button', { type: 'button', class: 'send' }, 'Send')
  const composerNote = h('div', { class: 'composer-note', hidden: true })
  const composerBox = h(
    'div',
    { class: 'composer' },
    composerNote,
    h('div', { class: 'composer-row' }, composerLabel, hint, composer, sendButton)
  )
  replaceChildren(root, header, banners, scroller, notice, composerBox)
  root.classList.add('parley-conversation')
  log.append(h('p', { class: 'placeholder' }, 'Connecting…'))

  const connection = new HostConnection(transport, onEvent)

  // ---- helpers -----------------------------------------------------------------------------------
  function senderLabel(message: MessageView): string {
    if (message.direction === 'out') return 'You'
    return snapshot === undefined ? message.from.slice(0, 12) : contactLabel(snapshot.contact)
  }

  function showNotice(text: string): void {
    notice.textContent = text
    clearTimeout(noticeTimer)
    noticeTimer = setTimeout(() => {
      notice.textContent = ''
    }, NOTICE_TIME)
  }

  function failure(action: string): (error: unknown) => void {
    return error => showNotice(`${action} failed: ${error instanceof Error ? error.message : String(error)}`)
  }

  function atBottom(): boolean {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= STICK_TO_BOTTOM
  }

  function scrollToBottom(): void {
    scroller.scrollTop = scroller.scrollHeight
  }

  // ---- header and banners ------------------------------------------------------------------------
  function renderHeader(): void {
    if (snapshot === undefined) return
    const { contact } = snapshot
    const name = contactLabel(contact)
    title.textContent = name
    title.title = `${plain(contact.name ?? '')} ${contact.peerId}\nFingerprint ${contact.fingerprint}`.trim()
    log.setAttribute('aria-label', `Messages with ${name}`)
    composer.placeholder = `Message ${name}`
    composerLabel.textContent = `Message ${name}`
    presence.dataset.presence = contact.presence
    presence.textContent =
      contact.presence === 'online'
        ? 'online'
        : contact.lastSeen === undefined
          ? 'offline'
          : `last seen ${lastSeenLabel(contact.lastSeen, now(), locale)}`
    verifiedBadge.dataset.verified = String(contact.verified)
    verifiedBadge.textContent = contact.verified ? '✓ Verified' : 'Not verified'
    renderBanners()
    renderComposerState()
  }

  function bannerButton(label: string, action: () => Promise<unknown>): HTMLButtonElement {
    const button = h('button', { type: 'button' }, label)
    button.addEventListener('click', () => {
      button.disabled = true
      action()
        .catch(failure(label))
        .finally(() => {
          button.disabled = false
        })
    })
    return button
  }

  function acceptKey(): Promise<void> {
    return connection.request('acceptKey', {}).then(result => applyContact(result.contact))
  }

  function verify(): Promise<void> {
    return connection.request('verify', {}).then(result => applyContact(result.contact))
  }

  function renderBanners(): void {
    if (snapshot === undefined) return
    const { contact } = snapshot
    const name = contactLabel(contact)
    banners.replaceChildren()
    if (contact.keyChanged) {
      banners.append(
        h(
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
            bannerButton('Verify Safety Number', verify),
            bannerButton('Accept New Key', acceptKey)
          )
        )
      )
    } else if (!contact.verified && contact.state !== 'blocked') {
      banners.append(
        h(
          'div',
          { class: 'banner banner-info', role: 'status', 'data-banner': 'unverified' },
          h('p', {}, `${name} is not verified. Compare safety numbers to be sure nobody sits in the middle.`),
          h('div', { class: 'banner-actions' }, bannerButton('Verify', verify))
        )
      )
    }
  }

  function renderComposerState(): void {
    if (snapshot === undefined) return
    const { contact } = snapshot
    let note = ''
    if (contact.state === 'blocked') note = `You blocked ${contactLabel(contact)}. Unblock them to send messages.`
    else if (contact.keyChanged) note = 'Sending is paused until you accept the new key.'
    composerNote.textContent = note
    composerNote.hidden = note === ''
    const disabled = note !== ''
    composer.disabled = contact.state === 'blocked'
    sendButton.disabled = disabled || sending
  }

  // ---- messages ----------------------------------------------------------------------------------
  function deliveryLine(message: MessageView): HTMLElement {
    const line = h(
      'div',
      { class: 'delivery', 'data-status': message.status },
      h('span', { class: 'delivery-icon', 'aria-hidden': 'true' }, statusIcon[message.status]),
      h('span', { class: 'delivery-text' }, statusText[message.status])
    )
    if (message.deliveredAt !== undefined && message.status !== 'queued' && message.status !== 'failed') {
      line.title = `Delivered ${fullTimeLabel(message.deliveredAt, locale)}`
    }
    if (message.status === 'failed' || (message.status === 'queued' && message.error !== undefined)) {
      if (message.error !== undefined) line.append(h('span', { class: 'delivery-error' }, `— ${message.error}`))
    }
    if (message.status === 'failed') {
      const retry = h('button', { type: 'button', class: 'retry', 'aria-label': 'Retry sending this message' }, 'Retry')
      retry.addEventListener('click', () => {
        retry.disabled = true
        connection
          .request('retry', { id: message.id })
          .then(result => applyStatus(result.id, { status: result.status, error: undefined }))
          .catch(error => {
            retry.disabled = false
            failure('Retry')(error)
          })
      })
      line.append(retry)
    }
    return line
  }

  function snippetCard(message: MessageView): HTMLElement {
    const snippet = message.snippet!
    const lines =
      snippet.endLine > snippet.startLine ? `${snippet.startLine}–${snippet.endLine}` : `${snippet.startLine}`
    const location = `${plain(snippet.path)}:${lines}`
    const copy = h(
      'button',
      { type: 'button', class: 'snippet-copy', 'aria-label': `Copy code from ${location}` },
      'Copy'
    )
    copy.addEventListener('click', () => {
      copy.disabled = true
      connection
        .request('copy', { text: snippet.text })
        .then(result => {
          copy.textContent = result.copied ? 'Copied' : 'Copy'
          setTimeout(() => {
            copy.textContent = 'Copy'
          }, 1500)
        })
        .catch(failure('Copy'))
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
      connection
        .request('openSnippet', {
          messageId: message.id,
          path: snippet.path,
          startLine: snippet.startLine,
          endLine: snippet.endLine
        })
        .then(result => {
          if (!result.opened) showNotice(`${plain(snippet.path)} is not in this workspace.`)
        })
        .catch(failure('Open at Location'))
        .finally(() => {
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

  function messageElement(message: MessageView, firstOfGroup: boolean): HTMLElement {
    const at = placedAt(message)
    const element = h('div', {
      class: `message message-${message.direction}`,
      'data-id': message.id,
      'data-status': message.status,
      title: `${message.direction === 'out' ? 'Sent' : 'Received'} ${fullTimeLabel(at, locale)}`
    })
    // Screen readers hear each added message on its own: say who and when where the header is not repeated.
    if (!firstOfGroup)
      element.append(h('span', { class: 'sr-only' }, `${senderLabel(message)}, ${timeLabel(at, locale)}: `))
    if (message.snippet !== undefined) {
      element.append(snippetCard(message))
    } else {
      const me = snapshot?.me.name?.toLowerCase() ?? undefined
      element.append(h('div', { class: 'markdown' }, toSafeFragment(renderMarkdown(message.text, { me }))))
    }
    if (message.direction === 'out') element.append(deliveryLine(message))
    messageElements.set(message.id, element)
    return element
  }

  function groupElement(message: MessageView): HTMLElement {
    const at = placedAt(message)
    return h(
      'div',
      { class: `group group-${message.direction}`, 'data-from': message.from },
      h(
        'div',
        { class: 'group-header' },
        h('span', { class: 'sender' }, senderLabel(message)),
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

  function emptyState(): HTMLElement {
    const name = snapshot === undefined ? '' : contactLabel(snapshot.contact)
    return h('p', { class: 'placeholder' }, `No messages yet. Say hello to ${name}.`)
  }

  /** Rebuilds the whole log (snapshot, older history, out-of-order arrival). */
  function renderLog(keepPosition: boolean): void {
    const fromBottom = scroller.scrollHeight - scroller.scrollTop
    log.setAttribute('aria-busy', 'true')
    messageElements.clear()
    const days = groupTimeline(messages).map(day => {
      const section = dayElement(day.day, day.start)
      for (const group of day.groups) {
        const groupEl = groupElement(group.messages[0]!)
        group.messages.forEach((message, i) => {
          groupEl.append(messageElement(message, i === 0))
        })
        section.append(groupEl)
      }
      return section
    })
    replaceChildren(log, ...(days.length === 0 ? [emptyState()] : days))
    log.removeAttribute('aria-busy')
    loadOlder.hidden = !(snapshot?.hasOlder ?? false)
    if (keepPosition) scroller.scrollTop = scroller.scrollHeight - fromBottom
    else scrollToBottom()
  }

  /** Adds one message at the end without touching the rest (so screen readers hear only it). */
  function appendMessage(message: MessageView): void {
    const previous = messages.at(-1)
    if (previous !== undefined && placedAt(message) < placedAt(previous)) {
      messages = orderMessages([...messages, message])
      renderLog(true)
      return
    }
    const stick = atBottom() || message.direction === 'out'
    messages.push(message)
    if (messages.length === 1) log.replaceChildren()
    const key = dayKey(placedAt(message))
    let day = log.lastElementChild as HTMLElement | null
    if (day === null || day.dataset.day !== key) {
      day = dayElement(key, placedAt(message))
      log.append(day)
    }
    const first = !continuesGroup(previous, message)
    let group = day.lastElementChild as HTMLElement
    if (first) {
      group = groupElement(message)
      day.append(group)
    }
    group.append(messageElement(message, first))
    if (stick) scrollToBottom()
  }

  function upsertMessage(message: MessageView): void {
    const index = messages.findIndex(m => m.id === message.id)
    if (index === -1) {
      appendMessage(message)
      if (message.direction === 'in') {
        unreadPending = true
        maybeMarkRead()
      }
      return
    }
    messages[index] = message
    const old = messageElements.get(message.id)
    if (old !== undefined)
      old.replaceWith(messageElement(message, old.previousElementSibling?.classList.contains('group-header') ?? true))
  }

  function applyStatus(id: string, update: { status: MessageStatus; deliveredAt?: number; error?: string }): void {
    const index = messages.findIndex(m => m.id === id)
    const current = messages[index]
    if (current === undefined) return
    const next: MessageView = { ...current, status: update.status }
    if (update.deliveredAt !== undefined) next.deliveredAt = update.deliveredAt
    if (update.error === undefined) delete next.error
    else next.error = update.error
    messages[index] = next
    const element = messageElements.get(id)
    if (element === undefined) return
    element.dataset.status = next.status
    element.querySelector(':scope > .delivery')?.replaceWith(deliveryLine(next))
  }

  function applyContact(contact: ContactView): void {
    if (snapshot === undefined) return
    const nameChanged = contact.name !== snapshot.contact.name
    snapshot = { ...snapshot, contact }
    renderHeader()
    if (nameChanged) renderLog(true)
  }

  function applySnapshot(next: ConversationSnapshot): void {
    snapshot = next
    messages = orderMessages(next.messages)
    renderHeader()
    renderLog(false)
    // A snapshot's draft wins unless the user has typed since the last save.
    if (composer.value === savedDraft) composer.value = next.draft
    savedDraft = next.draft
    unreadPending = next.contact.unread > 0
    root.dataset.loaded = 'true'
    maybeMarkRead()
  }

  // ---- reading -----------------------------------------------------------------------------------
  function maybeMarkRead(): void {
    if (!unreadPending || snapshot === undefined || document.visibilityState !== 'visible') return
    unreadPending = false
    connection
      .request('markRead', {})
      .then(result => {
        if (snapshot !== undefined) snapshot = { ...snapshot, contact: { ...snapshot.contact, unread: result.unread } }
      })
      .catch(failure('Mark as read'))
  }

  // ---- composer ----------------------------------------------------------------------------------
  function saveDraft(): void {
    clearTimeout(draftTimer)
    draftTimer = undefined
    const text = composer.value
    if (text === savedDraft || snapshot === undefined) return
    savedDraft = text
    connection.request('saveDraft', { text }).catch(failure('Saving the draft'))
  }

  function send(): void {
    const text = composer.value
    if (text.trim() === '' || sending || snapshot === undefined || sendButton.disabled) return
    sending = true
    renderComposerState()
    connection
      .request('send', { text })
      .then(() => {
        if (composer.value === text) composer.value = ''
        clearTimeout(draftTimer)
        saveDraft()
      })
      .catch(failure('Sending'))
      .finally(() => {
        sending = false
        renderComposerState()
        composer.focus()
      })
  }

  composer.addEventListener('keydown', event => {
    // keyCode 229: a key that an input method is still composing (e.g. confirming a CJK candidate).
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return
    if (event.altKey || event.metaKey) return
    event.preventDefault()
    send()
  })
  composer.addEventListener('input', () => {
    clearTimeout(draftTimer)
    draftTimer = setTimeout(saveDraft, draftDelay)
  })
  composer.addEventListener('blur', saveDraft)
  sendButton.addEventListener('click', send)

  loadOlder.addEventListener('click', () => {
    const oldest = messages[0]
    if (oldest === undefined || loadOlder.disabled) return
    loadOlder.disabled = true
    loadOlder.textContent = 'Loading…'
    connection
      .request('loadOlder', { before: placedAt(oldest), limit: OLDER_PAGE })
      .then(result => {
        if (snapshot !== undefined) snapshot = { ...snapshot, hasOlder: result.hasOlder }
        messages = orderMessages([...result.messages, ...messages])
        renderLog(true)
        if (loadOlder.hidden) log.focus()
      })
      .catch(failure('Loading older messages'))
      .finally(() => {
        loadOlder.disabled = false
        loadOlder.textContent = 'Load older messages'
      })
  })

  // Links never navigate the webview: they have no href (markdown.ts), and every way of following
  // one (a plain, middle or modified click, Enter) goes to the host, which shows the URL and opens it
  // only when the user confirms.
  const followLink = (event: Event): void => {
    const anchor = event.target instanceof Element ? event.target.closest('a') : null
    if (anchor === null) return
    event.preventDefault()
    event.stopPropagation()
    if (event instanceof MouseEvent && event.button > 1) return
    if (event instanceof KeyboardEvent && event.key !== 'Enter') return
    const url = anchor.getAttribute('data-href')
    if (url !== null && isAllowedLinkUrl(url))
      connection.request('openLink', { url }).catch(failure('Opening the link'))
  }
  const onLinkKey = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && event.target instanceof Element && event.target.matches('a[data-href]')) {
      followLink(event)
    }
  }
  document.addEventListener('click', followLink, true)
  document.addEventListener('auxclick', followLink, true)
  document.addEventListener('keydown', onLinkKey)

  const onVisibility = (): void => {
    if (document.visibilityState === 'hidden') saveDraft()
    else maybeMarkRead()
  }
  document.addEventListener('visibilitychange', onVisibility)
  window.addEventListener('pagehide', saveDraft)
  window.addEventListener('focus', maybeMarkRead)
  const clock = setInterval(renderHeader, 60_000)

  // ---- host events -------------------------------------------------------------------------------
  /** Events that arrive before the first snapshot (the host may push while `ready` is answered): replayed after it. */
  let early: HostEvent[] | undefined = []

  function onEvent(event: HostEvent): void {
    if (early !== undefined && event.type !== 'snapshot') {
      early.push(event)
      return
    }
    switch (event.type) {
      case 'snapshot':
        if (early === undefined) applySnapshot(event.payload)
        else applyFirstSnapshot(event.payload)
        break
      case 'message': {
        const { message } = event.payload
        // Only messages of this conversation (the host filters too).
        const peer = snapshot?.contact.peerId
        if (peer !== undefined && (message.from === peer || message.to === peer)) upsertMessage(message)
        break
      }
      case 'status':
        applyStatus(event.payload.id, event.payload)
        break
      case 'presence':
        if (snapshot !== undefined) {
          const contact = { ...snapshot.contact, presence: event.payload.presence }
          if (event.payload.lastSeen !== undefined) contact.lastSeen = event.payload.lastSeen
          applyContact(contact)
        }
        break
      case 'contact':
        applyContact(event.payload.contact)
        break
      case 'settings':
        if (snapshot !== undefined) snapshot = { ...snapshot, settings: event.payload.settings }
        break
      case 'focusComposer':
        composer.focus()
        break
    }
  }

  function applyFirstSnapshot(next: ConversationSnapshot): void {
    applySnapshot(next)
    const replay = early ?? []
    early = undefined
    for (const event of replay) onEvent(event)
  }

  connection
    .request('ready', { protocol: PROTOCOL_VERSION })
    .then(applyFirstSnapshot)
    .catch(error => {
      replaceChildren(log, h('p', { class: 'placeholder' }, 'Could not load the conversation.'))
      failure('Loading the conversation')(error)
    })

  return {
    close(): void {
      saveDraft()
      clearInterval(clock)
      document.removeEventListener('click', followLink, true)
      document.removeEventListener('auxclick', followLink, true)
      document.removeEventListener('keydown', onLinkKey)
      document.removeEventListener('visibilitychange', onVisibility)
      window.removeEventListener('pagehide', saveDraft)
      window.removeEventListener('focus', maybeMarkRead)
      connection.close()
    }
  }
}
