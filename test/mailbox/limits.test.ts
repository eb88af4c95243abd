import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import { mailboxOptions } from '../../node/cli/options.ts'
import { DEFAULT_MAILBOX_LIMITS, MAX_RATE_BUCKETS, mailboxLimits } from '../../node/mailbox/index.ts'
import { AddressRateLimit, remoteHost } from '../../node/mailbox/rate-limit.ts'

describe('mailbox limits', () => {
  test('the rate limit per address: a burst, then the rate; other addresses unaffected', () => {
    let t = 0
    const limit = new AddressRateLimit({ rate: 2, burst: 5, now: () => t })
    const taken = (address: string, n: number): number =>
      Array.from({ length: n }, () => limit.take(address)).filter(Boolean).length
    assert.equal(taken('198.18.0.11', 10), 5)
    assert.equal(taken('198.18.0.12', 3), 3)
    t += 1000
    assert.equal(taken('198.18.0.11', 10), 2)
    t += 60_000
    assert.equal(taken('198.18.0.11', 10), 5, 'refilled up to the burst, no more')
  })

  test('a flood of addresses keeps at most MAX_RATE_BUCKETS of them', () => {
    const limit = new AddressRateLimit({ rate: 1, burst: 1, now: () => 0 })
    for (let i = 0; i < MAX_RATE_BUCKETS + 500; i++) limit.take(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`)
    assert.equal(limit.size, MAX_RATE_BUCKETS)
  })

  test('the address of a connection: IPv4, IPv6, or the whole address when it has none', () => {
    assert.equal(remoteHost(multiaddr('/ip4/198.18.0.11/tcp/4001')), '198.18.0.11')
    assert.equal(
      remoteHost(multiaddr('/ip6/2001:db8::1/tcp/4001/p2p/12D3KooWGC6TvWhfapngX6wvJHMYvKpDMXPb3ZnCZ6dMoaMtimQ5')),
      '2001:db8::1'
    )
    assert.equal(remoteHost(multiaddr('/dns4/example.org/tcp/1')), '/dns4/example.org/tcp/1')
  })

  test('limits: defaults, overrides, and precise refusals', () => {
    assert.deepEqual(mailboxLimits(), DEFAULT_MAILBOX_LIMITS)
    assert.equal(mailboxLimits({ powDifficulty: 0 }).powDifficulty, 0)
    assert.throws(() => mailboxLimits({ queueMaxDeposits: 0 }), RangeError)
    assert.throws(() => mailboxLimits({ retentionMs: 1.5 }), RangeError)
    assert.throws(() => mailboxLimits({ powDifficulty: 33 }), RangeError)
    assert.throws(() => mailboxLimits({ nope: 1 } as never), TypeError)
  })

  test('daemon --mailbox-… options: days to ms, the burst follows the rate, only with --community', () => {
    assert.deepEqual(mailboxOptions({ 'mailbox-days': '14', 'mailbox-rate': '10', 'mailbox-pow': '20' }, true), {
      retentionMs: 14 * 24 * 60 * 60 * 1000,
      depositRate: 10,
      depositBurst: 40,
      powDifficulty: 20
    })
    assert.deepEqual(mailboxOptions({}, false), {})
    const name = (f: () => unknown): string => {
      try {
        f()
      } catch (err) {
        return (err as Error).name
      }
      return 'none'
    }
    assert.equal(
      name(() => mailboxOptions({ 'mailbox-days': '3' }, false)),
      'UsageError'
    )
    assert.equal(
      name(() => mailboxOptions({ 'mailbox-days': '0' }, true)),
      'UsageError'
    )
    assert.equal(
      name(() => mailboxOptions({ 'mailbox-pow': '25' }, true)),
      'UsageError'
    )
    assert.equal(
      name(() => mailboxOptions({ 'mailbox-queue-bytes': 'lots' }, true)),
      'UsageError'
    )
  })
})
