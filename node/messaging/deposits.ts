/**
 * The mailbox fallback of delivery (docs/PROTOCOL.md §7.6): a peer's sealed envelopes that no
 * mailbox holds yet go to its mailboxes (through the MailboxFallback, node/mailbox); accepted ones
 * are marked deposited and their messages `stored`, and a mailbox's refusal becomes the messages'
 * error. One run at a time per peer. delivery.ts decides when.
 */
import type { Logger } from '@libp2p/interface'
import { HELD, type ParleyStore } from '../store/index.ts'
import type { MailboxFallback, Notify } from './types.ts'

export function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

export class MailboxDeposits {
  private readonly components: {
    store: Pick<ParleyStore, 'transaction' | 'messages' | 'outbox'>
    notify: Notify
    mailbox?: MailboxFallback
    log: Logger
    /** whether delivery still runs (checked again after each await) */
    running: () => boolean
  }

  /** per-peer deposits in progress */
  private readonly depositing = new Map<string, Promise<void>>()

  constructor(components: MailboxDeposits['components']) {
    this.components = components
  }

  /** Resolves once the deposits running now have ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.depositing.values()])
  }

  /**
   * Deposits the peer's sealed entries that no mailbox holds yet in its mailboxes: accepted
   * ones are marked deposited and their messages `stored`; when none is accepted (a full or
   * unreachable mailbox) the error is the messages' error and they stay queued. One at a time per peer.
   */
  pending(peerId: string, options: { signal: AbortSignal }): Promise<void> {
    const running = this.depositing.get(peerId)
    if (running !== undefined) return running
    const run = this.deposit(peerId, options.signal)
      .catch(err => this.components.log('deposit to the mailboxes of %s failed: %s', peerId, errorText(err)))
      .finally(() => this.depositing.delete(peerId))
    this.depositing.set(peerId, run)
    return run
  }

  private async deposit(peerId: string, signal: AbortSignal): Promise<void> {
    const { store, notify, mailbox, running } = this.components
    if (mailbox === undefined || !running()) return
    const entries = store.outbox
      .forPeer(peerId)
      .filter(e => e.envelope.length > 0 && e.depositedAt === undefined && e.nextAttempt < HELD)
    if (entries.length === 0) return
    let accepted: string[]
    try {
      accepted = await mailbox.deposit(
        peerId,
        entries.map(e => ({ messageId: e.messageId, envelope: e.envelope })),
        { signal }
      )
    } catch (err) {
      if (!running()) return
      // the mailbox's own words (e.g. "bob's mailbox is full"): the user can act on them
      const error = err instanceof Error ? err.message : String(err)
      const changed: string[] = []
      store.transaction(() => {
        for (const e of entries) {
          if (e.kind !== 'message') continue
          const message = store.messages.get(e.messageId)
          if (message === undefined || message.status !== 'queued' || message.error === error) continue
          store.messages.update(e.messageId, { error })
          changed.push(e.messageId)
        }
      })
      for (const id of changed) notify('message.status', { id, peerId, status: 'queued', error })
      throw err
    }
    if (accepted.length === 0) return
    const now = Date.now()
    const stored: string[] = []
    store.transaction(() => {
      store.outbox.deposited(accepted, now)
      for (const id of accepted) {
        // an ack may have come meanwhile: delivered stays delivered
        if (store.outbox.get(id)?.kind !== 'message' || store.messages.get(id)?.status !== 'queued') continue
        store.messages.update(id, { status: 'stored', error: undefined })
        stored.push(id)
      }
    })
    this.components.log('%d envelopes to %s are in its mailboxes', accepted.length, peerId)
    for (const id of stored) notify('message.status', { id, peerId, status: 'stored' })
  }
}
