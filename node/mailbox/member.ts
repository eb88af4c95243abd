/**
 * A member's mailboxes, wired (docs/PROTOCOL.md §7.5–7.6): its queues (queues.ts), the deposit
 * fallback of delivery (mailbox-delivery.ts) and the collector (collector.ts), over the mailbox
 * calls (client.ts). ParleyNode builds one per node; the messenger gets `fallback` and
 * `onMailboxQueues` as components before it exists, so the parts reach it through `attach`.
 */
import type { ComponentLogger, Libp2p } from '@libp2p/interface'
import type { X25519KeyPair } from '../crypto/primitives.ts'
import type { Identity } from '../identity/index.ts'
import type { Directory, MailboxFallback, Messenger } from '../messaging/index.ts'
import type { ParleyStore } from '../store/index.ts'
import { Collector } from './collector.ts'
import { MailboxDelivery } from './mailbox-delivery.ts'
import type { MailboxCalls } from './member-calls.ts'
import { MemberQueues } from './queues.ts'
import type { MailboxStatus, PublicQueue } from './types.ts'

/** How often contacts without our queues are looked for (a contact accepted on the other side, a failed hand-over). */
export const QUEUE_SWEEP_MS = 10_000

export interface MemberMailboxesComponents {
  libp2p: Libp2p
  identity: Pick<Identity, 'peerId' | 'privateKey'> & { dhKeyPair: X25519KeyPair }
  store: ParleyStore
  directory: Pick<Directory, 'profile'>
  calls: MailboxCalls
  /** our public contact queues changed: the profile lists them (§7.4) */
  onPublicQueues?: () => void
  logger: ComponentLogger
}

export class MemberMailboxes {
  readonly delivery: MailboxDelivery
  private readonly components: MemberMailboxesComponents
  private queues?: MemberQueues
  private collector?: Collector
  private timer?: NodeJS.Timeout
  /** the communities we used at the last look: a join or leave shows as a change */
  private homesSeen = ''

  constructor(components: MemberMailboxesComponents) {
    this.components = components
    this.delivery = new MailboxDelivery(components)
  }

  /** The messenger's delivery fallback. */
  get fallback(): MailboxFallback {
    return this.delivery
  }

  /** The messenger's hook for a contact's queues. */
  readonly onMailboxQueues = (peerId: string, first: boolean): void => {
    this.queues?.queuesArrived(peerId, first)
    // its DH key now, while it is reachable: a later deposit needs no lookup
    void this.delivery.learnKey(peerId, { signal: AbortSignal.timeout(30_000) }).catch(() => {})
  }

  /** Builds the parts that need the messenger and starts them. */
  start(messenger: Messenger): void {
    const { libp2p, identity, store, calls, logger } = this.components
    this.queues = new MemberQueues({ libp2p, store, calls, messenger, logger })
    const queues = this.queues
    this.collector = new Collector({
      libp2p,
      identity,
      store,
      calls,
      messenger,
      acks: this.delivery,
      homes: () => queues.homes(),
      logger
    })
    this.homesSeen = this.homesKey()
    this.queues.start()
    this.collector.start()
    void this.ensurePublicQueues()
    this.timer = setInterval(() => this.contactsChanged(), QUEUE_SWEEP_MS)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.queues?.stop()
    await this.collector?.stop()
    await this.queues?.settled()
  }

  /** A contact may have become one, or we joined or left a community: new hand-overs and subscriptions. */
  contactsChanged(): void {
    if (this.homesKey() !== this.homesSeen) this.communitiesChanged()
    else this.queues?.sweep()
  }

  private homesKey(): string {
    return (this.queues?.homes() ?? []).map(h => `${h.community}=${h.addresses.join(',')}`).join(' ')
  }

  /**
   * We are leaving `community` (docs/PROTOCOL.md §7.5): our queues there, the public one too, are
   * deleted at its node; once it is gone (communitiesChanged) contacts get the new set and the
   * profile is published again without it.
   */
  async leaving(community: { peerId: string; addresses: string[] }): Promise<void> {
    await this.queues?.leaving(
      { community: community.peerId, addresses: community.addresses },
      { signal: AbortSignal.timeout(30_000) }
    )
  }

  communitiesChanged(): void {
    this.homesSeen = this.homesKey()
    this.queues?.communitiesChanged()
    this.collector?.refresh()
    void this.ensurePublicQueues().then(() => this.components.onPublicQueues?.())
  }

  /** Our public contact queues as the profile lists them (created at start and on a change of communities). */
  profileMailboxes(): PublicQueue[] {
    const queues = this.queues
    if (queues === undefined) return []
    const { store } = this.components
    return queues.homes().flatMap(h => {
      const q = store.mailboxes.queueFor(h.community, undefined)
      return q === undefined ? [] : [{ community: h.community, addresses: h.addresses, queueId: q.queueId }]
    })
  }

  /** Creates the public queues missing at our communities; tells the profile when one was added. */
  private async ensurePublicQueues(): Promise<void> {
    const before = this.profileMailboxes().length
    await this.queues?.publicQueues({ signal: AbortSignal.timeout(60_000) })
    if (this.profileMailboxes().length !== before) this.components.onPublicQueues?.()
  }

  status(): MailboxStatus[] {
    const queues = this.queues
    if (queues === undefined) return []
    return queues.homes().map(h => {
      const waiting = this.collector?.waitingCount(h.community)
      return { community: h.community, ...queues.counts(h.community), ...(waiting !== undefined ? { waiting } : {}) }
    })
  }

  /** Resolves once the hand-overs queued and the deposits received so far are handled (tests). */
  async settled(): Promise<void> {
    await this.queues?.settled()
    await this.collector?.idle()
  }
}
