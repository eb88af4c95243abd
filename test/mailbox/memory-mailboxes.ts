/**
 * Community nodes' mailboxes in memory, with the semantics of docs/PROTOCOL.md §7.1 (deposit id =
 * sha256(queue id || blob)[0..16], replays stored once, push to the owner's subscription, a per-queue
 * count quota), for testing the member's parts alone; test/lab/mailbox-node.faults.ts runs the real node.
 */
import type { Libp2p } from '@libp2p/interface'
import { randomBytes, sha256 } from '../../node/crypto/primitives.ts'
import type { MailboxCalls, QueueHome } from '../../node/mailbox/member-calls.ts'
import type { PublicQueue, QueueAddress, StoredDeposit } from '../../node/mailbox/types.ts'

class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message)
    this.name = name
  }
}

interface Queue {
  owner: string
  credentialHash: string
  deposits: Map<string, StoredDeposit>
}

interface Node {
  up: boolean
  queues: Map<string, Queue>
  subscribers: Map<string, { push: (d: StoredDeposit) => void; end: () => void }>
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

export class MemoryMailboxes implements MailboxCalls {
  readonly nodes = new Map<string, Node>()
  /** most deposits per queue */
  capacity = 1000
  /** every blob ever deposited, per community (what a node saw) */
  readonly seen: Uint8Array[] = []

  private node(community: string): Node {
    let node = this.nodes.get(community)
    if (node === undefined) {
      node = { up: true, queues: new Map(), subscribers: new Map() }
      this.nodes.set(community, node)
    }
    if (!node.up) throw new NamedError('MailboxUnreachableError', `community ${community} is down`)
    return node
  }

  /** Takes a community node down (its subscriptions end) or up again; deposits survive. */
  setUp(community: string, up: boolean): void {
    const node = this.nodes.get(community) ?? { up, queues: new Map(), subscribers: new Map() }
    node.up = up
    this.nodes.set(community, node)
    if (!up) for (const s of node.subscribers.values()) s.end()
  }

  count(community: string): number {
    let n = 0
    for (const q of this.nodes.get(community)?.queues.values() ?? []) n += q.deposits.size
    return n
  }

  async createQueue(
    libp2p: Libp2p,
    home: QueueHome,
    options: { public?: boolean } = {}
  ): Promise<{ queueId: Uint8Array; credential: Uint8Array }> {
    const node = this.node(home.community)
    const queueId = randomBytes(16)
    const credential = options.public === true ? new Uint8Array(0) : randomBytes(32)
    node.queues.set(hex(queueId), {
      owner: libp2p.peerId.toString(),
      credentialHash: hex(sha256(credential)),
      deposits: new Map()
    })
    return { queueId, credential }
  }

  async subscribe(
    libp2p: Libp2p,
    home: QueueHome,
    onDeposit: (d: StoredDeposit) => Promise<void> | void,
    signal: AbortSignal
  ): Promise<void> {
    const node = this.node(home.community)
    const owner = libp2p.peerId.toString()
    const { promise, resolve } = Promise.withResolvers<void>()
    const queue: StoredDeposit[] = []
    for (const q of node.queues.values()) if (q.owner === owner) queue.push(...q.deposits.values())
    queue.sort((a, b) => a.storedAt - b.storedAt)
    node.subscribers.get(owner)?.end()
    let ended = false
    const end = (): void => {
      ended = true
      resolve()
    }
    node.subscribers.set(owner, { push: d => void onDeposit(d), end })
    signal.addEventListener('abort', end, { once: true })
    for (const d of queue) if (!ended) await onDeposit(d)
    await promise
    if (node.subscribers.get(owner)?.end === end) node.subscribers.delete(owner)
    if (!node.up) throw new NamedError('MailboxUnreachableError', 'the community went down')
  }

  async deleteDeposits(libp2p: Libp2p, home: QueueHome, depositIds: Uint8Array[]): Promise<void> {
    const node = this.node(home.community)
    const owner = libp2p.peerId.toString()
    for (const q of node.queues.values()) {
      if (q.owner !== owner) continue
      for (const id of depositIds) q.deposits.delete(hex(id))
    }
  }

  async deleteQueue(libp2p: Libp2p, home: QueueHome, queueId: Uint8Array): Promise<void> {
    const node = this.node(home.community)
    if (node.queues.get(hex(queueId))?.owner === libp2p.peerId.toString()) node.queues.delete(hex(queueId))
  }

  async deposit(
    address: QueueAddress | PublicQueue,
    blobs: Uint8Array[],
    options: { owner?: string } = {}
  ): Promise<void> {
    const node = this.node(address.community)
    const queue = node.queues.get(hex(address.queueId))
    const credential = 'credential' in address ? address.credential : new Uint8Array(0)
    if (queue === undefined || queue.credentialHash !== hex(sha256(credential))) {
      throw new NamedError('MailboxRefusedError', 'UNKNOWN_QUEUE')
    }
    for (const blob of blobs) {
      const depositId = sha256(new Uint8Array([...address.queueId, ...blob])).subarray(0, 16)
      if (queue.deposits.has(hex(depositId))) continue
      if (queue.deposits.size >= this.capacity) {
        throw new NamedError('MailboxFullError', `${options.owner ?? "the recipient's"} mailbox is full`)
      }
      const d: StoredDeposit = { depositId, queueId: address.queueId, storedAt: Date.now(), blob }
      queue.deposits.set(hex(depositId), d)
      this.seen.push(blob)
      node.subscribers.get(queue.owner)?.push(d)
    }
  }
}
