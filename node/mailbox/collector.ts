/**
 * Collecting from our mailboxes (docs/PROTOCOL.md §7.6): while running, one subscription per
 * community we joined; each deposit is opened (sealed.ts) and its frame handed to the messenger's
 * one inbox path (envelopes) or to delivery (acks); a deposit is deleted at the node only after
 * what it carried is durably stored (or is known to be junk). Each sender gets one signed ack for
 * the envelopes of a batch, sealed into its queues.
 */
import type { ComponentLogger, Libp2p, Logger } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { X25519KeyPair } from '../crypto/primitives.ts'
import type { Identity } from '../identity/index.ts'
import { MAX_ACK_IDS } from '../messaging/envelope-constants.ts'
import { decodeFrame } from '../messaging/envelope-frame.ts'
import { openAck, signAck } from '../messaging/envelope.ts'
import { hex } from '../messaging/ids.ts'
import type { Messenger } from '../messaging/index.ts'
import type { ParleyStore } from '../store/index.ts'
import type { MailboxDelivery } from './mailbox-delivery.ts'
import type { MailboxCalls, QueueHome } from './member-calls.ts'
import { openBlob } from './sealed.ts'
import type { StoredDeposit } from './types.ts'

/** First wait before subscribing again after a subscription ended; doubles up to COLLECT_RETRY_MAX_MS. */
export const COLLECT_RETRY_MIN_MS = 1_000
/** Longest wait between two subscriptions to one community. */
export const COLLECT_RETRY_MAX_MS = 30_000
/** A subscription that lasted this long was up: the next one starts at COLLECT_RETRY_MIN_MS again. */
export const COLLECT_HEALTHY_MS = 5_000
/** Most deposits handled in one batch (one commit in the inbox). */
const MAX_BATCH = 256

export interface CollectorComponents {
  libp2p: Libp2p
  identity: Pick<Identity, 'peerId' | 'privateKey'> & { dhKeyPair: X25519KeyPair }
  /** our queues: deposits in a queue we did not create (another client of our key) are left alone */
  store: Pick<ParleyStore, 'mailboxes'>
  calls: Pick<MailboxCalls, 'subscribe' | 'deleteDeposits'>
  messenger: Pick<Messenger, 'receiveThroughMailbox' | 'ackedThroughMailbox' | 'sessionResetThroughMailbox'>
  acks: Pick<MailboxDelivery, 'depositAck' | 'depositReset'>
  /** the communities whose mailboxes we use (queues.ts) */
  homes: () => QueueHome[]
  logger: ComponentLogger
}

interface Pending {
  home: QueueHome
  deposit: StoredDeposit
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

export class Collector {
  private readonly components: CollectorComponents
  private readonly log: Logger
  /** per community: the running subscription loop and its controller */
  private readonly loops = new Map<string, { controller: AbortController; run: Promise<void> }>()
  private readonly pending: Pending[] = []
  /** per community: deposits received and not deleted yet (waiting in the mailbox) */
  private readonly waiting = new Map<string, Set<string>>()
  private working?: Promise<void>
  private started = false

  constructor(components: CollectorComponents) {
    this.components = components
    this.log = components.logger.forComponent('parley:mailbox:collector')
  }

  start(): void {
    this.started = true
    this.refresh()
  }

  async stop(): Promise<void> {
    this.started = false
    for (const { controller } of this.loops.values()) controller.abort()
    await Promise.allSettled([...this.loops.values()].map(l => l.run))
    this.loops.clear()
    await this.working
  }

  /** Subscribes at communities joined since, stops at the ones left. */
  refresh(): void {
    if (!this.started) return
    const homes = this.components.homes()
    const wanted = new Set(homes.map(h => h.community))
    for (const [community, loop] of this.loops) {
      if (!wanted.has(community)) {
        loop.controller.abort()
        this.loops.delete(community)
      }
    }
    for (const home of homes) {
      if (this.loops.has(home.community)) continue
      const controller = new AbortController()
      this.loops.set(home.community, { controller, run: this.collect(home, controller.signal) })
    }
  }

  /** Per community we use: deposits seen and not deleted yet. */
  waitingCount(community: string): number | undefined {
    return this.loops.has(community) ? (this.waiting.get(community)?.size ?? 0) : undefined
  }

  /** Resolves once every deposit received so far is handled. */
  async idle(): Promise<void> {
    while (this.working !== undefined) await this.working
  }

  private async collect(home: QueueHome, signal: AbortSignal): Promise<void> {
    let delay = COLLECT_RETRY_MIN_MS
    while (!signal.aborted) {
      const began = Date.now()
      try {
        await this.components.calls.subscribe(
          this.components.libp2p,
          home,
          deposit => {
            if (this.components.store.mailboxes.queue(deposit.queueId) === undefined) return
            this.pending.push({ home, deposit })
            this.kick()
          },
          signal
        )
        if (signal.aborted) return
        this.log('subscription at %s ended after %d ms', home.community, Date.now() - began)
      } catch (err) {
        if (signal.aborted) return
        this.log('subscription at %s ended: %s', home.community, errorText(err))
      }
      // a subscription that was up was healthy (the node restarted, a connection was closed):
      // subscribe again at once; only one that keeps failing backs off
      if (Date.now() - began > COLLECT_HEALTHY_MS) delay = COLLECT_RETRY_MIN_MS
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, delay)
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer)
            resolve()
          },
          { once: true }
        )
      })
      delay = Math.min(COLLECT_RETRY_MAX_MS, delay * 2)
    }
  }

  private kick(): void {
    if (this.working !== undefined) return
    this.working = (async () => {
      try {
        // deposits that arrive while a batch is handled form the next one (one commit each)
        while (this.pending.length > 0) {
          await new Promise(resolve => setImmediate(resolve))
          await this.handle(this.pending.splice(0, MAX_BATCH))
        }
      } catch (err) {
        this.log.error('handling deposits failed %e', err)
      } finally {
        this.working = undefined
      }
    })()
  }

  /** Opens a batch of deposits, stores what they carry, acks the senders, deletes what is done. */
  private async handle(batch: Pending[]): Promise<void> {
    const { identity, messenger } = this.components
    const done: Pending[] = []
    const envelopes: Array<{ item: Pending; envelope: Uint8Array }> = []
    for (const item of batch) {
      const community = item.home.community
      const ids = this.waiting.get(community) ?? new Set()
      ids.add(hex(item.deposit.depositId))
      this.waiting.set(community, ids)
      let frame: ReturnType<typeof decodeFrame>
      try {
        frame = decodeFrame(openBlob(item.deposit.blob, identity.dhKeyPair))
      } catch (err) {
        this.log('junk deposit at %s: %s', community, errorText(err))
        done.push(item)
        continue
      }
      if ('envelope' in frame) {
        envelopes.push({ item, envelope: frame.envelope })
      } else if ('ack' in frame) {
        try {
          const ack = await openAck(frame.ack, { localPeerId: identity.peerId })
          messenger.ackedThroughMailbox(ack.receiver.toString(), ack.messageIds)
        } catch (err) {
          this.log('refusing an ack from a mailbox: %s', errorText(err))
        }
        done.push(item)
      } else {
        // the receiver could not open what we deposited (§3.12): checked, then the session restarts
        try {
          await messenger.sessionResetThroughMailbox(frame.sessionReset)
        } catch (err) {
          this.log('refusing a session reset from a mailbox: %s', errorText(err))
        }
        done.push(item)
      }
    }
    if (envelopes.length > 0) {
      const { outcomes, stored, resets } = await messenger.receiveThroughMailbox(envelopes.map(e => e.envelope))
      outcomes.forEach((outcome, i) => {
        if (outcome !== 'kept') done.push(envelopes[i]!.item)
      })
      const began = Date.now()
      for (const [sender, ids] of stored) await this.ackThroughMailbox(sender, ids)
      // a sender whose envelope we could not open is asked for a new session the same way back
      for (const [sender, reset] of resets) {
        await this.components.acks.depositReset(sender, reset, { signal: AbortSignal.timeout(60_000) })
      }
      this.log('acked %d senders through their mailboxes in %d ms', stored.size, Date.now() - began)
    }
    const began = Date.now()
    await this.delete(done)
    this.log(
      'handled %d deposits (%d envelopes); deleting took %d ms',
      batch.length,
      envelopes.length,
      Date.now() - began
    )
  }

  /** One signed ack per MAX_ACK_IDS envelopes, sealed into the sender's queues (it may be offline). */
  private async ackThroughMailbox(sender: string, ids: Uint8Array[]): Promise<void> {
    const { identity, acks } = this.components
    for (let i = 0; i < ids.length; i += MAX_ACK_IDS) {
      const ack = await signAck({
        receiverKey: identity.privateKey,
        sender: peerIdFromString(sender),
        messageIds: ids.slice(i, i + MAX_ACK_IDS)
      })
      await acks.depositAck(sender, ack, { signal: AbortSignal.timeout(60_000) })
    }
  }

  private async delete(done: Pending[]): Promise<void> {
    const byHome = new Map<string, { home: QueueHome; ids: Uint8Array[] }>()
    for (const { home, deposit } of done) {
      const group = byHome.get(home.community) ?? { home, ids: [] }
      group.ids.push(deposit.depositId)
      byHome.set(home.community, group)
    }
    for (const { home, ids } of byHome.values()) {
      try {
        for (let i = 0; i < ids.length; i += 1024) {
          await this.components.calls.deleteDeposits(this.components.libp2p, home, ids.slice(i, i + 1024), {
            signal: AbortSignal.timeout(30_000)
          })
        }
        const waiting = this.waiting.get(home.community)
        for (const id of ids) waiting?.delete(hex(id))
      } catch (err) {
        // they come again with the next subscription, and are recognised as duplicates
        this.log('deleting %d deposits at %s failed: %s', ids.length, home.community, errorText(err))
      }
    }
  }
}
