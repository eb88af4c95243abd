import net from 'node:net'
import { LineReader, RpcError, type RpcResponse } from './json-rpc.ts'
import {
  RpcErrorCode,
  type RpcMethod,
  type RpcNotification,
  type RpcNotifications,
  type RpcParams,
  type RpcResult
} from './rpc-api.ts'

/** No daemon listens on the socket (CLI exit code 3). */
export class DaemonNotRunningError extends Error {
  static name = 'DaemonNotRunningError'
  name = 'DaemonNotRunningError'
}

/** The connection to the daemon closed while a call was in flight. */
export class ConnectionClosedError extends Error {
  static name = 'ConnectionClosedError'
  name = 'ConnectionClosedError'
}

type NotificationHandler<N extends RpcNotification> = (params: RpcNotifications[N]) => void

export interface RpcClient {
  call<M extends RpcMethod>(method: M, params: RpcParams<M>, options?: { signal?: AbortSignal }): Promise<RpcResult<M>>
  /** Subscribes to a daemon notification; returns the unsubscribe function. */
  on<N extends RpcNotification>(method: N, handler: NotificationHandler<N>): () => void
  /** Every notification, for `parley events`. */
  onAny(handler: (method: RpcNotification, params: unknown) => void): () => void
  onClose(handler: () => void): () => void
  readonly closed: boolean
  close(): void
}

interface Pending {
  resolve: (value: unknown) => void
  reject: (err: Error) => void
}

/** Connects to the daemon's socket. Rejects with DaemonNotRunningError when nothing listens. */
export async function connectDaemon(socketPath: string, options: { signal?: AbortSignal } = {}): Promise<RpcClient> {
  const socket = net.createConnection(socketPath)
  await new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      socket.destroy()
      reject(options.signal?.reason ?? new Error('aborted'))
    }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    socket.once('connect', () => {
      options.signal?.removeEventListener('abort', onAbort)
      resolve()
    })
    socket.once('error', (err: NodeJS.ErrnoException) => {
      options.signal?.removeEventListener('abort', onAbort)
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') {
        reject(new DaemonNotRunningError(`no daemon is listening on ${socketPath}`))
      } else reject(err)
    })
  })
  return new SocketRpcClient(socket)
}

class SocketRpcClient implements RpcClient {
  private readonly socket: net.Socket
  private readonly pending = new Map<number, Pending>()
  private readonly handlers = new Map<string, Set<(params: unknown) => void>>()
  private readonly anyHandlers = new Set<(method: RpcNotification, params: unknown) => void>()
  private readonly closeHandlers = new Set<() => void>()
  private nextId = 1
  closed = false

  constructor(socket: net.Socket) {
    this.socket = socket
    socket.setEncoding('utf8')
    const reader = new LineReader(
      line => this.onLine(line),
      () => socket.destroy()
    )
    socket.on('data', (chunk: string) => reader.push(chunk))
    socket.on('error', () => {})
    socket.on('close', () => {
      this.closed = true
      for (const { reject } of this.pending.values()) {
        reject(new ConnectionClosedError('the daemon closed the connection'))
      }
      this.pending.clear()
      for (const handler of this.closeHandlers) handler()
    })
  }

  private onLine(line: string): void {
    let message: Partial<RpcResponse> & { method?: string; params?: unknown }
    try {
      message = JSON.parse(line)
    } catch {
      return
    }
    if (typeof message.method === 'string' && message.id === undefined) {
      for (const handler of this.handlers.get(message.method) ?? []) handler(message.params)
      for (const handler of this.anyHandlers) handler(message.method as RpcNotification, message.params)
      return
    }
    if (typeof message.id !== 'number') return
    const pending = this.pending.get(message.id)
    if (pending === undefined) return
    this.pending.delete(message.id)
    if (message.error != null) {
      pending.reject(new RpcError(message.error.code, message.error.message, message.error.data))
    } else {
      pending.resolve(message.result)
    }
  }

  async call<M extends RpcMethod>(
    method: M,
    params: RpcParams<M>,
    options: { signal?: AbortSignal } = {}
  ): Promise<RpcResult<M>> {
    if (this.closed) throw new ConnectionClosedError('the connection to the daemon is closed')
    options.signal?.throwIfAborted()
    const id = this.nextId++
    const result = new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      options.signal?.addEventListener(
        'abort',
        () => {
          if (this.pending.delete(id)) {
            reject(new RpcError(RpcErrorCode.Timeout, 'the call was aborted before the daemon answered'))
          }
        },
        { once: true }
      )
    })
    this.socket.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`)
    return (await result) as RpcResult<M>
  }

  on<N extends RpcNotification>(method: N, handler: NotificationHandler<N>): () => void {
    let set = this.handlers.get(method)
    if (set === undefined) {
      set = new Set()
      this.handlers.set(method, set)
    }
    const h = handler as (params: unknown) => void
    set.add(h)
    return () => set.delete(h)
  }

  onAny(handler: (method: RpcNotification, params: unknown) => void): () => void {
    this.anyHandlers.add(handler)
    return () => this.anyHandlers.delete(handler)
  }

  onClose(handler: () => void): () => void {
    this.closeHandlers.add(handler)
    return () => this.closeHandlers.delete(handler)
  }

  close(): void {
    this.socket.end()
  }
}
