/**
 * When our records are published, on a mocked clock (node:test's timers) with a fake publish.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, mock, test } from 'node:test'
import { defaultLogger } from '@libp2p/logger'
import {
  ADDRESS_CHANGE_DEBOUNCE_MS,
  CONNECT_PUBLISH_DELAY_MS,
  REPUBLISH_INTERVAL_MS,
  RETRY_PUBLISH_MS
} from '../../node/names/constants.ts'
import { RepublishSchedule } from '../../node/names/republish-schedule.ts'

interface Setup {
  schedule: RepublishSchedule
  events: EventTarget
  /** the signals of the publishes so far */
  calls: AbortSignal[]
  /** what the next publishes return, in turn (the last one repeats) */
  results: Array<boolean | Error | Promise<boolean>>
  addresses: string[]
  published: string
  changed: string[][]
  /** what the publisher's grownSinceShortPublish says */
  grown: boolean
}

function setup(init: { intervalMs?: number } = {}): Setup {
  const events = new EventTarget()
  const s: Setup = {
    schedule: undefined as unknown as RepublishSchedule,
    events,
    calls: [],
    results: [true],
    addresses: ['/ip4/127.0.0.1/tcp/1'],
    published: '',
    changed: [],
    grown: false
  }
  s.schedule = new RepublishSchedule(
    {
      republish: async options => {
        s.calls.push(options.signal!)
        const result = s.results.length > 1 ? s.results.shift()! : s.results[0]!
        if (result instanceof Error) throw result
        const ok = await result
        s.published = s.addresses.join(' ')
        return ok
      },
      events,
      addresses: () => s.addresses,
      publishedAddresses: () => s.published,
      grown: () => s.grown,
      logger: defaultLogger()
    },
    { intervalMs: init.intervalMs, onAddressesChanged: addresses => s.changed.push(addresses) }
  )
  return s
}

/** Moves the mocked clock and lets the publishes it started settle. */
async function tick(ms: number): Promise<void> {
  mock.timers.tick(ms)
  for (let i = 0; i < 5; i++) await new Promise(resolve => setImmediate(resolve))
}

describe('the republish schedule', () => {
  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout'] })
  })
  afterEach(() => {
    mock.timers.reset()
  })

  test('publishes at start, then every interval', async () => {
    const s = setup()
    s.schedule.start()
    await tick(0)
    assert.equal(s.calls.length, 1)
    await tick(REPUBLISH_INTERVAL_MS - 1)
    assert.equal(s.calls.length, 1)
    await tick(1)
    assert.equal(s.calls.length, 2)
    await s.schedule.stop()
  })

  test('a publish that reached too few peers, or failed, is retried after RETRY_PUBLISH_MS', async () => {
    assert.equal(RETRY_PUBLISH_MS, 10_000)
    const s = setup()
    s.results = [false, new Error('no peers answered'), true]
    s.schedule.start()
    await tick(0)
    assert.equal(s.calls.length, 1)
    await tick(RETRY_PUBLISH_MS - 1)
    assert.equal(s.calls.length, 1)
    await tick(1)
    assert.equal(s.calls.length, 2, 'too few peers: again in 10 s')
    await tick(RETRY_PUBLISH_MS)
    assert.equal(s.calls.length, 3, 'failed: again in 10 s')
    await tick(RETRY_PUBLISH_MS)
    assert.equal(s.calls.length, 3, 'done: the next one in 6 h')
    await tick(REPUBLISH_INTERVAL_MS - RETRY_PUBLISH_MS)
    assert.equal(s.calls.length, 4)
    await s.schedule.stop()
  })

  test('the interval can be set', async () => {
    const s = setup({ intervalMs: 5000 })
    s.schedule.start()
    await tick(0)
    await tick(5000)
    assert.equal(s.calls.length, 2)
    await s.schedule.stop()
  })

  test('until a publish is done, a new connection publishes soon; after, it does not', async () => {
    const s = setup()
    s.results = [false, true]
    s.schedule.start()
    await tick(0)
    s.events.dispatchEvent(new Event('peer:connect'))
    await tick(CONNECT_PUBLISH_DELAY_MS)
    assert.equal(s.calls.length, 2, 'published a second after the peer came')
    s.events.dispatchEvent(new Event('peer:connect'))
    await tick(RETRY_PUBLISH_MS)
    assert.equal(s.calls.length, 2)
    await s.schedule.stop()
  })

  test('an address change republishes after the burst settles, and only if the addresses differ', async () => {
    const s = setup()
    s.schedule.start()
    await tick(0)
    assert.equal(s.calls.length, 1)
    s.events.dispatchEvent(new Event('self:peer:update'))
    await tick(ADDRESS_CHANGE_DEBOUNCE_MS)
    assert.equal(s.calls.length, 1, 'same addresses: nothing to publish')
    assert.deepEqual(s.changed, [])

    s.addresses = ['/ip4/127.0.0.1/tcp/1', '/ip4/127.0.0.1/tcp/2']
    s.events.dispatchEvent(new Event('self:peer:update'))
    await tick(ADDRESS_CHANGE_DEBOUNCE_MS - 1)
    s.events.dispatchEvent(new Event('self:peer:update'))
    await tick(ADDRESS_CHANGE_DEBOUNCE_MS - 1)
    assert.equal(s.calls.length, 1, 'debounced')
    await tick(1)
    assert.deepEqual(s.changed, [s.addresses])
    assert.equal(s.calls.length, 2)
    await s.schedule.stop()
  })

  test('one publish at a time: a change during a publish runs after it', async () => {
    const s = setup()
    const slow = Promise.withResolvers<boolean>()
    s.results = [slow.promise, true]
    s.schedule.start()
    await tick(0)
    s.addresses = ['/ip4/127.0.0.1/tcp/3']
    s.events.dispatchEvent(new Event('self:peer:update'))
    await tick(ADDRESS_CHANGE_DEBOUNCE_MS)
    assert.equal(s.calls.length, 1, 'waits for the running publish')
    slow.resolve(true)
    await tick(0)
    await tick(0)
    assert.equal(s.calls.length, 2)
    await s.schedule.stop()
  })

  test('stop aborts the running publish, waits for it, and nothing runs after', async () => {
    const s = setup()
    const slow = Promise.withResolvers<boolean>()
    s.results = [slow.promise]
    s.schedule.start()
    await tick(0)
    const stopping = s.schedule.stop()
    assert.equal(s.calls[0]?.aborted, true)
    slow.resolve(false)
    await stopping
    await tick(REPUBLISH_INTERVAL_MS)
    s.events.dispatchEvent(new Event('peer:connect'))
    await tick(REPUBLISH_INTERVAL_MS)
    assert.equal(s.calls.length, 1)
  })

  test('after a publish that reached few peers of a small table, a connection that grew the table publishes again, once', async () => {
    const s = setup()
    s.schedule.start()
    await tick(0)
    assert.equal(s.calls.length, 1)
    s.events.dispatchEvent(new Event('peer:connect'))
    await tick(CONNECT_PUBLISH_DELAY_MS)
    assert.equal(s.calls.length, 1, 'done, and the table has not grown: a connection changes nothing')

    s.grown = true
    s.events.dispatchEvent(new Event('peer:connect'))
    s.events.dispatchEvent(new Event('peer:connect'))
    await tick(CONNECT_PUBLISH_DELAY_MS)
    assert.equal(s.calls.length, 2, 'published again, once for the burst of connections')
    s.grown = false
    s.events.dispatchEvent(new Event('peer:connect'))
    await tick(RETRY_PUBLISH_MS)
    assert.equal(s.calls.length, 2, 'that publish reached enough: back to the interval')
    await tick(REPUBLISH_INTERVAL_MS)
    assert.equal(s.calls.length, 3)
    await s.schedule.stop()
  })
})
