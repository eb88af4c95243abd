import { multiaddr } from '@multiformats/multiaddr'
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

export async function createTestNode(clock: TestClock, bootstrap: string[] = []): Promise<TestNode> {
  const identity = await identityFromKeys(await generateIdentityKeys(), true)
  const datastore = new SqliteDatastore(':memory:')
  datastore.open()
  const libp2p = await createParleyLibp2p({
    privateKey: identity.privateKey,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    bootstrap,
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

/** n nodes on 127.0.0.1, each connected to the first and to two earlier ones, routing tables filled. */
export async function createNetwork(n: number, clock: TestClock): Promise<TestNode[]> {
  const nodes: TestNode[] = [await createTestNode(clock)]
  const first = nodes[0]!.libp2p.getMultiaddrs().map(a => a.toString())
  const rest = await Promise.all(Array.from({ length: n - 1 }, () => createTestNode(clock, first)))
  nodes.push(...rest)
  // a few more links, so no node depends on the first one alone
  await Promise.all(
    nodes.slice(1).map(async (node, i) => {
      for (const other of [nodes[(i * 7 + 3) % n]!, nodes[(i * 13 + 5) % n]!]) {
        if (other === node) continue
        await node.libp2p.dial(multiaddr(other.libp2p.getMultiaddrs()[0]!.toString())).catch(() => {})
      }
    })
  )
  try {
    await Promise.all(nodes.map(node => waitFor(() => node.registry.routingTableSize() >= 1)))
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
