/**
 * Figure 1: direct-message latency, send → signed ack received, p50/p99, between two nodes on
 * 127.0.0.1 with durable SQLite on both sides, against the plain libp2p echo round trip of the
 * same frame size over the same TCP + Noise + Yamux stack (echo.ts).
 */
import { EnvelopePair, LATENCY_TEXT, textPayload } from '../envelope-pair.ts'
import { missing } from '../availability.ts'
import { type Figure, type Measurement, unavailableFigure } from '../report.ts'
import { round } from '../stats.ts'
import { type EchoResult, echoBaseline } from './echo.ts'

/** The frame size of a LATENCY_TEXT envelope on an established session: the echo payload size. */
export async function latencyFrameSize(): Promise<number> {
  const pair = await EnvelopePair.establish()
  const { frame } = await pair.seal('alice', textPayload(LATENCY_TEXT))
  return frame.length
}

export async function measureEcho(quick: boolean): Promise<EchoResult> {
  return await echoBaseline({ payloadBytes: await latencyFrameSize(), rounds: quick ? 50 : 1000 })
}

function echoMeasurements(echo: EchoResult): Measurement[] {
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

const NEEDS = ['node/parley-node.ts', 'node/messaging/messenger.ts', 'node/store/index.ts', 'node/p2p/index.ts']

export async function dmLatencyFigure(options: { quick: boolean; echo: EchoResult }): Promise<Figure> {
  const absent = missing(NEEDS)
  return unavailableFigure(
    {
      figure: 1,
      id: 'dm-latency',
      title: 'DM latency send → signed ack',
      reason: `needs the node, not on this branch yet: ${absent.join(', ') || '(present but not wired)'}`,
      measurements: echoMeasurements(options.echo)
    },
    { echo: options.echo }
  )
}
