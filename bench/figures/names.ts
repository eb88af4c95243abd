/**
 * Figure 3: names in a DHT of Parley nodes on 127.0.0.1 (the real libp2p factory and NameRegistry,
 * records in memory), hosted by a few child processes (dht-worker.ts). Register time, resolve time
 * from random nodes (p50/p99), then 30% of the nodes stop and every name is resolved again from the
 * survivors. Goals: resolve p50 < 100 ms, p99 < 500 ms, 100% of the names still resolve after churn.
 */
import { type ChildProcess, fork } from 'node:child_process'
import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { compare as compareBytes } from 'uint8arrays/compare'
import { nameKey, profileKey } from '../../node/names/records.ts'
import { kadDistance } from '../../node/names/selection.ts'
import { ROOT } from '../availability.ts'
import type { ResolveTrace } from '../../node/names/resolver.ts'
import type { WorkerRequest } from '../dht-worker.ts'
import type { Figure } from '../report.ts'
import { now, quantile as quantileOf, round, summarize } from '../stats.ts'

/** Between node starts: 2 bootstrap dials per node stay far below 200 inbound connections/s per host. */
const START_PACING_MS = 25

/**
 * Time boxes (full mode; quick mode is smaller): the bench must finish within minutes even on a
 * loaded machine. A phase that runs out of time reports how many samples it took, never an
 * extrapolation; names not asked after churn count as not resolving.
 */
const CONVERGE_BUDGET_MS = 20_000
const REGISTER_BUDGET_MS = 45_000
const RESOLVE_BUDGET_MS = 60_000
const CHURN_BUDGET_MS = 40_000
const CLAIMS_ONLY_BUDGET_MS = 15_000
const PINNED_BUDGET_MS = 15_000

/** kad-dht's k: a record is put to the k closest peers the PUT's query finds. */
const K_BUCKET = 20

interface ResolveResult {
  ms: number
  ok: boolean
  /** why it failed: the error's name, 'wrong-owner' or 'profile-missing' */
  cause?: string
  message?: string
  /** the resolver's routing table size when it started */
  table: number
  /** peers whose claims the answer counted: NAME_QUORUM-ish on the fast path, more after a whole query */
  holders?: number
  /** where its time went (NameResolver's trace) */
  trace: ResolveTrace
  /** the worst event-loop delay of the resolver's host during this resolve */
  loopMaxMs: number
}

/** Event-loop stalls above this in the resolver's host make a resolve the machine's, not the algorithm's. */
const STALL_MS = 50

/**
 * Where the resolves' time went (p50 and p99 of each part over the resolves that have it): the
 * claims query to its first answer, first valid claim and quorum, the peers asked and hops to it,
 * the profile, and the same resolves split by whether their host stalled.
 */
interface Part {
  n: number
  p50: number
  p99: number
}

function breakdown(results: ResolveResult[]): Record<string, Part> {
  const part = (pick: (r: ResolveResult) => number | undefined): Part => {
    const values = results.map(pick).filter((v): v is number => v !== undefined && Number.isFinite(v))
    const s = summarize(values)
    return { n: s.n, p50: round(s.p50), p99: round(s.p99) }
  }
  const calm = results.filter(r => r.loopMaxMs < STALL_MS)
  const stalled = results.filter(r => r.loopMaxMs >= STALL_MS)
  return {
    firstAnswerMs: part(r => r.trace.claims?.firstAnswerMs),
    firstClaimMs: part(r => r.trace.claims?.firstItemMs),
    claimChosenMs: part(r => r.trace.claimMs),
    // a count, not a time: resolves answered on the fast path (p50) of all (n)
    fastPath: { n: results.length, p50: results.filter(r => r.trace.fastPath === true).length, p99: Number.NaN },
    askedAtQuorum: part(r => r.trace.claims?.askedAtEnough),
    hopsAtQuorum: part(r => r.trace.claims?.hopsAtEnough),
    askedInAll: part(r => r.trace.claims?.asked),
    maxHops: part(r => r.trace.claims?.maxHops),
    claimsQueryEndMs: part(r => r.trace.claims?.endMs),
    profileStartMs: part(r => r.trace.profileStartMs),
    profileMs: part(r => r.trace.profileMs),
    profileWaitAfterClaimMs: part(r => r.trace.profileWaitMs),
    profileAsked: part(r => r.trace.profile?.askedAtEnough ?? r.trace.profile?.asked),
    attempts: part(r => r.trace.attempts),
    hostLoopMaxMs: part(r => r.loopMaxMs),
    calmHost: { ...part(r => (r.loopMaxMs < STALL_MS ? r.ms : undefined)), n: calm.length },
    stalledHost: { ...part(r => (r.loopMaxMs >= STALL_MS ? r.ms : undefined)), n: stalled.length }
  }
}

/** Where a name's records are, counted on the live nodes (see census in namesFigure). */
interface Census {
  claim: number
  /** holders of the claim among the K_BUCKET live nodes closest to the name key */
  claimNear: number
  profile: number
  profileNear: number
}

interface Failure extends Census {
  phase: 'before churn' | 'after churn'
  name: string
  cause: string
  ms: number
  resolverTable: number
  /** the worst event-loop delay of the resolver's host during the failed resolve */
  hostLoopMaxMs: number
  message?: string
}

/**
 * One class per way a resolve fails, from what the registry threw and where the records really
 * were at that moment: a failure with the records on live nodes is the lookup's fault, one with
 * no copy left is the publishing's (or churn's).
 */
function failureCause(result: ResolveResult, where: Census): string {
  switch (result.cause) {
    case 'LookupFailedError':
      return 'no peers answered (LookupFailedError)'
    case 'NameNotFoundError':
      return where.claim === 0 ? 'claim stored nowhere' : 'claim stored but not found (NameNotFoundError)'
    case 'TimeoutError':
    case 'AbortError': {
      // which step ran out of time (the trace), and whether the records were there to be found
      const step = result.trace?.claimMs === undefined ? 'before a claim was chosen' : 'waiting for the profile'
      const records =
        where.claim === 0
          ? 'claim stored nowhere'
          : where.profile === 0
            ? 'profile stored nowhere'
            : where.claimNear === 0 || where.profileNear === 0
              ? 'records only far from their keys'
              : 'records on the closest live nodes'
      return `timeout ${step}; ${records}`
    }
    case 'wrong-owner':
      return 'records disagreed (another owner won)'
    case 'profile-missing':
      return where.profile === 0 ? 'profile stored nowhere' : 'profile stored but not found'
    default:
      return `other: ${result.cause}`
  }
}

function countBy(failures: Failure[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const f of failures) counts[f.cause] = (counts[f.cause] ?? 0) + 1
  return counts
}

export interface NamesOptions {
  quick: boolean
  /** progress lines (phases and their times) */
  progress?: (line: string) => void
  /** @default 100 (quick: 12) */
  nodes?: number
  /** child processes hosting the nodes. @default 4 (quick: 2) */
  processes?: number
}

type Op = WorkerRequest['op']
type Args<O extends Op> = Extract<WorkerRequest, { op: O }>['args']

/** One dht-worker.ts child and its request/reply plumbing. */
export class Host {
  readonly child: ChildProcess
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>()

  constructor() {
    // BENCH_WORKER_CPU_PROF=<dir> profiles the workers (one .cpuprofile each, written at shutdown).
    const profileDir = process.env.BENCH_WORKER_CPU_PROF
    this.child = fork(join(ROOT, 'bench', 'dht-worker.ts'), [], {
      execArgv: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...process.env, NODE_NO_WARNINGS: '1', DEBUG: '' }
    })
    this.child.on('message', (reply: { id: number; result?: unknown; error?: string }) => {
      const pending = this.pending.get(reply.id)
      this.pending.delete(reply.id)
      if (reply.error != null) pending?.reject(new Error(reply.error))
      else pending?.resolve(reply.result)
    })
    this.child.on('exit', code => {
      for (const p of this.pending.values()) p.reject(new Error(`dht worker exited with ${code}`))
      this.pending.clear()
    })
  }

  call<O extends Op, R = any>(op: O, args: Args<O>): Promise<R> {
    const id = this.nextId++
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.child.send({ id, op, args })
    })
  }

  async shutdown(): Promise<void> {
    if (this.child.exitCode != null) return
    const exited = new Promise(resolve => this.child.once('exit', resolve))
    await Promise.race([this.call('shutdown', {}).catch(() => {}), new Promise(r => setTimeout(r, 10_000))])
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }
}

interface NodeRef {
  host: Host
  /** index inside its host */
  node: number
  peerId: string
  addresses: string[]
  stopped: boolean
}

/** Deterministic pseudo-random choices, so two runs pick the same nodes (xorshift32). */
function prng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1
  return n => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x % n
  }
}

async function routingTables(hosts: Host[]): Promise<number[]> {
  return (await Promise.all(hosts.map(h => h.call<'tables', number[]>('tables', {})))).flat()
}

export async function namesFigure(options: NamesOptions): Promise<Figure> {
  const started = now()
  const say = options.progress ?? (() => {})
  const size = options.nodes ?? (options.quick ? 12 : 100)
  const processCount = Math.max(1, Math.min(options.processes ?? (options.quick ? 2 : 4), size))
  const names = options.quick ? 6 : 20
  const resolves = options.quick ? 24 : 200
  const rawGets = options.quick ? 10 : 50
  const churn = 0.3
  const random = prng(0x5eed)
  const hosts = Array.from({ length: processCount }, () => new Host())
  const nodes: NodeRef[] = []
  try {
    // Node i lives in process i mod P; it bootstraps to node 0 and to one random earlier node. The
    // processes start one node each at a time, in parallel.
    const startOne = async (i: number, before: number): Promise<NodeRef> => {
      const bootstrap = new Set<string>()
      for (const peer of i === 0 ? [] : [nodes[0]!, nodes[random(before)]!]) {
        for (const address of peer.addresses) bootstrap.add(address)
      }
      const host = hosts[i % processCount]!
      const result = await host.call<'start', { node: number; peerId: string; addresses: string[] }>('start', {
        bootstrap: [...bootstrap]
      })
      return { host, ...result, stopped: false }
    }
    nodes.push(await startOne(0, 0))
    for (let i = 1; i < size; i += processCount) {
      const batch = Array.from({ length: Math.min(processCount, size - i) }, (_, k) => i + k)
      const before = nodes.length
      nodes.push(...(await Promise.all(batch.map(n => startOne(n, before)))))
      // Pace the start: every node here dials from 127.0.0.1, and libp2p refuses more inbound
      // connections per second from one host than INBOUND_CONNECTION_THRESHOLD (200).
      await new Promise(resolve => setTimeout(resolve, START_PACING_MS * batch.length))
    }
    const startMs = now() - started
    say(`names: ${size} nodes in ${processCount} processes started in ${Math.round(startMs)} ms`)
    const wantPeers = Math.min(10, size - 1)
    const convergeStart = now()
    // A long-running network has had its periodic self-queries; run one per node now instead of
    // waiting minutes for kad-dht's timers, so that the figure measures a settled DHT.
    await Promise.all(hosts.map(h => h.call('refresh', { timeoutMs: options.quick ? 5_000 : 15_000 })))
    let tables = await routingTables(hosts)
    const afterSelfQuery = summarize(tables)
    const connections = summarize(
      (await Promise.all(hosts.map(h => h.call<'connections', number[]>('connections', {})))).flat()
    )
    say(
      `names: routing tables p50 ${afterSelfQuery.p50}, min ${afterSelfQuery.min} after a self-query per node (connections p50 ${connections.p50}, min ${connections.min})`
    )
    // A node whose table stayed below wantPeers (kad-dht adds a peer only after pinging it, and on
    // hosts this loaded pings time out; a node whose bootstrap dials failed has no peer at all) is
    // connected to a few random other nodes and queries itself again, as a daemon does when its
    // peers come back: the figure measures names in a formed network, and counts the nodes it helped.
    const helped = new Set<number>()
    let rounds = 0
    const helpStart = now()
    while (now() - helpStart < (options.quick ? 10_000 : CONVERGE_BUDGET_MS) && tables.some(t => t < wantPeers)) {
      rounds++
      const byHost = hosts.map(h => nodes.filter(n => n.host === h))
      const tablesPerHost = await Promise.all(hosts.map(h => h.call<'tables', number[]>('tables', {})))
      await Promise.all(
        byHost.map((hosted, h) =>
          Promise.all(
            hosted
              .filter((_, k) => tablesPerHost[h]![k]! < wantPeers)
              .map(async n => {
                helped.add(nodes.indexOf(n))
                const peers = Array.from({ length: 3 }, () => nodes[random(size)]!).filter(p => p !== n)
                await n.host.call('connect', {
                  node: n.node,
                  addresses: peers.flatMap(p => p.addresses),
                  timeoutMs: 5_000
                })
              })
          )
        )
      )
      tables = await routingTables(hosts)
    }
    const convergeMs = now() - convergeStart
    const tableSummary = summarize(tables)
    say(
      `names: routing tables p50 ${tableSummary.p50}, min ${tableSummary.min} after ${Math.round(convergeMs)} ms (${helped.size} nodes connected to more peers in ${rounds} rounds)`
    )
    // How busy the DHT's own upkeep keeps the hosts before any query of ours (share of one core, summed).
    const idleCpu = (
      await Promise.all(hosts.map(h => h.call<'cpu', number>('cpu', { ms: options.quick ? 1_000 : 3_000 })))
    ).reduce((a, b) => a + b, 0)
    say(`names: background CPU with no query running: ${Math.round(idleCpu * 100)}% of one core`)

    // Register: name i from node i·step, one after the other.
    const step = Math.floor(size / names)
    const owners = new Map<string, NodeRef>()
    const registerSamples: number[] = []
    let registerFailures = 0
    const registerStart = now()
    const tag = Math.floor(Date.now() % 1e6)
    for (let i = 0; i < names && now() - registerStart < (options.quick ? 20_000 : REGISTER_BUDGET_MS); i++) {
      const name = `bench-${i}-${tag}`
      const owner = nodes[i * step]!
      const result = await owner.host.call<'register', { ms: number; stored: number }>('register', {
        node: owner.node,
        name,
        timeoutMs: 20_000
      })
      registerSamples.push(result.ms)
      if (result.stored === 0) {
        // counted and reported: a name nobody stored is not one we can ask to resolve
        registerFailures++
        continue
      }
      owners.set(name, owner)
    }
    const nameList = [...owners.keys()]
    if (nameList.length === 0) {
      throw new Error(`none of the ${names} names could be registered`)
    }
    say(`names: ${nameList.length}/${names} registered, p50 ${Math.round(quantileOf(registerSamples, 0.5))} ms`)

    // Where a name's records really are: the live nodes holding its claim and its owner's profile,
    // and how many of them are among the K_BUCKET live nodes closest to each key.
    const census = async (name: string): Promise<Census> => {
      const owner = owners.get(name)!.peerId
      const found = await Promise.all(
        hosts.map(h => h.call<'holders', { claim: string[]; profile: string[] }>('holders', { name, owner }))
      )
      const live = nodes.filter(n => !n.stopped).map(n => peerIdFromString(n.peerId))
      const closest = (key: Uint8Array): Set<string> =>
        new Set(
          live
            .map(p => ({ p, d: kadDistance(key, p) }))
            .sort((a, b) => compareBytes(a.d, b.d))
            .slice(0, K_BUCKET)
            .map(({ p }) => p.toString())
        )
      const nearName = closest(nameKey(name))
      const nearProfile = closest(profileKey(peerIdFromString(owner)))
      const claim = found.flatMap(f => f.claim)
      const profile = found.flatMap(f => f.profile)
      return {
        claim: claim.length,
        claimNear: claim.filter(p => nearName.has(p)).length,
        profile: profile.length,
        profileNear: profile.filter(p => nearProfile.has(p)).length
      }
    }
    const failures: Failure[] = []
    const resolveFrom = async (from: NodeRef, name: string, phase: Failure['phase']): Promise<ResolveResult> => {
      const result: ResolveResult = await from.host.call('resolve', {
        node: from.node,
        name,
        owner: owners.get(name)!.peerId,
        timeoutMs: 10_000
      })
      if (!result.ok) {
        const where = await census(name)
        failures.push({
          phase,
          name,
          cause: failureCause(result, where),
          ms: round(result.ms),
          resolverTable: result.table,
          hostLoopMaxMs: round(result.loopMaxMs),
          ...where,
          message: result.message
        })
      }
      return result
    }
    // Right after registering: where each name was stored (a name on few peers is lost to churn).
    const registered = await Promise.all(nameList.map(census))
    const claimCopies = summarize(registered.map(c => c.claim))
    const profileCopies = summarize(registered.map(c => c.profile))
    say(
      `names: claims stored on p50 ${claimCopies.p50} (min ${claimCopies.min}) live nodes, profiles on p50 ${profileCopies.p50} (min ${profileCopies.min})`
    )

    // Resolve from random nodes other than the owner, one after the other; after each of the first
    // ones, a kad-dht GET of a name from another random node, so that the DHT alone is measured in
    // the same conditions (connections made so far, a resolve's background queries still running).
    await Promise.all(hosts.map(h => h.call('monitor', { on: true })))
    const resolveSamples: number[] = []
    const resolveResults: ResolveResult[] = []
    const resolveLog: Array<{ ms: number; ok: boolean; holders?: number }> = []
    // The DHT alone: kad-dht GETs of the same keys from random nodes, time to the first record and
    // to the end of the query, and how many peers answered or failed.
    const raw: {
      ms: number
      firstRecordMs?: number
      fifthRecordMs?: number
      responses: number
      errors: number
      ok: boolean
    }[] = []
    let resolveFailures = 0
    const resolveStart = now()
    for (let i = 0; i < resolves && now() - resolveStart < (options.quick ? 20_000 : RESOLVE_BUDGET_MS); i++) {
      const name = nameList[random(nameList.length)]!
      let from = nodes[random(size)]!
      while (from === owners.get(name)) from = nodes[random(size)]!
      const result = await resolveFrom(from, name, 'before churn')
      const { ms, ok, holders } = result
      resolveResults.push(result)
      resolveSamples.push(ms)
      resolveLog.push({ ms: round(ms), ok, holders })
      if (!ok) resolveFailures++
      if (raw.length < rawGets) {
        const rawFrom = nodes[random(size)]!
        const rawName = nameList[random(nameList.length)]!
        raw.push(await rawFrom.host.call('rawGet', { node: rawFrom.node, name: rawName, timeoutMs: 10_000 }))
      }
    }
    // Where a resolve's time goes: the same resolves without the owner's profile (claims only).
    const claimsOnly: number[] = []
    const claimsStart = now()
    for (let i = 0; i < resolves && now() - claimsStart < (options.quick ? 5_000 : CLAIMS_ONLY_BUDGET_MS); i++) {
      const name = nameList[random(nameList.length)]!
      let from = nodes[random(size)]!
      while (from === owners.get(name)) from = nodes[random(size)]!
      const r: ResolveResult = await from.host.call('resolve', {
        node: from.node,
        name,
        owner: owners.get(name)!.peerId,
        timeoutMs: 10_000,
        profile: false
      })
      if (r.ok) claimsOnly.push(r.ms)
    }
    const claimsOnlySummary = summarize(claimsOnly)
    // A contact's name (the resolver pinned its owner: the pinned fast path), then the same name
    // again from the same node at once (the cache of resolved names; the profile from its cache).
    const pinned: number[] = []
    const pinnedResults: ResolveResult[] = []
    const cached: number[] = []
    const pinnedStart = now()
    for (let i = 0; i < resolves && now() - pinnedStart < (options.quick ? 5_000 : PINNED_BUDGET_MS); i++) {
      const name = nameList[random(nameList.length)]!
      let from = nodes[random(size)]!
      while (from === owners.get(name)) from = nodes[random(size)]!
      const ask = { node: from.node, name, owner: owners.get(name)!.peerId, timeoutMs: 10_000, pinned: true }
      const r: ResolveResult = await from.host.call('resolve', ask)
      if (!r.ok) continue
      pinned.push(r.ms)
      pinnedResults.push(r)
      const again: ResolveResult = await from.host.call('resolve', { ...ask, cached: true })
      if (again.ok) cached.push(again.ms)
    }
    const pinnedSummary = summarize(pinned)
    const pinnedParts = breakdown(pinnedResults)
    const cachedSummary = summarize(cached)
    const rawQuery = summarize(raw.map(r => r.ms))
    const rawFirst = summarize(raw.filter(r => r.firstRecordMs != null).map(r => r.firstRecordMs!))
    const rawFifth = summarize(raw.filter(r => r.fifthRecordMs != null).map(r => r.fifthRecordMs!))
    const rawResponses = summarize(raw.map(r => r.responses))
    const rawErrors = summarize(raw.map(r => r.errors))
    say(
      `names: ${raw.length} raw kad-dht GETs, first record p50 ${Math.round(rawFirst.p50)} ms, query end p50 ${Math.round(rawQuery.p50)} ms`
    )

    const monitors = await Promise.all(
      hosts.map(h =>
        h.call<
          'monitor',
          {
            cpuShare: number
            loopDelayP50Ms: number
            loopDelayP99Ms: number
            loopDelayMaxMs: number
            connectionsOpened: number
          }
        >('monitor', { on: false })
      )
    )
    const resolveCpu = monitors.reduce((a, m) => a + m.cpuShare, 0)
    const loopDelayP99 = Math.max(...monitors.map(m => m.loopDelayP99Ms))
    say(`names: ${resolveSamples.length} resolves, p50 ${Math.round(quantileOf(resolveSamples, 0.5))} ms`)
    // each connection is counted at both ends: halved
    const queries = resolveSamples.length + raw.length + claimsOnly.length + pinned.length
    const connectionsPerQuery = monitors.reduce((a, m) => a + m.connectionsOpened, 0) / 2 / Math.max(1, queries)
    say(`names: ${connectionsPerQuery.toFixed(1)} new connections per query (${queries} queries)`)

    // Churn: stop 30% of the nodes (owners included), then resolve every name from a survivor.
    const victims = new Set<number>()
    while (victims.size < Math.round(size * churn)) victims.add(random(size))
    await Promise.all(
      [...victims].map(async i => {
        const node = nodes[i]!
        node.stopped = true
        await node.host.call('stop', { node: node.node })
      })
    )
    const survivors = nodes.filter(n => !n.stopped)
    let resolvedAfterChurn = 0
    const afterChurnSamples: number[] = []
    const churnStart = now()
    for (const name of nameList) {
      if (now() - churnStart > (options.quick ? 20_000 : CHURN_BUDGET_MS)) break
      const { ms, ok } = await resolveFrom(survivors[random(survivors.length)]!, name, 'after churn')
      afterChurnSamples.push(ms)
      if (ok) resolvedAfterChurn++
    }
    const ownersStopped = nameList.filter(name => owners.get(name)!.stopped).length
    say(`names: ${resolvedAfterChurn}/${nameList.length} resolve after churn`)

    const parts = breakdown(resolveResults.filter(r => r.ok))
    // every phase asks the DHT (the cache of resolved names is measured on its own, by the pinned
    // phase's second resolve); a resolve the cache answered anyway would be counted here
    const fromCache = resolveResults.filter(r => r.ok && r.trace.attempts === 0)
    const uncached = summarize(resolveResults.filter(r => !(r.ok && r.trace.attempts === 0)).map(r => r.ms))
    const register = summarize(registerSamples)
    const resolve = summarize(resolveSamples)
    const afterChurn = summarize(afterChurnSamples)
    const share = resolvedAfterChurn / nameList.length
    const scale = ` (${options.quick ? 'QUICK: ' : ''}${size} nodes)`
    const measurements: Figure['measurements'] = [
      { id: 'names-register-p50', label: `register p50${scale}`, value: round(register.p50), unit: 'ms' },
      { id: 'names-register-p99', label: `register p99${scale}`, value: round(register.p99), unit: 'ms' },
      {
        id: 'names-resolve-p50',
        label: `resolve from random nodes p50${scale}, ${resolveSamples.length} resolves`,
        value: round(resolve.p50),
        unit: 'ms',
        goal: { text: '< 100 ms', met: resolve.p50 < 100 }
      },
      {
        id: 'names-resolve-p99',
        label: `resolve from random nodes p99${scale}`,
        value: round(resolve.p99),
        unit: 'ms',
        goal: { text: '< 500 ms', met: resolve.p99 < 500 }
      },
      ...(
        [
          ['firstAnswerMs', 'first peer answer (claims query)', 'ms'],
          ['firstClaimMs', 'first valid claim', 'ms'],
          ['claimChosenMs', `claim chosen (${parts.fastPath!.p50} of ${parts.fastPath!.n} on the fast path)`, 'ms'],
          ['askedAtQuorum', 'peers asked when the quorum was met', ''],
          ['hopsAtQuorum', 'hops to the farthest quorum holder', ''],
          ['askedInAll', 'peers asked by the whole claims query (background)', ''],
          ['profileStartMs', 'profile query started', 'ms'],
          ['profileWaitAfterClaimMs', 'waiting for the profile after the claim', 'ms'],
          ['hostLoopMaxMs', "worst event-loop delay of the resolver's host during the resolve", 'ms'],
          ['calmHost', `resolves whose host never stalled ≥ ${STALL_MS} ms`, 'ms'],
          ['stalledHost', `resolves whose host stalled ≥ ${STALL_MS} ms`, 'ms']
        ] as const
      ).flatMap(([key, label, unit]) =>
        parts[key]!.n === 0
          ? []
          : [
              {
                id: `names-resolve-part:${key}`,
                label: `  resolve breakdown, ${label}: p50 (p99 ${parts[key]!.p99}; n ${parts[key]!.n})`,
                value: parts[key]!.p50,
                unit
              }
            ]
      ),
      ...monitors.map((m, h) => ({
        id: `names-host-loop-delay-p99:${h}`,
        label: `host ${h} event-loop delay while resolving: p99 (p50 ${round(m.loopDelayP50Ms, 1)}, max ${round(m.loopDelayMaxMs)}; ${Math.round(m.cpuShare * 100)}% of a core)`,
        value: round(m.loopDelayP99Ms),
        unit: 'ms'
      })),
      {
        id: 'names-resolve-uncached-p50',
        label: `  of which not from the cache (${fromCache.length} were): p50 (p99 ${round(uncached.p99)}; n ${uncached.n})`,
        value: round(uncached.p50),
        unit: 'ms'
      },
      {
        id: 'names-resolve-claims-only-p50',
        label: `resolve without the profile (claims only) p50, ${claimsOnly.length} resolves`,
        value: round(claimsOnlySummary.p50),
        unit: 'ms'
      },
      {
        id: 'names-resolve-pinned-p50',
        label: `resolve of a pinned name (a contact) p50 (p99 ${round(pinnedSummary.p99)}), ${pinned.length} resolves`,
        value: round(pinnedSummary.p50),
        unit: 'ms'
      },
      {
        id: 'names-resolve-pinned-claim-p50',
        label: `  of which the claim chosen: p50 (p99 ${pinnedParts.claimChosenMs!.p99}); then waiting for the profile p50 ${pinnedParts.profileWaitAfterClaimMs!.p50} ms (p99 ${pinnedParts.profileWaitAfterClaimMs!.p99})`,
        value: pinnedParts.claimChosenMs!.p50,
        unit: 'ms'
      },
      {
        id: 'names-resolve-cached-p50',
        label: `the same name again from the same node (cached) p50, ${cached.length} resolves`,
        value: round(cachedSummary.p50, 3),
        unit: 'ms'
      },
      {
        id: 'names-raw-get-first-record-p50',
        label: `kad-dht GET of a name key: first record p50 (${raw.length} GETs)`,
        value: round(rawFirst.p50),
        unit: 'ms'
      },
      {
        id: 'names-raw-get-fifth-record-p50',
        label: `kad-dht GET of a name key: fifth record p50 (the fast path's quorum; ${rawFifth.n} GETs had 5)`,
        value: round(rawFifth.p50),
        unit: 'ms'
      },
      {
        id: 'names-raw-get-query-p50',
        label: 'kad-dht GET of a name key: query end p50',
        value: round(rawQuery.p50),
        unit: 'ms'
      },
      { id: 'names-register-failures', label: 'registrations no peer stored', value: registerFailures, unit: '' },
      { id: 'names-resolve-failures', label: 'resolves that failed before churn', value: resolveFailures, unit: '' },
      ...Object.entries(countBy(failures.filter(f => f.phase === 'before churn'))).map(([cause, count]) => ({
        id: `names-failed-before-churn:${cause}`,
        label: `  of which: ${cause}`,
        value: count,
        unit: ''
      })),
      {
        id: 'names-claim-copies-min',
        label: `live nodes storing a registered claim: min (p50 ${claimCopies.p50})`,
        value: claimCopies.min,
        unit: ''
      },
      {
        id: 'names-profile-copies-min',
        label: `live nodes storing a registered owner's profile: min (p50 ${profileCopies.p50})`,
        value: profileCopies.min,
        unit: ''
      },
      {
        id: 'names-after-churn',
        label: `names resolving after ${Math.round(churn * 100)}% of nodes stopped`,
        value: round(share * 100),
        unit: '%',
        goal: { text: '100%', met: share === 1 }
      },
      ...Object.entries(countBy(failures.filter(f => f.phase === 'after churn'))).map(([cause, count]) => ({
        id: `names-failed-after-churn:${cause}`,
        label: `  not resolving after churn: ${cause}`,
        value: count,
        unit: ''
      })),
      {
        id: 'names-resolve-after-churn-p50',
        label: 'resolve after churn p50',
        value: round(afterChurn.p50),
        unit: 'ms'
      }
    ]
    // A phase that got no sample before its time box has no percentile: say so instead of a NaN.
    const empty = measurements.filter(m => !Number.isFinite(m.value)).map(m => m.id)
    return {
      figure: 3,
      id: 'names',
      title: 'Names in a DHT: register, resolve, churn',
      status: 'measured',
      measurements: measurements.filter(m => Number.isFinite(m.value)),
      details: {
        nodes: size,
        processes: processCount,
        names,
        resolves: resolveSamples.length,
        startMs: round(startMs),
        convergeMs: round(convergeMs),
        routingTables: tableSummary,
        routingTablesAfterSelfQuery: afterSelfQuery,
        connectionsAfterSelfQuery: connections,
        nodesHelped: helped.size,
        helpRounds: rounds,
        register,
        resolve,
        afterChurn,
        stopped: victims.size,
        ownersStopped,
        copies: { claim: claimCopies, profile: profileCopies },
        resolveLog,
        breakdown: parts,
        claimsOnly: claimsOnlySummary,
        pinned: pinnedSummary,
        pinnedBreakdown: pinnedParts,
        cached: cachedSummary,
        failures,
        backgroundCpuShare: round(idleCpu),
        cpuShareWhileResolving: round(resolveCpu),
        eventLoopWhileResolving: monitors,
        rawGet: {
          query: rawQuery,
          firstRecord: rawFirst,
          fifthRecord: rawFifth,
          responses: rawResponses,
          errors: rawErrors,
          failed: raw.filter(r => !r.ok).length
        }
      },
      durationMs: Math.round(now() - started),
      notes: [
        ...(empty.length === 0 ? [] : [`no samples (time box ran out) for: ${empty.join(', ')}`]),
        `${size} nodes in ${processCount} processes: DHT upkeep used ${Math.round(idleCpu * 100)}% of one core before any query, ${Math.round(resolveCpu * 100)}% while resolving; worst event-loop delay p99 ${round(loopDelayP99, 3)} ms`,
        `started in ${Math.round(startMs)} ms; routing tables p50 ${afterSelfQuery.p50} (min ${afterSelfQuery.min}) after one self-query per node, p50 ${tableSummary.p50} (min ${tableSummary.min}) after ${helped.size} nodes were connected to more peers, ${Math.round(convergeMs)} ms; ${ownersStopped} of ${nameList.length} owners were among the stopped nodes`
      ]
    }
  } finally {
    await Promise.all(hosts.map(h => h.shutdown().catch(() => {})))
  }
}
