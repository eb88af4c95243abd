/**
 * Delivery: when the outbox's envelopes go to a peer (now, on a connection or a new address, or at
 * the retry timer), in batches over the transport, with exponential backoff after a failure; the
 * peer's signed acks take entries out of the outbox and turn messages delivered (message.status),
 * and `send --wait` callers hear of it (waitFor).
 */
import type { ComponentLogger, Libp2p, Logger, PeerId, PeerInfo, PeerUpdate } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import type { Identity } from '../identity/index.ts'
import { HELD, type OutboxRow, type ParleyStore } from '../store/index.ts'
import {
  DELIVERY_TIMEOUT_MS,
  MAILBOX_AFTER_MS,
  MAX_ENVELOPES_PER_STREAM,
  RETRY_MAX_MS,
  RETRY_MIN_MS,
  UNSYNCED
} from './constants.ts'
import { openAck } from './envelope.ts'
import { NotStartedError, TimeoutError } from './errors.ts'
import { errorText, MailboxDeposits } from './deposits.ts'
import { hex, peerIdOf } from './ids.ts'
import type { Outbox } from './outbox.ts'
import type { PeerAddresses } from './peers.ts'
import { openSessionReset } from './session-reset.ts'
import type { SessionRestart } from './session-restart.ts'
import type { EnvelopeTransport } from './transport.ts'
import type { MailboxFallback, MessageStatus, Notify } from './types.ts'

export interface DeliveryComponents {
  /** peer events that make a peer's queue due at once */
  events: Pick<Libp2p, 'addEventListener' | 'removeEventListener'>
  identity: Pick<Identity, 'peerId'>
  store: Pick<ParleyStore, 'contacts' | 'messages' | 'outbox' | 'settings' | 'transaction' | 'sync'>
  outbox: Pick<Outbox, 'sealPending' | 'synced'>
  transport: EnvelopeTransport
  peers: Pick<PeerAddresses, 'learn' | 'connected' | 'refresh'>
  /** restarts a session the peer lost (§3.12); without it a session reset request fails the delivery */
  restart?: Pick<SessionRestart, 'restart'>
  /** deposits in the recipient's mailboxes when it cannot be reached (§7.6) */
  mailbox?: MailboxFallback
  notify: Notify
  logger: ComponentLogger
  /** a peer that is no contact but shares a group with us (node/groups): its entries are delivered too */
  groupPeer?: (peerId: string) => boolean
  /** entries of kind `group` the peer acked (node/groups counts a group message's deliveries) */
  groupAcked?: (peerId: string, entryIds: string[]) => void
}

export interface DeliveryInit {
  /** first retry delay after a failed delivery; @default RETRY_MIN_MS */
  retryMinMs?: number
  /** longest retry delay; @default RETRY_MAX_MS */
  retryMaxMs?: number
  /** the clock that decides when an undeliverable message is failed; tests move it. @default Date.now */
  now?: () => number
  /** how long the direct path is tried before the mailboxes too; @default MAILBOX_AFTER_MS */
  mailboxAfterMs?: number
}

/** The delay before attempt `attempts + 1`: doubling from retryMinMs, capped at retryMaxMs. */
export function backoff(attempts: number, init: { retryMinMs: number; retryMaxMs: number }): number {
  return Math.min(init.retryMaxMs, init.retryMinMs * 2 ** Math.min(attempts, 20))
}

export class Delivery {
  private readonly components: DeliveryComponents
  private readonly log: Logger
  private readonly retry: { retryMinMs: number; retryMaxMs: number }
  private readonly now: () => number
  private readonly mailboxAfterMs: number
  /** the mailbox fallback (§7.6) */
  private readonly deposits: MailboxDeposits
  /** per-peer delivery in progress, and peers to deliver to again once it ends */
  private readonly delivering = new Map<string, Promise<void>>()
  private readonly again = new Set<string>()
  /** send --wait: message id → callbacks on delivery */
  private readonly waiters = new Map<string, Set<(status: MessageStatus) => void>>()
  private controller = new AbortController()
  private started = false
  private timer?: NodeJS.Timeout

  constructor(components: DeliveryComponents, init: DeliveryInit = {}) {
    this.components = components
    this.log = components.logger.forComponent('parley:dm:delivery')
    this.retry = { retryMinMs: init.retryMinMs ?? RETRY_MIN_MS, retryMaxMs: init.retryMaxMs ?? RETRY_MAX_MS }
    this.now = init.now ?? Date.now
    this.mailboxAfterMs = init.mailboxAfterMs ?? MAILBOX_AFTER_MS
    const { store, notify, mailbox } = components
    this.deposits = new MailboxDeposits({ store, notify, mailbox, log: this.log, running: () => this.started })
  }

  /** Listens for peers coming into reach; everything queued before a restart is due now. */
  start(): void {
    if (this.started) return
    this.controller = new AbortController()
    const { events, store } = this.components
    events.addEventListener('peer:connect', this.onConnect)
    events.addEventListener('peer:update', this.onUpdate)
    events.addEventListener('peer:discovery', this.onDiscovery)
    this.started = true
    for (const { peerId } of store.outbox.peers()) store.outbox.reschedule(peerId, Date.now())
    this.schedule()
  }

  stop(): void {
    if (!this.started) return
    this.started = false
    this.controller.abort(new NotStartedError('the messenger is stopping'))
    clearTimeout(this.timer)
    this.components.transport.close?.()
    const { events } = this.components
    events.removeEventListener('peer:connect', this.onConnect)
    events.removeEventListener('peer:update', this.onUpdate)
    events.removeEventListener('peer:discovery', this.onDiscovery)
  }

  /** Resolves once the deliveries running now have ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.delivering.values(), this.deposits.settled()])
  }

  /** Makes the peer's pending envelopes due now and delivers them. */
  deliverNow(peerId: string): void {
    if (!this.started) return
    this.components.store.outbox.reschedule(peerId, Date.now())
    this.kick(peerId)
  }

  /**
   * deliverNow for several peers (a group message's members): their entries waiting for a later
   * attempt are rescheduled in ONE transaction, not synced (a reschedule lost in a crash only means
   * the attempt comes at its earlier time), instead of one durable commit per peer.
   */
  deliverNowAll(peerIds: Iterable<string>): void {
    if (!this.started) return
    const { store } = this.components
    const now = Date.now()
    const peers = [...peerIds]
    store.transaction(() => {
      for (const peerId of peers) store.outbox.reschedule(peerId, now)
    }, UNSYNCED)
    for (const peerId of peers) this.kick(peerId)
  }

  /**
   * Sends a queued or failed outgoing message again now (with what is queued before it): a failed
   * one is `queued` again and gets the whole fail-after time anew. Returns its status, or undefined
   * when it is not in the outbox (delivered, or not ours).
   */
  retryMessage(id: string): MessageStatus | undefined {
    const { store, notify } = this.components
    const entry = store.outbox.get(id)
    const message = store.messages.get(id)
    if (entry === undefined || message === undefined) return undefined
    const failed = message.status === 'failed'
    store.transaction(() => {
      store.outbox.release(id, this.now())
      if (failed) store.messages.update(id, { status: 'queued' })
    })
    if (failed)
      notify('message.status', {
        id,
        peerId: entry.peerId,
        status: 'queued',
        ...(message.error !== undefined ? { error: message.error } : {})
      })
    this.deliverNow(entry.peerId)
    return 'queued'
  }

  /** Resolves with its status (delivered, or read) when message `id` is acked; TimeoutError after timeoutMs (it stays queued). */
  waitFor(id: string, options: { timeoutMs: number; signal: AbortSignal }): Promise<MessageStatus> {
    const { promise, resolve, reject } = Promise.withResolvers<MessageStatus>()
    const callbacks = this.waiters.get(id) ?? new Set()
    this.waiters.set(id, callbacks)
    const done = (): void => {
      clearTimeout(timer)
      options.signal.removeEventListener('abort', onAbort)
      callbacks.delete(done)
      if (callbacks.size === 0) this.waiters.delete(id)
    }
    const timer = setTimeout(() => {
      done()
      reject(new TimeoutError(`message ${id} was not delivered within ${options.timeoutMs} ms; it stays queued`))
    }, options.timeoutMs)
    const onAbort = (): void => {
      done()
      reject(options.signal.reason)
    }
    options.signal.addEventListener('abort', onAbort, { once: true })
    callbacks.add(status => {
      done()
      resolve(status)
    })
    return promise
  }

  private readonly onConnect = (evt: CustomEvent<PeerId>): void => {
    this.deliverNow(evt.detail.toString())
  }

  private readonly onUpdate = (evt: CustomEvent<PeerUpdate>): void => {
    const { peer, previous } = evt.detail
    const before = new Set(previous?.addresses.map(a => a.multiaddr.toString()) ?? [])
    if (peer.addresses.some(a => !before.has(a.multiaddr.toString()))) this.deliverNow(peer.id.toString())
  }

  private readonly onDiscovery = (evt: CustomEvent<PeerInfo>): void => {
    this.deliverNow(evt.detail.id.toString())
  }

  private kick(peerId: string): void {
    if (!this.started) return
    if (this.delivering.has(peerId)) {
      this.again.add(peerId)
      return
    }
    const run = this.deliver(peerId)
      .catch(err => this.log.error('delivery to %s failed %e', peerId, err))
      .finally(() => {
        this.delivering.delete(peerId)
        if (this.again.delete(peerId)) this.kick(peerId)
        else this.schedule()
      })
    this.delivering.set(peerId, run)
  }

  /** Arms the retry timer for the earliest due outbox entry. */
  private schedule(): void {
    if (!this.started) return
    clearTimeout(this.timer)
    const now = Date.now()
    let next = Number.POSITIVE_INFINITY
    for (const { peerId, nextAttempt } of this.components.store.outbox.peers()) {
      if (this.delivering.has(peerId) || nextAttempt >= HELD) continue
      if (nextAttempt <= now) this.kick(peerId)
      else next = Math.min(next, nextAttempt)
    }
    if (Number.isFinite(next)) {
      // setTimeout fires at once for delays over 2^31-1 ms
      this.timer = setTimeout(() => this.schedule(), Math.min(2 ** 31 - 1, Math.max(0, next - now)))
      this.timer.unref()
    }
  }

  private async deliver(peerId: string): Promise<void> {
    const { store, outbox, peers, notify } = this.components
    const contact = store.contacts.get(peerId)
    if (
      (contact === undefined && this.components.groupPeer?.(peerId) !== true) ||
      contact?.state === 'blocked' ||
      contact?.keyChanged === true
    ) {
      // held until unblocked or the key is accepted (both deliver at once); keep the timer calm meanwhile
      const why = contact === undefined ? 'not a contact' : contact.state === 'blocked' ? 'blocked' : 'key changed'
      this.postpone(peerId, store.outbox.forPeer(peerId), why, this.retry.retryMaxMs)
      return
    }
    const signal = this.controller.signal
    await outbox.sealPending(peerId, { signal })
    // a session restart (§3.12) re-seals and delivers again at once, once per run
    let restarts = 0
    while (this.started) {
      const pending = store.outbox.forPeer(peerId)
      // due as soon as any entry is (the rule schedule() follows): a message queued during a failing
      // attempt is due while the ones before it wait, and both must agree or schedule() spins
      const now = Date.now()
      if (!pending.some(e => e.nextAttempt <= now)) return
      const batch: OutboxRow[] = []
      for (const entry of pending) {
        if (entry.envelope.length === 0 || batch.length === MAX_ENVELOPES_PER_STREAM) break
        batch.push(entry)
      }
      if (batch.length === 0) {
        // the first entry could not be sealed (no profile record yet): try again later
        this.postpone(
          peerId,
          pending,
          'no profile record of the recipient yet',
          backoff(pending[0]!.attempts, this.retry)
        )
        void peers.refresh(peerId, { signal })
        return
      }
      // the recipient may be offline: after mailboxAfterMs the envelopes also go to its mailboxes
      const fallback =
        this.components.mailbox === undefined
          ? undefined
          : setTimeout(() => void this.depositPending(peerId), this.mailboxAfterMs)
      try {
        const { acked, restarted } = await this.deliverBatch(peerId, batch, restarts === 0).finally(() =>
          clearTimeout(fallback)
        )
        if (restarted) {
          restarts++
          await outbox.sealPending(peerId, { signal })
          continue
        }
        if (acked < batch.length) throw new Error(`the receiver acked ${acked} of ${batch.length} envelopes`)
      } catch (err) {
        if (!this.started) return
        const attempts = batch[0]!.attempts
        const delay = backoff(attempts, this.retry)
        const error = errorText(err)
        this.log(
          'delivery of %d envelopes to %s failed (attempt %d, next in %d ms): %s',
          batch.length,
          peerId,
          attempts + 1,
          delay,
          error
        )
        const left = batch.filter(e => store.outbox.get(e.messageId) !== undefined)
        store.transaction(() => {
          // everything queued for the peer waits for the next attempt, not only this batch (held entries stay held)
          store.outbox.failed(
            store.outbox
              .forPeer(peerId)
              .filter(e => e.nextAttempt < HELD)
              .map(e => e.messageId),
            error,
            Date.now() + delay
          )
          // a message a mailbox holds (stored) is on its way: the direct path's error is not news
          for (const e of left) {
            if (e.kind === 'message' && store.messages.get(e.messageId)?.status !== 'stored') {
              store.messages.update(e.messageId, { error })
            }
          }
        })
        if (attempts === 0) {
          for (const e of left) {
            if (e.kind === 'message' && store.messages.get(e.messageId)?.status === 'queued') {
              notify('message.status', { id: e.messageId, peerId, status: 'queued', error })
            }
          }
        }
        this.expire(peerId, error)
        // new addresses in the profile make the peer due again (peer:update)
        void peers.refresh(peerId, { signal })
        // not reachable: the mailboxes take what they do not hold yet (§7.6)
        await this.depositPending(peerId)
        return
      }
    }
  }

  /** Deposits the peer's pending envelopes in its mailboxes (deposits.ts); one run at a time per peer. */
  depositPending(peerId: string): Promise<void> {
    return this.deposits.pending(peerId, { signal: this.controller.signal })
  }

  /**
   * A signed ack that came through one of our mailboxes (§7.6): takes the acked entries out of
   * the outbox as a direct ack does. Returns how many it took.
   */
  /**
   * A session reset request that came through our mailboxes (§3.12, §7.6): checked as one on a
   * stream (addressed to us, signed by the requester it names), it restarts the session only for
   * an entry we deposited to that requester whose bytes the outbox still holds; the entries are
   * then sealed again and delivered (deposited again while the peer stays away).
   */
  async sessionResetThroughMailbox(bytes: Uint8Array): Promise<boolean> {
    const { identity, store, restart } = this.components
    if (restart === undefined) return false
    const request = await openSessionReset(bytes, { localPeerId: identity.peerId })
    const peerId = request.requester.toString()
    const deposited = new Set(
      store.outbox
        .forPeer(peerId)
        .filter(e => e.depositedAt !== undefined)
        .map(e => e.messageId)
    )
    const restarted = await restart.restart(peerId, request, deposited)
    if (restarted) this.deliverNow(peerId)
    return restarted
  }

  ackedThroughMailbox(receiver: string, messageIds: Uint8Array[]): number {
    const expected = new Set(this.components.store.outbox.forPeer(receiver).map(e => e.messageId))
    return this.acked(receiver, expected, messageIds)
  }

  private postpone(peerId: string, entries: OutboxRow[], error: string, delay: number): void {
    const waiting = entries.filter(e => e.nextAttempt < HELD)
    if (waiting.length === 0) return
    this.log('holding %d envelopes to %s: %s', waiting.length, peerId, error)
    this.components.store.outbox.failed(
      waiting.map(e => e.messageId),
      error,
      Date.now() + delay
    )
    this.expire(peerId, error)
  }

  /**
   * Messages queued (or retried) longer ago than the user's fail-after time (`settings.failAfterMs`,
   * 7 days by default) and still undelivered become `failed`, with the last error as the reason.
   * They stay in the outbox, sealed, but no timer retries them: `retryMessage` does, and a later
   * message to the peer takes them along (in order).
   */
  private expire(peerId: string, error: string): void {
    const { store, notify } = this.components
    const ids = store.outbox.queuedSince(peerId, this.now() - store.settings.failAfterMs())
    if (ids.length === 0) return
    store.transaction(() => {
      for (const id of ids) store.messages.update(id, { status: 'failed', error })
      store.outbox.hold(ids, error)
    })
    this.log('%d messages to %s failed: %s', ids.length, peerId, error)
    for (const id of ids) notify('message.status', { id, peerId, status: 'failed', error })
  }

  private async deliverBatch(
    peerId: string,
    batch: OutboxRow[],
    mayRestart: boolean
  ): Promise<{ acked: number; restarted: boolean }> {
    const { identity, store, transport, peers, restart } = this.components
    const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)])
    const recipient = peerIdOf(peerId)
    const contact = store.contacts.get(peerId)
    if (contact !== undefined && contact.addresses.length > 0 && !peers.connected(peerId)) {
      await peers.learn(
        recipient,
        contact.addresses.map(a => multiaddr(a))
      )
    }
    // the outbox answers a send after its fsync, but a delivery already running may pick up an entry
    // committed since, whose fsync is still under way: nothing goes out before it is durable
    await this.components.outbox.synced()
    const expected = new Set(batch.map(e => e.messageId))
    const sent: ReadonlySet<string> = new Set(expected)
    let restarted = false
    const acked = await transport.send(
      peerId,
      batch.map(e => e.envelope),
      async bytes => {
        const ack = await openAck(bytes, { localPeerId: identity.peerId, expectedReceiver: recipient, signal })
        return this.acked(peerId, expected, ack.messageIds)
      },
      {
        signal,
        onSessionReset: async bytes => {
          // signed by the peer we delivered to, addressed to us, naming bytes of this delivery: nobody else can ask
          const request = await openSessionReset(bytes, { localPeerId: identity.peerId, expectedRequester: recipient })
          if (!mayRestart || restart === undefined) throw new Error('the receiver asked for a new session again')
          restarted = await restart.restart(peerId, request, sent)
          if (!restarted) throw new Error('the receiver asked for a new session; refused')
        }
      }
    )
    return { acked, restarted }
  }

  /** Takes acked entries out of the outbox and marks their messages delivered; returns how many it took. */
  private acked(peerId: string, expected: Set<string>, messageIds: Uint8Array[]): number {
    const { store, notify } = this.components
    const now = Date.now()
    let delivered = 0
    const messages: Array<{ id: string; status: MessageStatus }> = []
    const groupEntries: string[] = []
    store.transaction(
      () => {
        for (const raw of messageIds) {
          const id = hex(raw)
          if (!expected.has(id)) continue
          // one statement: the entry's envelope is not read again
          const kind = store.outbox.take(id)
          if (kind === undefined) continue
          expected.delete(id)
          delivered++
          if (kind === 'group') groupEntries.push(id)
          if (kind !== 'message') continue
          // a read receipt can overtake a lost ack: read stays read
          const status = store.messages.markDelivered(id, now)
          if (status !== undefined) messages.push({ id, status })
        }
        // not fsync'd: power loss may roll this back, and the envelopes are then resent and
        // deduplicated by the recipient's seen ids (docs/SECURITY.md, "Durability")
      },
      { durable: false }
    )
    if (groupEntries.length > 0) this.components.groupAcked?.(peerId, groupEntries)
    for (const { id, status } of messages) {
      notify('message.status', { id, peerId, status, deliveredAt: now })
      for (const callback of [...(this.waiters.get(id) ?? [])]) callback(status)
    }
    return delivered
  }
}
