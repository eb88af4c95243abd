/**
 * Figure 3: names in a DHT of Parley nodes on 127.0.0.1, all in this process (the real libp2p
 * factory and NameRegistry; DHT records in memory). Register time, resolve time from random nodes
 * (p50/p99), then 30% of the nodes stop and every name is resolved again from the survivors.
 * Goals: resolve p50 < 100 ms, p99 < 500 ms, 100% of the names still resolve after churn.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { MemoryDatastore } from 'datastore-core'
import { generateIdentityKeys, type Identity, identityFromKeys } from '../../node/identity/index.ts'
import { NameRegistry } from '../../node/names/registry.ts'
import { createParleyLibp2p, type ParleyLibp2p } from '../../node/p2p/index.ts'
import type { Figure } from '../report.ts'
import { now, quantile as quantileOf, round, summarize } from '../stats.ts'

interface DhtNode {
  libp2p: ParleyLibp2p
  registry: NameRegistry
  identity: Identity
  stopped: boolean
}

/** Between node starts: 2 bootstrap dials per node stay far below 200 inbound connections/s per host. */
const START_PACING_MS = 25

/**
 * Time boxes (full mode; quick mode is smaller): the bench must finish within minutes even on a
 * loaded machine. A phase that runs out of time reports how many samples it took, never an
 * extrapolation; names that were not asked after churn count as not resolving.
 */
const CONVERGE_BUDGET_MS = 20_000
const REGISTER_BUDGET_MS = 45_000
const RESOLVE_BUDGET_MS = 45_000
const CHURN_BUDGET_MS = 40_000

export interface NamesOptions {
  quick: boolean
  /** progress lines (phases and their times) */
  progress?: (line: string) => void
  /** @default 100 (quick: 12) */
  nodes?: number
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

async function startDhtNode(bootstrap: string[]): Promise<DhtNode> {
  const identity = await identityFromKeys(await generateIdentityKeys(), true)
  const datastore = new MemoryDatastore()
  const libp2p = await createParleyLibp2p({
    privateKey: identity.privateKey,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    bootstrap,
    mdns: false,
    datastore
  })
  const registry = new NameRegistry({ libp2p, identity, datastore })
  return { libp2p, registry, identity, stopped: false }
}

/** CPU time of this process (user + system) as a share of one core over the wall time since `start`. */
function cpuSince(start: NodeJS.CpuUsage, wallMs: number): number {
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000 / wallMs
}

async function cpuShare(ms: number): Promise<number> {
  const start = process.cpuUsage()
  const t = now()
  await new Promise(resolve => setTimeout(resolve, ms))
  return cpuSince(start, now() - t)
}

async function waitForRoutingTables(nodes: DhtNode[], want: number, timeoutMs: number): Promise<number> {
  const start = now()
  while (now() - start < timeoutMs) {
    if (nodes.every(n => n.registry.routingTableSize() >= want)) {
      break
    }
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  return now() - start
}

export async function namesFigure(options: NamesOptions): Promise<Figure> {
  const started = now()
  const say = options.progress ?? (() => {})
  const size = options.nodes ?? (options.quick ? 12 : 100)
  const names = options.quick ? 6 : 20
  const resolves = options.quick ? 24 : 200
  const churn = 0.3
  const random = prng(0x5eed)
  const nodes: DhtNode[] = []
  try {
    // Each node bootstraps to the first node and to one random earlier node.
    for (let i = 0; i < size; i++) {
      const bootstrap = new Set<string>()
      const peers = i === 0 ? [] : [nodes[0]!, nodes[random(i)]!]
      for (const peer of peers) {
        for (const address of peer.libp2p.getMultiaddrs()) {
          bootstrap.add(address.toString())
        }
      }
      const node = await startDhtNode([...bootstrap])
      nodes.push(node)
      // Pace the start: every node here dials from 127.0.0.1, and libp2p refuses more inbound
      // connections per second from one host than INBOUND_CONNECTION_THRESHOLD (200).
      await new Promise(resolve => setTimeout(resolve, START_PACING_MS))
    }
    const startMs = now() - started
    say(`names: ${size} nodes started in ${Math.round(startMs)} ms`)
    const wantPeers = Math.min(10, size - 1)
    const convergeMs = await waitForRoutingTables(nodes, wantPeers, options.quick ? 10_000 : CONVERGE_BUDGET_MS)
    const routingTables = summarize(nodes.map(n => n.registry.routingTableSize()))
    say(`names: routing tables p50 ${routingTables.p50}, min ${routingTables.min} after ${Math.round(convergeMs)} ms`)
    // How busy the DHT's own upkeep keeps this one thread before any query of ours: resolve times
    // below include the wait for it.
    const idleCpu = await cpuShare(options.quick ? 1_000 : 3_000)
    say(`names: background CPU with no query running: ${Math.round(idleCpu * 100)}% of one core`)
    const loopDelay = monitorEventLoopDelay({ resolution: 10 })

    // Register: names[i] from node i·step, one after the other.
    const step = Math.floor(size / names)
    const owners = new Map<string, DhtNode>()
    const registerSamples: number[] = []
    let registerFailures = 0
    const registerStart = now()
    for (let i = 0; i < names && now() - registerStart < (options.quick ? 20_000 : REGISTER_BUDGET_MS); i++) {
      const name = `bench-${i}-${Math.floor(Date.now() % 1e6)}`
      const owner = nodes[i * step]!
      const t = now()
      const result = await owner.registry.register(name, { signal: AbortSignal.timeout(20_000) }).catch(() => undefined)
      registerSamples.push(now() - t)
      if (result == null || result.stored === 0) {
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

    // Resolve from random nodes other than the owner.
    const resolveName = async (from: DhtNode, name: string): Promise<{ ms: number; ok: boolean }> => {
      const t = now()
      try {
        const resolution = await from.registry.resolve(name, { signal: AbortSignal.timeout(10_000) })
        const ok = resolution.claim.peerId.equals(owners.get(name)!.identity.peerId) && resolution.profile != null
        return { ms: now() - t, ok }
      } catch {
        return { ms: now() - t, ok: false }
      }
    }
    const resolveSamples: number[] = []
    let resolveFailures = 0
    loopDelay.enable()
    const resolveCpuStart = process.cpuUsage()
    const resolveStart = now()
    // Time-boxed so that the whole bench stays within minutes on a loaded machine: fewer samples
    // are reported as such, never extrapolated.
    const resolveBudgetMs = options.quick ? 20_000 : RESOLVE_BUDGET_MS
    for (let i = 0; i < resolves && now() - resolveStart < resolveBudgetMs; i++) {
      const name = nameList[random(nameList.length)]!
      let from = nodes[random(size)]!
      while (from === owners.get(name)) {
        from = nodes[random(size)]!
      }
      const { ms, ok } = await resolveName(from, name)
      resolveSamples.push(ms)
      if (!ok) {
        resolveFailures++
      }
    }

    loopDelay.disable()
    const resolveCpu = cpuSince(resolveCpuStart, now() - resolveStart)
    say(`names: ${resolveSamples.length} resolves, p50 ${Math.round(quantileOf(resolveSamples, 0.5))} ms`)

    // Churn: stop 30% of the nodes (owners included), then resolve every name from a survivor.
    const victims = new Set<number>()
    while (victims.size < Math.round(size * churn)) {
      victims.add(random(size))
    }
    await Promise.all(
      [...victims].map(async i => {
        const node = nodes[i]!
        node.stopped = true
        await node.registry.stop()
        await node.libp2p.stop()
      })
    )
    const survivors = nodes.filter(n => !n.stopped)
    let resolvedAfterChurn = 0
    const afterChurnSamples: number[] = []
    const churnStart = now()
    for (const name of nameList) {
      if (now() - churnStart > (options.quick ? 20_000 : CHURN_BUDGET_MS)) {
        break
      }
      const from = survivors[random(survivors.length)]!
      const { ms, ok } = await resolveName(from, name)
      afterChurnSamples.push(ms)
      if (ok) {
        resolvedAfterChurn++
      }
    }
    const ownersStopped = nameList.filter(name => owners.get(name)!.stopped).length

    const register = summarize(registerSamples)
    const resolve = summarize(resolveSamples)
    const afterChurn = summarize(afterChurnSamples)
    const share = resolvedAfterChurn / nameList.length
    const scale = options.quick ? ` (QUICK: ${size} nodes)` : ` (${size} nodes)`
    return {
      figure: 3,
      id: 'names',
      title: 'Names in a DHT: register, resolve, churn',
      status: 'measured',
      measurements: [
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
        {
          id: 'names-register-failures',
          label: 'registrations no peer stored',
          value: registerFailures,
          unit: ''
        },
        {
          id: 'names-resolve-failures',
          label: 'resolves that failed before churn',
          value: resolveFailures,
          unit: ''
        },
        {
          id: 'names-after-churn',
          label: `names resolving after ${Math.round(churn * 100)}% of nodes stopped`,
          value: round(share * 100),
          unit: '%',
          goal: { text: '100%', met: share === 1 }
        },
        {
          id: 'names-resolve-after-churn-p50',
          label: 'resolve after churn p50',
          value: round(afterChurn.p50),
          unit: 'ms'
        }
      ],
      details: {
        nodes: size,
        names,
        resolves: resolveSamples.length,
        startMs: round(startMs),
        convergeMs: round(convergeMs),
        routingTables,
        register,
        resolve,
        afterChurn,
        stopped: victims.size,
        ownersStopped,
        backgroundCpuShare: round(idleCpu),
        cpuShareWhileResolving: round(resolveCpu),
        eventLoopDelayWhileResolvingMs: {
          p50: round(loopDelay.percentile(50) / 1e6),
          p99: round(loopDelay.percentile(99) / 1e6),
          max: round(loopDelay.max / 1e6)
        }
      },
      durationMs: Math.round(now() - started),
      notes: [
        `one process hosts all ${size} nodes: its thread was ${Math.round(idleCpu * 100)}% busy with DHT upkeep before any query and ${Math.round(resolveCpu * 100)}% while resolving (event-loop delay p99 ${round(loopDelay.percentile(99) / 1e6, 3)} ms)`,
        `${size} nodes started in ${Math.round(startMs)} ms, routing tables ≥ ${wantPeers} after ${Math.round(convergeMs)} ms; ${ownersStopped} of ${nameList.length} owners were among the stopped nodes`
      ]
    }
  } finally {
    await Promise.all(
      nodes
        .filter(n => !n.stopped)
        .map(async n => {
          await n.registry.stop().catch(() => {})
          await Promise.resolve(n.libp2p.stop()).catch(() => {})
        })
    )
  }
}
