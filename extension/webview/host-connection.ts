/**
 * The webview's end of the protocol: numbers requests, matches responses to them, and hands pushed
 * events to a listener. Messages that are not responses or events (anything else a window may
 * receive) are ignored.
 */
import type {
  HostEvent,
  HostMessage,
  RequestPayload,
  RequestResult,
  RequestType,
  WebviewRequest,
  WebviewTransport
} from '../protocol.ts'

/** The host answered a request with an error; `remoteName` is the host-side error's name (e.g. `KeyChangedError`). */
export class HostRequestError extends Error {
  static name = 'HostRequestError'
  name = 'HostRequestError'
  readonly remoteName: string
  constructor(remoteName: string, message: string) {
    super(message)
    this.remoteName = remoteName
  }
}

interface Pending {
  type: RequestType
  resolve: (result: unknown) => void
  reject: (error: Error) => void
}

export class HostConnection {
  readonly #transport: WebviewTransport
  readonly #pending = new Map<number, Pending>()
  readonly #unsubscribe: () => void
  #nextId = 1

  constructor(transport: WebviewTransport, onEvent: (event: HostEvent) => void) {
    this.#transport = transport
    this.#unsubscribe = transport.onMessage(message => this.#receive(message, onEvent))
  }

  /** Sends a request; resolves with the host's result or rejects with {@link HostRequestError}. */
  request<T extends RequestType>(type: T, payload: RequestPayload<T>): Promise<RequestResult<T>> {
    const id = this.#nextId++
    const { promise, resolve, reject } = Promise.withResolvers<RequestResult<T>>()
    this.#pending.set(id, { type, resolve: resolve as (result: unknown) => void, reject })
    this.#transport.postMessage({ kind: 'request', id, type, payload } as WebviewRequest)
    return promise
  }

  close(): void {
    this.#unsubscribe()
    for (const pending of this.#pending.values()) pending.reject(new HostRequestError('Closed', 'connection closed'))
    this.#pending.clear()
  }

  #receive(message: HostMessage, onEvent: (event: HostEvent) => void): void {
    if (typeof message !== 'object' || message === null) return
    if (message.kind === 'event' && typeof message.type === 'string') {
      onEvent(message)
      return
    }
    if (message.kind !== 'response') return
    const pending = this.#pending.get(message.id)
    if (pending === undefined || pending.type !== message.type) return
    this.#pending.delete(message.id)
    if (message.ok) pending.resolve(message.result)
    else pending.reject(new HostRequestError(String(message.error?.name), String(message.error?.message)))
  }
}
