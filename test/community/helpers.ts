import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureHome } from '../../node/daemon/home.ts'
import { generateIdentityKeys, type Identity, identityFromKeys } from '../../node/identity/index.ts'
import type { MailboxLimits } from '../../node/mailbox/index.ts'
import { ParleyNode } from '../../node/parley-node.ts'

/**
 * Real Parley nodes (ParleyNode: libp2p, store, registry, messenger, community parts) in one
 * process, each in its own home under one temporary directory, on 127.0.0.1.
 */
export class CommunityNet {
  private dir?: string
  private count = 0
  readonly nodes = new Set<ParleyNode>()

  async start(
    options: {
      community?: boolean
      bootstrap?: string[]
      /** restart a node: the same home and identity */
      home?: string
      identity?: Identity
      listen?: string[]
      now?: () => number
      /** a community node's mailbox limits */
      mailbox?: Partial<MailboxLimits>
      /** run the member's own mailboxes (subscriptions, queues); off by default: the mailbox suites speak the protocol with the member's key themselves */
      memberMailboxes?: boolean
    } = {}
  ): Promise<{ node: ParleyNode; home: string; identity: Identity }> {
    this.dir ??= await mkdtemp(join(tmpdir(), 'parley-community-'))
    const home = options.home ?? join(this.dir, `n${this.count++}`)
    const identity = options.identity ?? (await identityFromKeys(await generateIdentityKeys(), true))
    const node = await ParleyNode.start({
      paths: ensureHome(home),
      identity,
      listen: options.listen ?? ['/ip4/127.0.0.1/tcp/0'],
      bootstrap: options.bootstrap ?? [],
      mdns: false,
      community: options.community,
      mailbox: options.mailbox,
      memberMailboxes: options.memberMailboxes ?? false,
      now: options.now,
      notify: () => {},
      onStopRequested: () => {}
    })
    this.nodes.add(node)
    return { node, home, identity }
  }

  async stop(node: ParleyNode): Promise<void> {
    this.nodes.delete(node)
    await node.stop()
  }

  async close(): Promise<void> {
    await Promise.all([...this.nodes].map(n => n.stop().catch(() => {})))
    this.nodes.clear()
    if (this.dir !== undefined) await rm(this.dir, { recursive: true, force: true })
  }
}

export { eventually } from '../helpers/cli.ts'

/** The TCP port a node listens on (to restart it on the same address). */
export function tcpPort(node: ParleyNode): number {
  const match = /\/tcp\/(\d+)/.exec(node.libp2p.getMultiaddrs()[0]!.toString())
  if (match === null) throw new Error('the node has no TCP address')
  return Number(match[1])
}
