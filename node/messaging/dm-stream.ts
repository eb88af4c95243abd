/**
 * Deliveries on /parley/dm/1.0.0 (docs/PROTOCOL.md §3.11): the sender writes envelope frames (up
 * to MAX_ENVELOPES_PER_STREAM over a stream's life, in one or several deliveries), the receiver
 * answers the envelopes it stored together with one ack frame naming them, in order; the sender
 * closes when it has no more to send (at once, or after the stream sat idle), the receiver closes
 * at the end of the sender's data. A receiver that refuses an envelope resets the stream: whatever was not
 * acked stays in the sender's outbox.
 */
import type { Stream } from '@libp2p/interface'
import { lpStream, UnexpectedEOFError } from '@libp2p/utils'
import { MAX_ENVELOPES_PER_STREAM, READ_TIMEOUT_MS } from './constants.ts'
import { MAX_FRAME_SIZE } from './envelope-constants.ts'
import { MalformedFrameError } from './envelope-errors.ts'
import { decodeFrame, encodeFrame } from './envelope-frame.ts'

type LpStream = ReturnType<typeof lpStream>

/**
 * The read deadline of one stream: each read of a frame still gets READ_TIMEOUT_MS (a slow peer is
 * cut), from one timer restarted per read instead of a new timer and signal per frame.
 */
export class ReadDeadline {
  private readonly controller = new AbortController()
  private readonly ms: number
  private timer: NodeJS.Timeout | undefined
  private reading = false

  constructor(ms = READ_TIMEOUT_MS) {
    this.ms = ms
  }

  /** The signal for the reads of one turn: `outer` aborted, or a read that outlasted the deadline. */
  signal(outer: AbortSignal | undefined): AbortSignal {
    return outer == null ? this.controller.signal : AbortSignal.any([outer, this.controller.signal])
  }

  /** The next frame, or undefined at the end of the other side's data. `signal` comes from signal(). */
  async read(lp: LpStream, signal: AbortSignal): Promise<Uint8Array | undefined> {
    if (this.timer === undefined) {
      // fires while no read waits (a kept stream sitting idle): nothing happens, the next read restarts it
      this.timer = setTimeout(() => {
        if (this.reading) {
          this.controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))
        }
      }, this.ms)
      this.timer.unref()
    } else {
      this.timer.refresh()
    }
    this.reading = true
    try {
      return (await lp.read({ signal })).subarray()
    } catch (err) {
      if (err instanceof UnexpectedEOFError) return undefined
      throw err
    } finally {
      this.reading = false
    }
  }

  /** The stream ended: no more reads. */
  stop(): void {
    clearTimeout(this.timer)
  }
}

/**
 * Sender side of one dm stream, which may carry several deliveries one after another (§3.11): each
 * writes its envelopes and reads acks until every one is acked; at most MAX_ENVELOPES_PER_STREAM
 * envelopes over the stream's whole life, the most a receiver takes on one stream.
 */
export class EnvelopeSender {
  readonly stream: Stream
  private readonly lp: LpStream
  private readonly deadline = new ReadDeadline()
  /** envelopes written on this stream so far */
  private written = 0
  /** set once a delivery on it failed or the receiver ended it: the next delivery needs a new stream */
  private ended = false

  constructor(stream: Stream) {
    this.stream = stream
    this.lp = lpStream(stream, { maxDataLength: MAX_FRAME_SIZE })
  }

  /** Whether `count` more envelopes may go on this stream: it is open both ways and under the receiver's limit. */
  canTake(count: number): boolean {
    const { status, writeStatus, remoteWriteStatus } = this.stream
    return (
      !this.ended &&
      status === 'open' &&
      writeStatus === 'writable' &&
      remoteWriteStatus === 'writable' &&
      this.written + count <= MAX_ENVELOPES_PER_STREAM
    )
  }

  /**
   * One delivery. `onAck` verifies one ack and returns how many of our envelopes it acknowledged.
   * Resolves with the number acknowledged in total (fewer than sent when the receiver stopped
   * early; the stream is then not usable again). An error aborts the stream.
   */
  async deliver(
    envelopes: Uint8Array[],
    onAck: (ack: Uint8Array) => Promise<number>,
    options: {
      signal?: AbortSignal
      /** a session reset request (§3.12) in place of an ack: the receiver could not open the next envelope; the delivery ends */
      onSessionReset?: (request: Uint8Array) => Promise<void>
    } = {}
  ): Promise<number> {
    if (envelopes.length === 0 || !this.canTake(envelopes.length)) {
      throw new RangeError(
        `a stream carries 1..${MAX_ENVELOPES_PER_STREAM} envelopes in all, ${this.written} written, ${envelopes.length} more asked (or it has ended)`
      )
    }
    this.written += envelopes.length
    let acked = 0
    try {
      await this.lp.writeV(
        envelopes.map(envelope => encodeFrame({ envelope })),
        options
      )
      const signal = this.deadline.signal(options.signal)
      while (acked < envelopes.length) {
        const bytes = await this.deadline.read(this.lp, signal)
        if (bytes === undefined) break
        const frame = decodeFrame(bytes)
        if ('sessionReset' in frame && options.onSessionReset !== undefined) {
          // the receiver waits for our end of the stream (§3.12)
          this.ended = true
          await options.onSessionReset(frame.sessionReset)
          break
        }
        if (!('ack' in frame)) {
          throw new MalformedFrameError('expected an ack frame from the receiver')
        }
        acked += await onAck(frame.ack)
      }
    } catch (err) {
      this.ended = true
      this.deadline.stop()
      this.stream.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    }
    if (acked < envelopes.length) this.ended = true
    return acked
  }

  /** Closes our end; the receiver closes its own at the end of our data. */
  async close(options: { signal?: AbortSignal } = {}): Promise<void> {
    this.ended = true
    this.deadline.stop()
    await this.stream.close(options)
  }
}

/** One delivery on a stream of its own, closed after it (see EnvelopeSender.deliver). */
export async function writeEnvelopes(
  stream: Stream,
  envelopes: Uint8Array[],
  onAck: (ack: Uint8Array) => Promise<number>,
  options: {
    signal?: AbortSignal
    onSessionReset?: (request: Uint8Array) => Promise<void>
  } = {}
): Promise<number> {
  const sender = new EnvelopeSender(stream)
  const acked = await sender.deliver(envelopes, onAck, options)
  await sender.close(options)
  return acked
}

/** What the receiver did with a batch of envelopes: acks naming the stored ones, in order, and why it stopped early. */
export interface EnvelopeBatchResult {
  /** signed acks naming the first envelopes of the batch, in order (one ack for a whole batch) */
  acks: Uint8Array[]
  /** set when an envelope was refused: its acks are written, then the stream is reset */
  error?: Error
  /** a signed session reset request (§3.12) for the refused envelope: written after the acks, then the stream is closed */
  sessionReset?: Uint8Array
}

/**
 * Receiver side. Frames are read as they arrive; `onEnvelopes` gets every envelope that arrived
 * while the previous batch was being stored, so one transaction (one fsync) covers them all
 * (group commit), and answers with one signed ack naming the envelopes stored, in order. An envelope it
 * refuses ends the delivery: the acks before it are written, then the stream is reset.
 */
export async function readEnvelopes(
  stream: Stream,
  onEnvelopes: (envelopes: Uint8Array[]) => Promise<EnvelopeBatchResult>,
  options: { signal?: AbortSignal } = {}
): Promise<void> {
  const lp = lpStream(stream, { maxDataLength: MAX_FRAME_SIZE })
  const queue: Uint8Array[] = []
  let ended = false
  let readError: unknown
  let wake: (() => void) | undefined
  const deadline = new ReadDeadline()
  const reader = (async () => {
    const signal = deadline.signal(options.signal)
    try {
      for (let i = 0; ; i++) {
        const bytes = await deadline.read(lp, signal)
        if (bytes === undefined) break
        if (i === MAX_ENVELOPES_PER_STREAM) {
          throw new MalformedFrameError(`more than ${MAX_ENVELOPES_PER_STREAM} envelopes on one stream`)
        }
        const frame = decodeFrame(bytes)
        if (!('envelope' in frame)) {
          throw new MalformedFrameError('expected an envelope frame from the sender')
        }
        queue.push(frame.envelope)
        wake?.()
      }
    } catch (err) {
      readError = err
    } finally {
      deadline.stop()
      ended = true
      wake?.()
    }
  })()
  try {
    let batches = 0
    while (true) {
      if (queue.length === 0) {
        if (ended) break
        await new Promise<void>(resolve => {
          wake = resolve
        })
        wake = undefined
        continue
      }
      if (batches > 0) {
        // after the first batch of the stream: a commit blocks the thread, and the sender's frames
        // come in over several turns of the event loop; wait while each turn brings more, so that
        // they share one commit (the first envelope of a stream is never held back)
        for (let seen = -1; queue.length !== seen && !ended; ) {
          seen = queue.length
          await new Promise(resolve => setImmediate(resolve))
        }
      }
      batches++
      const { acks, error, sessionReset } = await onEnvelopes(queue.splice(0))
      const frames = acks.map(ack => encodeFrame({ ack }))
      if (error !== undefined && sessionReset !== undefined) frames.push(encodeFrame({ sessionReset }))
      if (frames.length > 0) await lp.writeV(frames, options)
      if (error !== undefined && sessionReset !== undefined) {
        // the sender reads the request and ends its side (a reset could lose the frame); whatever it
        // still sends is read and dropped, each read bounded by READ_TIMEOUT_MS
        queue.length = 0
        await reader
        await stream.close(options).catch(() => stream.abort(error))
        return
      }
      if (error !== undefined) throw error
    }
    // whatever arrived before a bad frame was stored and acked above
    if (readError !== undefined) throw readError
    await stream.close(options)
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    await reader
    throw err
  }
}
