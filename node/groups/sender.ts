/**
 * Sending a group message (docs/PROTOCOL.md §8.3): our sender-key chain to each member that does
 * not have it yet, then the message sealed once and the same frame handed to every member through
 * the pairwise outbox, all in one transaction.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import { randomBytes } from '../crypto/primitives.ts'
import type { Identity } from '../identity/index.ts'
import { peerIdBytes } from '../messaging/envelope-peer.ts'
import { fromHex, hex, newMessageId } from '../messaging/ids.ts'
import { messageBody } from '../messaging/views.ts'
import type { ParleyStore } from '../store/index.ts'
import type { GroupRow } from '../store/index.ts'
import { GROUP_MESSAGE_ID_LENGTH } from './constants.ts'
import { NotGroupMemberError } from './errors.ts'
import { type GroupContent, sealGroupMessage } from './group-message.ts'
import type { FrameSend, OutgoingFrames } from './outgoing.ts'
import { GroupFrame, GroupMessage } from './pb/group.js'
import { newSenderChain } from './sender-key.ts'

export interface GroupSenderComponents {
  store: Pick<ParleyStore, 'groups' | 'transaction'>
  identity: Pick<Identity, 'peerId'>
  /** a group by id or `#title`; throws GroupNotFoundError */
  find(ref: string): GroupRow
  outgoing: Pick<OutgoingFrames, 'fanOut'>
}

export class GroupSender {
  private readonly components: GroupSenderComponents
  private readonly me: string

  constructor(components: GroupSenderComponents) {
    this.components = components
    this.me = components.identity.peerId.toString()
  }

  async send(
    ref: string,
    content: GroupContent,
    options: { signal?: AbortSignal } = {}
  ): Promise<{ id: string; status: 'queued' | 'delivered' }> {
    const { store } = this.components
    const g = this.components.find(ref)
    if (g.left || !g.members.includes(this.me)) throw new NotGroupMemberError(`we are not a member of ${g.id}`)
    options.signal?.throwIfAborted()
    const others = g.members.filter(m => m !== this.me)
    const id = hex(randomBytes(GROUP_MESSAGE_ID_LENGTH))
    const now = Date.now()
    const mentions = (content.mentions ?? []).filter(m => g.members.includes(m))
    let frame: Uint8Array
    const toSend: FrameSend[] = []
    store.transaction(() => {
      let current = store.groups.currentChain(g.id)
      if (current === undefined) {
        current = { groupId: g.id, sender: this.me, ...newSenderChain(), current: true }
        store.groups.putChain(current)
      }
      // our chain, as it is now, to each member that does not have it yet: before the message
      const have = store.groups.distributed(g.id, current.signingKey)
      for (const member of others) {
        if (have.has(member)) continue
        const skFrame = GroupFrame.encode({
          senderKey: {
            groupId: new Uint8Array(fromHex(g.id)),
            signingKey: new Uint8Array(current.signingKey),
            iteration: current.iteration,
            chainKey: new Uint8Array(current.chainKey)
          }
        })
        const entryId = newMessageId()
        store.groups.addOutgoing({ entryId, groupId: g.id, member, frame: skFrame })
        store.groups.markDistributed(g.id, current.signingKey, member)
        toSend.push({ member, entryId, frame: skFrame })
      }
      const lamport = g.lamport + 1
      const sealed = sealGroupMessage({
        groupId: fromHex(g.id),
        id: fromHex(id),
        sender: peerIdBytes(this.components.identity.peerId),
        chain: current,
        seq: g.outSeq + 1,
        prevHash: g.outHash,
        lamport,
        sentAt: now,
        content,
        mentions: mentions.map(m => peerIdBytes(peerIdFromString(m)))
      })
      store.groups.putChain({ ...current, ...sealed.chain, current: true })
      store.groups.put({ ...g, outSeq: g.outSeq + 1, outHash: sealed.hash, lamport, updatedAt: now })
      frame = GroupFrame.encode({ message: GroupMessage.decode(sealed.bytes) })
      store.groups.insertMessage({
        id,
        groupId: g.id,
        sender: this.me,
        direction: 'out',
        ...messageBody(content),
        mentions,
        sentAt: now,
        storedAt: now,
        seq: g.outSeq + 1,
        lamport,
        unread: false,
        wire: frame
      })
      for (const member of others) {
        const entryId = newMessageId()
        store.groups.addOutgoing({ entryId, groupId: g.id, member, messageId: id })
        toSend.push({ member, entryId, frame })
      }
    })
    // per member, in order: its sender key (if any) before the message; all members in one commit
    if (toSend.length > 0) await this.components.outgoing.fanOut(toSend)
    return { id, status: others.length === 0 ? 'delivered' : 'queued' }
  }
}
