/**
 * Two real ParleyNodes in this process, each with its own home in a temporary directory (identity
 * file, SQLite database, libp2p datastore), listening on 127.0.0.1 and bootstrapped to each other:
 * the setting of figures 1 and 2.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureHome } from '../node/daemon/home.ts'
import { loadHomeIdentity } from '../node/daemon/init.ts'
import type { RpcNotification, RpcNotifications } from '../node/daemon/rpc-api.ts'
import { ParleyNode } from '../node/parley-node.ts'
import { countCommits } from './durable.ts'

type Listener = (method: RpcNotification, params: unknown) => void

export interface BenchNode {
  node: ParleyNode
  home: string
  peerId: string
  /** subscribes to the node's notifications; returns the unsubscribe function */
  on(listener: Listener): () => void
}

async function startNode(home: string, bootstrap: string[]): Promise<BenchNode> {
  const listeners = new Set<Listener>()
  const paths = ensureHome(home)
  const identity = await loadHomeIdentity(home, { env: {} })
  const node = await ParleyNode.start({
    paths,
    identity,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    bootstrap,
    mdns: false,
    notify: <N extends RpcNotification>(method: N, params: RpcNotifications[N]) => {
      for (const listener of listeners) {
        listener(method, params)
      }
    },
    onStopRequested: () => {}
  })
  return {
    node,
    home,
    peerId: node.peerId.toString(),
    on(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
}

export interface NodePair {
  alice: BenchNode
  bob: BenchNode
  /** durable SQLite commits made in this process so far (both nodes, all their databases) */
  commits(): number
  stop(): Promise<void>
}

/** Starts Bob, then Alice bootstrapped to Bob, and waits until Alice can send to Bob. */
export async function startNodePair(): Promise<NodePair> {
  const homes = [await mkdtemp(join(tmpdir(), 'parley-bench-')), await mkdtemp(join(tmpdir(), 'parley-bench-'))]
  const commits = countCommits()
  const started: BenchNode[] = []
  const stop = async (): Promise<void> => {
    await Promise.all(started.map(n => n.node.stop().catch(() => {})))
    await Promise.all(homes.map(home => rm(home, { recursive: true, force: true })))
  }
  try {
    const bob = await startNode(homes[0]!, [])
    started.push(bob)
    const alice = await startNode(homes[1]!, bob.node.addresses())
    started.push(alice)
    // Contacts of each other, as two teammates are: a stranger's request holds a few messages only
    // until it is accepted (docs/SECURITY.md, requests from strangers), and the figures send thousands.
    await bob.node.messenger.addContact(alice.peerId, { signal: AbortSignal.timeout(60_000) })
    await alice.node.messenger.addContact(bob.peerId, { signal: AbortSignal.timeout(60_000) })
    return { alice, bob, commits, stop }
  } catch (err) {
    await stop()
    throw err
  }
}
