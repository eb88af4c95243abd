/**
 * The plain-libp2p baselines of figures 1 and 2: two libp2p 3 nodes on 127.0.0.1 over the stack
 * Parley uses (TCP + Noise + Yamux), with payloads the size of a Parley envelope frame.
 *
 * Figure 1: a length-prefixed echo round trip, measured two ways:
 * - fresh stream: every round trip opens a stream on the existing connection, as /parley/dm/1.0.0
 *   does for each delivery (the baseline figure 1 is compared with);
 * - reused stream: one long-lived stream, the floor of the connection itself.
 *
 * Figure 2: the transport's floor (batchFloor), the CPU time per message of moving the frames alone.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import type { Libp2p, Stream } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { lpStream } from '@libp2p/utils'
import { createLibp2p } from 'libp2p'
import { EnvelopePair, LATENCY_TEXT, textPayload } from '../envelope-pair.ts'
import type { Measurement } from '../report.ts'
import { now, round, type Summary, summarize } from '../stats.ts'

/** The echo protocol of the benchmark; never spoken by Parley itself. */
export const ECHO_PROTOCOL = '/parley-bench/echo/1.0.0'
/** Figure 2's floor: a count, that many frames, then a short answer; never spoken by Parley itself. */
const BATCH_PROTOCOL = '/parley-bench/batch/1.0.0'
/** The size of the answer to a batch: about a signed ack naming 8 message ids. */
const BATCH_ANSWER_BYTES = 240

export interface EchoResult {
  payloadBytes: number
  /** ms per round trip, a new stream each time */
  freshStream: Summary
  /** ms per round trip on one stream */
  reusedStream: Summary
}

async function echoNode(): Promise<Libp2p> {
  return await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()]
  })
}

/** Two plain nodes, the client connected to the server, which serves `protocol` with `serve`. */
async function connectedPair(
  protocol: string,
  serve: (stream: Stream) => Promise<void>
): Promise<{ server: Libp2p; client: Libp2p }> {
  const server = await echoNode()
  const client = await echoNode()
  try {
    await server.handle(protocol, stream => serve(stream), { maxInboundStreams: 1024 })
    const address = server.getMultiaddrs()[0]
    if (address == null) {
      throw new Error(`the ${protocol} server listens on no address`)
    }
    await client.dial(address)
    return { server, client }
  } catch (err) {
    await client.stop()
    await server.stop()
    throw err
  }
}

async function serveEcho(stream: Stream): Promise<void> {
  const lp = lpStream(stream)
  try {
    for (;;) {
      const message = await lp.read()
      await lp.write(message)
    }
  } catch {
    // the client closed the stream: the only way this loop ends
  }
  await stream.close().catch(() => {})
}

/** Runs `rounds` echo round trips each way (after a warm-up) and returns their latency summaries. */
export async function echoBaseline(options: { payloadBytes: number; rounds: number }): Promise<EchoResult> {
  const { server, client } = await connectedPair(ECHO_PROTOCOL, serveEcho)
  try {
    const payload = crypto.getRandomValues(new Uint8Array(options.payloadBytes))
    const roundTrip = async (lp: ReturnType<typeof lpStream>): Promise<void> => {
      await lp.write(payload)
      const back = await lp.read()
      if (back.byteLength !== payload.byteLength) {
        throw new Error(`echo returned ${back.byteLength} bytes, sent ${payload.byteLength}`)
      }
    }
    const fresh = async (): Promise<number> => {
      const start = now()
      const stream = await client.dialProtocol(server.peerId, ECHO_PROTOCOL)
      await roundTrip(lpStream(stream))
      await stream.close()
      return now() - start
    }
    const warmUp = Math.max(10, Math.floor(options.rounds / 10))
    for (let i = 0; i < warmUp; i++) {
      await fresh()
    }
    const freshSamples: number[] = []
    for (let i = 0; i < options.rounds; i++) {
      freshSamples.push(await fresh())
    }
    const stream = await client.dialProtocol(server.peerId, ECHO_PROTOCOL)
    const lp = lpStream(stream)
    for (let i = 0; i < warmUp; i++) {
      await roundTrip(lp)
    }
    const reusedSamples: number[] = []
    for (let i = 0; i < options.rounds; i++) {
      const start = now()
      await roundTrip(lp)
      reusedSamples.push(now() - start)
    }
    await stream.close()
    return {
      payloadBytes: options.payloadBytes,
      freshStream: summarize(freshSamples),
      reusedStream: summarize(reusedSamples)
    }
  } finally {
    await client.stop()
    await server.stop()
  }
}

/** The frame size of an envelope of `text` on an established session (LATENCY_TEXT: the echo payload size). */
export async function frameSize(text: string = LATENCY_TEXT): Promise<number> {
  const pair = await EnvelopePair.establish()
  const { frame } = await pair.seal('alice', textPayload(text))
  return frame.length
}

export async function measureEcho(quick: boolean): Promise<EchoResult> {
  return await echoBaseline({ payloadBytes: await frameSize(), rounds: quick ? 50 : 1000 })
}

export interface BatchFloorOptions {
  frameBytes: number
  /** frames per answer */
  batch: number
  /** senders at once, each with its own stream */
  inFlight: number
  total: number
}

/**
 * Figure 2's transport floor: `total` frames of `frameBytes` from one plain libp2p node to the
 * other, `inFlight` senders each on one kept stream (as /parley/dm/1.0.0 keeps one per peer), each
 * writing `batch` frames and waiting for a short answer, as a delivery waits for its ack. Returns
 * the CPU time of this process (both nodes, every thread) per frame: what moving a message costs
 * with no crypto of Parley's and no store.
 */
export async function batchFloor(options: BatchFloorOptions): Promise<{ cpuMicrosPerMessage: number }> {
  const { server, client } = await connectedPair(BATCH_PROTOCOL, serveBatches)
  try {
    const frame = crypto.getRandomValues(new Uint8Array(options.frameBytes))
    const send = async (messages: number): Promise<void> => {
      let sent = 0
      const sender = async (): Promise<void> => {
        const stream = await client.dialProtocol(server.peerId, BATCH_PROTOCOL)
        const lp = lpStream(stream)
        while (sent < messages) {
          const count = Math.min(options.batch, messages - sent)
          sent += count
          await lp.writeV([Uint8Array.of(count), ...Array.from({ length: count }, () => frame)])
          if ((await lp.read()).byteLength !== BATCH_ANSWER_BYTES) {
            throw new Error('the batch server answered with the wrong size')
          }
        }
        await stream.close()
      }
      await Promise.all(Array.from({ length: options.inFlight }, sender))
    }
    await send(Math.ceil(options.total / 5)) // warm-up
    const cpu = process.cpuUsage()
    await send(options.total)
    const used = process.cpuUsage(cpu)
    return { cpuMicrosPerMessage: (used.user + used.system) / options.total }
  } finally {
    await client.stop()
    await server.stop()
  }
}

async function serveBatches(stream: Stream): Promise<void> {
  const lp = lpStream(stream)
  const answer = new Uint8Array(BATCH_ANSWER_BYTES)
  try {
    for (;;) {
      const count = (await lp.read()).subarray()[0]!
      for (let i = 0; i < count; i++) await lp.read()
      await lp.write(answer)
    }
  } catch {
    // the client closed the stream: the only way this loop ends
  }
  await stream.close().catch(() => {})
}

export function echoMeasurements(echo: EchoResult): Measurement[] {
  return [
    {
      id: 'echo-fresh-p50',
      label: `libp2p echo ${echo.payloadBytes} B, new stream, p50`,
      value: round(echo.freshStream.p50),
      unit: 'ms'
    },
    {
      id: 'echo-fresh-p99',
      label: `libp2p echo ${echo.payloadBytes} B, new stream, p99`,
      value: round(echo.freshStream.p99),
      unit: 'ms'
    },
    {
      id: 'echo-reused-p50',
      label: `libp2p echo ${echo.payloadBytes} B, one stream, p50`,
      value: round(echo.reusedStream.p50),
      unit: 'ms'
    }
  ]
}
