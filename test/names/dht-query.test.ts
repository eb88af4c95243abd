/**
 * The query mechanics against a scripted kad-dht event stream: what counts as an answer, when the
 * early result settles, when a query is cut short, what a put counts, and the local copy.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { PeerId } from '@libp2p/interface'
import { Record as DhtRecord, type QueryEvent } from '@libp2p/kad-dht'
import { defaultLogger } from '@libp2p/logger'
import { DhtQuery, type QueryableDht, unanswered } from '../../node/names/dht-query.ts'
import { nameKey } from '../../node/names/records.ts'
import { SqliteDatastore } from '../../node/p2p/index.ts'
import { claim, keyed, peers, settle } from './fake-query.ts'

const key = nameKey('alice')

function response(from: PeerId, value?: Uint8Array, messageName = 'GET_VALUE'): QueryEvent {
  const record = value === undefined ? undefined : new DhtRecord(key, value, new Date())
  return { name: 'PEER_RESPONSE', from, messageName, record, closer: [], providers: [] } as unknown as QueryEvent
}

function failure(from: PeerId, errorName: string): QueryEvent {
  const error = Object.assign(new Error(errorName), { name: errorName })
  return { name: 'QUERY_ERROR', from, error } as unknown as QueryEvent
}

/** A DHT whose get and put play `events`, pausing before index `holdAt` until `release` resolves. */
function scriptedDht(
  events: QueryEvent[],
  init: { peers?: number; holdAt?: number; release?: Promise<void>; throws?: Error } = {}
): QueryableDht & { consumed: number; gets: number } {
  const dht = {
    routingTable: { size: init.peers ?? 20 },
    consumed: 0,
    gets: 0,
    async *get(): AsyncGenerator<QueryEvent> {
      dht.gets++
      for (const [i, event] of events.entries()) {
        if (i === init.holdAt) await init.release
        dht.consumed++
        yield event
      }
      if (init.throws !== undefined) throw init.throws
    },
    async *put(): AsyncGenerator<QueryEvent> {
      for (const event of events) yield event
      if (init.throws !== undefined) throw init.throws
    }
  }
  return dht as unknown as QueryableDht & { consumed: number; gets: number }
}

const text = async (_from: PeerId, value: Uint8Array): Promise<string | undefined> =>
  value.length === 0 ? undefined : new TextDecoder().decode(value)

function query(dht: QueryableDht, datastore?: SqliteDatastore, me?: PeerId): DhtQuery {
  return new DhtQuery({ dht, peerId: me ?? ({} as PeerId), datastore, logger: defaultLogger() })
}

describe('the query mechanics', () => {
  test('an empty result is an answer only when the DHT answered', () => {
    assert.equal(unanswered({ peers: 3, answered: 2, failed: 2 }, 'x'), undefined)
    assert.match(unanswered({ peers: 0, answered: 0, failed: 0 }, 'x')?.message ?? '', /not connected to any DHT peer/)
    const failed = unanswered({ peers: 5, answered: 1, failed: 2 }, '"bob"')
    assert.equal(failed?.name, 'LookupFailedError')
    assert.match(failed?.message ?? '', /"bob": 2 of the 3 peers asked did not answer; try again/)
  })

  test('counts peers that answered (a refused record too) and peers that failed; one value per peer', async () => {
    const [p1, p2, p3, p4] = await peers(4)
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
    const dht = scriptedDht([
      response(p1!, enc('a')),
      response(p1!, enc('b')),
      response(p2!),
      failure(p3!, 'QueryError'),
      failure(p4!, 'AbortError'),
      response(p2!, new Uint8Array())
    ])
    const g = query(dht).gather(key, text, {})
    assert.deepEqual(await g.all, ['b'])
    assert.deepEqual(g.reach, { peers: 20, answered: 5, failed: 1 })
  })

  test('`first` settles once enough came in; without drain: false the query goes on for `all`', async () => {
    const ps = await peers(4)
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
    const release = Promise.withResolvers<void>()
    const events = ps.map((p, i) => response(p, enc(String(i))))
    const dht = scriptedDht(events, { holdAt: 2, release: release.promise })
    const g = query(dht).gather(key, text, { enough: items => items.length >= 2 })
    assert.deepEqual(await g.first, ['0', '1'])
    release.resolve()
    assert.deepEqual(await g.all, ['0', '1', '2', '3'])
    assert.equal(dht.consumed, 4)

    const cut = scriptedDht(events)
    const h = query(cut).gather(key, text, { enough: items => items.length >= 2, drain: false })
    assert.deepEqual(await h.first, ['0', '1'])
    assert.deepEqual(await h.all, ['0', '1'])
    assert.equal(cut.consumed, 2, 'the query was left once enough came in')
  })

  test("a get that ends in kad-dht's correction error keeps what it collected; the caller's abort rejects", async () => {
    const [p1] = await peers(1)
    const dht = scriptedDht([response(p1!, new TextEncoder().encode('x'))], {
      throws: new Error('Could not send correction')
    })
    assert.deepEqual(await query(dht).gather(key, text, {}).all, ['x'])

    const controller = new AbortController()
    controller.abort()
    const aborted = scriptedDht([], { throws: new Error('aborted') })
    await assert.rejects(query(aborted).gather(key, text, { signal: controller.signal }).first, { name: 'AbortError' })
  })

  test('a caller waiting for `all` only sees the abort there, and `first` never rejects unhandled', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason)
    }
    process.on('unhandledRejection', onUnhandled)
    try {
      const controller = new AbortController()
      controller.abort()
      const aborted = scriptedDht([], { throws: new Error('aborted') })
      // as the resolver does: `all` awaited, `first` never read
      await assert.rejects(query(aborted).gather(key, text, { signal: controller.signal }).all, { name: 'AbortError' })
      await new Promise(resolve => setImmediate(resolve))
      assert.deepEqual(unhandled, [])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  test('a put counts the peers that stored exactly our value and those that refused', async () => {
    const [p1, p2, p3, p4] = await peers(4)
    const value = new TextEncoder().encode('ours')
    const dht = scriptedDht([
      response(p1!, value, 'PUT_VALUE'),
      response(p1!, value, 'PUT_VALUE'),
      response(p2!, new TextEncoder().encode('other'), 'PUT_VALUE'),
      response(p3!, value, 'GET_VALUE'),
      failure(p4!, 'QueryError')
    ])
    assert.deepEqual(await query(dht).put(key, value, {}), { stored: 1, refused: 1 })
    const taken = scriptedDht([], { throws: Object.assign(new Error('taken'), { name: 'NameTakenError' }) })
    await assert.rejects(query(taken).put(key, value, {}), { name: 'NameTakenError' })
  })

  test('with no peers: nothing is asked, a put is kept locally under the storing rule', async () => {
    const datastore = new SqliteDatastore(':memory:')
    datastore.open()
    try {
      const [alice, mallory] = [await keyed(), await keyed()]
      const dht = scriptedDht([], { peers: 0 })
      const q = query(dht, datastore, alice.peerId)
      const mine = await claim(alice, 'alice', { sequence: 2n })
      assert.deepEqual(await q.put(key, mine, {}), { stored: 0, refused: 0 })
      assert.deepEqual(Uint8Array.from((await q.localValue(key)) ?? []), mine)
      await assert.rejects(q.put(key, await claim(mallory, 'alice'), {}), { name: 'NameTakenError' })
      await assert.rejects(q.put(key, await claim(alice, 'alice', { sequence: 1n }), {}), { name: 'StaleRecordError' })

      const seen: PeerId[] = []
      const g = q.gather(key, async from => seen.push(from), {})
      assert.equal((await g.all).length, 1, 'our own copy')
      assert.ok(seen[0]?.equals(alice.peerId))
      assert.equal(dht.gets, 0)
      await settle()
    } finally {
      datastore.close()
    }
  })
})
