import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { checkPow, depositId, leadingZeroBits, powHash, solvePow } from '../../node/mailbox/index.ts'

/** The vectors of docs/PROTOCOL.md §7.4 (checked against an independent SHA-256 implementation). */
describe('mailbox vectors', () => {
  const queueId = Uint8Array.from({ length: 16 }, (_, i) => i)
  const blob = new TextEncoder().encode('parley')
  const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

  test('deposit id: the first 16 bytes of sha256(queue_id || blob)', () => {
    assert.equal(hex(depositId(queueId, blob)), '2e970e5e8f944645e8d64b2fc5e13da8')
  })

  test('proof of work: the hash, the first nonce for 12 bits, and the check', async () => {
    assert.equal(hex(powHash(queueId, blob, 0)), 'e3f5875b276536796f254e4491aed769079968b556e7aec83d51d54283e1edde')
    assert.equal(await solvePow(queueId, blob, 12), 2694)
    assert.equal(hex(powHash(queueId, blob, 2694)), '000033da1dacc63b0d3a88a328772d223da4e364a71e6e7b2c88cdf6ffd9b41d')
    assert.equal(checkPow(queueId, blob, 2694, 18), true)
    assert.equal(checkPow(queueId, blob, 2694, 19), false)
    assert.equal(checkPow(queueId, blob, 0, 1), false)
    assert.equal(checkPow(queueId, blob, 0, 0), true)
    assert.equal(checkPow(queueId, blob, -1, 4), false)
    assert.equal(checkPow(queueId, blob, 2 ** 60, 4), false)
  })

  test('leading zero bits', () => {
    assert.equal(leadingZeroBits(new Uint8Array([0x80])), 0)
    assert.equal(leadingZeroBits(new Uint8Array([0x01])), 7)
    assert.equal(leadingZeroBits(new Uint8Array([0, 0x40])), 9)
    assert.equal(leadingZeroBits(new Uint8Array(4)), 32)
  })
})
