/**
 * Receiving the group frames members send (docs/PROTOCOL.md §8), each inside its pairwise
 * envelope's transaction: membership events (to membership-changes.ts), sender keys and group
 * messages (read, checked against the membership, decrypted, stored). A frame that needs what has
 * not arrived yet is kept (early-frames.ts).
 */
import type { Logger } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { ed25519PeerFromBytes, peerIdBytes } from '../messaging/envelope-peer.ts'
import { hex } from '../messaging/ids.ts'
import { messageBody } from '../messaging/views.ts'
import type { ParleyStore } from '../store/index.ts'
import type { GroupChainRow, GroupRow } from '../store/index.ts'
import type { EarlyFrames, Outcome } from './early-frames.ts'
import {
  GroupImpersonationError,
  GroupReplayError,
  MalformedGroupFrameError,
  NotGroupAdminError,
  NotGroupMemberError
} from './errors.ts'
import { decryptGroupMessage, readGroupMessage } from './group-message.ts'
import { openGroupEvent } from './membership.ts'
import type { MembershipChanges } from './membership-changes.ts'
import type { OutgoingFrames } from './outgoing.ts'
import { GroupEvent, GroupFrame } from './pb/group.js'
import type { SenderChain } from './sender-key.ts'
import type { GroupNotify } from './types.ts'
import { groupMessageView } from './views.ts'

export interface GroupInboxComponents {
  store: Pick<ParleyStore, 'groups' | 'savepoint'>
  changes: Pick<MembershipChanges, 'apply'>
  early: Pick<EarlyFrames, 'keep' | 'retry'>
  /** control frames a received frame queued go out on the next turn */
  outgoing: Pick<OutgoingFrames, 'waiting' | 'flush'>
  notify: GroupNotify
  log: Logger
}

export class GroupInbox {
  private readonly components: GroupInboxComponents
  /** a refusal that keeps what the frame stored (receiveFrame throws it after the savepoint) */
  private refusal?: Error

  constructor(components: GroupInboxComponents) {
    this.components = components
  }

  /** GroupFrameReceiver: a frame from a member's pairwise envelope; a refused frame is logged and dropped. */
  receive(from: string, frame: Uint8Array): void {
    try {
      this.receiveFrame(from, frame)
    } catch (err) {
      this.components.log('refused a group frame from %s: %s %s', from, (err as Error).name, (err as Error).message)
    }
    const { outgoing } = this.components
    if (outgoing.waiting) setImmediate(() => void outgoing.flush())
  }

  /** Applies one frame (in its own savepoint); throws the refusal's named error. */
  receiveFrame(from: string, frame: Uint8Array): void {
    this.refusal = undefined
    this.components.store.savepoint(() => {
      this.process(from, frame, true)
    })
    const refusal = this.refusal
    this.refusal = undefined
    if (refusal !== undefined) throw refusal
  }

  /** Applies a frame (inside the caller's savepoint); `keep`: a frame that must wait is kept, and a sender key retries the kept ones. */
  process(from: string, bytes: Uint8Array, keep: boolean): Outcome {
    let frame: GroupFrame
    try {
      frame = GroupFrame.decode(bytes)
    } catch (err) {
      throw new MalformedGroupFrameError(`cannot decode group frame: ${(err as Error).message}`)
    }
    let groupId: string
    let outcome: Outcome
    if (frame.events != null) {
      const events = frame.events.events.map(e => openGroupEvent(GroupEvent.encode(e)))
      if (events.length === 0) throw new MalformedGroupFrameError('an events frame holds no event')
      groupId = events[0]!.groupId
      if (events.some(e => e.groupId !== groupId)) throw new MalformedGroupFrameError('events of more than one group')
      const state = this.components.changes.apply(groupId, events, from)
      // one new change by its author that the merge rule did not apply (it is kept: a later
      // event may show it counted, e.g. its author made admin by an event not yet here)
      const e = events[0]!
      if (events.length === 1 && e.author === from && state !== undefined && !state.applied.includes(e.hash)) {
        this.refusal = new NotGroupAdminError(`the ${e.change.type} of ${from} in ${groupId} does not apply`)
      }
      return 'done'
    } else if (frame.senderKey != null) {
      groupId = hex(frame.senderKey.groupId)
      outcome = this.onSenderKey(from, groupId, frame.senderKey)
    } else if (frame.message != null) {
      const m = readGroupMessage(frame.message)
      groupId = m.groupId
      if (m.sender !== from) {
        throw new GroupImpersonationError(`a message of ${m.sender} carried by ${from}`)
      }
      outcome = this.onMessage(from, m)
    } else {
      throw new MalformedGroupFrameError('group frame has no known kind')
    }
    if (outcome === 'later' && keep) {
      this.components.early.keep(groupId, from, bytes)
    }
    if (outcome === 'done' && frame.senderKey != null && keep) this.components.early.retry(groupId)
    return outcome
  }

  /** Is `from` a member now? 'later' when the group or its membership is not known yet. */
  private membership(groupId: string, from: string): GroupRow | 'later' {
    const g = this.components.store.groups.get(groupId)
    if (g === undefined) return 'later'
    if (g.members.includes(from)) return g
    if (g.removed.includes(from) || g.left) throw new NotGroupMemberError(`${from} is not a member of ${groupId}`)
    return 'later'
  }

  private onSenderKey(
    from: string,
    groupId: string,
    sk: { signingKey: Uint8Array; iteration: number; chainKey: Uint8Array }
  ): Outcome {
    const g = this.membership(groupId, from)
    if (g === 'later') return 'later'
    if (sk.signingKey.length !== 32 || sk.chainKey.length !== 32) {
      throw new MalformedGroupFrameError('sender key: signing key and chain key are 32 bytes')
    }
    const { store } = this.components
    // a chain we have is never set back (a replayed sender key would reopen used keys)
    if (store.groups.chain(groupId, from, sk.signingKey) !== undefined) {
      throw new GroupReplayError(`sender key ${hex(sk.signingKey).slice(0, 16)} of ${from} is known`)
    }
    store.groups.putChain({
      groupId,
      sender: from,
      signingKey: sk.signingKey,
      iteration: sk.iteration,
      chainKey: sk.chainKey,
      skipped: new Map(),
      current: false
    })
    return 'done'
  }

  private onMessage(from: string, m: ReturnType<typeof readGroupMessage>): Outcome {
    const { store } = this.components
    const g = this.membership(m.groupId, from)
    if (g === 'later') return 'later'
    if (store.groups.message(m.id) !== undefined) throw new GroupReplayError(`message ${m.id} is known`)
    const last = store.groups.senderChain(m.groupId, from)
    if (last !== undefined && m.seq <= last.seq) {
      throw new GroupReplayError(`message ${m.id} has seq ${m.seq}, not after ${last.seq}`)
    }
    const row: GroupChainRow | undefined = store.groups.chain(m.groupId, from, m.signingKey)
    if (row === undefined) return 'later'
    const chain: SenderChain = row
    const opened = decryptGroupMessage(m, peerIdBytes(peerIdFromString(from)), chain)
    store.groups.putChain({ ...row, ...opened.chain, current: false })
    store.groups.setSenderChain(m.groupId, from, m.seq, m.hash)
    const now = Date.now()
    store.groups.insertMessage({
      id: m.id,
      groupId: m.groupId,
      sender: from,
      direction: 'in',
      ...messageBody(opened.content),
      mentions: opened.mentions.map(b => peerString(b)).filter((p): p is string => p !== undefined),
      sentAt: m.sentAt,
      storedAt: now,
      seq: m.seq,
      lamport: m.lamport,
      unread: true
    })
    if (m.lamport > g.lamport) store.groups.put({ ...g, lamport: m.lamport, updatedAt: now })
    const view = groupMessageView(store, m.id)!
    queueMicrotask(() => this.components.notify('group.message', { message: view }))
    return 'done'
  }
}

function peerString(bytes: Uint8Array): string | undefined {
  return ed25519PeerFromBytes(bytes)?.peerId.toString()
}
