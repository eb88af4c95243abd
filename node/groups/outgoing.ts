/**
 * Frames to members through the pairwise outbox: control frames (events, sender keys) queued inside
 * a transaction and sent once it has committed, and every fan-out in one outbox transaction followed
 * by each member's delivery.
 */
import type { Logger } from '@libp2p/interface'
import type { MessageContent } from '../messaging/content.ts'
import { newMessageId } from '../messaging/ids.ts'
import type { ParleyStore } from '../store/index.ts'
import type { OutboxKind } from '../store/index.ts'

/** One entry of the pairwise outbox, to one member. */
export interface PairwiseSend {
  peerId: string
  id: string
  content: MessageContent
  kind: OutboxKind
}

export interface PairwiseOutbox {
  /** one entry per member and frame, all of one fan-out in one transaction */
  enqueueMany(sends: PairwiseSend[]): Promise<unknown>
}

/** A group frame to one member under its outbox entry id (store.groups' outgoing row). */
export interface FrameSend {
  member: string
  entryId: string
  frame: Uint8Array
}

export interface OutgoingComponents {
  store: Pick<ParleyStore, 'groups'>
  outbox: PairwiseOutbox
  /** attempts delivery to these peers now (one store transaction for all) */
  deliverNow(peerIds: Iterable<string>): void
  log: Logger
}

export class OutgoingFrames {
  private readonly components: OutgoingComponents
  /** control frames to send once the current transaction has committed, in order */
  private readonly queued: FrameSend[] = []

  constructor(components: OutgoingComponents) {
    this.components = components
  }

  /** Control frames are waiting for flush(). */
  get waiting(): boolean {
    return this.queued.length > 0
  }

  /** Queues control frames to a member (inside the caller's transaction), sent by flush() once it has committed. */
  queue(groupId: string, member: string, frames: Uint8Array[]): void {
    for (const frame of frames) {
      const entryId = newMessageId()
      this.components.store.groups.addOutgoing({ entryId, groupId, member, frame })
      this.queued.push({ member, entryId, frame })
    }
  }

  /** Sends the frames that receiving or a change queued (receiving calls it on the next turn). */
  async flush(): Promise<void> {
    const sends = this.queued.splice(0)
    if (sends.length === 0) return
    try {
      await this.fanOut(sends)
    } catch (err) {
      this.components.log.error('a group frame could not be queued %e', err)
    }
  }

  /** Group frames to members: one outbox transaction for all, then each member's delivery. */
  async fanOut(sends: FrameSend[]): Promise<void> {
    await this.send(
      sends.map(s => ({ peerId: s.member, id: s.entryId, content: { type: 'group', frame: s.frame }, kind: 'group' }))
    )
  }

  /** Entries to members through the pairwise outbox in one transaction; each member's delivery is tried even when it throws. */
  async send(sends: PairwiseSend[]): Promise<void> {
    try {
      await this.components.outbox.enqueueMany(sends)
    } finally {
      this.components.deliverNow(new Set(sends.map(s => s.peerId)))
    }
  }
}
