/**
 * Figure 1: direct-message latency, send → signed ack received, p50/p99, between two nodes on
 * 127.0.0.1 with durable SQLite on both sides, against the plain libp2p echo round trip of the
 * same frame size over the same TCP + Noise + Yamux stack (echo.ts), and against the design's own
 * limit: that echo + the two durable commits the guarantees need + the crypto of one message.
 */
import { EnvelopePair, LATENCY_TEXT, textPayload } from '../envelope-pair.ts'
import { type NodePair, startNodePair } from '../node-pair.ts'
import type { Figure } from '../report.ts'
import { commitProbe } from '../durable.ts'
import { now, round, type Summary, summarize } from '../stats.ts'
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

/**
 * The cryptography of one LATENCY_TEXT message through the real code (seal, open, decrypt, signAck,
 * openAck: EnvelopePair.deliver) with no I/O, ms per message: the crypto part of the design limit.
 */
export async function cryptoOfOneMessage(rounds: number): Promise<Summary> {
  const pair = await EnvelopePair.establish()
  const payload = textPayload(LATENCY_TEXT)
  for (let i = 0; i < 20; i++) await pair.deliver('alice', payload)
  const samples: number[] = []
  for (let i = 0; i < rounds; i++) {
    const t = now()
    await pair.deliver('alice', payload)
    samples.push(now() - t)
  }
  return summarize(samples)
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
    // the disk's fsync time moves within minutes: one durable commit is timed after each message
    // (not counted in it), so the design limit samples the disk at the moments the messages ran
    const probe = commitProbe()
    const commitSamples: number[] = []
    let commitsPerMessage: number
    try {
      const commitsBefore = pair.commits()
      for (let i = 0; i < rounds; i++) {
        const t = now()
        const status = await sendAndWait(pair, LATENCY_TEXT)
        samples.push(now() - t)
        if (status !== 'delivered') {
          throw new Error(`message ${i} ended ${status}, expected delivered`)
        }
        commitSamples.push(probe.commit())
      }
      commitsPerMessage = (pair.commits() - commitsBefore - rounds) / rounds
    } finally {
      probe.close()
    }
    const latency = summarize(samples)
    const commit = { latency: summarize(commitSamples) }
    const crypto = await cryptoOfOneMessage(options.quick ? 50 : 300)
    const echo = options.echo
    const ratio = latency.p50 / echo.freshStream.p50
    // what the guarantees cannot do without: a new stream's round trip, the sender's and the
    // receiver's durable commit, and the message's cryptography, each a p50 of this run
    const limit = echo.freshStream.p50 + 2 * commit.latency.p50 + crypto.p50
    const limitRatio = latency.p50 / limit
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
        {
          id: 'dm-latency-vs-limit',
          label: 'DM send → signed ack p50 vs design limit',
          value: round(latency.p50),
          unit: 'ms',
          baseline: {
            label: 'echo new stream + 2 durable commits + crypto of 1 msg, p50s',
            value: round(limit),
            unit: 'ms'
          },
          ratio: round(limitRatio),
          goal: { text: 'p50 ≤ 1.5× design limit', met: limitRatio <= 1.5 }
        },
        {
          id: 'dm-crypto-p50',
          label: 'crypto of one message (seal, open, decrypt, signAck, openAck), p50',
          value: round(crypto.p50),
          unit: 'ms'
        },
        ...echoMeasurements(echo),
        {
          id: 'durable-commit-p50',
          label: 'one durable SQLite commit (WAL, synchronous=FULL), p50, one after each message',
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
      details: { latency, echo, commit, crypto, limit, commitsPerMessage, text: LATENCY_TEXT },
      durationMs: Math.round(now() - started),
      notes: []
    }
  } finally {
    await pair.stop()
  }
}
