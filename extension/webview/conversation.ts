/**
 * The conversation UI, wired: the host connection feeds the reducer, the reducer's state is rendered
 * by the regions (header, banners, load-older, message list, notice, composer), and the regions'
 * events become requests to the host. It renders from the host's snapshot (so it is whole again
 * after VS Code drops a hidden webview) and applies pushed updates in place. Everything is built from
 * text nodes; the only HTML strings are our renderer's Markdown output, which goes through
 * toSafeFragment.
 */
import type { ContactView } from '../../node/daemon/rpc-api.ts'
import { type HostEvent, MAX_HISTORY_PAGE, PROTOCOL_VERSION, type WebviewTransport } from '../protocol.ts'
import { createBanners } from './banners.ts'
import { createComposer } from './composer.ts'
import { replaceChildren } from './dom.ts'
import { createHeader } from './header.ts'
import { HostConnection } from './host-connection.ts'
import { plain } from './labels.ts'
import { followLinks } from './links.ts'
import { createLoadOlder } from './load-older.ts'
import { createMessageList } from './message-list.ts'
import { createNotice } from './notice.ts'
import { type ConversationAction, type ConversationState, initialState, reduce } from './reducer.ts'
import { placedAt } from './timeline.ts'

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
  let state: ConversationState = initialState()

  const connection = new HostConnection(transport, (event: HostEvent) => dispatch({ type: 'event', event }))
  const notice = createNotice()
  const failure = notice.failure

  const contactAnswered = (result: { contact: ContactView }): void =>
    dispatch({ type: 'contactAnswered', contact: result.contact })

  const header = createHeader({ now, locale })
  const banners = createBanners({
    verify: () => connection.request('verify', {}).then(contactAnswered, failure('Verify')),
    acceptKey: () => connection.request('acceptKey', {}).then(contactAnswered, failure('Accept New Key'))
  })
  const loadOlder = createLoadOlder(() => {
    const oldest = state.messages[0]
    if (oldest === undefined) return
    dispatch({ type: 'olderRequested' })
    connection
      .request('loadOlder', { before: placedAt(oldest), limit: OLDER_PAGE })
      .then(result => {
        dispatch({ type: 'olderLoaded', messages: result.messages, hasOlder: result.hasOlder })
        if (!state.hasOlder) list.focus()
      })
      .catch(error => {
        dispatch({ type: 'olderFailed' })
        failure('Loading older messages')(error)
      })
  })
  const list = createMessageList({
    now,
    locale,
    above: loadOlder.element,
    events: {
      retry: id =>
        connection
          .request('retry', { id })
          .then(result => dispatch({ type: 'retried', id: result.id, status: result.status }), failure('Retry')),
      copy: text =>
        connection.request('copy', { text }).then(
          result => result.copied,
          error => {
            failure('Copy')(error)
            return false
          }
        ),
      openSnippet: (messageId, { path, startLine, endLine }) =>
        connection.request('openSnippet', { messageId, path, startLine, endLine }).then(result => {
          if (!result.opened) notice.show(`${plain(path)} is not in this workspace.`)
        }, failure('Open at Location'))
    }
  })
  const composer = createComposer(
    {
      send: text => {
        dispatch({ type: 'sendStarted' })
        return connection
          .request('send', { text })
          .then(
            () => true,
            error => {
              failure('Sending')(error)
              return false
            }
          )
          .finally(() => dispatch({ type: 'sendFinished' }))
      },
      saveDraft: text => {
        if (text === state.savedDraft || state.phase !== 'loaded') return
        dispatch({ type: 'draftSaved', text })
        connection.request('saveDraft', { text }).catch(failure('Saving the draft'))
      }
    },
    { draftDelay: options.draftDelay ?? 400 }
  )

  replaceChildren(root, header.element, banners.element, list.element, notice.element, composer.element)
  root.classList.add('parley-conversation')

  function render(): void {
    header.render(state)
    banners.render(state)
    loadOlder.render(state)
    list.render(state)
    composer.render(state)
    if (state.phase === 'loaded') root.dataset.loaded = 'true'
  }

  function dispatch(action: ConversationAction): void {
    state = reduce(state, action)
    render()
    markRead()
  }

  /** Reports the conversation read when something unread arrived and the page is seen. */
  function markRead(): void {
    if (!state.unreadPending || state.phase !== 'loaded' || document.visibilityState !== 'visible') return
    dispatch({ type: 'markReadSent' })
    connection
      .request('markRead', {})
      .then(result => dispatch({ type: 'markedRead', unread: result.unread }))
      .catch(failure('Mark as read'))
  }

  const stopLinks = followLinks(document, url => {
    connection.request('openLink', { url }).catch(failure('Opening the link'))
  })
  const onVisibility = (): void => {
    if (document.visibilityState === 'hidden') composer.saveDraft()
    else markRead()
  }
  document.addEventListener('visibilitychange', onVisibility)
  window.addEventListener('pagehide', composer.saveDraft)
  window.addEventListener('focus', markRead)
  const clock = setInterval(() => header.render(state), 60_000)

  connection
    .request('ready', { protocol: PROTOCOL_VERSION })
    .then(snapshot => dispatch({ type: 'ready', snapshot }))
    .catch(error => {
      dispatch({ type: 'readyFailed' })
      failure('Loading the conversation')(error)
    })

  return {
    close(): void {
      composer.saveDraft()
      clearInterval(clock)
      stopLinks()
      document.removeEventListener('visibilitychange', onVisibility)
      window.removeEventListener('pagehide', composer.saveDraft)
      window.removeEventListener('focus', markRead)
      notice.close()
      connection.close()
    }
  }
}
