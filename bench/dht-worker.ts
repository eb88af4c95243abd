/**
 * A child process hosting some of figure 3's DHT nodes (the real `createParleyLibp2p` and
 * `NameRegistry`, records in memory), driven by the bench over IPC. Spreading the nodes over a few
 * processes keeps one event loop from serving all of them: in one process, a hundred nodes' upkeep
 * stalls the loop for seconds and every resolve waits behind it (docs/PERFORMANCE.md §3).
 *
 * Requests: `{ id, op, args }`; replies: `{ id, result }` or `{ id, error }`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryDatastore } from 'datastore-core'
import { generateIdentityKeys, type Identity, identityFromKeys } from '../node/identity/index.ts'
import { kadRecordKey } from '../node/names/kad-datastore.ts'
import { nameKey, profileKey } from '../node/names/records.ts'
import { NameRegistry } from '../node/names/registry.ts'
import type { ResolveTrace } from '../node/names/resolver.ts'
import { createParleyLibp2p, type ParleyLibp2p } from '../node/p2p/index.ts'

interface HostedNode {
  libp2p: ParleyLibp2p
  datastore: MemoryDatastore
  registry: NameRegistry
  identity: Identity
  stopped: boolean
}

export type WorkerRequest =
  | { id: number; op: 'start'; args: { bootstrap: string[] } }
  | { id: number; op: 'tables'; args: Record<string, never> }
  | { id: number; op: 'connections'; args: Record<string, never> }
  | { id: number; op: 'connect'; args: { node: number; addresses: string[]; timeoutMs: number } }
  | { id: number; op: 'refresh'; args: { timeoutMs: number } }
  | { id: number; op: 'register'; args: { node: number; name: string; timeoutMs: number } }
  | {
      id: number
      op: 'resolve'
      args: {
        node: number
        name: string
        owner: string
        timeoutMs: number
        profile?: boolean
        pinned?: boolean
        /** answer from the cache of resolved names if it holds the name; @default false: ask the DHT */
        cached?: boolean
      }
    }
  | { id: number; op: 'holders'; args: { name: string; owner: string } }
  | { id: number; op: 'rawGet'; args: { node: number; name: string; timeoutMs: number } }
  | { id: number; op: 'stop'; args: { node: number } }
  | { id: number; op: 'cpu'; args: { ms: number } }
  | { id: number; op: 'monitor'; args: { on: boolean } }
  | { id: number; op: 'shutdown'; args: Record<string, never> }

const nodes: HostedNode[] = []
const loopDelay = monitorEventLoopDelay({ resolution: 10 })
let cpuStart = process.cpuUsage()
// connections the hosted nodes opened (dialled or accepted) since the monitor was turned on
let opened = 0
let wallStart = performance.now()

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'start': {
      const identity = await identityFromKeys(await generateIdentityKeys(), true)
      const datastore = new MemoryDatastore()
      const libp2p = await createParleyLibp2p({
        privateKey: identity.privateKey,
        listen: ['/ip4/127.0.0.1/tcp/0'],
        bootstrap: request.args.bootstrap,
        mdns: false,
        datastore,
        // BENCH_DHT_ALPHA / BENCH_DHT_PATHS: try another kad-dht query shape (an experiment of figure 3)
        dhtQuery: {
          ...(process.env.BENCH_DHT_ALPHA ? { alpha: Number(process.env.BENCH_DHT_ALPHA) } : {}),
          ...(process.env.BENCH_DHT_PATHS ? { disjointPaths: Number(process.env.BENCH_DHT_PATHS) } : {})
        }
      })
      libp2p.addEventListener('connection:open', () => opened++)
      const registry = new NameRegistry({ libp2p, identity, datastore })
      nodes.push({ libp2p, datastore, registry, identity, stopped: false })
      return {
        node: nodes.length - 1,
        peerId: identity.peerId.toString(),
        addresses: libp2p.getMultiaddrs().map(a => a.toString())
      }
    }
    case 'refresh': {
      // What kad-dht's periodic self-query does, once for each hosted node, all at once and
      // bounded by the timeout: a lookup of its own id fills its routing table from its neighbourhood.
      const signal = AbortSignal.timeout(request.args.timeoutMs)
      await Promise.all(
        nodes
          .filter(n => !n.stopped)
          .map(async node => {
            try {
              for await (const _ of node.libp2p.services.dht.getClosestPeers(node.identity.peerId.toMultihash().bytes, {
                signal
              })) {
                // drain
              }
            } catch {
              // a lookup that times out still added the peers it met
            }
          })
      )
      return true
    }
    case 'tables':
      return nodes.filter(n => !n.stopped).map(n => n.registry.routingTableSize())
    case 'connections':
      return nodes.filter(n => !n.stopped).map(n => n.libp2p.getConnections().length)
    case 'connect': {
      // What a node with a (nearly) empty routing table needs: connections to a few more peers
      // (identify tells kad-dht they speak its protocol), then a self-query through them.
      const node = nodes[request.args.node]!
      const signal = AbortSignal.timeout(request.args.timeoutMs)
      await Promise.all(
        request.args.addresses.map(a => node.libp2p.dial(multiaddr(a), { signal }).catch(() => undefined))
      )
      try {
        for await (const _ of node.libp2p.services.dht.getClosestPeers(node.identity.peerId.toMultihash().bytes, {
          signal
        })) {
          // drain
        }
      } catch {
        // the peers it met are in the table anyway
      }
      return node.registry.routingTableSize()
    }
    case 'register': {
      const node = nodes[request.args.node]!
      const t = performance.now()
      try {
        const result = await node.registry.register(request.args.name, {
          signal: AbortSignal.timeout(request.args.timeoutMs)
        })
        return { ms: performance.now() - t, stored: result.stored }
      } catch (err) {
        return { ms: performance.now() - t, stored: 0, error: (err as Error).name }
      }
    }
    case 'resolve': {
      // A failed resolve says why (figure 3 counts each cause): the error the registry threw, the
      // wrong owner, or a right owner without its profile.
      // Where its time went (the resolver's trace), and how long this host's event loop stalled
      // meanwhile: a resolve slowed by its host is the machine, not the algorithm.
      const node = nodes[request.args.node]!
      const stalls = monitorEventLoopDelay({ resolution: 10 })
      stalls.enable()
      const trace: ResolveTrace = { attempts: 0 }
      const t = performance.now()
      const table = node.registry.routingTableSize()
      const done = (result: Record<string, unknown>): Record<string, unknown> => {
        stalls.disable()
        return {
          ...result,
          ms: performance.now() - t,
          table,
          trace,
          loopMaxMs: stalls.count === 0 ? 0 : stalls.max / 1e6
        }
      }
      try {
        const resolution = await node.registry.resolve(request.args.name, {
          signal: AbortSignal.timeout(request.args.timeoutMs),
          profile: request.args.profile,
          cache: request.args.cached === true,
          // a contact's name: the resolver has pinned its owner (TOFU)
          ...(request.args.pinned === true ? { preferred: peerIdFromString(request.args.owner) } : {}),
          trace
        })
        if (resolution.claim.peerId.toString() !== request.args.owner) {
          return done({ ok: false, cause: 'wrong-owner', holders: resolution.holders })
        }
        if (resolution.profile == null && request.args.profile !== false) {
          return done({ ok: false, cause: 'profile-missing' })
        }
        return done({ ok: true, holders: resolution.holders })
      } catch (err) {
        return done({ ok: false, cause: (err as Error).name, message: (err as Error).message })
      }
    }
    case 'holders': {
      // Which of the live nodes hosted here keep a copy of the name's claim and of the owner's
      // profile (kad-dht's own datastore entries): where the records really are.
      const claimKey = kadRecordKey(nameKey(request.args.name))
      const ownerProfileKey = kadRecordKey(profileKey(peerIdFromString(request.args.owner)))
      const claim: string[] = []
      const profile: string[] = []
      for (const n of nodes) {
        if (n.stopped) continue
        if (await n.datastore.has(claimKey)) claim.push(n.identity.peerId.toString())
        if (await n.datastore.has(ownerProfileKey)) profile.push(n.identity.peerId.toString())
      }
      return { claim, profile }
    }
    case 'rawGet': {
      // The DHT under the registry: kad-dht's own GET of the name key, with the time of the first
      // record a peer returned and of the end of the query (which the registry waits for unless its fast path answers first).
      const node = nodes[request.args.node]!
      const t = performance.now()
      let firstRecordMs: number | undefined
      let fifthRecordMs: number | undefined
      let records = 0
      let responses = 0
      let errors = 0
      let ok = true
      try {
        for await (const event of node.libp2p.services.dht.get(nameKey(request.args.name), {
          signal: AbortSignal.timeout(request.args.timeoutMs)
        })) {
          if (event.name === 'PEER_RESPONSE') {
            responses++
            if (event.record != null) {
              firstRecordMs ??= performance.now() - t
              // the resolver's fast path needs NAME_QUORUM (5) records
              if (++records === 5) fifthRecordMs = performance.now() - t
            }
          } else if (event.name === 'QUERY_ERROR') {
            errors++
          }
        }
      } catch {
        ok = firstRecordMs != null
      }
      return { ms: performance.now() - t, firstRecordMs, fifthRecordMs, responses, errors, ok }
    }
    case 'stop': {
      const node = nodes[request.args.node]!
      node.stopped = true
      await node.registry.stop()
      await node.libp2p.stop()
      return true
    }
    case 'cpu': {
      const start = process.cpuUsage()
      const t = performance.now()
      await new Promise(resolve => setTimeout(resolve, request.args.ms))
      const used = process.cpuUsage(start)
      return (used.user + used.system) / 1000 / (performance.now() - t)
    }
    case 'monitor': {
      if (request.args.on) {
        loopDelay.reset()
        loopDelay.enable()
        cpuStart = process.cpuUsage()
        wallStart = performance.now()
        opened = 0
        return true
      }
      loopDelay.disable()
      const used = process.cpuUsage(cpuStart)
      return {
        cpuShare: (used.user + used.system) / 1000 / (performance.now() - wallStart),
        loopDelayP50Ms: loopDelay.percentile(50) / 1e6,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
        connectionsOpened: opened
      }
    }
    case 'shutdown':
      await Promise.all(
        nodes
          .filter(n => !n.stopped)
          .map(async n => {
            n.stopped = true
            await n.registry.stop().catch(() => {})
            await Promise.resolve(n.libp2p.stop()).catch(() => {})
          })
      )
      setImmediate(() => process.exit(0))
      return true
  }
}

process.on('message', (request: WorkerRequest) => {
  handle(request).then(
    result => process.send?.({ id: request.id, result }),
    err => process.send?.({ id: request.id, error: `${(err as Error).name}: ${(err as Error).message}` })
  )
})
process.on('disconnect', () => process.exit(0))
