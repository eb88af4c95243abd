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
 * n nodes on 127.0.0.1, fully meshed (a few at a time, the machine has two shared cores); resolves
 * once every routing table has peers.
 */
export async function createNetwork(n: number, clock: TestClock): Promise<TestNode[]> {
  const nodes: TestNode[] = []
  for (let i = 0; i < n; i += 5) {
    nodes.push(...(await Promise.all(Array.from({ length: Math.min(5, n - i) }, () => createTestNode(clock)))))
  }
  try {
    // a full mesh, dialed a few nodes at a time: every routing table then holds every peer, and no
    // test pays for connections (or competes with routing-table refreshes) later
    for (let i = 1; i < n; i += 4) {
      await Promise.all(
        nodes.slice(i, i + 4).map(async (node, j) => {
          for (const other of nodes.slice(0, i + j)) await connect(node, other)
        })
      )
    }
    await Promise.all(nodes.map(node => waitFor(() => node.registry.routingTableSize() >= 1, 60_000)))
    // identify can be slow on a busy machine: let a node that missed peers look them up itself
    await Promise.all(
      nodes
        .filter(node => node.registry.routingTableSize() < Math.min(n - 1, 10))
        .map(node => node.libp2p.services.dht.refreshRoutingTable())
    )
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
