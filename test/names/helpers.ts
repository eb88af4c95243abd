import { generateIdentityKeys, type Identity, identityFromKeys } from '../../node/identity/index.ts'
import { NameRegistry } from '../../node/names/registry.ts'
import { createParleyLibp2p, type ParleyLibp2p, SqliteDatastore } from '../../node/p2p/index.ts'

/** A clock the test moves forward (every node of a network shares it). */
export class TestClock {
  offset = 0
  readonly now = (): number => Date.now() + this.offset
  advance(ms: number): void {
    this.offset += ms
  }
}

export interface TestNode {
  identity: Identity
  libp2p: ParleyLibp2p
  datastore: SqliteDatastore
  registry: NameRegistry
  pins: Map<string, { peerId: string; pinnedAt: number }>
}

export async function createTestNode(clock: TestClock): Promise<TestNode> {
  const identity = await identityFromKeys(await generateIdentityKeys(), true)
  const datastore = new SqliteDatastore(':memory:')
  datastore.open()
  const libp2p = await createParleyLibp2p({
    privateKey: identity.privateKey,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    mdns: false,
    datastore,
    now: clock.now
  })
  const pins = new Map<string, { peerId: string; pinnedAt: number }>()
  const settings = new Map<string, string>()
  const registry = new NameRegistry({
    libp2p,
    identity,
    datastore,
    now: clock.now,
    pins: { get: n => pins.get(n), set: (n, p) => pins.set(n, { peerId: p, pinnedAt: clock.now() }) },
    settings: { get: k => settings.get(k), set: (k, v) => settings.set(k, v) }
  })
  return { identity, libp2p, datastore, registry, pins }
}

/** Dials until connected (the machine may be busy: a refused or slow dial is retried). */
async function connect(node: TestNode, other: TestNode): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await node.libp2p.dial(other.libp2p.getMultiaddrs()[0]!, { signal: AbortSignal.timeout(10_000) })
      return
    } catch (err) {
      if (attempt >= 5) throw err
      await new Promise(resolve => setTimeout(resolve, 200))
    }
  }
}

/**
 * n nodes on 127.0.0.1: each dials the first and two others (a few at a time, the machine has two
 * shared cores), then waits for kad-dht to take peers into every routing table.
 */
export async function createNetwork(n: number, clock: TestClock): Promise<TestNode[]> {
  const nodes: TestNode[] = []
  for (let i = 0; i < n; i += 5) {
    nodes.push(...(await Promise.all(Array.from({ length: Math.min(5, n - i) }, () => createTestNode(clock)))))
  }
  try {
    for (let i = 1; i < n; i += 5) {
      await Promise.all(
        nodes.slice(i, i + 5).map(async (node, j) => {
          const index = i + j
          await connect(node, nodes[0]!)
          for (const other of new Set([nodes[(index * 7 + 3) % n]!, nodes[(index * 13 + 5) % n]!])) {
            if (other !== node) await connect(node, other).catch(() => {})
          }
        })
      )
    }
    await Promise.all(nodes.map(node => waitFor(() => node.registry.routingTableSize() >= 1, 60_000)))
    await Promise.all(nodes.map(node => node.libp2p.services.dht.refreshRoutingTable()))
  } catch (err) {
    await stopNetwork(nodes)
    throw err
  }
  return nodes
}

export async function stopNetwork(nodes: TestNode[]): Promise<void> {
  await Promise.all(
    nodes.map(async node => {
      await node.registry.stop()
      await node.libp2p.stop()
      node.datastore.close()
    })
  )
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}
