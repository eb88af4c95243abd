import { chmod, rm } from 'node:fs/promises'
import net from 'node:net'
import { logger } from '@libp2p/logger'
import { errorCodeOf } from './error-codes.ts'
import { LineReader, parseRequest, RpcError, type RpcId } from './json-rpc.ts'
import type { Params } from './params.ts'
import { RpcErrorCode, type RpcMethod, type RpcNotification, type RpcNotifications, type RpcResult } from './rpc-api.ts'

const log = logger('parley:rpc')

/** A client that stops reading gets cut off rather than growing the daemon's memory. */
const MAX_PENDING_WRITE_BYTES = 8 * 1024 * 1024

export interface RpcContext {
  /** Aborted when the client disconnects or the server closes. */
  signal: AbortSignal
}

export type RpcHandler<M extends RpcMethod> = (params: Params, context: RpcContext) => Promise<RpcResult<M>>
export type RpcHandlers = { [M in RpcMethod]: RpcHandler<M> }

export interface RpcServer {
  readonly socketPath: string
  notify<N extends RpcNotification>(method: N, params: RpcNotifications[N]): void
  readonly clients: number
  close(): Promise<void>
}

/**
 * Serves JSON-RPC 2.0 on a Unix domain socket (a named pipe on Windows). The socket is created
 * 0600 (the umask is narrowed around listen(), so there is no window where it is wider); its
 * directory must already be 0700. The caller holds the home's daemon lock, so a socket file found
 * at the path is a leftover of a killed daemon and is removed.
 */
export async function startRpcServer(socketPath: string, handlers: Partial<RpcHandlers>): Promise<RpcServer> {
  const connections = new Set<net.Socket>()
  const closing = new AbortController()

  const server = net.createServer(socket => {
    connections.add(socket)
    socket.setEncoding('utf8')
    const gone = new AbortController()
    const abort = (): void => gone.abort()
    closing.signal.addEventListener('abort', abort, { once: true })

    const send = (message: unknown): void => {
      if (socket.destroyed) return
      if (socket.writableLength > MAX_PENDING_WRITE_BYTES) {
        log('client is not reading, disconnecting it')
        socket.destroy()
        return
      }
      socket.write(`${JSON.stringify(message)}\n`)
    }
    const reply = (id: RpcId | undefined, body: { result: unknown } | { error: RpcError }): void => {
      if (id === undefined) return // a notification from the client gets no response
      if ('error' in body) send({ jsonrpc: '2.0', id, error: body.error.toJSON() })
      else send({ jsonrpc: '2.0', id, result: body.result })
    }

    const reader = new LineReader(
      line => {
        const request = parseRequest(line)
        if (request instanceof RpcError) {
          send({ jsonrpc: '2.0', id: null, error: request.toJSON() })
          return
        }
        const handler = Object.hasOwn(handlers, request.method)
          ? (handlers[request.method as RpcMethod] as RpcHandler<RpcMethod>)
          : undefined
        if (handler === undefined) {
          reply(request.id, {
            error: new RpcError(RpcErrorCode.MethodNotFound, `Method not found: ${request.method}`)
          })
          return
        }
        handler(request.params ?? {}, { signal: gone.signal }).then(
          result => reply(request.id, { result }),
          (err: unknown) => reply(request.id, { error: toRpcError(err) })
        )
      },
      () => {
        send({
          jsonrpc: '2.0',
          id: null,
          error: new RpcError(RpcErrorCode.InvalidRequest, 'Invalid request: line too long').toJSON()
        })
        socket.end()
      }
    )
    socket.on('data', (chunk: string) => reader.push(chunk))
    socket.on('error', err => log('client socket error %s', err.message))
    socket.on('close', () => {
      connections.delete(socket)
      closing.signal.removeEventListener('abort', abort)
      gone.abort()
    })
  })

  if (process.platform !== 'win32') await rm(socketPath, { force: true })
  const previousUmask = process.platform === 'win32' ? undefined : process.umask(0o177)
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(socketPath, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } finally {
    if (previousUmask !== undefined) process.umask(previousUmask)
  }
  if (process.platform !== 'win32') await chmod(socketPath, 0o600)
  log('listening on %s', socketPath)

  return {
    socketPath,
    get clients() {
      return connections.size
    },
    notify(method, params) {
      const line = `${JSON.stringify({ jsonrpc: '2.0', method, params })}\n`
      for (const socket of connections) {
        if (socket.destroyed) continue
        if (socket.writableLength > MAX_PENDING_WRITE_BYTES) socket.destroy()
        else socket.write(line)
      }
    },
    async close() {
      closing.abort()
      const closed = new Promise<void>(resolve => server.close(() => resolve()))
      for (const socket of connections) socket.end()
      setTimeout(() => {
        for (const socket of connections) socket.destroy()
      }, 500).unref()
      await closed
      if (process.platform !== 'win32') await rm(socketPath, { force: true })
    }
  }
}

/** Maps anything a handler throws to an RpcError; unexpected errors become Internal without internals. */
export function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err
  const name = err instanceof Error ? err.name : ''
  const message = err instanceof Error ? err.message : String(err)
  const code = errorCodeOf(name)
  if (code !== undefined) return new RpcError(code, message, { name })
  log.error('internal error %e', err)
  return new RpcError(RpcErrorCode.Internal, `Internal error: ${message}`, {
    name
  })
}
