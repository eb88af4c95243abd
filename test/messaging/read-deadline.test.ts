/**
 * The read deadline of a dm stream (dm-stream.ts ReadDeadline): one timer per stream, and still
 * each read of a frame cut after its timeout (a slow peer), none cut while the stream sits idle.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { ReadDeadline } from '../../node/messaging/dm-stream.ts'

type Lp = Parameters<ReadDeadline['read']>[0]

/** A length-prefixed stream whose reads answer `frames` in turn, then never answer (until aborted). */
function fakeLp(frames: Uint8Array[]): Lp & { reads: number } {
  const lp = {
    reads: 0,
    read: async ({ signal }: { signal: AbortSignal }) => {
      lp.reads++
      const next = frames.shift()
      if (next !== undefined) return { subarray: () => next }
      return await new Promise((_, reject) => {
        if (signal.aborted) reject(signal.reason)
        signal.addEventListener('abort', () => reject(signal.reason), { once: true })
      })
    }
  }
  return lp as unknown as Lp & { reads: number }
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

describe('ReadDeadline', () => {
  // the deadline's timer does not hold the process open (a socket does, in a node): this does here
  let alive: NodeJS.Timeout
  before(() => {
    alive = setInterval(() => {}, 1_000)
  })
  after(() => clearInterval(alive))

  it('cuts a read that waits longer than its timeout (a slow peer) with TimeoutError', async () => {
    const deadline = new ReadDeadline(50)
    const lp = fakeLp([Uint8Array.of(1), Uint8Array.of(2)])
    const signal = deadline.signal(undefined)
    assert.deepEqual(await deadline.read(lp, signal), Uint8Array.of(1))
    assert.deepEqual(await deadline.read(lp, signal), Uint8Array.of(2))
    await assert.rejects(deadline.read(lp, signal), { name: 'TimeoutError' })
    deadline.stop()
  })

  it('a stream idle longer than the timeout between reads is not cut; the next read gets a full timeout again', async () => {
    const deadline = new ReadDeadline(50)
    const lp = fakeLp([Uint8Array.of(1), Uint8Array.of(2)])
    const signal = deadline.signal(undefined)
    assert.deepEqual(await deadline.read(lp, signal), Uint8Array.of(1))
    // the timer fires while no read waits (a kept stream between deliveries)
    await sleep(200)
    assert.equal(signal.aborted, false)
    assert.deepEqual(await deadline.read(lp, signal), Uint8Array.of(2))
    await assert.rejects(deadline.read(lp, signal), { name: 'TimeoutError' })
    deadline.stop()
  })

  it("the turn's own signal cuts a read too, with its reason", async () => {
    const deadline = new ReadDeadline(60_000)
    const outer = new AbortController()
    const lp = fakeLp([])
    const read = deadline.read(lp, deadline.signal(outer.signal))
    outer.abort(new RangeError('stopping'))
    await assert.rejects(read, { name: 'RangeError' })
    deadline.stop()
  })
})
