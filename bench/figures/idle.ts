/**
 * Figure 11: an idle daemon with 20 contacts online. 20 Parley libp2p nodes (the real factory, in
 * one dht-worker.ts process) are the contacts: the daemon's home has them as contacts (written
 * through the store) and bootstraps to them, so they are connected and online from the start. After
 * a warm-up, the CPU time the daemon process spends over a minute (/proc/<pid>/stat utime + stime)
 * and its RSS, next to a plain libp2p process (bench/baseline-daemon.ts) connected to the same 20
 * peers over the same minute. Goals (issue 14): under 1% of a core, RSS under 100 MiB.
 *
 * BENCH_IDLE_CPU_PROF=<dir> writes a CPU profile of the daemon's idle minute (with the warm-up and
 * the stop) into <dir>, for bench/profile-summary.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { homePaths } from '../../node/daemon/home.ts'
import { openStore } from '../../node/store/index.ts'
import {
  BUNDLED_CLI,
  CLI,
  type ReadyProcess,
  spawnReady,
  startBaselineProcess,
  startParleyDaemon
} from '../processes.ts'
import { ROOT } from '../availability.ts'
import type { Figure } from '../report.ts'
import { now, round } from '../stats.ts'
import { Host } from './names.ts'

const CONTACTS = 20

/** utime + stime of a process in ms (Linux /proc/<pid>/stat; clock ticks of 10 ms). */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // the command name may hold spaces: fields count from the closing parenthesis
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return ticks * 10
}

/** The established TCP connections of a process (local → remote), from `ss`. */
function tcpConnections(pid: number): Set<string> {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established'], { encoding: 'utf8' })
  const mine = new Set<string>()
  for (const line of out.split('\n')) {
    if (!line.includes(`pid=${pid},`)) continue
    const [local, remote] = line.trim().split(/\s+/).slice(2, 4)
    mine.add(`${local} ${remote}`)
  }
  return mine
}

interface Idle {
  core: number
  rssMiB: number
  /** TCP connections established at the start of the minute */
  connections: number
  /** connections seen during the minute that were not there at its start (sampled every second) */
  opened: number
}

/** Share of one core a process used over `ms`, its RSS at the end, and its connection churn. */
async function idle(processes: ReadyProcess[], ms: number): Promise<Idle[]> {
  const before = processes.map(p => cpuTimeMs(p.pid))
  const initial = processes.map(p => tcpConnections(p.pid))
  const seen = initial.map(s => new Set(s))
  const t = now()
  while (now() - t < ms) {
    await sleep(Math.min(1_000, ms - (now() - t)))
    processes.forEach((p, i) => {
      for (const c of tcpConnections(p.pid)) seen[i]!.add(c)
    })
  }
  const wall = now() - t
  return processes.map((p, i) => ({
    core: (cpuTimeMs(p.pid) - before[i]!) / wall,
    rssMiB: p.rssMiB(),
    connections: initial[i]!.size,
    opened: seen[i]!.size - initial[i]!.size
  }))
}

export async function idleFigure(options: { quick: boolean; progress?: (line: string) => void }): Promise<Figure> {
  const started = now()
  const say = options.progress ?? (() => {})
  const contacts = options.quick ? 3 : CONTACTS
  const warmupMs = options.quick ? 2_000 : 15_000
  const idleMs = options.quick ? 5_000 : 60_000
  const host = new Host()
  const home = await mkdtemp(join(tmpdir(), 'parley-bench-idle-'))
  const production = await mkdtemp(join(tmpdir(), 'parley-bench-bundle-'))
  const running: ReadyProcess[] = []
  try {
    const peers: Array<{ peerId: string; addresses: string[] }> = []
    for (let i = 0; i < contacts; i++) {
      const bootstrap = i === 0 ? [] : peers[0]!.addresses
      peers.push(await host.call<'start', { peerId: string; addresses: string[] }>('start', { bootstrap }))
    }
    // the daemon creates its identity, then its contacts are written through the store
    await (await startParleyDaemon(home)).stop()
    const store = openStore(homePaths(home).database)
    try {
      store.transaction(() => {
        peers.forEach((p, i) => {
          store.contacts.put({
            peerId: p.peerId,
            name: `teammate-${i}`,
            state: 'contact',
            verified: false,
            keyChanged: false,
            addresses: p.addresses,
            createdAt: Date.now(),
            updatedAt: Date.now()
          })
        })
      })
    } finally {
      store.close()
    }
    const bootstrap = peers.flatMap(p => p.addresses)
    const profileDir = process.env.BENCH_IDLE_CPU_PROF
    // the daemon as the installed extension runs it: the production bundle (`npm run package`
    // builds it), built here into a directory of its own (other suites may be running dist/);
    // else the development bundle of `npm run build`, else the sources
    const build = spawnSync(process.execPath, [join(ROOT, 'esbuild.mjs'), '--production', '--outdir', production], {
      cwd: ROOT,
      encoding: 'utf8'
    })
    const cli = build.status === 0 ? join(production, 'cli.js') : existsSync(BUNDLED_CLI) ? BUNDLED_CLI : CLI
    const daemonArgs = [cli, '--home', home, 'daemon', '--json', '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0']
    for (const a of bootstrap) daemonArgs.push('--bootstrap', a)
    const daemon = await spawnReady(
      profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...daemonArgs] : daemonArgs
    )
    running.push(daemon)
    const baseline = await startBaselineProcess(bootstrap)
    running.push(baseline)
    await sleep(warmupMs)
    say(`idle: daemon and baseline connected to ${contacts} peers; measuring ${idleMs / 1000} s`)
    const [d, b] = await idle([daemon, baseline], idleMs)
    return {
      figure: 11,
      id: 'idle',
      title: 'Idle daemon with contacts online',
      status: 'measured',
      measurements: [
        {
          id: 'idle-cpu',
          label: `CPU of an idle daemon, ${contacts} contacts online, over ${idleMs / 1000} s`,
          value: round(d!.core * 100),
          unit: '% of a core',
          // /proc counts 10 ms ticks: a short quick run may see none for the baseline (no ratio then)
          ...(b!.core > 0
            ? {
                baseline: {
                  label: 'plain libp2p process, same peers',
                  value: round(b!.core * 100),
                  unit: '% of a core'
                },
                ratio: round(d!.core / b!.core, 3)
              }
            : {}),
          goal: { text: '< 1% of a core', met: d!.core < 0.01 }
        },
        {
          id: 'idle-rss',
          label: `RSS of the idle daemon after ${(warmupMs + idleMs) / 1000} s`,
          value: round(d!.rssMiB),
          unit: 'MiB',
          baseline: { label: 'plain libp2p process, same peers', value: round(b!.rssMiB), unit: 'MiB' },
          ratio: round(d!.rssMiB / b!.rssMiB, 3),
          goal: { text: '< 100 MiB', met: d!.rssMiB < 100 }
        }
      ],
      details: { contacts, warmupMs, idleMs, cli, daemon: d, baseline: b },
      durationMs: Math.round(now() - started),
      notes: [
        cli === CLI
          ? 'daemon run from the TypeScript sources (no bundle could be built, nor dist/cli.js)'
          : cli === BUNDLED_CLI
            ? `daemon run from the development bundle dist/cli.js (the production build failed: ${build.stderr.trim().slice(0, 200)})`
            : 'daemon run from the production bundle (esbuild.mjs --production, as `npm run package` ships it)',
        `TCP connections: daemon ${d!.connections} at the start of the minute, ${d!.opened} more opened during it; baseline ${b!.connections} and ${b!.opened}`,
        `the ${contacts} contacts are Parley libp2p nodes in one process (not daemons: they do not ping back); CPU from /proc/<pid>/stat over ${idleMs / 1000} s after a ${warmupMs / 1000} s warm-up`
      ]
    }
  } finally {
    for (const p of running.reverse()) await p.stop().catch(() => {})
    await host.shutdown().catch(() => {})
    await rm(home, { recursive: true, force: true })
    await rm(production, { recursive: true, force: true })
  }
}
