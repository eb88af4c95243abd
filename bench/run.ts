/**
 * `npm run bench` — Parley against its limits, every figure next to a baseline measured in the same
 * run on the same machine (docs/PERFORMANCE.md).
 *
 *   npm run bench                     all figures, full sizes (a few minutes on 2 cores)
 *   npm run bench -- --quick          small sizes and short waits (CI keeps the code paths working)
 *   npm run bench -- --only 1,5       some figures only (figure 10, mailboxes: full runs or --only 10)
 *   npm run bench -- --out file.json  where to write the JSON (default bench/results/<time>.json)
 *
 * Prints a table, writes a JSON file with every figure, the commit and the machine. Exits 1 if a
 * figure failed (threw); a figure whose code is not on the branch yet is `unavailable`, not failed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ROOT, missing } from './availability.ts'
import { cryptoFigure } from './figures/crypto.ts'
import { echoMeasurements, measureEcho } from './figures/echo.ts'
import {
  type BenchRun,
  type Figure,
  formatMarkdown,
  formatTable,
  gitState,
  machine,
  unavailableFigure
} from './report.ts'
import { round } from './stats.ts'
import { now } from './stats.ts'

export interface BenchOptions {
  quick: boolean
  /** figure numbers to run; all when empty */
  only: number[]
  /** figure 3's DHT size (default 100, quick 12) */
  namesNodes?: number
  /** progress lines go here (stderr by default) */
  progress?: (line: string) => void
}

/**
 * The node files each of figures 1–4 needs. Their modules are imported only when the files are all
 * there, so that this runner works (and says what is missing) on a branch without the node.
 */
const NEEDS: Record<number, string[]> = {
  1: ['node/parley-node.ts', 'node/messaging/messenger.ts', 'node/store/index.ts', 'node/p2p/index.ts'],
  2: ['node/parley-node.ts', 'node/messaging/messenger.ts', 'node/store/index.ts', 'node/p2p/index.ts'],
  3: ['node/names/registry.ts', 'node/p2p/index.ts', 'node/identity/index.ts'],
  4: ['node/parley-node.ts', 'node/messaging/messenger.ts', 'node/daemon/home.ts', 'node/cli/main.ts'],
  9: ['node/store/index.ts', 'node/store/full-text.ts'],
  10: ['node/mailbox/server.ts', 'node/mailbox/client.ts', 'node/store/mailbox-tables.ts']
}

function absent(n: number): Figure | undefined {
  const files = missing(NEEDS[n] ?? [])
  if (files.length === 0) {
    return undefined
  }
  return unavailableFigure({
    figure: n,
    id: TITLES[n]?.id ?? `figure-${n}`,
    title: TITLES[n]?.title ?? `figure ${n}`,
    reason: `needs node code that is not on this branch yet: ${files.join(', ')}`
  })
}

const TITLES: Record<number, { id: string; title: string }> = {
  1: { id: 'dm-latency', title: 'DM latency send → signed ack' },
  2: { id: 'throughput', title: 'Sustained 1 KiB throughput, acked + durable' },
  3: { id: 'names', title: 'Names in a DHT: register, resolve, churn' },
  4: { id: 'daemon', title: 'Daemon: start to ready, RSS' },
  5: { id: 'crypto-per-message', title: 'Crypto per message vs raw node:crypto' },
  9: { id: 'search', title: 'Search over a year of history' },
  10: { id: 'mailbox', title: 'Mailboxes: deposits per second, envelopes per GiB' }
}

function failed(figure: number, err: unknown, durationMs: number): Figure {
  const error = err as Error
  return {
    figure,
    id: TITLES[figure]?.id ?? `figure-${figure}`,
    title: TITLES[figure]?.title ?? `figure ${figure}`,
    status: 'failed',
    reason: `${error?.name ?? 'Error'}: ${error?.message ?? String(err)}`,
    measurements: [],
    details: { stack: error?.stack },
    durationMs,
    notes: []
  }
}

/** Runs the selected figures in order 5, 1, 2, 3, 4, 9, 10 (5 gives 2 its baseline; 6-8 are bench/lab.ts's). */
export async function runBench(options: BenchOptions): Promise<BenchRun> {
  const started = now()
  const startedAt = new Date().toISOString()
  // The commit and tree state the run starts from (edits made while it runs do not count).
  const git = gitState(ROOT)
  const progress = options.progress ?? ((line: string) => process.stderr.write(`${line}\n`))
  // figure 10 (mailboxes) stays out of --quick (npm test) unless asked for by number
  const wanted = (n: number): boolean =>
    options.only.length === 0 ? !(n === 10 && options.quick) : options.only.includes(n)
  const figures: Figure[] = []
  const guarded = async (n: number, run: () => Promise<Figure>): Promise<void> => {
    if (!wanted(n)) {
      return
    }
    progress(`bench: figure ${n} (${TITLES[n]?.title})…`)
    const t = now()
    let figure: Figure
    try {
      figure = await run()
    } catch (err) {
      figure = failed(n, err, Math.round(now() - t))
    }
    figure.durationMs = Math.max(figure.durationMs, Math.round(now() - t))
    progress(`bench: figure ${n} ${figure.status} in ${Math.round(figure.durationMs / 100) / 10} s`)
    figures.push(figure)
  }

  // Figure 5 always runs when 2 does: its raw-operation sum is figure 2's baseline.
  if (wanted(5) || wanted(2)) {
    progress('bench: crypto census and raw operations (figure 5, baseline of 2)…')
  }
  const crypto = wanted(5) || wanted(2) ? await cryptoFigure({ quick: options.quick }).catch(err => err as Error) : null
  await guarded(5, async () => {
    if (crypto instanceof Error) {
      throw crypto
    }
    return crypto!.figure
  })
  await guarded(1, async () => {
    const echo = await measureEcho(options.quick)
    const unavailable = absent(1)
    if (unavailable != null) {
      unavailable.measurements = echoMeasurements(echo)
      unavailable.details = { echo }
      return unavailable
    }
    const { dmLatencyFigure } = await import('./figures/dm-latency.ts')
    return await dmLatencyFigure({ quick: options.quick, echo })
  })
  await guarded(2, async () => {
    if (crypto == null || crypto instanceof Error) {
      throw new Error(`no crypto-bound baseline: ${crypto?.message ?? 'figure 5 did not run'}`)
    }
    const unavailable = absent(2)
    if (unavailable != null) {
      unavailable.measurements = [
        {
          id: 'crypto-bound-rate',
          label: 'crypto-bound rate (1 core, raw node:crypto)',
          value: round(crypto.baseline.cryptoBoundRate),
          unit: 'msg/s'
        }
      ]
      return unavailable
    }
    const { throughputFigure } = await import('./figures/throughput.ts')
    return await throughputFigure({ quick: options.quick, crypto: crypto.baseline })
  })
  await guarded(3, async () => {
    const unavailable = absent(3)
    if (unavailable != null) {
      return unavailable
    }
    const { namesFigure } = await import('./figures/names.ts')
    return await namesFigure({ quick: options.quick, progress, nodes: options.namesNodes })
  })
  await guarded(4, async () => {
    const unavailable = absent(4)
    if (unavailable != null) {
      return unavailable
    }
    const { daemonFigure } = await import('./figures/daemon.ts')
    return await daemonFigure({ quick: options.quick })
  })
  await guarded(9, async () => {
    const unavailable = absent(9)
    if (unavailable != null) {
      return unavailable
    }
    const { searchFigure } = await import('./figures/search.ts')
    return await searchFigure({ quick: options.quick })
  })
  await guarded(10, async () => {
    const unavailable = absent(10)
    if (unavailable != null) {
      return unavailable
    }
    const { mailboxFigure } = await import('./figures/mailbox.ts')
    return await mailboxFigure({ quick: options.quick })
  })
  figures.sort((a, b) => a.figure - b.figure)

  return {
    version: 1,
    startedAt,
    quick: options.quick,
    commit: git.commit,
    dirty: git.dirty,
    machine: machine(),
    figures,
    durationMs: Math.round(now() - started)
  }
}

export function defaultResultPath(run: BenchRun): string {
  return join(ROOT, 'bench', 'results', `${run.startedAt.replace(/[:.]/g, '-')}${run.quick ? '-quick' : ''}.json`)
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string' },
      'names-nodes': { type: 'string' },
      markdown: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false }
    },
    strict: true
  })
  if (values.help) {
    process.stdout.write(
      'usage: npm run bench [-- --quick] [--only 1,2,3,4,5,9,10] [--out results.json] [--names-nodes N]\n       node bench/run.ts --markdown results.json   (the table as Markdown)\n'
    )
    return
  }
  if (values.markdown != null) {
    process.stdout.write(`${formatMarkdown(JSON.parse(readFileSync(values.markdown, 'utf8')) as BenchRun)}\n`)
    return
  }
  const only = (values.only ?? '')
    .split(',')
    .filter(s => s.trim() !== '')
    .map(s => Number(s))
  if (only.some(n => ![1, 2, 3, 4, 5, 9, 10].includes(n))) {
    throw new RangeError(
      `--only takes figure numbers 1..5, 9 and 10 separated by commas (6-8 are bench:lab's), got ${values.only}`
    )
  }
  const namesNodes = values['names-nodes'] == null ? undefined : Number(values['names-nodes'])
  if (namesNodes != null && (!Number.isInteger(namesNodes) || namesNodes < 4)) {
    throw new RangeError(`--names-nodes takes an integer >= 4, got ${values['names-nodes']}`)
  }
  const run = await runBench({ quick: values.quick ?? false, only, namesNodes })
  const path = values.out ?? defaultResultPath(run)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${JSON.stringify(run, null, 2)}\n`)
  process.stdout.write(`${formatTable(run)}\nresults: ${path}\n`)
  if (run.figures.some(f => f.status === 'failed')) {
    process.exitCode = 1
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main()
  // Stopped libp2p nodes can leave a timer or two behind; the run is over, do not wait for them.
  process.exit()
}
