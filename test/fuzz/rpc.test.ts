/**
 * Fuzzing the daemon's JSON-RPC boundary in process: the line parser (parseRequest), the NDJSON
 * framing (LineReader), and every RPC method's parameter validation (rpcHandlers over a stub
 * ParleyService that records what reaches it). Each method is checked against an independent
 * statement of its parameters (below, from docs and rpc-api.ts): valid params reach the node,
 * anything else is an InvalidParams RpcError and never reaches it; nothing else is ever thrown.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { LineReader, MAX_LINE_BYTES, parseRequest, RpcError } from '../../node/daemon/json-rpc.ts'
import { rpcHandlers } from '../../node/daemon/methods.ts'
import type { Params } from '../../node/daemon/params.ts'
import { RpcErrorCode, type RpcMethod } from '../../node/daemon/rpc-api.ts'
import type { RpcHandlers } from '../../node/daemon/server.ts'
import { anyString, budget, fuzzParameters, HeapWatch, Outcomes, watchUnhandled } from './harness.ts'
import { isObject, jsonValue, METHOD_SPECS, overTheWire, paramsFor, recordingService, specAccepts } from './rpc-spec.ts'

const RUNS = budget(400, 150_000)

describe('fuzz: JSON-RPC parser, framing and method parameters', () => {
  const unhandled = watchUnhandled()
  let heap: HeapWatch

  before(async () => {
    for (const line of ['{}', '[]', '{"jsonrpc":"2.0","method":"x","id":1}', 'nope']) parseRequest(line)
    heap = await HeapWatch.start()
  })

  after(async () => {
    await heap.assertFlat()
    unhandled.assertNone()
    unhandled.dispose()
  })

  it('parseRequest: never throws; a request exactly when the line is a JSON-RPC 2.0 request object', t => {
    const outcomes = new Outcomes()
    const validRequest = fc.record(
      {
        jsonrpc: fc.oneof({ weight: 5, arbitrary: fc.constant('2.0') }, jsonValue),
        id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), jsonValue),
        method: fc.oneof(fc.constantFrom(...Object.keys(METHOD_SPECS)), fc.string({ maxLength: 70 }), jsonValue),
        params: fc.oneof(
          { weight: 3, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), jsonValue, { maxKeys: 3 }) },
          jsonValue
        )
      },
      { requiredKeys: [] }
    )
    const line = fc.oneof(
      anyString(200),
      fc.jsonValue().map(v => JSON.stringify(v)),
      validRequest.map(r => JSON.stringify(r)),
      // damaged valid requests
      fc
        .tuple(
          validRequest.map(r => JSON.stringify(r)),
          fc.nat(),
          fc.constantFrom('', '"', '{', '}', ',', ':', '\\', '\u2028', 'null')
        )
        .map(([s, at, insert]) => s.slice(0, at % (s.length + 1)) + insert + s.slice(at % (s.length + 1))),
      fc.constantFrom(
        '{"__proto__":{"jsonrpc":"2.0"},"method":"x"}',
        '{"jsonrpc":"2.0","method":"x","id":1e400}',
        '1e999'
      )
    )
    fc.assert(
      fc.property(line, text => {
        const result = parseRequest(text)
        let value: unknown
        let parsed = true
        try {
          value = JSON.parse(text)
        } catch {
          parsed = false
        }
        const request = value as Record<string, unknown>
        const expected =
          parsed &&
          isObject(value) &&
          request.jsonrpc === '2.0' &&
          typeof request.method === 'string' &&
          request.method.length >= 1 &&
          request.method.length <= 64 &&
          (request.id === undefined ||
            request.id === null ||
            typeof request.id === 'string' ||
            (typeof request.id === 'number' && Number.isFinite(request.id))) &&
          (request.params === undefined || isObject(request.params))
        assert.equal(!(result instanceof RpcError), expected, `parseRequest(${JSON.stringify(text).slice(0, 300)})`)
        if (result instanceof RpcError) {
          outcomes.add(String(result.code))
          assert.ok(
            [RpcErrorCode.ParseError, RpcErrorCode.InvalidRequest, RpcErrorCode.InvalidParams].includes(
              result.code as -32700
            )
          )
          if (!parsed) assert.equal(result.code, RpcErrorCode.ParseError)
          else assert.notEqual(result.code, RpcErrorCode.ParseError)
          // the error serialises to a JSON-RPC error object
          assert.deepEqual(Object.keys(result.toJSON()).sort(), ['code', 'message'])
          return
        }
        outcomes.ok()
        assert.ok(parsed && isObject(value))
        assert.equal(result.jsonrpc, '2.0')
        assert.equal(result.method, value.method)
        assert.ok(typeof result.method === 'string' && result.method.length >= 1 && result.method.length <= 64)
        assert.ok(
          result.id === undefined ||
            result.id === null ||
            typeof result.id === 'string' ||
            (typeof result.id === 'number' && Number.isFinite(result.id))
        )
        assert.ok(result.params === undefined || isObject(result.params))
      }),
      fuzzParameters(RUNS)
    )
    t.diagnostic(outcomes.toString())
    outcomes.assertSeen(['ok', String(RpcErrorCode.ParseError), String(RpcErrorCode.InvalidRequest)])
  })

  it('LineReader: any chunking yields the same lines; an over-long line overflows once', () => {
    const lines = fc.array(fc.oneof(anyString(40), fc.constantFrom('', '  ', '\r', '{"a":1}')), { maxLength: 12 })
    fc.assert(
      fc.property(lines, fc.array(fc.nat({ max: 50 }), { maxLength: 20 }), (parts, cuts) => {
        const text = parts.map(p => p.replaceAll('\n', ' ')).join('\n')
        const expected = text
          .split('\n')
          .slice(0, -1)
          .map(l => l.trim())
          .filter(l => l.length > 0)
        const seen: string[] = []
        let overflows = 0
        const reader = new LineReader(
          l => seen.push(l),
          () => overflows++
        )
        let at = 0
        for (const cut of cuts) {
          reader.push(text.slice(at, at + cut))
          at += cut
        }
        reader.push(text.slice(at))
        assert.deepEqual(seen, expected)
        assert.equal(overflows, 0)
      }),
      fuzzParameters(RUNS)
    )
    // a line one byte over the cap, pushed in pieces, overflows exactly once and the reader recovers
    let overflows = 0
    const seen: string[] = []
    const reader = new LineReader(
      l => seen.push(l),
      () => overflows++
    )
    const piece = 'x'.repeat(64 * 1024)
    for (let sent = 0; sent <= MAX_LINE_BYTES; sent += piece.length) reader.push(piece)
    assert.equal(overflows, 1)
    reader.push('\n{"ok":1}\n')
    assert.deepEqual(seen, ['{"ok":1}'])
  })

  it('every method: valid params reach the node, anything else is InvalidParams and reaches nothing', async t => {
    const { service, calls } = recordingService()
    const handlers: RpcHandlers = rpcHandlers(service)
    const methods = Object.keys(METHOD_SPECS) as RpcMethod[]
    assert.deepEqual(Object.keys(handlers).sort(), [...methods].sort(), 'the spec covers every method')
    const outcomes = new Outcomes()
    const input = fc
      .constantFrom(...methods)
      .chain(method => paramsFor(METHOD_SPECS[method]).map(params => ({ method, params: overTheWire(params) })))
    await fc.assert(
      fc.asyncProperty(input, async ({ method, params }) => {
        const expected = specAccepts(METHOD_SPECS[method], params)
        const before = calls.count
        const handler = handlers[method] as (p: Params, c: { signal: AbortSignal }) => Promise<unknown>
        try {
          await handler(params, { signal: new AbortController().signal })
          if (method === 'node.stop') await new Promise(resolve => setImmediate(resolve))
        } catch (err) {
          if (!(err instanceof RpcError)) throw err
          assert.equal(err.code, RpcErrorCode.InvalidParams, `${method} ${JSON.stringify(params)}: ${err.message}`)
          assert.equal(expected, false, `${method} refused valid params ${JSON.stringify(params)}: ${err.message}`)
          assert.equal(calls.count, before, 'refused params reached the node')
          outcomes.add('InvalidParams')
          return
        }
        assert.equal(expected, true, `${method} accepted invalid params ${JSON.stringify(params).slice(0, 300)}`)
        assert.equal(calls.count, before + 1, 'an accepted call reaches the node once')
        outcomes.ok()
      }),
      fuzzParameters(RUNS)
    )
    t.diagnostic(outcomes.toString())
    outcomes.assertSeen(['ok', 'InvalidParams'])
  })
})
