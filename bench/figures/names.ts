/**
 * Figure 3: names in a DHT of Parley nodes on 127.0.0.1, all in this process (the real libp2p
 * factory and NameRegistry; DHT records in memory). Register time, resolve time from random nodes
 * (p50/p99), then 30% of the nodes stop and every name is resolved again from the survivors.
 * Goals: resolve p50 < 100 ms, p99 < 500 ms, 100% of the names still resolve after churn.
 */
import { MemoryDatastore } from 'datastore-core'
import { generateIdentityKeys, type Identity, identityFromKeys } from '../../node/identity/index.ts'
import { NameRegistry } from '../../node/names/registry.ts'
import { createParleyLibp2p, type ParleyLibp2p } from '../../node/p2p/index.ts'
import type { Figure } from '../report.ts'
import { now, round, summarize } from '../stats.ts'

interface DhtNode {
  libp2p: ParleyLibp2p
  registry: NameRegistry
  identity: Identity
  stopped: boolean
}

export interface NamesOptions {
  quick: boolean
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
  const size = options.quick ? 12 : 100
  const names = options.quick ? 6 : 40
  const resolves = options.quick ? 24 : 300
  const churn = 0.3
  const random = prng(0x5eed)
  const nodes: DhtNode[] = []
  try {
    // Each node bootstraps to the first node and to one random earlier node.
    for (let i = 0; i < size; i++) {
      const bootstrap = new Set<string>()
      for (const peer of i === 0 ? [] : [nodes[0]!, nodes[random(i)]!]) {
        for (const address of peer.libp2p.getMultiaddrs()) {
          bootstrap.add(address.toString())
        }
      }
      nodes.push(await startDhtNode([...bootstrap]))
    }
    const startMs = now() - started
    const wantPeers = Math.min(10, size - 1)
    const convergeMs = await waitForRoutingTables(nodes, wantPeers, options.quick ? 10_000 : 30_000)
    const routingTables = summarize(nodes.map(n => n.registry.routingTableSize()))

    // Register: names[i] from node i·step, one after the other.
    const step = Math.floor(size / names)
    const owners = new Map<string, DhtNode>()
    const registerSamples: number[] = []
    for (let i = 0; i < names; i++) {
      const name = `bench-${i}-${Math.floor(Date.now() % 1e6)}`
      const owner = nodes[i * step]!
      const t = now()
      const result = await owner.registry.register(name, { signal: AbortSignal.timeout(60_000) })
      registerSamples.push(now() - t)
      if (result.stored === 0) {
        throw new Error(`no peer stored the claim for ${name}`)
      }
      owners.set(name, owner)
    }
    const nameList = [...owners.keys()]

    // Resolve from random nodes other than the owner.
    const resolveName = async (from: DhtNode, name: string): Promise<{ ms: number; ok: boolean }> => {
      const t = now()
      try {
        const resolution = await from.registry.resolve(name, { signal: AbortSignal.timeout(30_000) })
        const ok = resolution.claim.peerId.equals(owners.get(name)!.identity.peerId) && resolution.profile != null
        return { ms: now() - t, ok }
      } catch {
        return { ms: now() - t, ok: false }
      }
    }
    const resolveSamples: number[] = []
    let resolveFailures = 0
    for (let i = 0; i < resolves; i++) {
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
    for (const name of nameList) {
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
          label: `resolve from random nodes p50${scale}`,
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
        resolves,
        startMs: round(startMs),
        convergeMs: round(convergeMs),
        routingTables,
        register,
        resolve,
        afterChurn,
        stopped: victims.size,
        ownersStopped
      },
      durationMs: Math.round(now() - started),
      notes: [
        `${size} nodes started in ${Math.round(startMs)} ms, routing tables ≥ ${wantPeers} after ${Math.round(convergeMs)} ms; ${ownersStopped} of ${nameList.length} owners were among the stopped nodes`
      ]
    }
  } finally {
    await Promise.all(
      nodes
        .filter(n => !n.stopped)
        .map(async n => {
          await n.registry.stop().catch(() => {})
          await n.libp2p.stop().catch(() => {})
        })
    )
  }
}
