import { RpcErrorCode } from './rpc-api.ts'

/**
 * JSON-RPC 2.0 framing for the daemon socket: one JSON document per line (NDJSON). Lines are
 * capped so that a client cannot make the daemon buffer without bound.
 */

/** Longest accepted line; a message text is capped far below this (64 KiB frames on the wire). */
export const MAX_LINE_BYTES = 1024 * 1024

export type RpcId = string | number | null

export interface RpcRequest {
  jsonrpc: '2.0'
  id?: RpcId
  method: string
  params?: Record<string, unknown>
}

export interface RpcErrorObject {
  code: number
  message: string
  data?: unknown
}

export interface RpcResponse {
  jsonrpc: '2.0'
  id: RpcId
  result?: unknown
  error?: RpcErrorObject
}

/** An error that crosses the socket with a stable code. */
export class RpcError extends Error {
  static name = 'RpcError'
  name = 'RpcError'
  readonly code: number
  readonly data?: unknown

  constructor(code: number, message: string, data?: unknown) {
    super(message)
    this.code = code
    this.data = data
  }

  toJSON(): RpcErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data }
  }
}

export function invalidParams(message: string): RpcError {
  return new RpcError(RpcErrorCode.InvalidParams, message)
}

/**
 * Parses one line into a request, or a JSON-RPC error object saying what is wrong with it.
 * Batches are not used by Parley's clients and are refused as an invalid request.
 */
export function parseRequest(line: string): RpcRequest | RpcError {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return new RpcError(RpcErrorCode.ParseError, 'Parse error: the line is not valid JSON')
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return new RpcError(RpcErrorCode.InvalidRequest, 'Invalid request: expected a JSON object')
  }
  const req = value as Record<string, unknown>
  if (req.jsonrpc !== '2.0') {
    return new RpcError(RpcErrorCode.InvalidRequest, 'Invalid request: "jsonrpc" must be "2.0"')
  }
  if (typeof req.method !== 'string' || req.method.length === 0 || req.method.length > 64) {
    return new RpcError(RpcErrorCode.InvalidRequest, 'Invalid request: "method" must be a non-empty string')
  }
  const id = req.id
  if (id !== undefined && id !== null && typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
    return new RpcError(RpcErrorCode.InvalidRequest, 'Invalid request: "id" must be a string, a number or null')
  }
  const params = req.params
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
    return new RpcError(RpcErrorCode.InvalidParams, 'Invalid params: "params" must be an object (by-name parameters)')
  }
  return {
    jsonrpc: '2.0',
    id: id as RpcId | undefined,
    method: req.method,
    params: params as Record<string, unknown> | undefined
  }
}

/**
 * Splits a byte stream into lines and enforces {@link MAX_LINE_BYTES}. Calls `onLine` for every
 * complete line and `onOverflow` once if a line grows past the cap (the caller then drops the
 * connection: a framing error cannot be recovered from).
 */
export class LineReader {
  private buffer = ''
  private readonly onLine: (line: string) => void
  private readonly onOverflow: () => void

  constructor(onLine: (line: string) => void, onOverflow: () => void) {
    this.onLine = onLine
    this.onOverflow = onOverflow
  }

  push(chunk: string): void {
    this.buffer += chunk
    let newline = this.buffer.indexOf('\n')
    while (newline !== -1) {
      const line = this.buffer.slice(0, newline).trim()
      this.buffer = this.buffer.slice(newline + 1)
      if (line.length > 0) this.onLine(line)
      newline = this.buffer.indexOf('\n')
    }
    if (Buffer.byteLength(this.buffer) > MAX_LINE_BYTES) {
      this.buffer = ''
      this.onOverflow()
    }
  }
}
