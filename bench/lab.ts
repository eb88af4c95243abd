/**
 * `node bench/lab.ts` — Parley across NATs, in the NAT lab (test/lab/netlab.ts): every figure next
 * to a baseline measured in the same run on the same machine (issue 11, "Benchmarks"). Needs root,
 * `ip` and `nft` (as the lab suite) and the community node of issue 11.
 *
 *   node bench/lab.ts                  full: 200 messages per path, 25 upgrade trials (~10 min)
 *   node bench/lab.ts --quick          small sizes (30 messages, 3 trials)
 *   node bench/lab.ts --trials N       direct-upgrade trials
 *   node bench/lab.ts --out file.json  where to write the JSON (default bench/results/lab-<time>.json)
 *
 * Figures (numbered after issue 5's 1–5):
 *  6. relayed DM send → signed ack p50 of one pair (a1, a2 on one home LAN with the LAN path cut,
 *     so only the community's relay joins them), against the same pair's direct path (the LAN
 *     restored, mDNS) and against a raw libp2p echo of an envelope-sized frame over the same relay;
 *  7. time from `community join` until the member's relayed address resolves at another member;
 *  8. direct-upgrade (DCUtR) success over N trials between members behind two different NATs,
 *     against the 70 % ± 7 % of the 2025 libp2p hole-punching campaign (arXiv 2510.27500).
 */
import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { connectDaemon, type RpcClient } from '../node/daemon/client.ts'
import { homePaths } from '../node/daemon/home.ts'
import { eventually } from '../test/helpers/cli.ts'
import {
  communityAddress,
  DCUTR_DEBUG,
  type DcutrOutcome,
  dcutrOutcome,
  invite,
  joinCommunity,
  keyFile,
  peers,
  startCommunity,
  startMember,
  waitForReservation
} from '../test/lab/community.ts'
import { type LabDaemon, PROBE, probe, startLabDaemon } from '../test/lab/lab-daemon.ts'
import { ADDR, NatLab } from '../test/lab/netlab.ts'
import { ROOT } from './availability.ts'
import { LATENCY_TEXT } from './envelope-pair.ts'
import { frameSize } from './figures/echo.ts'
import { type BenchRun, type Figure, formatTable, gitState, machine, unavailableFigure } from './report.ts'
import { now, round, type Summary, summarize } from './stats.ts'

interface LabBenchOptions {
  quick: boolean
  trials: number
  progress: (line: string) => void
}

async function rpc(daemon: LabDaemon): Promise<RpcClient> {
  return await connectDaemon(homePaths(daemon.home).socket)
}

/** send → signed ack through the sender's daemon (RPC `messages.send` with `wait`), ms per message. */
async function dmSamples(from: LabDaemon, to: string, rounds: number): Promise<Summary> {
  const client = await rpc(from)
  try {
    const send = async (text: string, timeoutMs: number): Promise<string> =>
      (await client.call('messages.send', { target: to, text, wait: true, timeoutMs })).status
    const deadline = now() + 90_000
    while ((await send('warm-up', 15_000).catch(err => String(err))) !== 'delivered') {
      if (now() > deadline) throw new Error(`the first message from ${from.role} to ${to} was never delivered`)
    }
    for (let i = 0; i < Math.max(5, rounds / 10); i++) await send(LATENCY_TEXT, 30_000)
    const samples: number[] = []
    for (let i = 0; i < rounds; i++) {
      const t = now()
      const status = await send(LATENCY_TEXT, 30_000)
      if (status !== 'delivered') throw new Error(`message ${i} ended ${status}`)
      samples.push(now() - t)
    }
    return summarize(samples)
  } finally {
    client.close()
  }
}

async function connectionTo(
  daemon: LabDaemon,
  peerId: string
): Promise<{ relayed: boolean; addresses: string[] } | undefined> {
  const p = (await peers(daemon)).find(x => x.peerId === peerId)
  return p === undefined ? undefined : { relayed: p.relayed === true, addresses: p.addresses }
}

/** A raw length-prefixed echo over the community's relay: server in a2 (with a2's member key), client in a1. */
async function relayEcho(lab: NatLab, relay: string, key: string, rounds: number, bytes: number): Promise<Summary> {
  const server = spawn('ip', [...lab.prefix('a2'), process.execPath, PROBE, 'echo-serve', relay, key], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: server.stdout }).once('line', resolve)
      server.once('exit', code => reject(new Error(`echo server exited with ${code}`)))
    })
    const address = (JSON.parse(line).addresses as string[]).find(a => a.includes('/p2p-circuit'))
    if (address === undefined) throw new Error(`the echo server has no relayed address: ${line}`)
    const result = await probe(lab, 'a1', ['echo-client', address, String(rounds), String(bytes)])
    if (!result.ok || result.samples === undefined) throw new Error(`relay echo failed: ${result.error}`)
    return summarize(result.samples)
  } finally {
    server.kill('SIGTERM')
  }
}

/** Inbound WAN packets both routers dropped so far. */
async function wanDrops(lab: NatLab): Promise<number> {
  const [r1, r2] = [await lab.drops('r1'), await lab.drops('r2')]
  return r1.forward + r1.input + r2.forward + r2.input
}

function ms(
  label: string,
  id: string,
  s: Summary,
  baseline?: { label: string; value: number }
): Figure['measurements'][number] {
  return {
    id,
    label,
    value: round(s.p50),
    unit: 'ms',
    ...(baseline === undefined
      ? {}
      : { baseline: { ...baseline, value: round(baseline.value), unit: 'ms' }, ratio: round(s.p50 / baseline.value) })
  }
}

async function runLab(options: LabBenchOptions, figures: Figure[]): Promise<Figure[]> {
  const { quick, progress } = options
  const rounds = quick ? 30 : 200
  const lab = await NatLab.build()
  try {
    let comm: LabDaemon
    try {
      comm = await startCommunity(lab)
    } catch (err) {
      const reason = ((err as Error).message.split('\n')[0] ?? String(err)).replace(/ The daemon said:$/, '')
      for (const n of [6, 7, 8]) figures.push(unavailableFigure({ figure: n, id: IDS[n]!, title: TITLES[n]!, reason }))
      return figures
    }
    const relay = communityAddress(comm)
    await lab.isolateLan(true)

    // Figure 7 first: b1 is the other member that resolves; a1 and a2 join, each timed.
    progress('lab bench: figure 7 (join → relayed address resolves elsewhere)…')
    const t7 = now()
    const b1 = await startMember(lab, 'b1')
    await joinCommunity(b1, await invite(comm), comm)
    await waitForReservation(b1, comm)
    const joins: Array<{ member: string; reservationMs: number; registerMs: number; resolvedMs: number }> = []
    const members: Record<'a1' | 'a2', LabDaemon> = {} as Record<'a1' | 'a2', LabDaemon>
    for (const host of ['a1', 'a2'] as const) {
      const m = await startMember(lab, host)
      members[host] = m
      const link = await invite(comm)
      const start = now()
      await joinCommunity(m, link, comm)
      const reservation = await waitForReservation(m, comm, 60_000)
      const reservedAt = now()
      const reg = await m.cli(['register', `bench-${host}`])
      if (reg.code !== 0) throw new Error(`register bench-${host}: ${reg.stderr}`)
      const registeredAt = now()
      await eventually(async () => {
        const r = await b1.cli(['resolve', `bench-${host}`])
        return r.code === 0 && (r.json.addresses as string[]).some(a => reservation.addresses.some(x => a === x))
      }, 60_000)
      joins.push({
        member: host,
        reservationMs: Math.round(reservedAt - start),
        registerMs: Math.round(registeredAt - reservedAt),
        resolvedMs: Math.round(now() - start)
      })
    }
    const resolved = summarize(joins.map(j => j.resolvedMs))
    const reserved = summarize(joins.map(j => j.reservationMs))
    figures.push({
      figure: 7,
      id: 'join-to-resolve',
      title: TITLES[7]!,
      status: 'measured',
      measurements: [
        ms(
          `community join → relayed address resolves at another member, p50 (${joins.length} joins)`,
          'join-resolve-p50',
          resolved,
          {
            label: 'join → own reservation p50',
            value: reserved.p50
          }
        )
      ],
      details: { joins },
      durationMs: Math.round(now() - t7),
      notes: ['includes `register` right after the reservation (the name is what the other member resolves)']
    })

    // Figure 6: the same pair, relayed, then the relay echo, then direct.
    progress('lab bench: figure 6 (relayed DM vs direct vs relay echo)…')
    const t6 = now()
    const a1 = members.a1
    let a2 = members.a2
    const relayed = await dmSamples(a1, a2.peerId, rounds)
    const relayedPath = await connectionTo(a1, a2.peerId)
    if (relayedPath === undefined || !relayedPath.relayed)
      throw new Error(`a1 → a2 was meant to be relayed: ${JSON.stringify(relayedPath)}`)
    await a2.stop()
    const bytes = await frameSize()
    const echo = await relayEcho(lab, relay, keyFile(a2), rounds, bytes)
    await lab.isolateLan(false)
    // The same two hosts, direct: fresh homes outside the community, mDNS on the restored LAN. (The
    // members' own homes would stay relayed: once a relayed connection exists, discovery does not
    // dial the peer and DCUtR finds no public address; see test/lab/mdns.test.ts.)
    await a1.stop()
    const a1d = await startLabDaemon(lab, 'a1', ADDR.a1, { mdns: true })
    a2 = await startLabDaemon(lab, 'a2', ADDR.a2, { mdns: true })
    await eventually(async () => {
      const c = await connectionTo(a1d, a2.peerId)
      return c !== undefined && !c.relayed ? c : undefined
    }, 60_000)
    const direct = await dmSamples(a1d, a2.peerId, rounds)
    const directPath = await connectionTo(a1d, a2.peerId)
    figures.push({
      figure: 6,
      id: 'relayed-dm',
      title: TITLES[6]!,
      status: 'measured',
      measurements: [
        ms(`relayed DM send → signed ack p50 (${rounds} msgs, a1 → a2 via the relay)`, 'relayed-dm-p50', relayed, {
          label: 'same pair direct p50',
          value: direct.p50
        }),
        ms(`relayed DM send → signed ack p50, against the relay echo`, 'relayed-dm-vs-echo', relayed, {
          label: `raw libp2p echo ${bytes} B over the relay, new stream, p50`,
          value: echo.p50
        }),
        ms(`same pair direct DM p50 (${rounds} msgs, on the LAN)`, 'direct-dm-p50', direct),
        ms(`raw libp2p echo ${bytes} B over the relay, new stream, p50`, 'relay-echo-p50', echo),
        { id: 'relayed-dm-p99', label: 'relayed DM p99', value: round(relayed.p99), unit: 'ms' },
        { id: 'direct-dm-p99', label: 'direct DM p99', value: round(direct.p99), unit: 'ms' }
      ],
      details: { relayed, direct, echo, relayedPath, directPath },
      durationMs: Math.round(now() - t6),
      notes: [
        'relayed: the LAN between a1 and a2 is cut in r1 (bridge filter), so their only path is r1 NAT → community relay → r1 NAT',
        'direct: the same two hosts with the LAN restored, fresh identities outside the community (found by mDNS), the same RPC send --wait',
        'no netem here: the paths differ only by what they cost on this machine (an extra process hop, NAT, two TCP legs)'
      ]
    })

    // Figure 8: DCUtR between a1 (home 1) and b1 (home 2), a fresh relayed connection per trial.
    progress(`lab bench: figure 8 (direct upgrade, ${options.trials} trials)…`)
    const t8 = now()
    await a2.stop()
    await a1d.stop()
    await lab.isolateLan(true)
    const a1x = await startLabDaemon(lab, 'a1', ADDR.a1, { env: DCUTR_DEBUG }, a1.home)
    let b = b1
    const trials: Array<{
      direct: boolean
      wanDrops: number
      dcutr: Omit<DcutrOutcome, 'lines'>
      addresses: string[]
    }> = []
    const lines = new Set<string>()
    for (let i = 0; i < options.trials; i++) {
      await b.stop()
      b = await startLabDaemon(lab, 'b1', ADDR.b1, { env: DCUTR_DEBUG }, b1.home)
      await waitForReservation(b, comm, 60_000)
      const before = await wanDrops(lab)
      const aFrom = a1x.stderr().length
      const client = await rpc(a1x)
      try {
        const r = await client.call('messages.send', {
          target: b.peerId,
          text: `trial ${i}`,
          wait: true,
          timeoutMs: 60_000
        })
        if (r.status !== 'delivered') throw new Error(`trial ${i}: ${r.status}`)
      } finally {
        client.close()
      }
      const c = await eventually(
        async () => {
          const x = await connectionTo(a1x, b.peerId)
          return x !== undefined && !x.relayed ? x : undefined
        },
        quick ? 3_000 : 10_000
      ).catch(() => undefined)
      const last = await connectionTo(a1x, b.peerId)
      const after = await wanDrops(lab)
      const [da, db] = [dcutrOutcome(a1x.stderr(), aFrom), dcutrOutcome(b.stderr())]
      for (const l of [...da.lines, ...db.lines]) lines.add(l)
      const dcutr = {
        attempts: da.attempts + db.attempts,
        dials: da.dials + db.dials,
        successes: da.successes + db.successes,
        noAddresses: da.noAddresses + db.noAddresses,
        errors: da.errors + db.errors
      }
      trials.push({ direct: c !== undefined, wanDrops: after - before, dcutr, addresses: (c ?? last)?.addresses ?? [] })
      progress(
        `  trial ${i + 1}: ${c !== undefined ? 'direct' : 'still relayed'}; DCUtR ${JSON.stringify(dcutr)}; ${after - before} inbound packets dropped by the routers`
      )
    }
    const sum = (k: keyof Omit<DcutrOutcome, 'lines'>): number => trials.reduce((n, x) => n + x.dcutr[k], 0)
    const successes = trials.filter(x => x.direct).length
    figures.push({
      figure: 8,
      id: 'direct-upgrade',
      title: TITLES[8]!,
      status: 'measured',
      measurements: [
        {
          id: 'direct-upgrade-rate',
          label: `relayed → direct upgrades (${trials.length} trials, ${quick ? 3 : 10} s each)`,
          value: round(successes / Math.max(1, trials.length)),
          unit: '',
          baseline: { label: 'DCUtR success, 2025 campaign (arXiv 2510.27500)', value: 0.7, unit: '' },
          ratio: round(successes / Math.max(1, trials.length) / 0.7)
        },
        {
          id: 'dcutr-attempts',
          label: 'DCUtR exchanges begun (CONNECT sent), all trials',
          value: sum('attempts'),
          unit: ''
        },
        {
          id: 'dcutr-dials',
          label: 'DCUtR dials of the observed addresses, all trials',
          value: sum('dials'),
          unit: ''
        },
        {
          id: 'dcutr-no-address',
          label: 'DCUtR exchanges ended for want of a public address, all trials',
          value: sum('noAddresses'),
          unit: ''
        },
        {
          id: 'direct-upgrade-wan-drops',
          label: 'inbound packets the routers dropped per trial, p50 (dials into the homes)',
          value: summarize(trials.map(x => x.wanDrops)).p50,
          unit: 'packets'
        }
      ],
      details: { trials, dcutrLog: [...lines] },
      durationMs: Math.round(now() - t8),
      notes: [
        'Node has no SO_REUSEPORT for outgoing sockets, so TCP hole punching is expected to fail (js-libp2p #2620)',
        'libp2p counts 198.18.0.0/15 (the lab’s public segment) as private (@libp2p/utils private-ip), so DCUtR finds no dialable observed address and ends the exchange before any dial'
      ]
    })
    return figures
  } finally {
    await lab.teardown()
  }
}

const IDS: Record<number, string> = { 6: 'relayed-dm', 7: 'join-to-resolve', 8: 'direct-upgrade' }

const TITLES: Record<number, string> = {
  6: 'Relayed DM send → ack vs direct and vs a raw relay echo (NAT lab)',
  7: 'community join → relayed address resolvable at another member (NAT lab)',
  8: 'Direct-upgrade (DCUtR) success behind two NATs (NAT lab)'
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      trials: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false }
    },
    strict: true
  })
  if (values.help) {
    process.stdout.write('usage: node bench/lab.ts [--quick] [--trials N] [--out results.json]\n')
    return
  }
  const quick = values.quick ?? false
  const trials = values.trials === undefined ? (quick ? 3 : 25) : Number(values.trials)
  if (!Number.isInteger(trials) || trials < 1)
    throw new RangeError(`--trials takes a positive integer, got ${values.trials}`)
  const started = now()
  const startedAt = new Date().toISOString()
  const git = gitState(ROOT)
  const progress = (line: string): void => {
    process.stderr.write(`${line}\n`)
  }
  const figures: Figure[] = []
  try {
    await runLab({ quick, trials, progress }, figures)
  } catch (err) {
    // figures are measured in the order 7, 6, 8, each on the state the one before left
    const e = err as Error
    for (const n of [6, 7, 8].filter(n => !figures.some(f => f.figure === n)))
      figures.push({
        figure: n,
        id: IDS[n]!,
        title: TITLES[n]!,
        status: 'failed',
        reason: `${e.name}: ${e.message}`,
        measurements: [],
        details: { stack: e.stack },
        durationMs: 0,
        notes: []
      })
  }
  figures.sort((a, b) => a.figure - b.figure)
  const run: BenchRun = {
    version: 1,
    startedAt,
    quick,
    commit: git.commit,
    dirty: git.dirty,
    machine: machine(),
    figures,
    durationMs: Math.round(now() - started)
  }
  const path =
    values.out ?? join(ROOT, 'bench', 'results', `lab-${startedAt.replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${JSON.stringify(run, null, 2)}\n`)
  process.stdout.write(`${formatTable(run)}\nresults: ${path}\n`)
  if (figures.some(f => f.status === 'failed')) process.exitCode = 1
}

await main()
process.exit()
