/**
 * Figure 1's baseline: a plain libp2p length-prefixed echo round trip between two libp2p 3 nodes on
 * 127.0.0.1 over the stack Parley uses (TCP + Noise + Yamux), with a payload the size of a Parley
 * envelope frame. Measured two ways:
 * - fresh stream: every round trip opens a stream on the existing connection, as /parley/dm/1.0.0
 *   does for each delivery (the baseline figure 1 is compared with);
 * - reused stream: one long-lived stream, the floor of the connection itself.
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
  const server = await echoNode()
  const client = await echoNode()
  try {
    await server.handle(ECHO_PROTOCOL, stream => serveEcho(stream), { maxInboundStreams: 1024 })
    const address = server.getMultiaddrs()[0]
    if (address == null) {
      throw new Error('the echo server listens on no address')
    }
    await client.dial(address)
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

/** The frame size of a LATENCY_TEXT envelope on an established session: the echo payload size. */
export async function latencyFrameSize(): Promise<number> {
  const pair = await EnvelopePair.establish()
  const { frame } = await pair.seal('alice', textPayload(LATENCY_TEXT))
  return frame.length
}

export async function measureEcho(quick: boolean): Promise<EchoResult> {
  return await echoBaseline({ payloadBytes: await latencyFrameSize(), rounds: quick ? 50 : 1000 })
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
