/**
 * Keeps the benchmarks working: runs `bench/run.ts --quick` as `npm run bench -- --quick` does and
 * checks the JSON it writes. No timing thresholds: only that every figure is there, none failed,
 * and every number is a finite number with a unit.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { collect, type ProcessResult, ROOT } from '../helpers/cli.ts'

async function runQuick(out: string): Promise<ProcessResult> {
  const child = spawn(process.execPath, [join(ROOT, 'bench', 'run.ts'), '--quick', '--out', out], {
    cwd: ROOT,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  return await collect(child, 600_000)
}

function assertFiniteNumber(value: unknown, what: string): void {
  assert.equal(typeof value, 'number', `${what} must be a number, got ${typeof value}`)
  assert.ok(Number.isFinite(value), `${what} must be finite, got ${value}`)
}

test('npm run bench -- --quick writes every figure with sane types', { timeout: 600_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-'))
  try {
    const out = join(dir, 'run.json')
    const { code, stdout, stderr } = await runQuick(out)
    assert.equal(code, 0, `bench exited with ${code}\n${stdout}\n${stderr}`)
    const run = JSON.parse(await readFile(out, 'utf8'))

    assert.equal(run.version, 1)
    assert.equal(run.quick, true)
    assert.match(run.commit, /^([0-9a-f]{40}|unknown)$/)
    assert.equal(typeof run.dirty, 'boolean')
    assert.ok(!Number.isNaN(Date.parse(run.startedAt)))
    assertFiniteNumber(run.durationMs, 'durationMs')
    assert.equal(typeof run.machine.cpuModel, 'string')
    assert.ok(run.machine.cores >= 1)
    assert.match(run.machine.node, /^v\d+\.\d+\.\d+/)

    assert.deepEqual(
      run.figures.map((f: { figure: number }) => f.figure),
      [1, 2, 3, 4, 5, 9, 10, 11, 12]
    )
    for (const figure of run.figures) {
      // The node is on this branch: every figure must be measured (unavailable would mean a
      // missing file, failed an exception, both regressions).
      assert.equal(figure.status, 'measured', `figure ${figure.figure} is ${figure.status}: ${figure.reason}`)
      assert.ok(figure.measurements.length > 0, `figure ${figure.figure} measured nothing`)
      for (const m of figure.measurements) {
        const what = `figure ${figure.figure} ${m.id}`
        assert.equal(typeof m.id, 'string')
        assert.equal(typeof m.label, 'string')
        assert.equal(typeof m.unit, 'string')
        assertFiniteNumber(m.value, what)
        assert.ok(m.value >= 0, `${what} is negative: ${m.value}`)
        if (m.baseline != null) {
          assertFiniteNumber(m.baseline.value, `${what} baseline`)
          assert.ok(m.baseline.value > 0, `${what} baseline must be positive`)
        }
        if (m.ratio != null) {
          assertFiniteNumber(m.ratio, `${what} ratio`)
        }
        if (m.goal != null) {
          assert.equal(typeof m.goal.text, 'string')
          assert.equal(typeof m.goal.met, 'boolean')
        }
      }
    }
    const byNumber = new Map(run.figures.map((f: { figure: number }) => [f.figure, f]))
    const crypto = byNumber.get(5) as { status: string; measurements: { id: string }[] }
    assert.deepEqual(
      crypto.measurements.map(m => m.id),
      ['crypto-one-way', 'crypto-alternating']
    )
    const ids = (n: number): string[] =>
      (byNumber.get(n) as { measurements: { id: string }[] }).measurements.map(m => m.id)
    const expect = (n: number, wanted: string[]): void => {
      for (const id of wanted) assert.ok(ids(n).includes(id), `figure ${n} lacks ${id}: ${ids(n).join(', ')}`)
    }
    expect(1, ['dm-latency-p50', 'dm-latency-p99', 'echo-fresh-p50', 'durable-commit-p50', 'dm-commits-per-message'])
    expect(2, [
      'throughput',
      'crypto-bound-rate',
      'durable-commit-rate',
      'throughput-vs-durable-bound',
      'throughput-transport-floor'
    ])
    expect(3, ['names-register-p50', 'names-resolve-p50', 'names-resolve-p99', 'names-after-churn'])
    expect(4, ['daemon-start-ready', 'daemon-idle-rss', 'daemon-rss-history'])
    expect(10, ['big-home-start-ready', 'big-home-rss', 'big-home-contacts-view', 'big-home-history-newest'])
    expect(11, ['idle-cpu', 'idle-rss'])
    expect(12, ['webview-last-page', 'webview-last-page-render', 'webview-older-page', 'webview-older-requests'])
    // The table names every figure.
    for (const n of [1, 2, 3, 4, 5]) {
      assert.match(stdout, new RegExp(`^${n} `, 'm'))
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
