/**
 * Figure 2: sustained 1 KiB messages per second from one sender to one receiver, every message
 * acked and durable, against the crypto-bound rate (crypto.ts): one core doing exactly the
 * node:crypto operations of a message and nothing else. Goal: at least 60% of it.
 *
 * Both nodes run in this process, so like the baseline, both sides' work shares one JavaScript
 * thread. WINDOW sends are in flight at a time, each waiting for its signed ack.
 *
 * The raw crypto of the baseline (figure 5's census of one message) is timed again right before
 * and right after the loop, each operation's faster round kept: this machine's speed drifts by
 * a quarter within a minute, and figure 5 runs a minute earlier.
 *
 * Where the rest of a message's CPU time could go, two floors of the same run: the transport alone
 * (the same frames over plain libp2p, in the path's batches: echo.ts batchFloor) and the durable
 * commits per message (durable.ts).
 */
import { KIB_TEXT } from '../envelope-pair.ts'
import { startNodePair } from '../node-pair.ts'
import { measureCommits } from '../durable.ts'
import type { Figure } from '../report.ts'
import { now, round } from '../stats.ts'
import { type CryptoBaseline, rawTimer } from './crypto.ts'
import { sendAndWait, warmUp } from './dm-latency.ts'
import { batchFloor, frameSize } from './echo.ts'

/**
 * Messages in flight, a chat's burst: they travel as two turns of ~8 envelopes (bench/message-path.ts),
 * and the thread is not always busy (more in flight would make bigger, cheaper turns).
 */
const WINDOW = 16

export async function throughputFigure(options: { quick: boolean; crypto: CryptoBaseline }): Promise<Figure> {
  const started = now()
  const total = options.quick ? 200 : 1000
  const pair = await startNodePair()
  try {
    await warmUp(pair, options.quick ? 5 : 50)
    let next = 0
    let failures = 0
    const raw = rawTimer(options.crypto.census)
    raw.round(options.quick ? 20 : 100)
    const commitsBefore = pair.commits()
    // CPU time of the process (both nodes, every thread): unlike the rate, it hardly moves with the
    // load other processes put on a shared machine
    const cpuBefore = process.cpuUsage()
    const t = now()
    const worker = async (): Promise<void> => {
      while (next < total) {
        next++
        if ((await sendAndWait(pair, KIB_TEXT, 60_000)) !== 'delivered') {
          failures++
        }
      }
    }
    await Promise.all(Array.from({ length: WINDOW }, worker))
    const elapsed = now() - t
    const cpu = process.cpuUsage(cpuBefore)
    const cpuMicrosPerMessage = (cpu.user + cpu.system) / total
    raw.round(options.quick ? 20 : 100)
    const rawMicrosPerMessage = raw.result().rawMicros
    const commitsPerMessage = (pair.commits() - commitsBefore) / total
    const commit = measureCommits({ ms: options.quick ? 300 : 2000 })
    // the transport alone, in the path's batches (two turns in flight share the window: ~8 each)
    const floorBatch = WINDOW / 2
    const floor = await batchFloor({ frameBytes: await frameSize(KIB_TEXT), batch: floorBatch, inFlight: 2, total })
    const durableBound = commit.commitsPerSecond / commitsPerMessage
    if (failures > 0) {
      throw new Error(`${failures} of ${total} messages were not delivered`)
    }
    const rate = (total * 1000) / elapsed
    const bound = 1e6 / rawMicrosPerMessage
    const share = rate / bound
    return {
      figure: 2,
      id: 'throughput',
      title: 'Sustained 1 KiB throughput, acked + durable',
      status: 'measured',
      measurements: [
        {
          id: 'throughput',
          label: `1 KiB msgs/s acked + durable (${total} msgs, ${WINDOW} in flight)`,
          value: round(rate),
          unit: 'msg/s',
          baseline: { label: 'crypto-bound rate, 1 core', value: round(bound), unit: 'msg/s' },
          ratio: round(share),
          goal: { text: '≥ 0.6× crypto-bound', met: share >= 0.6 }
        },
        {
          id: 'throughput-cpu-per-message',
          label: 'CPU per message, both nodes (process CPU time, all threads)',
          value: round(cpuMicrosPerMessage),
          unit: 'µs',
          baseline: {
            label: 'raw crypto of 1 msg (figure 5 census, timed around the loop)',
            value: round(rawMicrosPerMessage),
            unit: 'µs'
          },
          ratio: round(cpuMicrosPerMessage / rawMicrosPerMessage)
        },
        {
          id: 'throughput-transport-floor',
          label: `transport alone: the same frames over a kept libp2p stream, ${floorBatch} per answer (CPU per message, plain libp2p)`,
          value: round(floor.cpuMicrosPerMessage),
          unit: 'µs',
          baseline: { label: 'raw crypto of 1 msg', value: round(rawMicrosPerMessage), unit: 'µs' },
          ratio: round(floor.cpuMicrosPerMessage / rawMicrosPerMessage)
        },
        {
          id: 'crypto-bound-rate',
          label: 'crypto-bound rate (1 core, raw node:crypto)',
          value: round(bound),
          unit: 'msg/s'
        },
        {
          id: 'durable-commit-rate',
          label: 'durable SQLite commits/s on this disk (one thread)',
          value: round(commit.commitsPerSecond),
          unit: '/s'
        },
        {
          id: 'throughput-commits-per-message',
          label: 'durable commits per message (both nodes)',
          value: round(commitsPerMessage),
          unit: ''
        },
        {
          id: 'throughput-vs-durable-bound',
          label: 'throughput vs commit-bound rate (commits/s ÷ commits per msg)',
          value: round(rate),
          unit: 'msg/s',
          baseline: { label: 'commit-bound rate', value: round(durableBound), unit: 'msg/s' },
          ratio: round(rate / durableBound)
        }
      ],
      details: {
        total,
        window: WINDOW,
        elapsedMs: round(elapsed),
        commit,
        commitsPerMessage,
        cpuMicrosPerMessage,
        durableBound,
        rawMicrosPerMessage,
        transportFloor: { batch: floorBatch, ...floor },
        cryptoBaseline: options.crypto
      },
      durationMs: Math.round(now() - started),
      notes: []
    }
  } finally {
    await pair.stop()
  }
}
