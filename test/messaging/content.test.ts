import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodePayload, encodePayload, type MessagePayload } from '../../node/messaging/content.ts'
import { MAX_PAYLOAD_SIZE, MAX_READ_RECEIPT_IDS } from '../../node/messaging/envelope-constants.ts'
import { Payload } from '../../node/messaging/pb/dm.js'

describe('payload content', () => {
  it('round-trips text, snippet and read receipt, with and without invite secret and sender name', () => {
    const payloads: MessagePayload[] = [
      { content: { type: 'text', markdown: '**hello** `world` <b>not html</b> — ünïcødé 🎉' } },
      { content: { type: 'text', markdown: '' } },
      {
        content: {
          type: 'snippet',
          language: 'typescript',
          path: 'src/a.ts',
          startLine: 10,
          endLine: 12,
          text: 'const a = 1\nconst b = 2\n'
        },
        senderName: 'alice'
      },
      {
        content: { type: 'snippet', language: '', path: '', startLine: 1, endLine: 1, text: 'x' }
      },
      {
        content: { type: 'read-receipt', messageIds: [new Uint8Array(16).fill(1), new Uint8Array(16).fill(2)] },
        inviteSecret: new Uint8Array(32).fill(9),
        senderName: 'Zoë'
      }
    ]
    for (const payload of payloads) {
      assert.deepEqual(decodePayload(encodePayload(payload)), payload)
    }
  })

  it('rejects invalid payloads when encoding: MalformedPayloadError', () => {
    const bad = [
      { content: { type: 'snippet', language: 'ts', path: 'a', startLine: 0, endLine: 1, text: '' } },
      { content: { type: 'snippet', language: 'ts', path: 'a', startLine: 5, endLine: 4, text: '' } },
      { content: { type: 'snippet', language: 'ts', path: 'a', startLine: 1.5, endLine: 4, text: '' } },
      { content: { type: 'read-receipt', messageIds: [] } },
      { content: { type: 'read-receipt', messageIds: [new Uint8Array(15)] } },
      {
        content: {
          type: 'read-receipt',
          messageIds: Array.from({ length: MAX_READ_RECEIPT_IDS + 1 }, () => new Uint8Array(16))
        }
      },
      { content: { type: 'text', markdown: 'x' }, inviteSecret: new Uint8Array(0) },
      { content: { type: 'text', markdown: 'x' }, inviteSecret: new Uint8Array(65) },
      { content: { type: 'text', markdown: 'x' }, senderName: 'n'.repeat(129) },
      { content: { type: 'video', url: 'x' } },
      { content: { type: 'text', markdown: 42 } },
      {}
    ] as unknown as MessagePayload[]
    for (const payload of bad) {
      assert.throws(() => encodePayload(payload), { name: 'MalformedPayloadError' }, JSON.stringify(payload))
    }
  })

  it('rejects a payload larger than MAX_PAYLOAD_SIZE: FrameTooLargeError', () => {
    assert.throws(() => encodePayload({ content: { type: 'text', markdown: 'x'.repeat(MAX_PAYLOAD_SIZE) } }), {
      name: 'FrameTooLargeError'
    })
    encodePayload({ content: { type: 'text', markdown: 'x'.repeat(MAX_PAYLOAD_SIZE - 8) } })
  })

  it('rejects undecodable or invalid plaintexts when decoding: MalformedPayloadError', () => {
    const bad = [
      new Uint8Array([0xff, 0xff, 0xff]),
      Payload.encode({}),
      Payload.encode({ senderName: 'no content' }),
      Payload.encode({ snippet: { language: '', path: '', startLine: 3, endLine: 2, text: '' } }),
      Payload.encode({ readReceipt: { messageIds: [new Uint8Array(3)] } }),
      Payload.encode({
        readReceipt: { messageIds: Array.from({ length: MAX_READ_RECEIPT_IDS + 1 }, () => new Uint8Array(16)) }
      })
    ]
    for (const bytes of bad) {
      assert.throws(() => decodePayload(bytes), { name: 'MalformedPayloadError' })
    }
  })
})
