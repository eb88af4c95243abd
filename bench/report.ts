/**
 * The result model of a bench run and its two renderings: the table printed on stdout and the JSON
 * file in bench/results/.
 */
import { execFileSync } from 'node:child_process'
import { cpus, platform, release, totalmem } from 'node:os'
import { round } from './stats.ts'

/** One number of a figure, with the baseline it is compared with and the goal, if any. */
export interface Measurement {
  /** stable key, e.g. `dm-latency-p50` */
  id: string
  label: string
  value: number
  unit: string
  baseline?: { label: string; value: number; unit: string }
  /** value / baseline.value (or the quantity the goal names, see `goal`) */
  ratio?: number
  goal?: { text: string; met: boolean }
}

/** One of the five figures of issue 5. */
export interface Figure {
  /** 1..5, the numbering of issue 5 and docs/PERFORMANCE.md */
  figure: number
  id: string
  title: string
  /** `unavailable`: the code it needs is not on this branch yet (reason says what); never a fake number */
  status: 'measured' | 'unavailable' | 'failed'
  reason?: string
  measurements: Measurement[]
  /** raw detail for the docs: sample summaries, op census, parameters */
  details: Record<string, unknown>
  /** wall time the figure took, ms */
  durationMs: number
  notes: string[]
}

export interface Machine {
  cpuModel: string
  cores: number
  totalMemoryMiB: number
  platform: string
  release: string
  node: string
  v8: string
  openssl: string
}

export interface BenchRun {
  /** format version of this file */
  version: 1
  startedAt: string
  quick: boolean
  commit: string
  /** true if the work tree had uncommitted changes */
  dirty: boolean
  machine: Machine
  figures: Figure[]
  durationMs: number
}

export function machine(): Machine {
  const cpu = cpus()
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    totalMemoryMiB: Math.round(totalmem() / 2 ** 20),
    platform: platform(),
    release: release(),
    node: process.version,
    v8: process.versions.v8,
    openssl: process.versions.openssl ?? 'unknown'
  }
}

export function gitState(cwd: string): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, encoding: 'utf8' }).trim()
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8' })
    return { commit, dirty: status.trim() !== '' }
  } catch {
    return { commit: 'unknown', dirty: false }
  }
}

function formatNumber(value: number, unit: string): string {
  if (!Number.isFinite(value)) {
    return String(value)
  }
  const text = Math.abs(value) >= 100 ? String(Math.round(value)) : String(round(value, 3))
  return unit === '' ? text : `${text} ${unit}`
}

/** The table printed after a run: one line per measurement, unavailable figures with their reason. */
export function formatTable(run: BenchRun): string {
  const rows: string[][] = [['#', 'measurement', 'value', 'baseline', 'ratio', 'goal']]
  for (const figure of run.figures) {
    if (figure.status !== 'measured') {
      // An unavailable or failed figure still shows the baselines it could measure.
      rows.push([String(figure.figure), `${figure.title}: ${figure.status.toUpperCase()} (why: below)`, '', '', '', ''])
    }
    for (const m of figure.measurements) {
      rows.push([
        String(figure.figure),
        m.label,
        formatNumber(m.value, m.unit),
        m.baseline == null ? '' : `${formatNumber(m.baseline.value, m.baseline.unit)} (${m.baseline.label})`,
        m.ratio == null ? '' : `${round(m.ratio, 3)}×`,
        m.goal == null ? '' : `${m.goal.text} ${m.goal.met ? 'MET' : 'MISSED'}`
      ])
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map(row => (row[column] ?? '').length)))
  const lines = rows.map(row =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd()
  )
  lines.splice(1, 0, widths.map(w => '-'.repeat(w)).join('  '))
  const m = run.machine
  const header = [
    `Parley bench ${run.quick ? '(QUICK mode: small sizes, short waits; not the reference figures)' : '(full)'}`,
    `commit ${run.commit}${run.dirty ? ' (dirty)' : ''}, ${m.cpuModel}, ${m.cores} cores, ${m.totalMemoryMiB} MiB, Node ${m.node}, OpenSSL ${m.openssl}`,
    ''
  ]
  const notes = run.figures.flatMap(f => [
    ...(f.status === 'measured' ? [] : [`(${f.figure}) ${f.status.toUpperCase()}: ${f.reason ?? ''}`]),
    ...f.notes.map(n => `(${f.figure}) ${n}`)
  ])
  return [...header, ...lines, '', ...notes, `total ${Math.round(run.durationMs / 1000)} s`].join('\n')
}

/** A figure that cannot be measured on this branch yet: says why, and carries any baseline it measured. */
export function unavailableFigure(
  init: Pick<Figure, 'figure' | 'id' | 'title'> & { reason: string; measurements?: Measurement[] },
  details: Record<string, unknown> = {}
): Figure {
  return {
    figure: init.figure,
    id: init.id,
    title: init.title,
    status: 'unavailable',
    reason: init.reason,
    measurements: init.measurements ?? [],
    details,
    durationMs: 0,
    notes: []
  }
}

/** The table as Markdown (docs/PERFORMANCE.md): `node bench/run.ts --markdown <results.json>`. */
export function formatMarkdown(run: BenchRun): string {
  const m = run.machine
  const lines = [
    `Run ${run.startedAt} (${run.quick ? 'quick' : 'full'}, ${Math.round(run.durationMs / 1000)} s), commit \`${run.commit.slice(0, 12)}\`${run.dirty ? ' (dirty)' : ''}; ${m.cpuModel}, ${m.cores} cores, ${m.totalMemoryMiB} MiB, ${m.platform} ${m.release}, Node ${m.node}, OpenSSL ${m.openssl}.`,
    '',
    '| # | measurement | value | baseline | ratio | goal |',
    '|---|---|---|---|---|---|'
  ]
  for (const figure of run.figures) {
    if (figure.status !== 'measured') {
      lines.push(`| ${figure.figure} | ${figure.title}: **${figure.status}** (${figure.reason ?? ''}) | | | | |`)
    }
    for (const x of figure.measurements) {
      lines.push(
        `| ${figure.figure} | ${x.label} | ${formatNumber(x.value, x.unit)} | ${
          x.baseline == null ? '' : `${formatNumber(x.baseline.value, x.baseline.unit)} (${x.baseline.label})`
        } | ${x.ratio == null ? '' : `${round(x.ratio, 3)}×`} | ${x.goal == null ? '' : `${x.goal.text}: **${x.goal.met ? 'met' : 'missed'}**`} |`
      )
    }
  }
  const notes = run.figures.flatMap(f => f.notes.map(n => `- (${f.figure}) ${n}`))
  return [...lines, '', ...notes].join('\n')
}
