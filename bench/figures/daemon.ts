/**
 * Figure 4: the daemon as a real process through the CLI (`parley daemon --json`): start to ready,
 * idle RSS after one minute, RSS with 1,000 messages in history. Baseline: a plain libp2p process
 * with the same libp2p modules and nothing of Parley (baseline-daemon.ts), started and idled the
 * same way at the same time.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { connectDaemon } from '../../node/daemon/client.ts'
import { homePaths } from '../../node/daemon/home.ts'
import { ROOT } from '../availability.ts'
import type { Figure } from '../report.ts'
import { BUNDLED_CLI, type ReadyProcess, startBaselineProcess, startParleyDaemon } from '../processes.ts'
import { now, round, summarize } from '../stats.ts'

export async function daemonFigure(options: { quick: boolean }): Promise<Figure> {
  const started = now()
  const restarts = options.quick ? 1 : 3
  const idleMs = options.quick ? 3_000 : 60_000
  const messages = options.quick ? 30 : 1_000
  const homeA = await mkdtemp(join(tmpdir(), 'parley-bench-a-'))
  const homeB = await mkdtemp(join(tmpdir(), 'parley-bench-b-'))
  const running: ReadyProcess[] = []
  const track = (p: ReadyProcess): ReadyProcess => {
    running.push(p)
    return p
  }
  try {
    // Start to ready: the first start creates the identity and the database; restarts open them.
    const first = await startParleyDaemon(homeA)
    const firstStartMs = first.readyMs
    await first.stop()
    const restartSamples: number[] = []
    const baselineSamples: number[] = []
    let a: ReadyProcess | undefined
    for (let i = 0; i < restarts; i++) {
      const baseline = await startBaselineProcess()
      baselineSamples.push(baseline.readyMs)
      await baseline.stop()
      const daemon = await startParleyDaemon(homeA)
      restartSamples.push(daemon.readyMs)
      if (i < restarts - 1) {
        await daemon.stop()
      } else {
        a = track(daemon)
      }
    }
    if (a == null) {
      throw new Error('no daemon running after the restarts')
    }
    // The same restarts from the esbuild bundle (dist/cli.js, what the extension runs). A full run
    // builds it now from this checkout so that it is never stale; a quick run (npm test, whose
    // other suites run dist/ at the same time) takes the bundle `npm run build` made: rebuilding
    // under them replaces the code-split chunks they are loading.
    const bundledSamples: number[] = []
    const build =
      options.quick && existsSync(BUNDLED_CLI)
        ? { status: 0, stderr: '' }
        : spawnSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, encoding: 'utf8' })
    const bundleNote =
      build.status === 0 ? undefined : `bundle not measured: esbuild failed (${build.stderr.trim().slice(0, 200)})`
    if (build.status === 0) {
      const homeC = await mkdtemp(join(tmpdir(), 'parley-bench-c-'))
      try {
        await (await startParleyDaemon(homeC, [], BUNDLED_CLI)).stop()
        for (let i = 0; i < restarts; i++) {
          const daemon = await startParleyDaemon(homeC, [], BUNDLED_CLI)
          bundledSamples.push(daemon.readyMs)
          await daemon.stop()
        }
      } finally {
        await rm(homeC, { recursive: true, force: true })
      }
    }
    // Idle: A with one peer (B), next to the baseline pair X ← Y, for the same time.
    const b = track(await startParleyDaemon(homeB, a.addresses))
    const x = track(await startBaselineProcess())
    track(await startBaselineProcess(x.addresses))
    await sleep(idleMs)
    const idleRss = a.rssMiB()
    const baselineIdleRss = x.rssMiB()

    // History: B sends `messages` texts to A through the daemon's RPC, each waiting for A's signed ack.
    // A adds B as a contact first: a stranger's messages stop being taken after
    // MAX_MESSAGES_PER_REQUEST until they are accepted (the 51st stayed queued).
    const owner = await connectDaemon(homePaths(homeA).socket)
    try {
      await owner.call('contacts.add', { target: b.peerId })
    } finally {
      owner.close()
    }
    const client = await connectDaemon(homePaths(homeB).socket)
    const sendStart = now()
    try {
      for (let i = 0; i < messages; i++) {
        const result = await client.call('messages.send', {
          target: a.peerId,
          text: `history message ${i}: ${'lorem ipsum '.repeat(8)}`,
          wait: true,
          timeoutMs: 30_000
        })
        if (result.status !== 'delivered') {
          throw new Error(`message ${i} ended ${result.status}, expected delivered`)
        }
      }
    } finally {
      client.close()
    }
    const sendMs = now() - sendStart
    await sleep(2_000)
    const afterReceiveRss = a.rssMiB()

    // Restart A on that history, load it through RPC as a client would, and measure again.
    await a.stop()
    const restarted = track(await startParleyDaemon(homeA, b.addresses))
    const reader = await connectDaemon(homePaths(homeA).socket)
    let historyLength: number
    try {
      const history = await reader.call('messages.history', { target: b.peerId, limit: messages })
      historyLength = history.messages.length
    } finally {
      reader.close()
    }
    if (historyLength !== messages) {
      throw new Error(`history holds ${historyLength} messages, expected ${messages}`)
    }
    await sleep(options.quick ? 1_000 : 5_000)
    const historyRss = restarted.rssMiB()

    const restart = summarize(restartSamples)
    const baselineStart = summarize(baselineSamples)
    const idleLabel = options.quick ? `idle RSS after ${idleMs / 1000} s (QUICK; full: 60 s)` : 'idle RSS after 60 s'
    return {
      figure: 4,
      id: 'daemon',
      title: 'Daemon: start to ready, RSS',
      status: 'measured',
      measurements: [
        {
          id: 'daemon-start-ready',
          label: 'daemon start → ready (existing home, p50)',
          value: round(restart.p50),
          unit: 'ms',
          baseline: { label: 'plain libp2p process', value: round(baselineStart.p50), unit: 'ms' },
          ratio: round(restart.p50 / baselineStart.p50)
        },
        ...(bundledSamples.length === 0
          ? []
          : [
              {
                id: 'daemon-bundled-start-ready',
                label: 'daemon start → ready, bundled dist/cli.js (p50)',
                value: round(summarize(bundledSamples).p50),
                unit: 'ms',
                baseline: { label: 'plain libp2p process', value: round(baselineStart.p50), unit: 'ms' },
                ratio: round(summarize(bundledSamples).p50 / baselineStart.p50)
              }
            ]),
        {
          id: 'daemon-first-start-ready',
          label: 'daemon first start → ready (creates identity)',
          value: round(firstStartMs),
          unit: 'ms'
        },
        {
          id: 'daemon-idle-rss',
          label: idleLabel,
          value: round(idleRss),
          unit: 'MiB',
          baseline: { label: 'plain libp2p process', value: round(baselineIdleRss), unit: 'MiB' },
          ratio: round(idleRss / baselineIdleRss)
        },
        {
          id: 'daemon-rss-after-receiving',
          label: `RSS after receiving ${messages} msgs`,
          value: round(afterReceiveRss),
          unit: 'MiB',
          baseline: { label: 'same daemon idle', value: round(idleRss), unit: 'MiB' },
          ratio: round(afterReceiveRss / idleRss)
        },
        {
          id: 'daemon-rss-history',
          label: `RSS restarted with ${messages} msgs in history, loaded`,
          value: round(historyRss),
          unit: 'MiB',
          baseline: { label: 'same daemon idle', value: round(idleRss), unit: 'MiB' },
          ratio: round(historyRss / idleRss)
        }
      ],
      details: {
        restarts: restart,
        bundledRestarts: summarize(bundledSamples),
        baselineStarts: baselineStart,
        idleMs,
        messages,
        sendMsPerMessage: round(sendMs / messages),
        rssMiB: { idle: idleRss, baselineIdle: baselineIdleRss, afterReceive: afterReceiveRss, history: historyRss }
      },
      durationMs: Math.round(now() - started),
      notes: [
        ...(options.quick
          ? [`QUICK: idle ${idleMs / 1000} s instead of 60 s, ${messages} messages instead of 1,000`]
          : []),
        ...(bundleNote == null ? [] : [bundleNote])
      ]
    }
  } finally {
    await Promise.all(running.map(p => p.stop().catch(() => {})))
    await rm(homeA, { recursive: true, force: true })
    await rm(homeB, { recursive: true, force: true })
  }
}
