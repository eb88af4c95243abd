/**
 * The conversation's state and the one function that changes it: a host event or a user action in,
 * the next state out. Pure (no DOM, no clock, no requests), so node --test covers it directly; the
 * regions render from the state and conversation.ts performs the requests the state asks for.
 */
import type { ContactView, GroupView, MessageStatus, MessageView } from '../../node/daemon/rpc-api.ts'
import type { ConversationSnapshot, HostEvent, SelfView, WebviewSettings } from '../protocol.ts'
import { orderMessages, placedAt } from './timeline.ts'

/** How the last action changed the message list, so the list can update in place where it may. */
export type ListChange =
  | { kind: 'none' }
  /** Rebuild the whole list; `keepPosition` keeps the distance from the bottom, else scroll to the end. */
  | { kind: 'rebuild'; keepPosition: boolean }
  /** One message added at the end (screen readers hear only it). */
  | { kind: 'append'; message: MessageView }
  /**
   * Older history: the first `count` messages are new and all older than the rest, which is
   * unchanged; the list adds them above (re-rendering only the day they join) and keeps the position.
   */
  | { kind: 'prepend'; count: number }
  /** A known message arrived again: replace its element. */
  | { kind: 'replace'; message: MessageView }
  /** Only the delivery state of a message changed. */
  | { kind: 'status'; message: MessageView }

export interface ConversationState {
  /** `connecting` until the first snapshot; `failed` when the `ready` request failed. */
  phase: 'connecting' | 'loaded' | 'failed'
  me: SelfView | undefined
  contact: ContactView | undefined
  /** set in a group's conversation (members for labels, the header and @mention completion) */
  group: GroupView | undefined
  settings: WebviewSettings | undefined
  /** Ordered by {@link placedAt}, without duplicate ids. */
  messages: MessageView[]
  hasOlder: boolean
  /** The draft the host holds (from the last snapshot or the last save). */
  savedDraft: string
  /** Counts snapshots applied: the composer takes the snapshot's draft when it grows. */
  snapshots: number
  /** Counts the host's focus requests: the composer takes focus when it grows. */
  focusRequests: number
  /** The message the host asked to show (a search result), and how many such requests came: the list scrolls when it grows. */
  reveal: { id: string; requests: number } | undefined
  /** Something arrived unread that has not been reported read yet. */
  unreadPending: boolean
  sending: boolean
  loadingOlder: boolean
  change: ListChange
  /** Events that came before the first snapshot (the host may push while `ready` is answered): replayed after it. */
  early: HostEvent[] | undefined
}

export type ConversationAction =
  /** An event the host pushed. */
  | { type: 'event'; event: HostEvent }
  /** The answer to `ready`: the first snapshot (events held until now are applied after it). */
  | { type: 'ready'; snapshot: ConversationSnapshot }
  | { type: 'readyFailed' }
  /** The host answered a request with the contact (acceptKey, verify). */
  | { type: 'contactAnswered'; contact: ContactView }
  /** The host answered `retry`. */
  | { type: 'retried'; id: string; status: MessageStatus }
  | { type: 'markReadSent' }
  | { type: 'markedRead'; unread: number }
  | { type: 'sendStarted' }
  | { type: 'sendFinished' }
  | { type: 'draftSaved'; text: string }
  | { type: 'olderRequested' }
  | { type: 'olderLoaded'; messages: MessageView[]; hasOlder: boolean }
  | { type: 'olderFailed' }

const NO_CHANGE: ListChange = { kind: 'none' }

export function initialState(): ConversationState {
  return {
    phase: 'connecting',
    me: undefined,
    contact: undefined,
    group: undefined,
    settings: undefined,
    messages: [],
    hasOlder: false,
    savedDraft: '',
    snapshots: 0,
    focusRequests: 0,
    reveal: undefined,
    unreadPending: false,
    sending: false,
    loadingOlder: false,
    change: NO_CHANGE,
    early: []
  }
}

/** The state after `action`. Never mutates `state`. */
export function reduce(state: ConversationState, action: ConversationAction): ConversationState {
  const next = { ...state, change: NO_CHANGE }
  switch (action.type) {
    case 'event':
      return applyEvent(next, action.event)
    case 'ready':
      return applyFirstSnapshot(next, action.snapshot)
    case 'readyFailed':
      return { ...next, phase: 'failed' }
    case 'contactAnswered':
      return applyContact(next, action.contact)
    case 'retried':
      return applyStatus(next, action.id, { status: action.status })
    case 'markReadSent':
      return { ...next, unreadPending: false }
    case 'markedRead':
      return next.contact === undefined ? next : { ...next, contact: { ...next.contact, unread: action.unread } }
    case 'sendStarted':
      return { ...next, sending: true }
    case 'sendFinished':
      return { ...next, sending: false }
    case 'draftSaved':
      return { ...next, savedDraft: action.text }
    case 'olderRequested':
      return { ...next, loadingOlder: true }
    case 'olderLoaded': {
      const messages = orderMessages([...action.messages, ...next.messages])
      const count = messages.length - next.messages.length
      // a page of strictly older messages leaves the rest as it was: only the new ones are built
      const before = count > 0 && next.messages.every((m, i) => messages[count + i] === m)
      return {
        ...next,
        loadingOlder: false,
        hasOlder: next.contact === undefined ? next.hasOlder : action.hasOlder,
        messages,
        change: before ? { kind: 'prepend', count } : { kind: 'rebuild', keepPosition: true }
      }
    }
    case 'olderFailed':
      return { ...next, loadingOlder: false }
  }
}

function applyEvent(state: ConversationState, event: HostEvent): ConversationState {
  if (state.early !== undefined && event.type !== 'snapshot') return { ...state, early: [...state.early, event] }
  switch (event.type) {
    case 'snapshot':
      return state.early === undefined ? applySnapshot(state, event.payload) : applyFirstSnapshot(state, event.payload)
    case 'message': {
      const { message } = event.payload
      // Only messages of this conversation (the host filters too).
      const peer = state.contact?.peerId
      if (peer === undefined || (message.from !== peer && message.to !== peer)) return state
      return upsertMessage(state, message)
    }
    case 'status':
      return applyStatus(state, event.payload.id, event.payload)
    case 'presence': {
      if (state.contact === undefined) return state
      const contact = { ...state.contact, presence: event.payload.presence }
      if (event.payload.lastSeen !== undefined) contact.lastSeen = event.payload.lastSeen
      return applyContact(state, contact)
    }
    case 'contact':
      return applyContact(state, event.payload.contact)
    case 'settings':
      return state.contact === undefined ? state : { ...state, settings: event.payload.settings }
    case 'focusComposer':
      return { ...state, focusRequests: state.focusRequests + 1 }
    case 'reveal':
      return { ...state, reveal: { id: event.payload.id, requests: (state.reveal?.requests ?? 0) + 1 } }
  }
}

function applySnapshot(state: ConversationState, snapshot: ConversationSnapshot): ConversationState {
  return {
    ...state,
    phase: 'loaded',
    me: snapshot.me,
    contact: snapshot.contact,
    group: snapshot.group,
    settings: snapshot.settings,
    messages: orderMessages(snapshot.messages),
    hasOlder: snapshot.hasOlder,
    savedDraft: snapshot.draft,
    snapshots: state.snapshots + 1,
    unreadPending: snapshot.contact.unread > 0,
    change: { kind: 'rebuild', keepPosition: false }
  }
}

/** The snapshot, then the events held before it, in order; the list is built once for all of them. */
function applyFirstSnapshot(state: ConversationState, snapshot: ConversationSnapshot): ConversationState {
  const held = state.early ?? []
  let next = applySnapshot({ ...state, early: undefined }, snapshot)
  for (const event of held) next = applyEvent(next, event)
  return { ...next, change: { kind: 'rebuild', keepPosition: false } }
}

function upsertMessage(state: ConversationState, message: MessageView): ConversationState {
  const index = state.messages.findIndex(m => m.id === message.id)
  if (index !== -1) {
    const messages = state.messages.slice()
    messages[index] = message
    return { ...state, messages, change: { kind: 'replace', message } }
  }
  const unreadPending = state.unreadPending || message.direction === 'in'
  const previous = state.messages.at(-1)
  if (previous !== undefined && placedAt(message) < placedAt(previous)) {
    const messages = orderMessages([...state.messages, message])
    return { ...state, messages, unreadPending, change: { kind: 'rebuild', keepPosition: true } }
  }
  return { ...state, messages: [...state.messages, message], unreadPending, change: { kind: 'append', message } }
}

function applyStatus(
  state: ConversationState,
  id: string,
  update: { status: MessageStatus; deliveredAt?: number; error?: string; readBy?: number }
): ConversationState {
  const index = state.messages.findIndex(m => m.id === id)
  const current = state.messages[index]
  if (current === undefined) return state
  const message: MessageView = { ...current, status: update.status }
  if (update.deliveredAt !== undefined) message.deliveredAt = update.deliveredAt
  if (update.readBy !== undefined) message.readBy = update.readBy
  if (update.error === undefined) delete message.error
  else message.error = update.error
  const messages = state.messages.slice()
  messages[index] = message
  return { ...state, messages, change: { kind: 'status', message } }
}

/** A new contact view; the list is rebuilt when the name its sender labels show changed. */
function applyContact(state: ConversationState, contact: ContactView): ConversationState {
  if (state.contact === undefined) return state
  const nameChanged = contact.name !== state.contact.name
  return { ...state, contact, change: nameChanged ? { kind: 'rebuild', keepPosition: true } : NO_CHANGE }
}
