/** extension/protocol.ts: validation of what a webview posts (untrusted) and the host-side request server. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  type HostMessage,
  type HostTransport,
  isAllowedLinkUrl,
  MAX_DRAFT_LENGTH,
  PROTOCOL_VERSION,
  ProtocolError,
  parseWebviewMessage,
  type RequestHandlers,
  serveWebviewRequests,
  type WebviewMessage
} from '../../extension/protocol.ts'
import { RpcError } from '../../node/daemon/json-rpc.ts'
import { type RpcServices, rpcHandlers } from '../../node/daemon/methods.ts'
import { RpcErrorCode } from '../../node/daemon/rpc-api.ts'
import { MAX_TEXT_BYTES } from '../../node/messaging/text-limit.ts'

function request(type: string, payload: unknown, id: unknown = 1): unknown {
  return { kind: 'request', id, type, payload }
}

function rejects(raw: unknown): void {
  assert.throws(() => parseWebviewMessage(raw), { name: 'ProtocolError' })
}

describe('parseWebviewMessage', () => {
  it('accepts every request type and returns only known fields', () => {
    assert.deepEqual(parseWebviewMessage(request('ready', { protocol: PROTOCOL_VERSION, extra: 1 })), {
      kind: 'request',
      id: 1,
      type: 'ready',
      payload: { protocol: PROTOCOL_VERSION }
    })
    const ok: Array<[string, unknown]> = [
      ['send', { text: 'hi' }],
      ['retry', { id: 'abc' }],
      ['markRead', {}],
      ['openLink', { url: 'https://example.com/x' }],
      ['openLink', { url: 'mailto:bob@example.com' }],
      ['openSnippet', { messageId: 'm', path: 'src/a.ts', startLine: 1, endLine: 3 }],
      ['copy', { text: '' }],
      ['saveDraft', { text: '' }],
      ['acceptKey', {}],
      ['verify', {}],
      ['loadOlder', { before: 1, limit: 50 }]
    ]
    for (const [type, payload] of ok) assert.deepEqual(parseWebviewMessage(request(type, payload, 7)).payload, payload)
  })

  it('rejects wrong envelopes', () => {
    for (const raw of [null, 'x', [], {}, { kind: 'response' }, request('ready', { protocol: 1 }, 0)]) rejects(raw)
    rejects(request('ready', { protocol: 1 }, 1.5))
    rejects(request('ready', { protocol: 1 }, '1'))
    rejects(request('nope', {}))
    rejects(request('__proto__', {}))
    rejects(request('toString', {}))
    rejects(request('send', null))
  })

  it('rejects bad payloads with precise errors', () => {
    rejects(request('send', { text: '   ' }))
    rejects(request('send', { text: 'x'.repeat(MAX_DRAFT_LENGTH + 1) }))
    rejects(request('send', { text: 5 }))
    rejects(request('markRead', { target: 'someone-else' }))
    rejects(request('acceptKey', { target: 'someone-else' }))
    rejects(request('openLink', { url: 'javascript:alert(1)' }))
    rejects(request('openLink', { url: 'file:///etc/passwd' }))
    rejects(request('openLink', { url: 'command:workbench.action.quit' }))
    rejects(request('openLink', { url: 'vscode://ms-vscode.x/y' }))
    rejects(request('openLink', { url: 'data:text/html,x' }))
    rejects(request('openLink', { url: 'not a url' }))
    rejects(request('openSnippet', { messageId: 'm', path: '../../etc/passwd', startLine: 1, endLine: 1 }))
    rejects(request('openSnippet', { messageId: 'm', path: 'a/..\\..\\b', startLine: 1, endLine: 1 }))
    rejects(request('openSnippet', { messageId: 'm', path: '/etc/passwd', startLine: 1, endLine: 1 }))
    rejects(request('openSnippet', { messageId: 'm', path: 'C:/Windows', startLine: 1, endLine: 1 }))
    rejects(request('openSnippet', { messageId: 'm', path: 'a.ts', startLine: 5, endLine: 4 }))
    rejects(request('openSnippet', { messageId: 'm', path: 'a.ts', startLine: 0, endLine: 4 }))
    rejects(request('loadOlder', { before: 1, limit: 0 }))
    rejects(request('loadOlder', { before: 1, limit: 10_000 }))
    rejects(request('loadOlder', { before: -1, limit: 10 }))
    assert.throws(() => parseWebviewMessage(request('openLink', { url: 'javascript:x' })), /http:, https: or mailto:/)
  })
})

describe('isAllowedLinkUrl', () => {
  it('allows only parseable http, https and mailto URLs', () => {
    for (const url of ['http://a.b', 'https://a.b/c?d#e', 'mailto:a@b.c', 'HTTPS://A.B'])
      assert.equal(isAllowedLinkUrl(url), true, url)
    for (const url of [
      '',
      'javascript:x',
      ' javascript:x',
      'JaVaScRiPt:x',
      'data:,x',
      'file:///x',
      'ftp://a',
      '/x',
      'x'
    ]) {
      assert.equal(isAllowedLinkUrl(url), false, url)
    }
  })
})

/** An in-memory host transport: `deliver` plays the webview posting a message. */
function memoryTransport(): HostTransport & { sent: HostMessage[]; deliver(raw: unknown): void } {
  const listeners = new Set<(message: WebviewMessage) => void>()
  return {
    sent: [],
    postMessage(message) {
      this.sent.push(message)
    },
    onMessage(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    deliver(raw) {
      for (const listener of listeners) listener(raw as WebviewMessage)
    }
  }
}

describe('serveWebviewRequests', () => {
  const contact = {
    peerId: 'p',
    state: 'contact' as const,
    verified: false,
    keyChanged: false,
    presence: 'online' as const,
    unread: 0,
    fingerprint: 'f'
  }
  const handlers: RequestHandlers = {
    ready: () => ({
      me: { peerId: 'me', name: null },
      contact,
      messages: [],
      hasOlder: false,
      draft: '',
      settings: { readReceipts: true }
    }),
    send: async ({ text }) => {
      if (text === 'boom') {
        const error = new Error('the key changed')
        error.name = 'KeyChangedError'
        throw error
      }
      return { id: 'm1', status: 'queued' }
    },
    retry: ({ id }) => ({ id, status: 'queued' }),
    markRead: () => ({ unread: 0 }),
    openLink: () => ({ opened: true }),
    openSnippet: () => ({ opened: false }),
    copy: () => ({ copied: true }),
    saveDraft: () => ({ saved: true }),
    acceptKey: () => ({ contact }),
    verify: () => ({ contact }),
    loadOlder: () => ({ messages: [], hasOlder: false })
  }

  it('answers requests with results and errors by name, and refuses invalid ones', async () => {
    const transport = memoryTransport()
    const invalid: string[] = []
    const stop = serveWebviewRequests(transport, handlers, error => invalid.push(error.name))
    transport.deliver(request('send', { text: 'hi' }, 1))
    transport.deliver(request('send', { text: 'boom' }, 2))
    transport.deliver(request('openLink', { url: 'javascript:alert(1)' }, 3))
    transport.deliver({ garbage: true })
    await new Promise(resolve => setImmediate(resolve))
    const byId = new Map(transport.sent.map(m => [m.kind === 'response' ? m.id : 0, m]))
    assert.equal(transport.sent.length, 3, 'the garbage message (no id) gets no answer')
    assert.deepEqual(byId.get(1), {
      kind: 'response',
      id: 1,
      type: 'send',
      ok: true,
      result: { id: 'm1', status: 'queued' }
    })
    assert.deepEqual(byId.get(2), {
      kind: 'response',
      id: 2,
      type: 'send',
      ok: false,
      error: { name: 'KeyChangedError', message: 'the key changed' }
    })
    const refused = byId.get(3)
    assert.ok(refused?.kind === 'response' && !refused.ok && refused.type === 'openLink')
    assert.equal(refused.error.name, 'ProtocolError')
    assert.deepEqual(invalid, ['ProtocolError', 'ProtocolError'])
    stop()
    transport.deliver(request('markRead', {}, 4))
    await new Promise(resolve => setImmediate(resolve))
    assert.equal(transport.sent.length, 3)
  })
})

describe('the composer refuses exactly what the daemon refuses (one text limit)', () => {
  const sendParams = async (text: string): Promise<'ok' | 'refused'> => {
    const handlers = rpcHandlers({
      messaging: { send: async () => ({ id: 'x', status: 'queued' }) }
    } as unknown as RpcServices)
    return await handlers['messages.send']({ target: 'bob', text }, { signal: AbortSignal.timeout(1000) }).then(
      () => 'ok' as const,
      (err: unknown) => {
        assert.ok(err instanceof RpcError && err.code === RpcErrorCode.InvalidParams, String(err))
        return 'refused' as const
      }
    )
  }
  const composer = (text: string): 'ok' | 'refused' => {
    try {
      parseWebviewMessage({ kind: 'request', id: 1, type: 'send', payload: { text } })
      return 'ok'
    } catch (err) {
      assert.ok(err instanceof ProtocolError)
      return 'refused'
    }
  }

  it('a 40,000-character message is refused by both (it passed the composer before)', async () => {
    const text = 'x'.repeat(40_000)
    assert.equal(composer(text), 'refused')
    assert.equal(await sendParams(text), 'refused')
    assert.throws(() => parseWebviewMessage(request('send', { text })), /at most 32768 bytes of UTF-8, got 40000/)
  })

  it('agree at the boundary, for one- to four-byte characters', async () => {
    const cases: Array<[string, 'ok' | 'refused']> = [
      ['x'.repeat(MAX_TEXT_BYTES), 'ok'],
      ['x'.repeat(MAX_TEXT_BYTES + 1), 'refused'],
      ['é'.repeat(MAX_TEXT_BYTES / 2), 'ok'],
      [`${'é'.repeat(MAX_TEXT_BYTES / 2)}a`, 'refused'],
      [`a${'語'.repeat((MAX_TEXT_BYTES - 2) / 3)}a`, 'ok'],
      [`ab${'語'.repeat((MAX_TEXT_BYTES - 2) / 3)}`, 'ok'],
      [`ab${'語'.repeat((MAX_TEXT_BYTES - 2) / 3)}a`, 'refused'],
      ['😀'.repeat(MAX_TEXT_BYTES / 4), 'ok'],
      [`${'😀'.repeat(MAX_TEXT_BYTES / 4 - 1)}語`, 'ok'],
      [`${'😀'.repeat(MAX_TEXT_BYTES / 4)}a`, 'refused'],
      ['語'.repeat(20_000), 'refused']
    ]
    for (const [text, expected] of cases) {
      assert.equal(composer(text), expected, `composer, ${text.length} units`)
      assert.equal(await sendParams(text), expected, `daemon, ${text.length} units`)
    }
  })
})
