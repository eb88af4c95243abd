/**
 * Churn: a DHT of real Parley nodes in one process (ParleyNode: libp2p + kad-dht with Parley's rules,
 * SQLite store and datastore in temporary homes, name registry, messenger), every node registered
 * under a name. Then 30% of the nodes, chosen at random, stop. Every name whose owner is alive still
 * resolves (from live nodes) to its owner, and messages between live nodes are delivered.
 *
 * Short mode: 16 nodes; long mode (PARLEY_LONG=1): 100 nodes.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { ensureHome } from '../../node/daemon/home.ts'
import { generateIdentityKeys, identityFromKeys } from '../../node/identity/index.ts'
import { ParleyNode } from '../../node/parley-node.ts'
import { budget, LONG } from '../fuzz/harness.ts'

/** PARLEY_CHURN_NODES overrides the node count (to measure how the setup scales). */
const N = Number(process.env.PARLEY_CHURN_NODES ?? '') || budget(16, 100)
const STOPPED = Math.round(N * 0.3)
/** Sender → recipient pairs among the live nodes that exchange a message. */
const PAIRS = budget(4, 30)
/**
 * Peers that must hold a claim before the test goes on (kad-dht puts it to the 20 closest): with 30%
 * stopped, a claim held by 10 of the closest peers has a survivor, one held by a single peer may not.
 */
const MIN_HOLDERS = Math.min(10, Math.floor((N - 1) / 3))
/** Nodes started (and names registered) at a time: two shared cores. */
const WAVE = 5

/** A guard per DHT operation: 100 nodes in one process on two shared cores are slow to answer. */
const signal = (): AbortSignal => AbortSignal.timeout(budget(120_000, 900_000))
const name = (i: number): string => `churn-node-${i}`

async function waitFor(check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not in time`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}

const began = Date.now()
/** Progress on stdout (shown by the test runner): elapsed time, RSS and connections, never asserted. */
function progress(nodes: ParleyNode[], what: string): void {
  const running = nodes.filter(n => n.libp2p.status === 'started')
  const connections = running.reduce((sum, n) => sum + n.libp2p.getConnections().length, 0)
  const tables = running.map(n => n.registry.routingTableSize()).sort((a, b) => a - b)
  const rss = Math.round(process.memoryUsage().rss / 2 ** 20)
  console.log(
    `churn ${((Date.now() - began) / 1000).toFixed(1)} s: ${what} (RSS ${rss} MiB, ${connections} connections, ` +
      `routing tables min ${tables[0] ?? 0} median ${tables[tables.length >> 1] ?? 0})`
  )
}

function shuffle<T>(items: T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

describe(`churn: ${N}-node DHT with ${STOPPED} nodes stopped`, { timeout: LONG ? 3 * 3600_000 : 600_000 }, () => {
  let dir: string
  const nodes: ParleyNode[] = []
  const live = new Set<number>()
  /** Peers that stored each node's name claim at registration (in failure messages). */
  const stored: number[] = []

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-churn-'))
    const start = async (i: number, bootstrap: string[]): Promise<ParleyNode> => {
      const paths = ensureHome(join(dir, `n${i}`))
      const identity = await identityFromKeys(await generateIdentityKeys(), true)
      return await ParleyNode.start({
        paths,
        identity,
        listen: ['/ip4/127.0.0.1/tcp/0'],
        bootstrap,
        mdns: false,
        notify: () => {},
        onStopRequested: () => {}
      })
    }
    for (let i = 0; i < N; i += WAVE) {
      nodes.push(...(await Promise.all(Array.from({ length: Math.min(WAVE, N - i) }, (_, j) => start(i + j, [])))))
    }
    progress(nodes, 'started')
    // each node joins through the first one and two random others, retrying dials on a loaded machine,
    // until kad-dht has taken a peer into its routing table
    const joinDht = async (node: ParleyNode, index: number): Promise<void> => {
      for (let round = 0; node.registry.routingTableSize() < 1; round++) {
        if (round >= 20) throw new Error(`node ${index} could not join the DHT`)
        const others = [nodes[0], ...shuffle(nodes).slice(0, 2)].filter(o => o !== node) as ParleyNode[]
        for (const other of others) {
          await node.libp2p
            .dial(other.libp2p.getMultiaddrs()[0] as never, { signal: AbortSignal.timeout(10_000) })
            .catch(() => {})
        }
        const deadline = Date.now() + 5000
        while (node.registry.routingTableSize() < 1 && Date.now() < deadline) {
          await new Promise(resolve => setTimeout(resolve, 100))
        }
      }
    }
    for (let i = 1; i < N; i += WAVE) {
      await Promise.all(nodes.slice(i, i + WAVE).map((node, j) => joinDht(node, i + j)))
      if (((i - 1) / WAVE) % 4 === 3) progress(nodes, `joined ${i + WAVE}`)
    }
    await waitFor(() => nodes.every(n => n.registry.routingTableSize() >= 1), 'routing tables')
    progress(nodes, 'joined')
    // kad-dht runs this in the background: it goes on while the names are registered
    await Promise.all(nodes.map(n => n.libp2p.services.dht.refreshRoutingTable()))
    for (let i = 0; i < N; i += WAVE) {
      await Promise.all(
        nodes.slice(i, i + WAVE).map(async (node, j) => {
          // on a loaded machine a put can time out at most peers (a 100-node run stored one claim at
          // a single peer): register again, as republishing would, until enough peers hold it
          for (let attempt = 1; ; attempt++) {
            const result = await node.register(name(i + j), { signal: signal() })
            stored[i + j] = result.stored
            if (result.stored >= MIN_HOLDERS) break
            assert.ok(attempt < 8, `${name(i + j)} stored at ${result.stored} peers after ${attempt} attempts`)
            // a node whose routing table stayed tiny finds few of the closest peers: it meets three
            // more and asks for its neighbourhood again, as kad-dht's periodic refresh would
            for (const other of shuffle(nodes).slice(0, 3)) {
              if (other === node) continue
              await node.libp2p
                .dial(other.libp2p.getMultiaddrs()[0] as never, { signal: AbortSignal.timeout(10_000) })
                .catch(() => {})
            }
            await node.libp2p.services.dht.refreshRoutingTable().catch(() => {})
          }
        })
      )
      if ((i / WAVE) % 4 === 3) progress(nodes, `registered ${Math.min(i + WAVE, N)}`)
    }
    const counts = [...stored].sort((a, b) => a - b)
    progress(nodes, `registered (claims stored at min ${counts[0]} median ${counts[counts.length >> 1]} peers)`)
    for (let i = 0; i < N; i++) live.add(i)
  })

  after(async () => {
    await Promise.all(nodes.map(n => n.stop().catch(() => {})))
    await rm(dir, { recursive: true, force: true })
  })

  it(`stop ${STOPPED} random nodes; every live owner's name still resolves to it`, async t => {
    for (const i of shuffle([...live]).slice(0, STOPPED)) {
      live.delete(i)
      await nodes[i]?.stop()
    }
    t.diagnostic(`stopped: ${[...Array(N).keys()].filter(i => !live.has(i)).join(' ')}`)
    progress(nodes, `stopped ${STOPPED}`)
    const alive = [...live]
    // every name is tried, and the failures are reported together with how many peers stored each
    const failures: string[] = []
    let retried = 0
    for (let k = 0; k < alive.length; k += WAVE) {
      await Promise.all(
        alive.slice(k, k + WAVE).map(async owner => {
          // resolved from a live node other than the owner
          const resolver = shuffle(alive.filter(i => i !== owner))[0] as number
          try {
            // a lookup the DHT could not answer (LookupFailedError: most peers asked failed, e.g.
            // every request of a query that hit its deadline) says "try again"; it is never an answer
            for (let attempt = 1; ; attempt++) {
              try {
                const r = await (nodes[resolver] as ParleyNode).resolve(name(owner), { signal: signal() })
                if (r.peerId !== nodes[owner]?.peerId.toString()) throw new Error(`resolved to ${r.peerId}`)
                break
              } catch (err) {
                if ((err as Error).name !== 'LookupFailedError' || attempt === 3) throw err
                retried++
              }
            }
          } catch (err) {
            failures.push(
              `${name(owner)} from node ${resolver} (stored at ${stored[owner]} peers): ${(err as Error).message}`
            )
          }
        })
      )
    }
    progress(nodes, `resolved ${alive.length - failures.length} of ${alive.length} names (${retried} lookups retried)`)
    assert.deepEqual(failures, [], "every live owner's name resolves to its owner")
  })

  it(`messages between ${PAIRS} pairs of live nodes are delivered`, async () => {
    const alive = [...live]
    let retried = 0
    const pairs = Array.from({ length: PAIRS }, () => shuffle(alive).slice(0, 2) as [number, number])
    for (let k = 0; k < pairs.length; k += WAVE) {
      await Promise.all(
        pairs.slice(k, k + WAVE).map(async ([from, to], n) => {
          const sender = nodes[from] as ParleyNode
          const recipient = nodes[to] as ParleyNode
          const text = `churn message ${k + n} from ${from} to ${to}`
          // the name is looked up first: a LookupFailedError is retried, as for the resolves above
          let sent: Awaited<ReturnType<ParleyNode['messenger']['send']>>
          for (let attempt = 1; ; attempt++) {
            try {
              sent = await sender.messenger.send(
                name(to),
                { text },
                { wait: true, timeoutMs: 120_000, signal: signal() }
              )
              break
            } catch (err) {
              if ((err as Error).name !== 'LookupFailedError' || attempt === 3) throw err
              retried++
            }
          }
          assert.equal(sent.status, 'delivered')
          const history = await recipient.messenger.history(sender.peerId.toString(), { limit: 100, signal: signal() })
          assert.ok(
            history.some(m => m.id === sent.id && m.text === text && m.direction === 'in'),
            'the recipient stored it'
          )
        })
      )
    }
    progress(nodes, `delivered ${PAIRS} messages (${retried} name lookups retried)`)
  })
})
