/**
 * Where the time of figures 1 and 2 goes (docs/PERFORMANCE.md): runs the measured loop of one of
 * them alone (no crypto census, no node start-up in the profile) on two real nodes in this process,
 * and prints the batching (streams, receiver batches, outbox turns), CPU time against wall time,
 * for figure 1 a timeline of one message (p50 of each step), and optionally a CPU profile and the
 * time spent in each SQL statement.
 *
 *   node bench/message-path.ts --figure 1|2 [--window 16] [--profile out.cpuprofile] [--sql] [--census]
 *   node bench/profile-summary.ts out.cpuprofile      (self time by layer, package, function)
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { DatabaseSync, StatementSync } from 'node:sqlite'
import { parseArgs } from 'node:util'
import { type Census, perMessage, withCensus } from './crypto-census.ts'
import { KIB_TEXT, LATENCY_TEXT } from './envelope-pair.ts'
import { sendAndWait, warmUp } from './figures/dm-latency.ts'
import { startNodePair } from './node-pair.ts'
import { now, summarize } from './stats.ts'

const { values } = parseArgs({
  options: {
    figure: { type: 'string', default: '2' },
    window: { type: 'string', default: '16' },
    profile: { type: 'string' },
    sql: { type: 'boolean', default: false },
    census: { type: 'boolean', default: false }
  }
})
const figure = values.figure === '1' ? 1 : 2
const window = Number(values.window)

// SQL statement times (node:sqlite is synchronous: the time of the call is the statement's)
const sqlTime = new Map<string, { ms: number; calls: number }>()
let timing = false
const timed = (proto: object, name: string): void => {
  const original = (proto as Record<string, (...a: unknown[]) => unknown>)[name]!
  ;(proto as Record<string, unknown>)[name] = function (this: { sourceSQL?: string }, ...args: unknown[]) {
    if (!timing) return original.apply(this, args)
    const t = now()
    try {
      return original.apply(this, args)
    } finally {
      const key = (this.sourceSQL ?? String(args[0])).replace(/\s+/g, ' ').slice(0, 100)
      const entry = sqlTime.get(key) ?? { ms: 0, calls: 0 }
      entry.ms += now() - t
      entry.calls++
      sqlTime.set(key, entry)
    }
  }
}
if (values.sql) {
  for (const name of ['run', 'get', 'all']) timed(StatementSync.prototype, name)
  timed(DatabaseSync.prototype, 'exec')
}

const pair = await startNodePair()
await warmUp(pair, 30)

// batching and the timeline, by wrapping the parts' methods (private members reached on purpose)
type Anything = Record<string, (...a: unknown[]) => unknown> & { components: Record<string, unknown> }
const sizes = { streams: [] as number[], received: [] as number[], turns: [] as number[] }
let marks: Array<[string, number]> = []
const mark = (name: string): void => {
  marks.push([name, now()])
}
const wrap = (target: Anything, name: string, before: (args: unknown[]) => void, after?: string): void => {
  // (a part without this method, e.g. a store without sync before it existed: not timed)
  if (typeof target[name] !== 'function') return
  const original = target[name].bind(target)
  target[name] = (...args: unknown[]) => {
    before(args)
    const result = original(...args)
    if (after !== undefined) {
      if (result instanceof Promise)
        return result.then(r => {
          mark(after)
          return r
        })
      mark(after)
    }
    return result
  }
}
const delivery = pair.alice.node.messenger.delivery as unknown as Anything
const outbox = pair.alice.node.messenger.outbox as unknown as Anything
const inbox = pair.bob.node.messenger.inbox as unknown as Anything
const transport = delivery.components.transport as Anything
wrap(
  outbox,
  'commit',
  a => {
    mark('sender: seal + commit')
    sizes.turns.push((a[1] as unknown[]).length)
  },
  'sender: committed, fsync'
)
wrap(outbox, 'enqueue', () => {}, 'sender: fsync done, send answered')
wrap(transport, 'send', a => {
  mark('sender: open stream, write')
  sizes.streams.push((a[1] as unknown[]).length)
})
wrap(
  inbox,
  'receiveBatch',
  a => {
    mark('receiver: verify, decrypt, commit')
    sizes.received.push((a[0] as unknown[]).length)
  },
  'receiver: ack signed'
)
wrap(transport.libp2p as unknown as Anything, 'dialProtocol', () => {}, 'sender: stream negotiated, write')
wrap(inbox, 'onStream', () => mark('receiver: stream handler, read'))
const bobStore = inbox.components.store as Anything
wrap(bobStore, 'sync', () => mark('receiver: committed, fsync'), 'receiver: fsync done')
wrap(delivery, 'acked', () => mark('sender: ack verified, delivered commit'), 'sender: send --wait answered')

let census: Census | undefined
const session = new Session()
if (values.profile !== undefined) {
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 250 })
  await session.post('Profiler.start')
}
timing = true
const started = now()
const cpu = process.cpuUsage()
if (figure === 1) {
  const samples: number[] = []
  const steps = new Map<string, number[]>()
  for (let i = 0; i < 300; i++) {
    marks = []
    mark('send')
    await sendAndWait(pair, LATENCY_TEXT)
    mark('acked')
    samples.push(marks.at(-1)![1] - marks[0]![1])
    for (let k = 1; k < marks.length; k++) {
      const key = `${String(k).padStart(2)} ${marks[k - 1]![0]}`
      steps.set(key, [...(steps.get(key) ?? []), marks[k]![1] - marks[k - 1]![1]])
    }
  }
  console.log('one message, p50 of each step (ms):')
  for (const [step, times] of [...steps].sort()) console.log(`  ${step.padEnd(48)} ${summarize(times).p50.toFixed(3)}`)
  const s = summarize(samples)
  console.log(`send → signed ack: p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms`)
} else {
  const total = 1000
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < total) {
      next++
      await sendAndWait(pair, KIB_TEXT, 60_000)
    }
  }
  const burst = (): Promise<unknown> => Promise.all(Array.from({ length: window }, worker))
  if (values.census) census = perMessage((await withCensus(burst)).census, total)
  else await burst()
  console.log(`${total} messages, ${window} in flight: ${((total * 1000) / (now() - started)).toFixed(0)} msg/s`)
}
const wall = now() - started
const used = process.cpuUsage(cpu)
timing = false
if (values.profile !== undefined) {
  const { profile } = await session.post('Profiler.stop')
  writeFileSync(values.profile, JSON.stringify(profile))
}
const mean = (a: number[]): string => (a.reduce((x, y) => x + y, 0) / Math.max(1, a.length)).toFixed(2)
console.log(
  `CPU ${((used.user + used.system) / 1000).toFixed(0)} ms of ${wall.toFixed(0)} ms wall; ` +
    `${sizes.streams.length} streams (${mean(sizes.streams)} envelopes each), ` +
    `${sizes.received.length} receiver batches (${mean(sizes.received)}), ${sizes.turns.length} outbox turns (${mean(sizes.turns)})`
)
if (census !== undefined) {
  console.log('node:crypto calls per message (both nodes):')
  for (const [op, { calls, bytes }] of Object.entries(census).sort((a, b) => b[1].calls - a[1].calls))
    console.log(`  ${calls.toFixed(2).padStart(7)}  ${op} (${bytes.toFixed(0)} B each)`)
}
if (values.sql) {
  console.log('SQL statements by time (ms, calls):')
  for (const [sql, { ms, calls }] of [...sqlTime].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20))
    console.log(`  ${ms.toFixed(0).padStart(6)} ${String(calls).padStart(6)}  ${sql}`)
}
await pair.stop()
process.exit()
