/**
 * One delivery on /parley/dm/1.0.0 (docs/PROTOCOL.md §3.11): the sender writes up to
 * MAX_ENVELOPES_PER_STREAM envelope frames, the receiver answers each stored envelope with one ack
 * frame, in order; the sender closes once every envelope is acked, the receiver closes at the end
 * of the sender's data. A receiver that refuses an envelope resets the stream: whatever was not
 * acked stays in the sender's outbox.
 */
import type { Stream } from '@libp2p/interface'
import { lpStream, UnexpectedEOFError } from '@libp2p/utils'
import { MAX_ENVELOPES_PER_STREAM, READ_TIMEOUT_MS } from './constants.ts'
import { MAX_FRAME_SIZE } from './envelope-constants.ts'
import { MalformedFrameError } from './envelope-errors.ts'
import { decodeFrame, encodeFrame } from './envelope-frame.ts'

function readSignal(signal: AbortSignal | undefined): AbortSignal {
  const deadline = AbortSignal.timeout(READ_TIMEOUT_MS)
  return signal == null ? deadline : AbortSignal.any([signal, deadline])
}

/**
 * Sender side. `onAck` verifies one ack and returns how many of our envelopes it acknowledged.
 * Resolves with the number acknowledged in total (fewer than sent when the receiver stopped early).
 */
export async function writeEnvelopes(
  stream: Stream,
  envelopes: Uint8Array[],
  onAck: (ack: Uint8Array) => Promise<number>,
  options: { signal?: AbortSignal } = {}
): Promise<number> {
  if (envelopes.length === 0 || envelopes.length > MAX_ENVELOPES_PER_STREAM) {
    throw new RangeError(`a delivery carries 1..${MAX_ENVELOPES_PER_STREAM} envelopes, got ${envelopes.length}`)
  }
  const lp = lpStream(stream, { maxDataLength: MAX_FRAME_SIZE })
  await lp.writeV(
    envelopes.map(envelope => encodeFrame({ envelope })),
    options
  )
  let acked = 0
  while (acked < envelopes.length) {
    let bytes: Uint8Array
    try {
      bytes = (await lp.read({ signal: readSignal(options.signal) })).subarray()
    } catch (err) {
      if (err instanceof UnexpectedEOFError) break
      throw err
    }
    const frame = decodeFrame(bytes)
    if (!('ack' in frame)) {
      throw new MalformedFrameError('expected an ack frame from the receiver')
    }
    acked += await onAck(frame.ack)
  }
  await stream.close(options)
  return acked
}

/**
 * Receiver side. `onEnvelope` stores (or recognises) one envelope and returns the signed ack bytes,
 * or throws to refuse it (the stream is then reset).
 */
export async function readEnvelopes(
  stream: Stream,
  onEnvelope: (envelope: Uint8Array) => Promise<Uint8Array>,
  options: { signal?: AbortSignal } = {}
): Promise<void> {
  const lp = lpStream(stream, { maxDataLength: MAX_FRAME_SIZE })
  try {
    for (let i = 0; i <= MAX_ENVELOPES_PER_STREAM; i++) {
      let bytes: Uint8Array
      try {
        bytes = (await lp.read({ signal: readSignal(options.signal) })).subarray()
      } catch (err) {
        if (err instanceof UnexpectedEOFError) break
        throw err
      }
      if (i === MAX_ENVELOPES_PER_STREAM) {
        throw new MalformedFrameError(`more than ${MAX_ENVELOPES_PER_STREAM} envelopes on one stream`)
      }
      const frame = decodeFrame(bytes)
      if (!('envelope' in frame)) {
        throw new MalformedFrameError('expected an envelope frame from the sender')
      }
      const ack = await onEnvelope(frame.envelope)
      await lp.write(encodeFrame({ ack }), options)
    }
    await stream.close(options)
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}
