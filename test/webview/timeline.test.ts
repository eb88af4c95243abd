/** extension/webview/timeline.ts: ordering and grouping by day and sender (run with TZ=UTC semantics via fixed dates). */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { MessageView } from '../../node/daemon/rpc-api.ts'
import { dayKey, dayLabel, groupTimeline, lastSeenLabel, orderMessages } from '../../extension/webview/timeline.ts'

function message(id: string, from: string, storedAt: number): MessageView {
  return {
    id,
    from,
    to: from === 'me' ? 'bob' : 'me',
    direction: from === 'me' ? 'out' : 'in',
    text: id,
    sentAt: storedAt,
    storedAt,
    status: from === 'me' ? 'delivered' : 'received'
  }
}

// Local noon of two consecutive days, whatever the machine's zone.
const day1 = new Date(2025, 2, 3, 12).getTime()
const day2 = new Date(2025, 2, 4, 12).getTime()

describe('timeline', () => {
  it('orders by stored time and drops duplicate ids (the later copy wins)', () => {
    const a = message('a', 'bob', day1 + 2)
    const b = message('b', 'me', day1 + 1)
    const aUpdated = { ...a, text: 'edited' }
    assert.deepEqual(
      orderMessages([a, b, aUpdated]).map(m => [m.id, m.text]),
      [
        ['b', 'b'],
        ['a', 'edited']
      ]
    )
  })

  it('groups runs of one sender within a local day', () => {
    const days = groupTimeline(
      orderMessages([
        message('1', 'bob', day1),
        message('2', 'bob', day1 + 1),
        message('3', 'me', day1 + 2),
        message('4', 'bob', day1 + 3),
        message('5', 'bob', day2),
        message('6', 'bob', day2 + 1)
      ])
    )
    assert.deepEqual(
      days.map(d => [d.day, d.groups.map(g => [g.from, g.messages.map(m => m.id).join('')])]),
      [
        [
          '2025-03-03',
          [
            ['bob', '12'],
            ['me', '3'],
            ['bob', '4']
          ]
        ],
        ['2025-03-04', [['bob', '56']]]
      ]
    )
    assert.deepEqual(groupTimeline([]), [])
  })

  it('labels days and last-seen times', () => {
    assert.equal(dayKey(day1), '2025-03-03')
    assert.equal(dayLabel(day2, day2 + 1000, 'en-US'), 'Today')
    assert.equal(dayLabel(day1, day2, 'en-US'), 'Yesterday')
    assert.equal(dayLabel(day1, day2 + 86_400_000, 'en-US'), 'Monday, March 3, 2025')
    assert.equal(lastSeenLabel(day1, day1 + 30_000, 'en-US'), 'just now')
    assert.equal(lastSeenLabel(day1, day1 + 5 * 60_000, 'en-US'), '5 minutes ago')
    assert.equal(lastSeenLabel(day1, day1 + 3 * 3_600_000, 'en-US'), '3 hours ago')
    assert.equal(lastSeenLabel(day1, day1 + 86_400_000, 'en-US'), 'yesterday')
  })
})
