/**
 * The community parts of a node (issue 11, docs/COMMUNITY.md). On a community node (`daemon
 * --community`): the allowlist and its invites, the join protocol, the relay's member check and
 * per-member limits, the republishing of members' records. On every node: joining, leaving and
 * listing communities, and keeping their reservations.
 */
import type { ComponentLogger, Logger, PeerId, PrivateKey } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { Datastore } from 'interface-datastore'
import type { RecordQuery } from '../names/dht-query.ts'
import type { ParleyLibp2p, RelayLimit } from '../p2p/index.ts'
import { type MailboxLimits, MailboxServer } from '../mailbox/index.ts'
import { isRelayedAddress } from '../p2p/relayed.ts'
import type { ParleyStore } from '../store/index.ts'
import type { Allowlist } from './allowlist.ts'
import { formatCommunityLink, parseCommunityLink, withoutPeerId } from './community-link.ts'
import { CommunityNotFoundError, NotACommunityNodeError } from './errors.ts'
import { requestJoin } from './join-client.ts'
import { JoinHandler } from './join-handler.ts'
import { RecordKeeper, type RepublishResult } from './record-keeper.ts'
import { ReservationKeeper } from './reservation-keeper.ts'
import type { CommunityView, MemberView } from './types.ts'

export { Allowlist } from './allowlist.ts'
export { parseCommunityLink, formatCommunityLink } from './community-link.ts'
export type { CommunityView, MemberView } from './types.ts'

export interface CommunityComponents {
  libp2p: ParleyLibp2p
  privateKey: PrivateKey
  store: ParleyStore
  allowlist: Allowlist
  /** the libp2p datastore (the records this node stores) */
  datastore: Datastore
  query: RecordQuery
  logger: ComponentLogger
  /** our registered name, given to a community we join */
  ownName(): string | null
  now?: () => number
  /** before we leave a community: our mailbox queues there are deleted (issue 12) */
  leaving?: (community: { peerId: string; addresses: string[] }) => Promise<void>
  /** after we left it: contacts get our new queues, the profile drops it */
  left?: (peerId: string) => void
  /** after we joined one: our queues there are created and handed over, the profile lists it */
  joined?: (peerId: string) => void
}

export interface CommunityInit {
  /** this node is a community node (`daemon --community`) */
  role: boolean
  /** the addresses invites carry (a public host's `--announce`); @default our listening addresses */
  announce?: string[]
  /** the mailboxes' retention and quotas (`daemon --mailbox-…`); @default DEFAULT_MAILBOX_LIMITS */
  mailbox?: Partial<MailboxLimits>
}

export class Community {
  private readonly components: CommunityComponents
  private readonly init: CommunityInit
  private readonly log: Logger
  private readonly keeper: ReservationKeeper
  private readonly joinHandler?: JoinHandler
  readonly records?: RecordKeeper
  /** the members' mailboxes (issue 12), on a community node only */
  readonly mailbox?: MailboxServer

  constructor(components: CommunityComponents, init: CommunityInit) {
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('parley:community')
    this.keeper = new ReservationKeeper({
      libp2p: components.libp2p,
      relay: components.libp2p.services.relayControl,
      communities: () => components.store.communities.list(),
      logger: components.logger
    })
    if (init.role) {
      this.joinHandler = new JoinHandler({
        libp2p: components.libp2p,
        allowlist: components.allowlist,
        logger: components.logger
      })
      this.records = new RecordKeeper({
        query: components.query,
        datastore: components.datastore,
        members: () => components.allowlist.members(),
        logger: components.logger,
        now: components.now
      })
      this.mailbox = new MailboxServer(
        {
          libp2p: components.libp2p,
          store: components.store,
          isMember: peerId => components.allowlist.isMember(peerId),
          logger: components.logger,
          now: components.now
        },
        init.mailbox
      )
    }
  }

  get role(): boolean {
    return this.init.role
  }

  async start(): Promise<void> {
    await this.joinHandler?.start()
    await this.mailbox?.start()
    this.records?.start()
    this.keeper.start()
  }

  async stop(): Promise<void> {
    this.keeper.stop()
    this.records?.stop()
    await this.mailbox?.stop()
    await this.joinHandler?.stop()
  }

  // ---------------------------------------------------------------- community node

  private requireRole(): void {
    if (!this.init.role)
      throw new NotACommunityNodeError('this daemon is not a community node (start it with --community)')
  }

  /** A community invite link for `uses` joins within `ttlMs`. */
  invite(options: { uses: number; ttlMs: number }): string {
    this.requireRole()
    const secret = this.components.allowlist.createInvite(options)
    const peerId = this.components.libp2p.peerId
    const announced = this.init.announce ?? []
    const addresses =
      announced.length > 0
        ? announced.map(a => withoutPeerId(multiaddr(a), peerId))
        : this.components.libp2p
            .getMultiaddrs()
            .filter(a => !isRelayedAddress(a))
            .map(a => withoutPeerId(a, peerId))
    return formatCommunityLink({ peerId, addresses, secret })
  }

  members(): MemberView[] {
    this.requireRole()
    const usage = this.components.store.mailbox.usageByOwner()
    return this.components.allowlist.members().map(m => ({
      peerId: m.peerId,
      name: m.name ?? null,
      joinedAt: m.joinedAt,
      online: this.components.libp2p.getConnections(peerIdFromString(m.peerId)).length > 0,
      queues: usage.get(m.peerId)?.queues ?? 0,
      deposits: usage.get(m.peerId)?.deposits ?? 0,
      storedBytes: usage.get(m.peerId)?.bytes ?? 0
    }))
  }

  /** Takes the member off the allowlist, drops its reservation and hangs up on it. */
  async remove(target: string): Promise<{ peerId: string; name: string | null }> {
    this.requireRole()
    const row = this.components.allowlist.remove(target)
    // its mailboxes go with it: nothing is kept for someone no longer in the community
    this.components.store.transaction(() => this.components.store.mailbox.deleteOwner(row.peerId))
    const peerId = peerIdFromString(row.peerId)
    this.components.libp2p.services.relay?.reservations.delete(peerId)
    // the member only learns its reservation is gone when it asks again: close, so it does now
    await this.components.libp2p.hangUp(peerId).catch(() => {})
    this.log('removed member %p', peerId)
    return { peerId: row.peerId, name: row.name ?? null }
  }

  /** Sets a member's relay limits (none given: unlimited, the default). */
  setLimits(
    target: string,
    limits: { durationMs?: number; dataBytes?: number }
  ): { peerId: string; relayDurationMs: number | null; relayDataBytes: number | null } {
    this.requireRole()
    const row = this.components.allowlist.setLimits(target, {
      relayDurationMs: limits.durationMs,
      relayDataBytes: limits.dataBytes
    })
    return {
      peerId: row.peerId,
      relayDurationMs: row.relayDurationMs ?? null,
      relayDataBytes: row.relayDataBytes ?? null
    }
  }

  /** A member may reserve on our relay (the relay server's check). */
  mayReserve(peerId: PeerId): boolean {
    return this.components.allowlist.isMember(peerId.toString())
  }

  /** A member's relay limits (undefined: none; see docs/PROTOCOL.md §6.3). */
  limitFor(peerId: PeerId): RelayLimit | undefined {
    const m = this.components.allowlist.member(peerId.toString())
    if (m === undefined || (m.relayDurationMs === undefined && m.relayDataBytes === undefined)) return undefined
    return { durationMs: m.relayDurationMs, dataBytes: m.relayDataBytes }
  }

  /** Republishes every member's records now (the timer does it every 6 h). */
  async republishMembers(options: { signal?: AbortSignal } = {}): Promise<RepublishResult> {
    this.requireRole()
    return await (this.records as RecordKeeper).republish(options)
  }

  // ---------------------------------------------------------------- member

  /** Joins the link's community: the join protocol, then it is stored, dialed and relayed through. */
  async join(link: string, options: { signal?: AbortSignal } = {}): Promise<CommunityView> {
    const parsed = parseCommunityLink(link)
    await requestJoin({ libp2p: this.components.libp2p, privateKey: this.components.privateKey }, parsed, {
      name: this.components.ownName() ?? undefined,
      signal: options.signal
    })
    const peerId = parsed.peerId.toString()
    this.components.store.communities.put({
      peerId,
      addresses: parsed.addresses.map(a => a.toString()),
      joinedAt: (this.components.now ?? Date.now)()
    })
    this.keeper.checkAll()
    this.log('joined community %s', peerId)
    this.components.joined?.(peerId)
    return this.view(peerId) as CommunityView
  }

  list(): CommunityView[] {
    return this.components.store.communities.list().map(c => this.view(c.peerId) as CommunityView)
  }

  /** Leaves a community: forgotten, and its connection (with our reservation) closed. */
  async leave(peerId: string): Promise<void> {
    const row = this.components.store.communities.get(peerId)
    if (row === undefined) throw new CommunityNotFoundError(`not a member of a community ${peerId}`)
    await this.components.leaving?.(row).catch(err => this.log('before leaving %s: %s', peerId, err.message))
    if (!this.components.store.communities.remove(peerId)) {
      throw new CommunityNotFoundError(`not a member of a community ${peerId}`)
    }
    this.keeper.forget(peerId)
    await this.components.libp2p.hangUp(peerIdFromString(peerId)).catch(() => {})
    this.components.left?.(peerId)
  }

  /** Full multiaddrs of the communities we joined: bootstrap peers. */
  bootstrapAddresses(): string[] {
    return communityBootstrap(this.components.store)
  }

  private view(peerId: string): CommunityView | undefined {
    const row = this.components.store.communities.get(peerId)
    if (row === undefined) return undefined
    return {
      peerId,
      addresses: row.addresses.map(a => `${a}/p2p/${peerId}`),
      connected: this.keeper.connected(peerId),
      reserved: this.keeper.hasReservation(peerId)
    }
  }
}

/** The joined communities' full multiaddrs, for the bootstrap list at start. */
export function communityBootstrap(store: Pick<ParleyStore, 'communities'>): string[] {
  return store.communities.list().flatMap(c => c.addresses.map(a => `${a}/p2p/${c.peerId}`))
}
