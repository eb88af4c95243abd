/**
 * A member's queues (docs/PROTOCOL.md §7.5): one queue per contact at each community we joined
 * (at most 3), created on demand and handed to the contact inside the end-to-end channel
 * (a MailboxQueues payload), and one public contact queue per community for the profile (§7.4).
 * Our queues are handed over when a peer becomes a contact (again: fresh ones), when our
 * communities change, and once in answer to a contact whose queues came first or renewed (it had
 * given ours up and became a contact again).
 */
import type { ComponentLogger, Libp2p, Logger } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { QueueAddressContent } from '../messaging/content.ts'
import type { Messenger } from '../messaging/index.ts'
import type { OwnQueueRow, ParleyStore } from '../store/index.ts'
import { MailboxRefusedError } from './errors.ts'
import type { MailboxCalls, QueueHome } from './member-calls.ts'
import type { PublicQueue } from './types.ts'

/** Most communities whose mailboxes we use and list: a profile and a MailboxQueues carry at most 3. */
export const MAX_MAILBOXES = 3

/** Most addresses of one community node in a queue address. */
const MAX_QUEUE_ADDRESSES = 8

export interface MemberQueuesComponents {
  libp2p: Libp2p
  store: Pick<ParleyStore, 'mailboxes' | 'communities' | 'contacts' | 'sessions'>
  calls: Pick<MailboxCalls, 'createQueue' | 'deleteQueue'>
  messenger: Pick<Messenger, 'sendMailboxQueues'>
  logger: ComponentLogger
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

export class MemberQueues {
  private readonly components: MemberQueuesComponents
  private readonly log: Logger
  /** hand-overs run one at a time (queue creation is a network call per community) */
  private chain: Promise<void> = Promise.resolve()
  private controller = new AbortController()

  constructor(components: MemberQueuesComponents) {
    this.components = components
    this.log = components.logger.forComponent('parley:mailbox:queues')
  }

  /** The communities whose mailboxes we use: the first MAX_MAILBOXES we joined. */
  homes(): QueueHome[] {
    return this.components.store.communities
      .list()
      .slice(0, MAX_MAILBOXES)
      .map(c => ({ community: c.peerId, addresses: c.addresses.slice(0, MAX_QUEUE_ADDRESSES) }))
  }

  /** Hands our queues to every contact that has none of ours yet (startup, after a restart during a hand-over). */
  start(): void {
    this.controller = new AbortController()
    this.sweep()
  }

  stop(): void {
    this.controller.abort()
  }

  /** Resolves once the hand-overs queued now have run. */
  async settled(): Promise<void> {
    await this.chain
  }

  /** Every contact we have not handed our queues yet gets them; a former contact's queues go. */
  sweep(): void {
    const { store } = this.components
    this.dropFormerContacts()
    if (this.homes().length === 0) return
    for (const c of store.contacts.list()) {
      if (c.state === 'contact' && store.mailboxes.queuesSentAt(c.peerId) === undefined) {
        this.handOver(c.peerId, { unlessSent: true })
      }
    }
  }

  /**
   * Peers that are no longer contacts (blocked, declined): our queues for them are deleted at each
   * community (a deposit through one is refused from then on) and their queue addresses forgotten.
   * A queue whose community cannot be reached stays until a later sweep.
   */
  dropFormerContacts(): void {
    const { store } = this.components
    const former = new Set(
      store.mailboxes
        .queues()
        .flatMap(q =>
          q.contact !== undefined && store.contacts.get(q.contact)?.state !== 'contact' ? [q.contact] : []
        )
    )
    for (const c of store.contacts.list()) {
      if (c.state !== 'contact' && c.state !== 'request' && store.mailboxes.queuesSentAt(c.peerId) !== undefined) {
        former.add(c.peerId)
      }
    }
    for (const peerId of former) {
      store.mailboxes.forgetContact(peerId)
      this.chain = this.chain.then(async () => {
        const queues = store.mailboxes.queues().filter(q => q.contact === peerId)
        if (queues.length === 0 || store.contacts.get(peerId)?.state === 'contact') return
        await this.deleteQueues(queues)
      })
    }
  }

  /**
   * We are leaving `home`: our queues there (the public one too) are deleted at its node and
   * forgotten, before it is. One that cannot be deleted now is forgotten all the same (the node's
   * retention drops its deposits).
   */
  async leaving(home: QueueHome, options: { signal?: AbortSignal } = {}): Promise<void> {
    const { store } = this.components
    const queues = store.mailboxes.queues().filter(q => q.community === home.community)
    await this.deleteQueues(queues, { ...options, home, forget: true })
  }

  private async deleteQueues(
    queues: OwnQueueRow[],
    options: { signal?: AbortSignal; home?: QueueHome; forget?: boolean } = {}
  ): Promise<void> {
    const { store, calls, libp2p } = this.components
    for (const q of queues) {
      const home = options.home ?? this.homes().find(h => h.community === q.community)
      let deleted = false
      if (home !== undefined) {
        try {
          await calls.deleteQueue(libp2p, home, q.queueId, {
            signal: options.signal ?? AbortSignal.any([this.controller.signal, AbortSignal.timeout(30_000)])
          })
          deleted = true
        } catch (err) {
          // already gone at the node: nothing left to delete
          deleted = err instanceof MailboxRefusedError && err.status === 'UNKNOWN_QUEUE'
          if (!deleted) this.log('deleting a queue at %s failed: %s', q.community, errorText(err))
        }
      }
      // a queue at a community we left no longer has a home to delete it at
      if (deleted || home === undefined || options.forget === true) store.mailboxes.removeQueue(q.queueId)
    }
  }

  /** Our communities changed (joined, left): every contact gets the new set. */
  communitiesChanged(): void {
    for (const c of this.components.store.contacts.list()) if (c.state === 'contact') this.handOver(c.peerId)
  }

  /**
   * A contact handed us its queues; when it has none of ours (`first`: the first it handed us, or
   * renewed ones: it gave ours up and became a contact again), it gets ours in answer (once).
   */
  queuesArrived(peerId: string, first: boolean): void {
    if (first && this.components.store.contacts.get(peerId)?.state === 'contact') this.handOver(peerId)
  }

  /** Queues our queues for the contact (§7.5): created where missing, sent as a MailboxQueues envelope. */
  handOver(peerId: string, options: { unlessSent?: boolean } = {}): void {
    this.chain = this.chain.then(async () => {
      if (this.controller.signal.aborted) return
      const { store } = this.components
      // blocked or declined since it was queued: a former contact gets none of ours
      if (store.contacts.get(peerId)?.state !== 'contact') return
      // two sweeps before the first hand-over ran: the contact gets our queues once
      if (options.unlessSent === true && store.mailboxes.queuesSentAt(peerId) !== undefined) return
      // no mailbox and never handed any: nothing to tell the contact
      if (this.homes().length === 0 && store.mailboxes.queuesSentAt(peerId) === undefined) return
      // without a session the envelope would wait for the contact's profile, and an outbox entry
      // without a message is dropped when it cannot be sealed: the next sweep hands them over
      if (store.sessions.current(peerId) === undefined) return
      try {
        // a contact that has none of ours gets fresh queues: one left from before (given up when
        // it was blocked or declined, its deletion pending) is never handed again, so the contact
        // sees them renewed and hands us its own again (§7.5)
        if (store.mailboxes.queuesSentAt(peerId) === undefined) {
          const left = store.mailboxes.queues().filter(q => q.contact === peerId)
          if (left.length > 0) await this.deleteQueues(left, { forget: true })
        }
        const queues = await this.queuesFor(peerId, { signal: this.controller.signal })
        if (queues.length === 0 && this.homes().length > 0) return
        await this.components.messenger.sendMailboxQueues(peerId, queues)
        this.components.store.mailboxes.setQueuesSentAt(peerId, Date.now())
        this.log('handed %d queues to %s', queues.length, peerId)
      } catch (err) {
        this.log('handing our queues to %s failed: %s', peerId, errorText(err))
      }
    })
  }

  /** Our queue at each home for the contact, created where missing (a home that cannot be reached is left out). */
  async queuesFor(peerId: string, options: { signal?: AbortSignal } = {}): Promise<QueueAddressContent[]> {
    const out: QueueAddressContent[] = []
    for (const home of this.homes()) {
      const row = await this.queueAt(home, peerId, options).catch(err => {
        this.log('no queue at %s for %s: %s', home.community, peerId, errorText(err))
        return undefined
      })
      if (row === undefined) continue
      out.push({
        community: peerIdFromString(home.community).toMultihash().bytes,
        addresses: home.addresses.map(a => multiaddr(a).bytes),
        queueId: row.queueId,
        credential: row.credential
      })
    }
    return out
  }

  /** Our public contact queue at each home (for the profile, §7.4), created where missing. */
  async publicQueues(options: { signal?: AbortSignal } = {}): Promise<PublicQueue[]> {
    const out: PublicQueue[] = []
    for (const home of this.homes()) {
      const row = await this.queueAt(home, undefined, options).catch(err => {
        this.log('no public queue at %s: %s', home.community, errorText(err))
        return undefined
      })
      if (row !== undefined) out.push({ community: home.community, addresses: home.addresses, queueId: row.queueId })
    }
    return out
  }

  /** How many of our queues are at `community`, and how many contacts handed us one there. */
  counts(community: string): { queues: number; contactQueues: number } {
    const { store } = this.components
    const queues = store.mailboxes.queues().filter(q => q.community === community).length
    let contactQueues = 0
    for (const c of store.contacts.list()) {
      if (store.mailboxes.contactQueues(c.peerId).some(q => q.community === community)) contactQueues++
    }
    return { queues, contactQueues }
  }

  private async queueAt(
    home: QueueHome,
    contact: string | undefined,
    options: { signal?: AbortSignal }
  ): Promise<OwnQueueRow> {
    const { store, calls, libp2p } = this.components
    const known = store.mailboxes.queueFor(home.community, contact)
    if (known !== undefined) return known
    const isPublic = contact === undefined
    const { queueId, credential } = await calls.createQueue(libp2p, home, { public: isPublic, signal: options.signal })
    const row: OwnQueueRow = {
      queueId,
      community: home.community,
      credential,
      public: isPublic,
      ...(contact !== undefined ? { contact } : {}),
      createdAt: Date.now()
    }
    store.mailboxes.addQueue(row)
    return row
  }
}
