import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { MAX_TEXT_BYTES, textLengthProblem, utf8Length } from '../../node/messaging/text-limit.ts'

describe('the one message text limit', () => {
  test('counts UTF-8 bytes exactly as the wire encodes them', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), text => {
        assert.equal(utf8Length(text), new TextEncoder().encode(text).length)
      }),
      { numRuns: 500 }
    )
    // lone surrogates are written as U+FFFD, three bytes
    for (const text of ['\uD800', '\uDC00', 'a\uD83D', '\uD83Db', '\uDE00\uD83D']) {
      assert.equal(utf8Length(text), new TextEncoder().encode(text).length, JSON.stringify(text))
    }
  })

  test('32 KiB of UTF-8: ASCII, two-, three- and four-byte characters at the boundary', () => {
    assert.equal(MAX_TEXT_BYTES, 32 * 1024)
    const fits = ['x'.repeat(MAX_TEXT_BYTES), 'é'.repeat(MAX_TEXT_BYTES / 2), '😀'.repeat(MAX_TEXT_BYTES / 4)]
    for (const text of fits) assert.equal(textLengthProblem(text), undefined)
    const tooLong = [
      'x'.repeat(MAX_TEXT_BYTES + 1),
      'x'.repeat(40_000),
      `${'é'.repeat(MAX_TEXT_BYTES / 2)}a`,
      `${'😀'.repeat(MAX_TEXT_BYTES / 4)}a`,
      // 11,000 characters but 33,000 bytes: under the old character count, over the wire's limit
      '語'.repeat(11_000),
      // one byte over in the middle of a character: 'x' + 16,384 × 'é' is 32,769 bytes
      `x${'é'.repeat(MAX_TEXT_BYTES / 2)}`
    ]
    for (const text of tooLong) assert.match(textLengthProblem(text) ?? '', /at most 32768 bytes of UTF-8, got \d+/)
    assert.match(textLengthProblem('語'.repeat(11_000)) ?? '', /got 33000$/)
  })
})
