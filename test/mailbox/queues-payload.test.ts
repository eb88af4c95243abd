import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { decodePayload, encodePayload, type MailboxQueuesContent } from '../../node/messaging/content.ts'
import { Payload } from '../../node/messaging/pb/dm.js'

const queue = (n: number) => ({
  community: new Uint8Array(38).fill(n),
  addresses: [new Uint8Array([4, 198, 18, 0, 10, 6, 15, 161])],
  queueId: new Uint8Array(16).fill(n),
  credential: new Uint8Array(32).fill(n + 1)
})

describe('MailboxQueues payload (§7.5)', () => {
  it('round-trips 0..3 queue addresses', () => {
    for (const n of [0, 1, 3]) {
      const content: MailboxQueuesContent = {
        type: 'mailbox-queues',
        queues: Array.from({ length: n }, (_, i) => queue(i))
      }
      assert.deepEqual(decodePayload(encodePayload({ content })).content, content)
    }
  })

  it('refuses what breaks the field rules, by name, both when encoding and when decoding', () => {
    const bad: Array<Partial<ReturnType<typeof queue>>> = [
      { queueId: new Uint8Array(15) },
      { credential: new Uint8Array(31) },
      { community: new Uint8Array(0) },
      { addresses: Array.from({ length: 9 }, () => new Uint8Array(8)) },
      { addresses: [new Uint8Array(0)] }
    ]
    for (const patch of bad) {
      const q = { ...queue(1), ...patch }
      assert.throws(() => encodePayload({ content: { type: 'mailbox-queues', queues: [q] } }), {
        name: 'MalformedPayloadError'
      })
      const bytes = Payload.encode({ mailboxQueues: { queues: [q as ReturnType<typeof queue>] } })
      assert.throws(() => decodePayload(bytes), { name: 'MalformedPayloadError' })
    }
    const four = { type: 'mailbox-queues' as const, queues: [queue(1), queue(2), queue(3), queue(4)] }
    assert.throws(() => encodePayload({ content: four }), { name: 'MalformedPayloadError' })
    assert.throws(() => decodePayload(Payload.encode({ mailboxQueues: { queues: four.queues } })), {
      name: 'MalformedPayloadError'
    })
  })
})
