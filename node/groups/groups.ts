/**
 * Group conversations (docs/PROTOCOL.md §8), wired from their parts: membership changes (signed
 * events, merged by membership.ts; membership-changes.ts), sending (encrypted once with our
 * sender-key chain, the same GroupMessage handed to every member through the pairwise outbox;
 * sender.ts, outgoing.ts), acks and read receipts (receipts.ts), receiving the frames members send
 * inside the pairwise envelope's transaction (inbox.ts) and keeping those that arrive before what
 * they need (early-frames.ts). The messenger builds Groups and routes a group target to it; the
 * daemon's groups.* methods call it.
 */
import type { ComponentLogger, Logger } from '@libp2p/interface'
import type { Identity } from '../identity/index.ts'
import type { ParleyStore } from '../store/index.ts'
import type { GroupRow } from '../store/index.ts'
import { EarlyFrames } from './early-frames.ts'
import { GroupNotFoundError } from './errors.ts'
import type { GroupContent } from './group-message.ts'
import { GroupInbox } from './inbox.ts'
import { MembershipChanges } from './membership-changes.ts'
import { OutgoingFrames, type PairwiseOutbox } from './outgoing.ts'
import { GroupReceipts } from './receipts.ts'
import { GroupSender } from './sender.ts'
import type { GroupMessageView, GroupNotify, GroupView } from './types.ts'
import { groupMessageView, groupView } from './views.ts'

export interface GroupsComponents {
  store: ParleyStore
  identity: Pick<Identity, 'peerId' | 'privateKey'>
  /** the pairwise outbox: one entry per member and frame, all of one fan-out in one transaction */
  outbox: PairwiseOutbox
  /** attempts delivery to these peers now (one store transaction for all) */
  deliverNow(peerIds: Iterable<string>): void
  /** a member given by name, peer id or contact → its peer id */
  resolve(target: string, options: { signal?: AbortSignal }): Promise<string>
  notify: GroupNotify
  logger: ComponentLogger
}

const GROUP_ID_PATTERN = /^[0-9a-f]{32}$/

export class Groups {
  private readonly components: GroupsComponents
  private readonly log: Logger
  private readonly me: string
  private readonly outgoing: OutgoingFrames
  private readonly changes: MembershipChanges
  private readonly sender: GroupSender
  private readonly receipts: GroupReceipts
  private readonly inbox: GroupInbox
  private readonly early: EarlyFrames

  constructor(components: GroupsComponents) {
    this.components = components
    const { store, identity, outbox, deliverNow, resolve, notify } = components
    this.me = identity.peerId.toString()
    this.log = components.logger.forComponent('parley:groups')
    const log = this.log
    const find = (ref: string): GroupRow => this.find(ref)
    this.outgoing = new OutgoingFrames({ store, outbox, deliverNow, log })
    this.early = new EarlyFrames({ store, apply: (from, frame) => this.inbox.process(from, frame, false), log })
    this.changes = new MembershipChanges({
      store,
      identity,
      resolve,
      find,
      outgoing: this.outgoing,
      retryEarly: groupId => this.early.retry(groupId),
      notify,
      log
    })
    this.sender = new GroupSender({ store, identity, find, outgoing: this.outgoing })
    this.receipts = new GroupReceipts({ store, identity, find, outgoing: this.outgoing, notify })
    this.inbox = new GroupInbox({
      store,
      changes: this.changes,
      early: this.early,
      outgoing: this.outgoing,
      notify,
      log
    })
  }

  // ---------------------------------------------------------------- finding

  /** A group by id or `#title` (unique). Throws GroupNotFoundError. */
  find(ref: string): GroupRow {
    const { store } = this.components
    if (GROUP_ID_PATTERN.test(ref)) {
      const g = store.groups.get(ref)
      if (g !== undefined) return g
    } else if (ref.startsWith('#')) {
      const title = ref.slice(1)
      const found = store.groups.list().filter(g => g.title === title)
      if (found.length === 1) return found[0]!
      if (found.length > 1)
        throw new GroupNotFoundError(`${found.length} groups are titled ${JSON.stringify(title)}; use the id`)
    }
    throw new GroupNotFoundError(`no group ${ref}`)
  }

  /** The target names a group (`#title`, or the id of a group we have) rather than a peer. */
  isGroupRef(target: string): boolean {
    return (
      target.startsWith('#') ||
      (GROUP_ID_PATTERN.test(target) && this.components.store.groups.get(target) !== undefined)
    )
  }

  /** The peer is a member of a group we are in (its envelopes are not a stranger's). */
  sharesGroupWith(peerId: string): boolean {
    return this.components.store.groups.list().some(g => !g.left && g.members.includes(peerId))
  }

  /** The peer is or was a member of one of our groups (frames to it are delivered without a contact). */
  knowsPeer(peerId: string): boolean {
    return this.components.store.groups.list().some(g => g.members.includes(peerId) || g.removed.includes(peerId))
  }

  list(): GroupView[] {
    return this.components.store.groups.list().map(g => this.view(g))
  }

  view(g: GroupRow): GroupView {
    return groupView(this.components.store, this.me, g)
  }

  history(ref: string, options: { limit: number; before?: number }): GroupMessageView[] {
    const g = this.find(ref)
    return this.components.store.groups.history(g.id, options).map(m => this.messageView(m.id)!)
  }

  /** Full-text search of group messages, newest first: in one group (`ref`) or in all. */
  search(
    query: string,
    options: { ref?: string; limit: number }
  ): Array<{
    message: GroupMessageView
    excerpt: string
    highlights: Array<[number, number]>
    group: { id: string; title: string }
  }> {
    const { store } = this.components
    const groupId = options.ref !== undefined ? this.find(options.ref).id : undefined
    return store.groups
      .search(query, { ...(groupId !== undefined ? { groupId } : {}), limit: options.limit })
      .map(hit => ({
        message: this.messageView(hit.message.id)!,
        excerpt: hit.excerpt,
        highlights: hit.highlights,
        group: { id: hit.message.groupId, title: store.groups.get(hit.message.groupId)?.title ?? '' }
      }))
  }

  messageView(id: string): GroupMessageView | undefined {
    return groupMessageView(this.components.store, id)
  }

  // ---------------------------------------------------------------- membership (membership-changes.ts)

  async create(title: string, members: string[], options: { signal?: AbortSignal } = {}): Promise<GroupView> {
    return await this.changes.create(title, members, options)
  }

  async add(ref: string, member: string, options: { signal?: AbortSignal } = {}): Promise<GroupView> {
    return await this.changes.add(ref, member, options)
  }

  async remove(ref: string, member: string, options: { signal?: AbortSignal } = {}): Promise<GroupView> {
    return await this.changes.remove(ref, member, options)
  }

  async admin(ref: string, member: string, options: { signal?: AbortSignal } = {}): Promise<GroupView> {
    return await this.changes.admin(ref, member, options)
  }

  async rename(ref: string, title: string): Promise<GroupView> {
    return await this.changes.rename(ref, title)
  }

  async leave(ref: string): Promise<GroupView> {
    return await this.changes.leave(ref)
  }

  /** Sends the frames that receiving or a change queued (receive() calls it on the next turn). */
  async flush(): Promise<void> {
    await this.outgoing.flush()
  }

  // ---------------------------------------------------------------- sending (sender.ts, receipts.ts)

  async send(
    ref: string,
    content: GroupContent,
    options: { signal?: AbortSignal } = {}
  ): Promise<{ id: string; status: 'queued' | 'delivered' }> {
    return await this.sender.send(ref, content, options)
  }

  /** Pairwise entries acked (delivery.ts): a group message every member now has becomes `delivered`. */
  acked(entryIds: string[]): void {
    this.receipts.acked(entryIds)
  }

  /** Resolves once every member acked our message `id`; TimeoutError after timeoutMs (it stays queued). */
  async waitDelivered(id: string, options: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
    await this.receipts.waitDelivered(id, options)
  }

  /** Marks the group read; read receipts go to the senders when the setting is on (receipts.ts). */
  async markRead(ref: string): Promise<number> {
    return await this.receipts.markRead(ref)
  }

  // ---------------------------------------------------------------- receiving (inbox.ts, the messenger's GroupFrameReceiver)

  /** A frame from a member's pairwise envelope; a refused frame is logged and dropped. */
  receive(from: string, frame: Uint8Array): void {
    this.inbox.receive(from, frame)
  }

  /** Applies one frame (in its own savepoint); throws the refusal's named error. */
  receiveFrame(from: string, frame: Uint8Array): void {
    this.inbox.receiveFrame(from, frame)
  }

  /** A read receipt from `from` named these ids: our group messages among them count a reader. */
  read(from: string, ids: string[]): void {
    this.receipts.read(from, ids)
  }
}
