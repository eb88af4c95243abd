/**
 * What members tell us of our group messages and what we tell senders of theirs (docs/PROTOCOL.md
 * §8.5): pairwise acks make a message `delivered` once every member has it (`send --wait` waits for
 * that), read receipts count its readers; marking a group read sends read receipts to the senders.
 * Each change of one of our messages is a message.status with the group's id as peerId.
 */
import type { Identity } from '../identity/index.ts'
import { TimeoutError } from '../messaging/errors.ts'
import { readReceiptsTo } from '../messaging/read-receipts.ts'
import type { ParleyStore } from '../store/index.ts'
import type { GroupRow } from '../store/index.ts'
import type { OutgoingFrames } from './outgoing.ts'
import type { GroupNotify } from './types.ts'
import { groupMessageView } from './views.ts'

/** How often `send --wait` to a group looks at the members' acks. */
const WAIT_POLL_MS = 50

export interface GroupReceiptsComponents {
  store: Pick<ParleyStore, 'contacts' | 'groups' | 'sessions' | 'settings'>
  identity: Pick<Identity, 'peerId'>
  /** a group by id or `#title`; throws GroupNotFoundError */
  find(ref: string): GroupRow
  outgoing: Pick<OutgoingFrames, 'send'>
  notify: GroupNotify
}

export class GroupReceipts {
  private readonly components: GroupReceiptsComponents
  private readonly me: string

  constructor(components: GroupReceiptsComponents) {
    this.components = components
    this.me = components.identity.peerId.toString()
  }

  /**
   * Marks the group read. With the readReceipts setting on, each sender of a message read here gets
   * a read receipt of those ids (§8.5) by the rule of a direct message's (§3.11,
   * messaging/read-receipts.ts): only a sender that is a contact and with whom a session exists;
   * never the other members.
   */
  async markRead(ref: string): Promise<number> {
    const { store } = this.components
    const read = store.groups.markRead(this.components.find(ref).id)
    const bySender = new Map<string, string[]>()
    for (const { id, sender } of read) {
      if (sender !== this.me) bySender.set(sender, [...(bySender.get(sender) ?? []), id])
    }
    const sends = [...bySender].flatMap(([sender, ids]) => readReceiptsTo(store, sender, ids))
    if (sends.length > 0) await this.components.outgoing.send(sends)
    return read.length
  }

  /**
   * A read receipt from `from` named our group messages `ids` (called inside its envelope's
   * transaction): each sent to `from` counts it once; others are ignored. Pushes message.status
   * with readBy.
   */
  read(from: string, ids: string[]): void {
    for (const { id } of this.components.store.groups.markReadBy(from, ids, Date.now())) {
      const view = groupMessageView(this.components.store, id)
      if (view === undefined) continue
      queueMicrotask(() =>
        this.components.notify('message.status', {
          id,
          peerId: view.groupId,
          status: view.status,
          readBy: view.readBy ?? 0
        })
      )
    }
  }

  /** Pairwise entries acked (delivery.ts): a group message every member now has becomes `delivered` (message.status, peerId = the group id). */
  acked(entryIds: string[]): void {
    const { store } = this.components
    const done = new Set<string>()
    for (const entryId of entryIds) {
      const messageId = store.groups.outgoingMessage(entryId)
      if (messageId === undefined || done.has(messageId)) continue
      const d = store.groups.deliveries(messageId)
      if (d.delivered < d.members) continue
      done.add(messageId)
      const m = store.groups.message(messageId)
      if (m !== undefined) {
        this.components.notify('message.status', {
          id: messageId,
          peerId: m.groupId,
          status: 'delivered',
          deliveredAt: Date.now()
        })
      }
    }
  }

  /** Resolves once every member acked our message `id`; TimeoutError after timeoutMs (it stays queued). */
  async waitDelivered(id: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
    const deadline = Date.now() + options.timeoutMs
    for (;;) {
      const d = this.components.store.groups.deliveries(id)
      if (d.delivered >= d.members) return
      options.signal?.throwIfAborted()
      if (Date.now() > deadline) {
        throw new TimeoutError(
          `${d.delivered} of ${d.members} members have message ${id} after ${options.timeoutMs} ms`
        )
      }
      await new Promise(resolve => setTimeout(resolve, WAIT_POLL_MS))
    }
  }
}
