/**
 * Delivery through a recipient's mailboxes (docs/PROTOCOL.md §7.6), the member's sending side:
 * each envelope (or ack) is sealed to the recipient's X25519 identity DH key (sealed.ts) and
 * deposited, from a throwaway identity (client.ts), in every queue the recipient handed us.
 * node/messaging/delivery.ts decides when (MailboxFallback); this file only does it.
 */
import type { ComponentLogger, Logger } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { encodeFrame } from '../messaging/envelope-frame.ts'
import type { Directory, MailboxFallback } from '../messaging/types.ts'
import type { ContactQueueRow, ParleyStore } from '../store/index.ts'
import { contactLabel } from '../text/contact-label.ts'
import type { MailboxCalls } from './member-calls.ts'
import { sealBlob } from './sealed.ts'
import type { PublicQueue } from './types.ts'

export interface MailboxDeliveryComponents {
  store: Pick<ParleyStore, 'mailboxes' | 'contacts'>
  directory: Pick<Directory, 'profile'>
  calls: Pick<MailboxCalls, 'deposit'>
  logger: ComponentLogger
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

export class MailboxDelivery implements MailboxFallback {
  private readonly components: MailboxDeliveryComponents
  private readonly log: Logger

  constructor(components: MailboxDeliveryComponents) {
    this.components = components
    this.log = components.logger.forComponent('parley:mailbox:delivery')
  }

  async deposit(
    peerId: string,
    entries: Array<{ messageId: string; envelope: Uint8Array }>,
    options: { signal: AbortSignal }
  ): Promise<string[]> {
    if (entries.length === 0) return []
    let queues: Array<ContactQueueRow | PublicQueue> = this.components.store.mailboxes.contactQueues(peerId)
    if (queues.length === 0) {
      // a peer that handed us no queue (we are a stranger to it, or it has none): its public
      // contact queues from its profile, guarded by proof of work (§7.4)
      const profile = await this.components.directory.profile(peerIdFromString(peerId), options)
      this.components.store.mailboxes.setDhKey(peerId, profile.dhKey)
      queues = profile.mailboxes ?? []
    }
    if (queues.length === 0) return []
    const dhKey = await this.dhKey(peerId, options)
    const blobs: Uint8Array[] = []
    for (const entry of entries) {
      try {
        blobs.push(sealBlob(encodeFrame({ envelope: entry.envelope }), dhKey))
      } catch (err) {
        // too large for the largest blob: this one and the ones after it wait for the direct path
        this.log('entry %s to %s cannot be sealed for a mailbox: %s', entry.messageId, peerId, errorText(err))
        break
      }
    }
    const accepted = await this.depositAll(peerId, queues, blobs, options)
    return entries.slice(0, accepted).map(e => e.messageId)
  }

  /** A signed ack for a sender that came through our mailboxes: sealed into its queues (best effort; a direct delivery acks again). */
  async depositAck(peerId: string, ack: Uint8Array, options: { signal: AbortSignal }): Promise<boolean> {
    return await this.depositFrame(peerId, { ack }, options)
  }

  /** A signed session reset request (§3.12) for a sender whose envelope from a mailbox we could not open: sealed into its queues (best effort, as an ack). */
  async depositReset(peerId: string, sessionReset: Uint8Array, options: { signal: AbortSignal }): Promise<boolean> {
    return await this.depositFrame(peerId, { sessionReset }, options)
  }

  private async depositFrame(
    peerId: string,
    frame: { ack: Uint8Array } | { sessionReset: Uint8Array },
    options: { signal: AbortSignal }
  ): Promise<boolean> {
    const queues = this.components.store.mailboxes.contactQueues(peerId)
    if (queues.length === 0) return false
    try {
      const blob = sealBlob(encodeFrame(frame), await this.dhKey(peerId, options))
      return (await this.depositAll(peerId, queues, [blob], options)) > 0
    } catch (err) {
      this.log('%s to %s not deposited: %s', 'ack' in frame ? 'ack' : 'session reset', peerId, errorText(err))
      return false
    }
  }

  /**
   * Deposits the blobs, in order, in every queue at once; resolves to how many of the first blobs
   * at least one queue took. A batch a queue refuses is retried blob by blob (replays are stored
   * once), so a queue that fills up midway still takes the ones before. Throws the first error when
   * no queue took any.
   */
  private async depositAll(
    peerId: string,
    queues: Array<ContactQueueRow | PublicQueue>,
    blobs: Uint8Array[],
    options: { signal: AbortSignal }
  ): Promise<number> {
    if (blobs.length === 0) return 0
    const owner = this.owner(peerId)
    const results = await Promise.allSettled(
      queues.map(async queue => {
        try {
          await this.components.calls.deposit(queue, blobs, { signal: options.signal, owner })
          return blobs.length
        } catch (err) {
          if (blobs.length === 1) throw err
          let taken = 0
          for (const blob of blobs) {
            try {
              await this.components.calls.deposit(queue, [blob], { signal: options.signal, owner })
            } catch (second) {
              if (taken === 0) throw second
              break
            }
            taken++
          }
          return taken
        }
      })
    )
    let most = 0
    let firstError: unknown
    for (const [i, r] of results.entries()) {
      if (r.status === 'fulfilled') most = Math.max(most, r.value)
      else {
        firstError ??= r.reason
        this.log('mailbox %d of %s (at %s) refused: %s', i, peerId, queues[i]!.community, errorText(r.reason))
      }
    }
    if (most === 0 && firstError !== undefined) throw firstError
    return most
  }

  /** Keeps the peer's DH key now (its queues just came, it is reachable): a later deposit needs no lookup. */
  async learnKey(peerId: string, options: { signal: AbortSignal }): Promise<void> {
    await this.dhKey(peerId, options)
  }

  /** "bob's" for "bob's mailbox is full": the contact's label. */
  private owner(peerId: string): string {
    const contact = this.components.store.contacts.get(peerId)
    return `${contactLabel(contact ?? { peerId })}'s`
  }

  /** The peer's X25519 identity DH key: kept from its profile (it never changes for an identity). */
  private async dhKey(peerId: string, options: { signal: AbortSignal }): Promise<Uint8Array> {
    const { store, directory } = this.components
    const kept = store.mailboxes.dhKey(peerId)
    if (kept !== undefined) return kept
    const profile = await directory.profile(peerIdFromString(peerId), options)
    store.mailboxes.setDhKey(peerId, profile.dhKey)
    return profile.dhKey
  }
}
