import type { StoredDeposit } from '../../node/mailbox/index.ts'
import { type QueueHome, subscribe } from '../../node/mailbox/index.ts'
import type { ParleyNode } from '../../node/parley-node.ts'
import type { ParleyStore } from '../../node/store/index.ts'

/** The community node as a member's QueueHome: its peer id and listening addresses (without /p2p/). */
export function homeOf(community: ParleyNode): QueueHome {
  return {
    community: community.peerId.toString(),
    addresses: community.libp2p.getMultiaddrs().map(a => a.decapsulateCode(421).toString())
  }
}

/** The member joins the community through a fresh one-use invite. */
export async function admit(community: ParleyNode, member: ParleyNode): Promise<void> {
  await member.community.join(community.community.invite({ uses: 1, ttlMs: 3_600_000 }))
}

/** The error's name of a call that must fail. */
export async function errorOf(call: Promise<unknown>): Promise<Error> {
  return await call.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (e: unknown) => e as Error
  )
}

/** A subscription that collects what it is sent, until stopped. */
export class Collector {
  readonly deposits: StoredDeposit[] = []
  readonly done: Promise<void>
  private readonly controller = new AbortController()
  ready: Promise<void>

  constructor(member: ParleyNode, home: QueueHome, onDeposit?: (d: StoredDeposit) => Promise<void> | void) {
    let markReady: () => void = () => {}
    this.ready = new Promise(resolve => {
      markReady = resolve
    })
    this.done = subscribe(
      member.libp2p,
      home,
      async d => {
        this.deposits.push(d)
        await onDeposit?.(d)
      },
      this.controller.signal,
      { onReady: markReady }
    )
    // a failure before it was ready fails `ready` too
    this.ready = Promise.race([
      this.ready,
      this.done.then(() => Promise.reject(new Error('the subscription ended before it was ready')))
    ])
    this.done.catch(() => {})
    this.ready.catch(() => {})
  }

  stop(): Promise<void> {
    this.controller.abort()
    return this.done
  }
}

/** `n` distinct blobs of `size` bytes. */
export function blobs(n: number, size = 1024, tag = 0): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => {
    const b = new Uint8Array(size)
    const view = new DataView(b.buffer)
    view.setUint32(0, tag)
    view.setUint32(4, i)
    return b
  })
}

/** A node's store (private to ParleyNode: the tests that check what a node keeps read it here). */
export function storeOf(node: ParleyNode): ParleyStore {
  return (node as unknown as { store: ParleyStore }).store
}
