/**
 * The one typed protocol between the extension host and a conversation webview.
 *
 * Shape:
 * - Webview → host: requests `{ kind: 'request', id, type, payload }`; the host answers each with
 *   `{ kind: 'response', id, type, ok: true, result }` or `{ kind: 'response', id, type, ok: false,
 *   error: { name, message } }`. `id` is a positive integer chosen by the webview, unique per page
 *   load. {@link WebviewRequests} maps each type to `[payload, result]`.
 * - Handshake: the webview's first request is `ready`; its result is the full
 *   {@link ConversationSnapshot}. The host posts nothing before `ready` (VS Code drops messages to a
 *   webview that is hidden or not loaded yet), and answers every later `ready` (the page was
 *   reloaded after being hidden) with a fresh snapshot.
 * - Host → webview: pushed events `{ kind: 'event', type, payload }` ({@link HostEvents}); the host
 *   may push a whole `snapshot` at any time (e.g. after reconnecting to the daemon) and the webview
 *   replaces its state with it.
 *
 * The webview talks to a {@link Transport}, never to `acquireVsCodeApi` directly, so the same bundle
 * runs in plain Chromium under test. Everything the host receives from a webview is untrusted:
 * run it through {@link parseWebviewMessage} before acting on it.
 *
 * This file is shared by both sides: no `vscode` and no DOM imports.
 */
import type { ContactView, GroupView, MessageStatus, MessageView, Presence } from '../node/daemon/rpc-api.ts'
import { textLengthProblem } from '../node/messaging/text-limit.ts'

/** Bumped on any incompatible change; the webview sends it in `ready`, the host rejects a mismatch. */
export const PROTOCOL_VERSION = 1

/**
 * Longest draft or copied text the host accepts (UTF-16 units): a draft may be longer than a message
 * while it is being cut down. What may be *sent* is the daemon's own limit (textLengthProblem).
 */
export const MAX_DRAFT_LENGTH = 60_000
/** Longest URL an `openLink` may carry: links in chat are short, a megabyte "URL" is an attack. */
export const MAX_URL_LENGTH = 8_192
/** Largest page of older history the webview asks for at once. */
export const MAX_HISTORY_PAGE = 200
/** Longest workspace-relative path in an `openSnippet` request. */
export const MAX_PATH_LENGTH = 4_096

/** URL schemes the webview turns into links and the host may open with `vscode.env.openExternal`. */
export const ALLOWED_LINK_SCHEMES: readonly string[] = ['http:', 'https:', 'mailto:']

/** Who the local user is. */
export interface SelfView {
  peerId: string
  name: string | null
}

/** Settings the conversation UI needs. */
export interface WebviewSettings {
  /** Read receipts are sent (the webview shows "read" states only then). */
  readReceipts: boolean
}

/** Everything a conversation webview renders; sent as the result of `ready` and as a `snapshot` event. */
export interface ConversationSnapshot {
  me: SelfView
  contact: ContactView
  /** Oldest first, as `messages.history` returns them. */
  messages: MessageView[]
  /** More history exists before `messages[0]` (shows the "load older" control). */
  hasOlder: boolean
  /** The composer's saved draft. */
  draft: string
  settings: WebviewSettings
  /** A group's conversation: its title and members (`contact` then stands for the group, by its id). */
  group?: GroupView
}

/** Webview → host requests: type → [payload, result]. */
export interface WebviewRequests {
  /** First request of every page load; the result is the full snapshot. */
  ready: [{ protocol: number }, ConversationSnapshot]
  /** Send composer text (Markdown) to the contact. The host pushes the stored message as a `message` event. */
  send: [{ text: string }, { id: string; status: MessageStatus }]
  /** Retry a failed or queued outgoing message now. */
  retry: [{ id: string }, { id: string; status: MessageStatus }]
  /** The conversation was seen: mark everything read. */
  markRead: [Record<string, never>, { unread: number }]
  /** Open a link clicked in a message. The host re-checks the scheme against ALLOWED_LINK_SCHEMES. */
  openLink: [{ url: string }, { opened: boolean }]
  /** Open the snippet's file at its lines, if it exists in the receiver's workspace. */
  openSnippet: [{ messageId: string; path: string; startLine: number; endLine: number }, { opened: boolean }]
  /** Put text on the clipboard (through `vscode.env.clipboard`). */
  copy: [{ text: string }, { copied: boolean }]
  /** Keep the composer draft (debounced by the webview). */
  saveDraft: [{ text: string }, { saved: boolean }]
  /** Accept the contact's changed key; sending resumes. */
  acceptKey: [Record<string, never>, { contact: ContactView }]
  /** Start verification (safety number) of the contact. */
  verify: [Record<string, never>, { contact: ContactView }]
  /** Older history: messages stored before `before` (ms since the epoch), oldest first. */
  loadOlder: [{ before: number; limit: number }, { messages: MessageView[]; hasOlder: boolean }]
}

/** Host → webview pushed events: type → payload. */
export interface HostEvents {
  /** Replace the whole state. */
  snapshot: ConversationSnapshot
  /** A message of this conversation was stored (incoming, or an outgoing one just queued); upsert by id. */
  message: { message: MessageView }
  /** Delivery state of an outgoing message changed. */
  status: { id: string; status: MessageStatus; deliveredAt?: number; error?: string; readBy?: number }
  /** The contact went online or offline. */
  presence: { presence: Presence; lastSeen?: number }
  /** The contact changed (name, verified, keyChanged, state). */
  contact: { contact: ContactView }
  /** Settings changed. */
  settings: { settings: WebviewSettings }
  /** Move keyboard focus to the composer (e.g. the user ran "Open Conversation"). */
  focusComposer: Record<string, never>
  /** Scroll to this message and mark it (a search result was opened); the host loaded it first. */
  reveal: { id: string }
}

export type RequestType = keyof WebviewRequests
export type RequestPayload<T extends RequestType> = WebviewRequests[T][0]
export type RequestResult<T extends RequestType> = WebviewRequests[T][1]
export type EventType = keyof HostEvents

/** A request as it travels, discriminated by `type`. */
export type WebviewRequest = {
  [T in RequestType]: { kind: 'request'; id: number; type: T; payload: RequestPayload<T> }
}[RequestType]

/** An error as it travels: the `name` of the error class (e.g. `KeyChangedError`) and a message for people. */
export interface ProtocolErrorInfo {
  name: string
  message: string
}

/** The answer to one request. */
export type HostResponse = {
  [T in RequestType]:
    | { kind: 'response'; id: number; type: T; ok: true; result: RequestResult<T> }
    | { kind: 'response'; id: number; type: T; ok: false; error: ProtocolErrorInfo }
}[RequestType]

/** A pushed event as it travels. */
export type HostEvent = { [T in EventType]: { kind: 'event'; type: T; payload: HostEvents[T] } }[EventType]

/** Everything the webview posts. */
export type WebviewMessage = WebviewRequest
/** Everything the host posts. */
export type HostMessage = HostResponse | HostEvent

/**
 * A message channel. The webview holds a `Transport<HostMessage, WebviewMessage>` (in VS Code built
 * on `acquireVsCodeApi().postMessage` and `window` message events; under test a fake one); the host
 * may wrap `webview.postMessage` / `onDidReceiveMessage` as `Transport<WebviewMessage, HostMessage>`.
 */
export interface Transport<In, Out> {
  postMessage(message: Out): void
  /** Subscribes; returns the function that unsubscribes. */
  onMessage(listener: (message: In) => void): () => void
}

export type WebviewTransport = Transport<HostMessage, WebviewMessage>
export type HostTransport = Transport<WebviewMessage, HostMessage>

/** A message that does not follow this protocol (wrong shape, unknown type, out-of-range value). */
export class ProtocolError extends Error {
  static name = 'ProtocolError'
  name = 'ProtocolError'
}

/** True for http:, https: and mailto: URLs that parse; everything else (javascript:, data:, file:, vscode:) is refused. */
export function isAllowedLinkUrl(url: string): boolean {
  if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH) return false
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return ALLOWED_LINK_SCHEMES.includes(parsed.protocol)
}

type Fields = Record<string, unknown>

function record(value: unknown, what: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError(`${what} must be an object, got ${value === null ? 'null' : typeof value}`)
  }
  return value as Fields
}

function text(fields: Fields, key: string, max: number, what: string): string {
  const value = fields[key]
  if (typeof value !== 'string') throw new ProtocolError(`${what}.${key} must be a string, got ${typeof value}`)
  if (value.length > max)
    throw new ProtocolError(`${what}.${key} must be at most ${max} characters, got ${value.length}`)
  return value
}

function integer(fields: Fields, key: string, min: number, max: number, what: string): number {
  const value = fields[key]
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ProtocolError(`${what}.${key} must be an integer in ${min}..${max}, got ${String(value)}`)
  }
  return value
}

function empty(fields: Fields, what: string): Record<string, never> {
  const keys = Object.keys(fields)
  if (keys.length > 0) throw new ProtocolError(`${what} takes no fields, got ${keys.join(', ')}`)
  return {}
}

/** Validates one payload by request type; returns a fresh object holding only the known fields. */
const payloadParsers: { [T in RequestType]: (fields: Fields, what: string) => RequestPayload<T> } = {
  ready: (f, w) => ({ protocol: integer(f, 'protocol', 1, Number.MAX_SAFE_INTEGER, w) }),
  send: (f, w) => {
    const value = text(f, 'text', MAX_DRAFT_LENGTH, w)
    if (value.trim() === '') throw new ProtocolError(`${w}.text must not be blank`)
    // the daemon's limit, by the same function: the composer refuses exactly what the daemon refuses
    const tooLong = textLengthProblem(value)
    if (tooLong !== undefined) throw new ProtocolError(`${w}.text: ${tooLong}`)
    return { text: value }
  },
  retry: (f, w) => ({ id: text(f, 'id', 256, w) }),
  markRead: (f, w) => empty(f, w),
  openLink: (f, w) => {
    const url = text(f, 'url', MAX_URL_LENGTH, w)
    if (!isAllowedLinkUrl(url)) throw new ProtocolError(`${w}.url must be an http:, https: or mailto: URL`)
    return { url }
  },
  openSnippet: (f, w) => {
    const path = text(f, 'path', MAX_PATH_LENGTH, w)
    if (path === '' || path.startsWith('/') || /^[a-zA-Z]:/.test(path) || path.split(/[\\/]/).includes('..')) {
      throw new ProtocolError(`${w}.path must be a workspace-relative path without '..'`)
    }
    const startLine = integer(f, 'startLine', 1, 10_000_000, w)
    const endLine = integer(f, 'endLine', startLine, 10_000_000, w)
    return { messageId: text(f, 'messageId', 256, w), path, startLine, endLine }
  },
  copy: (f, w) => ({ text: text(f, 'text', MAX_DRAFT_LENGTH, w) }),
  saveDraft: (f, w) => ({ text: text(f, 'text', MAX_DRAFT_LENGTH, w) }),
  acceptKey: (f, w) => empty(f, w),
  verify: (f, w) => empty(f, w),
  loadOlder: (f, w) => ({
    before: integer(f, 'before', 0, Number.MAX_SAFE_INTEGER, w),
    limit: integer(f, 'limit', 1, MAX_HISTORY_PAGE, w)
  })
}

function isRequestType(type: unknown): type is RequestType {
  return typeof type === 'string' && Object.hasOwn(payloadParsers, type)
}

/**
 * Validates a message posted by a webview (untrusted input) and returns a clean copy.
 * Throws {@link ProtocolError} saying what was wrong.
 */
export function parseWebviewMessage(raw: unknown): WebviewMessage {
  const fields = record(raw, 'webview message')
  if (fields.kind !== 'request')
    throw new ProtocolError(`webview message kind must be 'request', got ${String(fields.kind)}`)
  const id = integer(fields, 'id', 1, Number.MAX_SAFE_INTEGER, 'request')
  const type = fields.type
  if (!isRequestType(type)) throw new ProtocolError(`unknown request type ${JSON.stringify(String(type)).slice(0, 80)}`)
  const what = `${type} payload`
  const payload = payloadParsers[type](record(fields.payload, what), what)
  return { kind: 'request', id, type, payload } as WebviewMessage
}

/** The request id of a raw webview message, if it has a usable one (to answer a request that failed to parse). */
export function requestIdOf(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined
  const id = (raw as Fields).id
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined
}

/** Handlers the host supplies, one per request type. */
export type RequestHandlers = {
  [T in RequestType]: (payload: RequestPayload<T>) => Promise<RequestResult<T>> | RequestResult<T>
}

/**
 * Serves webview requests on a host-side transport: validates each message, calls its handler and
 * posts the response (errors become `{ ok: false, error: { name, message } }`). Returns the
 * unsubscribe function. `onInvalid` hears messages that fail validation (for the log).
 */
export function serveWebviewRequests(
  transport: HostTransport,
  handlers: RequestHandlers,
  onInvalid?: (error: ProtocolError) => void
): () => void {
  return transport.onMessage(raw => {
    let request: WebviewRequest
    try {
      request = parseWebviewMessage(raw)
    } catch (err) {
      const error = err instanceof ProtocolError ? err : new ProtocolError(String(err))
      onInvalid?.(error)
      const id = requestIdOf(raw)
      const type = (raw as Fields | null)?.type
      if (id !== undefined && isRequestType(type)) {
        transport.postMessage({
          kind: 'response',
          id,
          type,
          ok: false,
          error: { name: error.name, message: error.message }
        })
      }
      return
    }
    const handler = handlers[request.type] as (payload: unknown) => unknown
    Promise.resolve()
      .then(() => handler(request.payload))
      .then(
        result =>
          transport.postMessage({
            kind: 'response',
            id: request.id,
            type: request.type,
            ok: true,
            result
          } as HostResponse),
        (err: unknown) => {
          const error =
            err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) }
          transport.postMessage({ kind: 'response', id: request.id, type: request.type, ok: false, error })
        }
      )
  })
}
