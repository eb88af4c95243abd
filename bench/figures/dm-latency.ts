/**
 * Figure 1: direct-message latency, send → signed ack received, p50/p99, between two nodes on
 * 127.0.0.1 with durable SQLite on both sides, against the plain libp2p echo round trip of the
 * same frame size over the same TCP + Noise + Yamux stack (echo.ts).
 */
import { LATENCY_TEXT } from '../envelope-pair.ts'
import { type NodePair, startNodePair } from '../node-pair.ts'
import type { Figure } from '../report.ts'
import { measureCommits } from '../durable.ts'
import { now, round, summarize } from '../stats.ts'
import { type EchoResult, echoMeasurements } from './echo.ts'

/** Sends one text from Alice to Bob and waits for Bob's signed ack; returns the status. */
export async function sendAndWait(pair: NodePair, text: string, timeoutMs = 30_000): Promise<string> {
  const result = await pair.alice.node.messenger.send(
    pair.bob.peerId,
    { text },
    { wait: true, timeoutMs, signal: AbortSignal.timeout(timeoutMs + 5_000) }
  )
  return result.status
}

/** The first message sets up the session (profile lookup in the DHT, X3DH); later ones are the steady state. */
export async function warmUp(pair: NodePair, messages: number): Promise<void> {
  const deadline = now() + 60_000
  for (;;) {
    let status: string
    try {
      status = await sendAndWait(pair, 'warm-up', 10_000)
    } catch (err) {
      status = String(err)
    }
    if (status === 'delivered') {
      break
    }
    if (now() > deadline) {
      throw new Error(`the first message to Bob was never delivered (last: ${status})`)
    }
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  for (let i = 0; i < messages; i++) {
    const status = await sendAndWait(pair, LATENCY_TEXT)
    if (status !== 'delivered') {
      throw new Error(`warm-up message ended ${status}`)
    }
  }
}

export async function dmLatencyFigure(options: { quick: boolean; echo: EchoResult }): Promise<Figure> {
  const started = now()
  const rounds = options.quick ? 30 : 300
  const pair = await startNodePair()
  try {
    await warmUp(pair, options.quick ? 5 : 30)
    const samples: number[] = []
    const commitsBefore = pair.commits()
    for (let i = 0; i < rounds; i++) {
      const t = now()
      const status = await sendAndWait(pair, LATENCY_TEXT)
      samples.push(now() - t)
      if (status !== 'delivered') {
        throw new Error(`message ${i} ended ${status}, expected delivered`)
      }
    }
    const commitsPerMessage = (pair.commits() - commitsBefore) / rounds
    const latency = summarize(samples)
    const commit = measureCommits({ ms: options.quick ? 300 : 2000 })
    const echo = options.echo
    const ratio = latency.p50 / echo.freshStream.p50
    return {
      figure: 1,
      id: 'dm-latency',
      title: 'DM latency send → signed ack',
      status: 'measured',
      measurements: [
        {
          id: 'dm-latency-p50',
          label: `DM send → signed ack, p50 (${rounds} msgs)`,
          value: round(latency.p50),
          unit: 'ms',
          baseline: {
            label: `echo ${echo.payloadBytes} B new stream p50`,
            value: round(echo.freshStream.p50),
            unit: 'ms'
          },
          ratio: round(ratio),
          goal: { text: 'p50 ≤ 3× echo', met: ratio <= 3 }
        },
        {
          id: 'dm-latency-p99',
          label: `DM send → signed ack, p99 (${rounds} msgs)`,
          value: round(latency.p99),
          unit: 'ms',
          baseline: {
            label: `echo ${echo.payloadBytes} B new stream p99`,
            value: round(echo.freshStream.p99),
            unit: 'ms'
          },
          ratio: round(latency.p99 / echo.freshStream.p99)
        },
        ...echoMeasurements(echo),
        {
          id: 'durable-commit-p50',
          label: 'one durable SQLite commit (WAL, synchronous=FULL), p50',
          value: round(commit.latency.p50),
          unit: 'ms'
        },
        {
          id: 'dm-commits-per-message',
          label: 'durable commits per message (both nodes)',
          value: round(commitsPerMessage),
          unit: ''
        }
      ],
      details: { latency, echo, commit, commitsPerMessage, text: LATENCY_TEXT },
      durationMs: Math.round(now() - started),
      notes: []
    }
  } finally {
    await pair.stop()
  }
}
