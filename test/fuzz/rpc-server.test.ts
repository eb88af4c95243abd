/**
 * The real JSON-RPC server (node/daemon/server.ts) on a Unix socket in a temporary directory, with
 * the real method table over a recording stub node, fed what a broken or hostile local client
 * sends: random lines, random bytes, damaged requests, lines over the 1 MiB cap, connections that
 * never speak, half-close, vanish mid-line or never read their replies. Every request with an id
 * gets exactly one answer, nothing is ever an internal error, memory stays flat, and a normal
 * client is served afterwards.
 */
import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { connectDaemon } from '../../node/daemon/client.ts'
import { MAX_LINE_BYTES, parseRequest, RpcError } from '../../node/daemon/json-rpc.ts'
import { rpcHandlers } from '../../node/daemon/methods.ts'
import { RpcErrorCode, type RpcMethod } from '../../node/daemon/rpc-api.ts'
import { type RpcServer, startRpcServer } from '../../node/daemon/server.ts'
import { anyString, budget, HeapWatch, Outcomes, watchUnhandled } from './harness.ts'
import { jsonValue, METHOD_SPECS, overTheWire, paramsFor, recordingService } from './rpc-spec.ts'

const LINES = budget(1500, 250_000)
const IDLE_CONNECTIONS = budget(50, 1000)

/** A raw client: writes bytes, collects every reply line as parsed JSON. */
class RawClient {
  readonly socket: net.Socket
  readonly replies: Array<Record<string, any>> = []
  private buffer = ''
  private waiters: Array<() => void> = []

  constructor(socketPath: string) {
    this.socket = net.createConnection(socketPath)
    this.socket.setEncoding('utf8')
    this.socket.on('data', (chunk: string) => {
      this.buffer += chunk
      let newline = this.buffer.indexOf('\n')
      while (newline !== -1) {
        this.replies.push(JSON.parse(this.buffer.slice(0, newline)))
        this.buffer = this.buffer.slice(newline + 1)
        newline = this.buffer.indexOf('\n')
      }
      for (const wake of this.waiters.splice(0)) wake()
    })
    this.socket.on('error', () => {})
    this.socket.on('close', () => {
      for (const wake of this.waiters.splice(0)) wake()
    })
  }

  async connected(): Promise<this> {
    if (this.socket.connecting) await once(this.socket, 'connect')
    return this
  }

  /** Waits until `count` replies arrived (or the connection closed). */
  async waitFor(count: number): Promise<void> {
    while (this.replies.length < count && !this.socket.destroyed && this.socket.readable) {
      await new Promise<void>(resolve => this.waiters.push(resolve))
    }
  }

  async write(data: string | Buffer): Promise<void> {
    if (!this.socket.write(data)) await once(this.socket, 'drain')
  }
}

/** Waits for a condition the server reaches on its own (a liveness check; the test runner's timeout bounds it). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise(resolve => setTimeout(resolve, 10))
}

/** How many replies the server owes for a line: one unless it is a well-formed notification (no id) or blank. */
function repliesOwed(line: string): number {
  const trimmed = line.trim()
  if (trimmed.length === 0) return 0
  const request = parseRequest(trimmed)
  return request instanceof RpcError || request.id !== undefined ? 1 : 0
}

describe('fuzz: the RPC server on a Unix socket', () => {
  let dir: string
  let server: RpcServer
  const stub = recordingService()
  const unhandled = watchUnhandled()
  let heap: HeapWatch

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-fuzz-rpc-'))
    server = await startRpcServer(join(dir, 'daemon.sock'), rpcHandlers(stub.service))
    const warm = await new RawClient(server.socketPath).connected()
    await warm.write('{"jsonrpc":"2.0","id":1,"method":"node.status"}\nnope\n')
    await warm.waitFor(2)
    warm.socket.destroy()
    heap = await HeapWatch.start()
  })

  after(async () => {
    await server.close()
    await rm(dir, { recursive: true, force: true })
    unhandled.dispose()
  })

  /** A normal client still gets a normal answer. */
  async function assertServes(): Promise<void> {
    const client = await connectDaemon(server.socketPath)
    const status = await client.call('node.status', {})
    assert.equal(status.peerId, 'p')
    client.close()
  }

  it('answers every garbage line once, never with an internal error', async t => {
    const methods = Object.keys(METHOD_SPECS) as RpcMethod[]
    const request = fc
      .record({
        id: fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null), jsonValue),
        method: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...methods) }, fc.string({ maxLength: 12 })),
        params: fc.constantFrom(...methods).chain(m => paramsFor(METHOD_SPECS[m]).map(overTheWire))
      })
      .map(({ id, method, params }) => {
        // no node.stop: its stub is harmless, but keep the log of calls about the others
        const m = method === 'node.stop' ? 'node.status' : method
        return JSON.stringify({ jsonrpc: '2.0', id, method: m, params })
      })
    const line = fc.oneof(
      { weight: 4, arbitrary: request },
      anyString(120),
      fc.jsonValue({ maxDepth: 3 }).map(v => JSON.stringify(v)),
      request.chain(r => fc.nat({ max: r.length }).map(at => r.slice(0, at) + r.slice(at + 1)))
    )
    const lines = fc.sample(line, LINES).map(l => l.replaceAll('\n', ' '))
    const client = await new RawClient(server.socketPath).connected()
    let owed = 0
    const batch = 200
    for (let i = 0; i < lines.length; i += batch) {
      const chunk = lines.slice(i, i + batch)
      owed += chunk.reduce((n, l) => n + repliesOwed(l), 0)
      // random bytes that are not UTF-8 (prefixed with 0xff so they are never blank or JSON)
      const bytes = Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from(fc.sample(fc.uint8Array({ maxLength: 40 }), 1)[0] as Uint8Array)
      ])
      const raw = Buffer.from(bytes.filter(b => b !== 0x0a))
      owed += 1
      await client.write(Buffer.concat([Buffer.from(`${chunk.join('\n')}\n`), raw, Buffer.from('\n')]))
      // keep at most a few batches in flight so the test reads as fast as it writes
      await client.waitFor(owed - batch * 2)
    }
    await client.waitFor(owed)
    await client.write('{"jsonrpc":"2.0","id":"last","method":"node.whoami"}\n')
    await client.waitFor(owed + 1)
    assert.equal(client.replies.length, owed + 1, 'every request with an id answered exactly once')
    assert.equal(client.replies.at(-1)?.id, 'last')
    const outcomes = new Outcomes()
    for (const reply of client.replies) {
      assert.equal(reply.jsonrpc, '2.0')
      if (reply.error !== undefined) {
        outcomes.add(String(reply.error.code))
        assert.notEqual(reply.error.code, RpcErrorCode.Internal, JSON.stringify(reply))
      } else outcomes.ok()
    }
    t.diagnostic(`${lines.length} lines: ${outcomes.toString()}`)
    outcomes.assertSeen(['ok', String(RpcErrorCode.ParseError), String(RpcErrorCode.InvalidParams)])
    client.socket.destroy()
    await assertServes()
  })

  it('cuts off a line over the cap (answering why) and keeps serving', async () => {
    const client = await new RawClient(server.socketPath).connected()
    const piece = '7'.repeat(64 * 1024)
    for (let sent = 0; sent <= MAX_LINE_BYTES; sent += piece.length) await client.write(piece)
    await new Promise(resolve => client.socket.once('close', resolve))
    assert.equal(client.replies.length, 1)
    assert.equal(client.replies[0]?.error?.code, RpcErrorCode.InvalidRequest)
    await assertServes()
  })

  it('survives idle, half-closed, vanishing and non-reading clients', async () => {
    // connections that never say anything stay open and cost nothing
    // (in waves, each accepted before the next: libuv accepts one pipe connection per event-loop turn,
    // and connects beyond the listen backlog of 511 fail with EAGAIN)
    const idle: RawClient[] = []
    while (idle.length < IDLE_CONNECTIONS) {
      const wave = Math.min(100, IDLE_CONNECTIONS - idle.length)
      idle.push(
        ...(await Promise.all(Array.from({ length: wave }, () => new RawClient(server.socketPath).connected())))
      )
      while (server.clients < idle.length) await new Promise(resolve => setImmediate(resolve))
    }
    // half a line, then half-close
    const halfLine = await new RawClient(server.socketPath).connected()
    await halfLine.write('{"jsonrpc":"2.0","id":7,"meth')
    halfLine.socket.end()
    // a request, then half-close before the answer
    const halfClosed = await new RawClient(server.socketPath).connected()
    await halfClosed.write('{"jsonrpc":"2.0","id":8,"method":"contacts.list"}\n')
    halfClosed.socket.end()
    // a request, then gone
    const vanished = await new RawClient(server.socketPath).connected()
    await vanished.write('{"jsonrpc":"2.0","id":9,"method":"messages.history","params":{"target":"bob"}}\n')
    vanished.socket.destroy()

    await assertServes()
    assert.ok(server.clients >= IDLE_CONNECTIONS, `${server.clients} clients connected`)
    for (const client of [...idle, halfLine, halfClosed]) client.socket.destroy()
    // every closed connection is forgotten by the server
    await until(() => server.clients === 0)
    await assertServes()
  })

  it('cuts off a client that sends requests but never reads the replies', async () => {
    await until(() => server.clients === 0)
    const deaf = await new RawClient(server.socketPath).connected()
    deaf.socket.pause()
    // 120,000 requests: their replies (~105 bytes each) exceed the server's 8 MiB of pending writes
    const requests = 120_000
    const many = '{"jsonrpc":"2.0","id":1,"method":"node.status"}\n'.repeat(1000)
    for (let i = 0; i < requests / 1000; i++) deaf.socket.write(many)
    await until(() => server.clients === 0)
    deaf.socket.resume()
    if (!deaf.socket.destroyed) await new Promise(resolve => deaf.socket.once('close', resolve))
    assert.ok(deaf.replies.length < requests, `got ${deaf.replies.length} of ${requests} replies`)
    await assertServes()
  })

  it('memory is flat and nothing was left unhandled', async () => {
    await new Promise(resolve => setTimeout(resolve, 50))
    await heap.assertFlat()
    unhandled.assertNone()
  })
})
