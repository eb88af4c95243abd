/**
 * The messaging half of the node, wired from its parts (docs/PROTOCOL.md §3.10–3.11 and §4):
 * contacts (targets, add, block, invites, accepted key changes), the outbox (sealing and group
 * commit), delivery (scheduling, backoff, acks), the inbox (receiving), presence and key re-checks.
 * The messenger owns no state of its own beyond its parts; the few operations that span parts (a
 * send, marking a conversation read) are composed here.
 */
import { Groups } from '../groups/groups.ts'
import { Contacts } from './contacts.ts'
import { Delivery } from './delivery.ts'
import type { EnvelopeBatchResult } from './dm-stream.ts'
import { NotFoundError, NotStartedError } from './errors.ts'
import { newMessageId, parsePeerId } from './ids.ts'
import { Inbox, type MailboxBatchResult } from './inbox.ts'
import type { QueueAddressContent, SnippetContent, TextContent } from './content.ts'
import { KeyWatch } from './key-watch.ts'
import { Outbox } from './outbox.ts'
import { PeerLocks } from './peer-locks.ts'
import { PeerAddresses } from './peers.ts'
import { SignedPrekeys } from './prekeys.ts'
import { PresenceWatch } from './presence.ts'
import { readReceiptsTo } from './read-receipts.ts'
import { EnvelopeSealer } from './seal.ts'
import { SessionRestart } from './session-restart.ts'
import { StrangerGate } from './stranger-gate.ts'
import { DmTransport } from './transport.ts'
import type {
  ContactView,
  MessageMatch,
  MessageView,
  MessengerComponents,
  MessengerInit,
  Messaging,
  SendContent,
  SendResult,
  Settings,
  SettingsUpdate
} from './types.ts'
import { messageView } from './views.ts'

export class Messenger implements Messaging {
  readonly contacts: Contacts
  readonly outbox: Outbox
  readonly delivery: Delivery
  readonly inbox: Inbox
  readonly presence: PresenceWatch
  readonly keyWatch: KeyWatch
  readonly prekeys: SignedPrekeys
  readonly groups: Groups
  private readonly components: MessengerComponents
  private readonly locks = new PeerLocks()
  private readonly localPeerId: string
  private started = false

  constructor(components: MessengerComponents, init: MessengerInit = {}) {
    this.components = components
    const { libp2p, identity, store, directory, notify, logger } = components
    this.localPeerId = identity.peerId.toString()
    const peers = new PeerAddresses({ libp2p, directory, logger }, init)
    this.presence = new PresenceWatch({ libp2p, store, peers, notify, logger }, init)
    this.contacts = new Contacts({
      libp2p,
      identity,
      store,
      directory,
      presence: this.presence,
      peers,
      notify,
      deliverNow: peerId => this.delivery.deliverNow(peerId)
    })
    this.prekeys = new SignedPrekeys(
      {
        store,
        identity,
        logger,
        onRotated: () => {
          directory.publishProfile?.().catch(() => {})
        }
      },
      init
    )
    const sealer = new EnvelopeSealer({ store, identity, directory, peers, logger })
    this.outbox = new Outbox({
      store,
      locks: this.locks,
      sealer,
      logger,
      groupFrame: entryId => store.groups.outgoingFrame(entryId)
    })
    this.groups = new Groups({
      store,
      identity,
      outbox: this.outbox,
      deliverNow: peerIds => this.delivery.deliverNowAll(peerIds),
      // a member: a peer id as it is, else a contact (by name)
      resolve: async (target, options) =>
        parsePeerId(target)?.toString() ?? (await this.contacts.resolveKnown(target, options)).peerId,
      notify: (event, detail) => notify(event, detail as never),
      logger
    })
    const gate = new StrangerGate({ store }, init)
    const restart = new SessionRestart({ store, locks: this.locks, notify, logger }, init)
    this.delivery = new Delivery(
      {
        events: libp2p,
        identity,
        store,
        outbox: this.outbox,
        transport: new DmTransport({ libp2p }, init),
        peers,
        restart,
        ...(components.mailbox !== undefined ? { mailbox: components.mailbox } : {}),
        notify,
        logger,
        groupPeer: peerId => this.groups.knowsPeer(peerId),
        groupAcked: (_peerId, entryIds) => this.groups.acked(entryIds)
      },
      init
    )
    this.inbox = new Inbox({
      libp2p,
      identity,
      store,
      locks: this.locks,
      presence: this.presence,
      prekeys: this.prekeys,
      // a member of a group we are in is no stranger: its frames are the group's
      strangers: {
        admit: (peerId, state) => {
          if (state === undefined && this.groups.sharesGroupWith(peerId)) return
          gate.admit(peerId, state)
        }
      },
      group: this.groups,
      restart,
      ...(components.onMailboxQueues !== undefined ? { onMailboxQueues: components.onMailboxQueues } : {}),
      notify,
      logger
    })
    this.keyWatch = new KeyWatch({ store, directory, contacts: this.contacts, logger }, init)
  }

  /** Registers /parley/dm/1.0.0, starts presence, key re-checks and delivery of the outbox. */
  async start(): Promise<void> {
    if (this.started) return
    // before the inbox and the profile record: both use the current prekey
    await this.prekeys.start()
    await this.inbox.start()
    // presence first: on peer:connect a contact is online before its queue is delivered
    this.presence.start()
    this.started = true
    this.keyWatch.start()
    this.delivery.start()
  }

  async stop(): Promise<void> {
    if (!this.started) return
    this.started = false
    this.prekeys.stop()
    this.delivery.stop()
    this.presence.stop()
    this.keyWatch.stop()
    await this.inbox.stop()
    await Promise.allSettled([this.delivery.settled(), this.locks.settled(), this.outbox.settled()])
  }

  // ---------------------------------------------------------------- contacts

  listContacts(): ContactView[] {
    return this.contacts.list()
  }

  async addContact(target: string, options: { signal: AbortSignal }): Promise<ContactView> {
    this.assertStarted()
    return await this.contacts.add(target, options)
  }

  async acceptContact(target: string, options: { signal: AbortSignal }): Promise<ContactView> {
    this.assertStarted()
    return await this.contacts.accept(target, options)
  }

  async declineContact(target: string, options: { signal: AbortSignal }): Promise<ContactView> {
    this.assertStarted()
    return await this.contacts.decline(target, options)
  }

  async blockContact(target: string, options: { signal: AbortSignal }): Promise<ContactView> {
    this.assertStarted()
    return await this.contacts.block(target, options)
  }

  async unblockContact(target: string, options: { signal: AbortSignal }): Promise<ContactView> {
    this.assertStarted()
    return await this.contacts.unblock(target, options)
  }

  async verifyContact(target: string, options: { signal: AbortSignal }): Promise<ContactView> {
    this.assertStarted()
    return await this.contacts.verify(target, options)
  }

  async acceptKey(target: string, options: { signal: AbortSignal }): Promise<ContactView> {
    this.assertStarted()
    return await this.contacts.acceptKey(target, options)
  }

  async invite(): Promise<string> {
    return await this.contacts.invite()
  }

  // ---------------------------------------------------------------- messages

  async send(
    target: string,
    content: SendContent,
    options: { wait: boolean; timeoutMs: number; signal: AbortSignal }
  ): Promise<SendResult> {
    this.assertStarted()
    const body: TextContent | SnippetContent =
      'text' in content ? { type: 'text', markdown: content.text } : { type: 'snippet', ...content.snippet }
    if (this.groups.isGroupRef(target)) {
      const sent = await this.groups.send(target, { ...body, mentions: content.mentions }, options)
      if (!options.wait) return sent
      // wait: every member's pairwise entry acked (delivery state of §8.5)
      await this.groups.waitDelivered(sent.id, options)
      return { id: sent.id, status: 'delivered' }
    }
    const contact = await this.contacts.recipient(target, options)
    const id = newMessageId()
    const delivered = options.wait ? this.delivery.waitFor(id, options) : undefined
    delivered?.catch(() => {})
    const status = await this.outbox.enqueue(contact.peerId, id, body, 'message', { signal: options.signal })
    this.delivery.deliverNow(contact.peerId)
    if (delivered === undefined) return { id, status }
    return { id, status: await delivered }
  }

  async history(
    target: string,
    options: { limit: number; before?: number; signal?: AbortSignal }
  ): Promise<MessageView[]> {
    if (this.groups.isGroupRef(target)) return this.groups.history(target, options)
    const contact = await this.contacts.resolveKnown(target, options)
    return this.components.store.messages
      .history(contact.peerId, { limit: options.limit, before: options.before })
      .map(m => messageView(m, this.localPeerId))
  }

  async search(
    query: string,
    options: { target?: string; limit: number; signal?: AbortSignal }
  ): Promise<MessageMatch[]> {
    const { target, limit } = options
    if (target !== undefined && this.groups.isGroupRef(target)) return this.groups.search(query, { ref: target, limit })
    const peerId = target === undefined ? undefined : (await this.contacts.resolveKnown(target, options)).peerId
    const direct: MessageMatch[] = this.components.store.messages.search(query, { peerId, limit }).map(hit => ({
      message: messageView(hit.message, this.localPeerId),
      excerpt: hit.excerpt,
      highlights: hit.highlights
    }))
    if (target !== undefined) return direct
    // everywhere: direct and group matches together, newest first
    return [...direct, ...this.groups.search(query, { limit })]
      .sort((a, b) => b.message.storedAt - a.message.storedAt)
      .slice(0, limit)
  }

  /** Marks the conversation read; sends read receipts when they are on and a session exists. */
  async markRead(target: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const { store } = this.components
    if (this.groups.isGroupRef(target)) {
      await this.groups.markRead(target)
      return
    }
    const contact = await this.contacts.resolveKnown(target, options)
    const receipts = readReceiptsTo(store, contact.peerId, store.messages.markRead(contact.peerId))
    if (receipts.length === 0) return
    for (const r of receipts) await this.outbox.enqueue(r.peerId, r.id, r.content, r.kind, options)
    this.delivery.deliverNow(contact.peerId)
  }

  /** Delivers a queued or failed outgoing message now (with everything queued before it); a failed one is queued again. */
  async retry(id: string): Promise<SendResult> {
    const { store } = this.components
    const message = store.messages.get(id)
    if (message === undefined || message.direction !== 'out') throw new NotFoundError(`no outgoing message ${id}`)
    const status = this.delivery.retryMessage(id)
    return { id, status: status ?? message.status }
  }

  settings(update?: SettingsUpdate): Settings {
    const { settings } = this.components.store
    if (update?.readReceipts !== undefined) settings.setReadReceipts(update.readReceipts)
    if (update?.failAfterHours !== undefined) settings.setFailAfterMs(update.failAfterHours * 3600_000)
    return { readReceipts: settings.readReceipts(), failAfterHours: settings.failAfterMs() / 3600_000 }
  }

  // ---------------------------------------------------------------- receiving (the inbox's)

  async receive(bytes: Uint8Array, from: string): Promise<Uint8Array> {
    return await this.inbox.receive(bytes, from)
  }

  async receiveBatch(batch: Uint8Array[], from: string): Promise<EnvelopeBatchResult> {
    return await this.inbox.receiveBatch(batch, from)
  }

  // ---------------------------------------------------------------- mailboxes (docs/PROTOCOL.md §7)

  /** Hands the contact our mailbox queues (§7.5) as an ordinary envelope, never shown as a message. */
  async sendMailboxQueues(peerId: string, queues: QueueAddressContent[]): Promise<void> {
    this.assertStarted()
    await this.outbox.enqueue(peerId, newMessageId(), { type: 'mailbox-queues', queues }, 'queues')
    this.delivery.deliverNow(peerId)
  }

  /** Envelopes opened from our mailboxes: the inbox's one path (inbox.ts). */
  async receiveThroughMailbox(envelopes: Uint8Array[]): Promise<MailboxBatchResult> {
    return await this.inbox.receiveThroughMailbox(envelopes)
  }

  /** A signed session reset request that came through our mailboxes: checked, then the session restarts (§7.6). */
  async sessionResetThroughMailbox(bytes: Uint8Array): Promise<boolean> {
    return await this.delivery.sessionResetThroughMailbox(bytes)
  }

  /** A signed ack (already verified) that came through our mailboxes: delivered, as a direct one. */
  ackedThroughMailbox(receiver: string, messageIds: Uint8Array[]): number {
    return this.delivery.ackedThroughMailbox(receiver, messageIds)
  }

  private assertStarted(): void {
    if (!this.started) throw new NotStartedError('the messenger is not running')
  }
}
