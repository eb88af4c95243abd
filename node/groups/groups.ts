/**
 * Group conversations (docs/PROTOCOL.md §8): creating a group and changing its membership (signed
 * events, merged by membership.ts), sending (encrypted once with our sender-key chain, the same
 * GroupMessage handed to every member through the pairwise outbox) and receiving the frames members
 * send (inside the pairwise envelope's transaction). Frames that arrive before what they need (the
 * group's log, the sender's membership, its chain) wait in the store and are tried again after each
 * change of the group.
 */
import type { ComponentLogger, Logger } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { randomBytes } from '../crypto/primitives.ts'
import type { Identity } from '../identity/index.ts'
import type { MessageContent } from '../messaging/content.ts'
import { ed25519PeerFromBytes, peerIdBytes } from '../messaging/envelope-peer.ts'
import { TimeoutError } from '../messaging/errors.ts'
import type { ParleyStore } from '../store/index.ts'
import type { GroupChainRow, GroupRow, OutboxKind } from '../store/types.ts'
import { MAX_READ_RECEIPT_IDS } from '../messaging/envelope-constants.ts'
import { GROUP_MESSAGE_ID_LENGTH, MAX_GROUP_EVENTS, MAX_GROUP_MEMBERS, MAX_PENDING_FRAMES } from './constants.ts'
import {
  ForgedGroupEventError,
  GroupImpersonationError,
  GroupNotFoundError,
  GroupReplayError,
  InvalidGroupChangeError,
  MalformedGroupFrameError,
  NotGroupAdminError,
  NotGroupMemberError
} from './errors.ts'
import { decryptGroupMessage, type GroupContent, readGroupMessage, sealGroupMessage } from './group-message.ts'
import {
  type GroupChange as LogChange,
  type GroupState,
  mergeGroupLog,
  openGroupEvent,
  type SignedGroupEvent,
  signGroupEvent
} from './membership.ts'
import { titleProblem } from './membership-rules.ts'
import { GroupEvent, GroupFrame, GroupMessage } from './pb/group.js'
import { newSenderChain, type SenderChain } from './sender-key.ts'
import type { GroupChange, GroupMessageView, GroupNotify, GroupView } from './types.ts'

export interface GroupsComponents {
  store: ParleyStore
  identity: Pick<Identity, 'peerId' | 'privateKey'>
  /** the pairwise outbox: one entry per member and frame, all of one fan-out in one transaction */
  outbox: {
    enqueueMany(
      sends: Array<{ peerId: string; id: string; content: MessageContent; kind: OutboxKind }>
    ): Promise<unknown>
  }
  /** attempts delivery to these peers now (one store transaction for all) */
  deliverNow(peerIds: Iterable<string>): void
  /** a member given by name, peer id or contact → its peer id */
  resolve(target: string, options: { signal?: AbortSignal }): Promise<string>
  notify: GroupNotify
  logger: ComponentLogger
}

/** How often `send --wait` to a group looks at the members' acks. */
const WAIT_POLL_MS = 50

/** Most bytes of events in one frame (a full log goes in several); leaves room for the envelope. */
const MAX_EVENTS_FRAME_BYTES = 48 * 1024

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'))
const GROUP_ID_PATTERN = /^[0-9a-f]{32}$/

type Outcome = 'done' | 'later'

export class Groups {
  private readonly components: GroupsComponents
  private readonly log: Logger
  private readonly me: string
  /** control frames to send once the current transaction has committed, in order */
  private readonly sends: Array<{ member: string; entryId: string; frame: Uint8Array }> = []
  /** a refusal that keeps what the frame stored (receiveFrame throws it after the savepoint) */
  private refusal?: Error

  constructor(components: GroupsComponents) {
    this.components = components
    this.me = components.identity.peerId.toString()
    this.log = components.logger.forComponent('parley:groups')
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
    const { store } = this.components
    return {
      id: g.id,
      title: g.title,
      members: g.members.map(peerId => {
        const c = store.contacts.get(peerId)
        const name = c?.name ?? c?.announcedName
        return { peerId, ...(name !== undefined ? { name } : {}), admin: g.admins.includes(peerId) }
      }),
      unread: store.groups.unread(g.id),
      left: g.left,
      admin: !g.left && g.admins.includes(this.me)
    }
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

  /**
   * Marks the group read. With the readReceipts setting on, each sender of a message read here gets
   * a read receipt of those ids (§8.5), like a direct message's (§3.11): only a sender that is a
   * contact and with whom a session exists; never the other members.
   */
  async markRead(ref: string): Promise<number> {
    const { store } = this.components
    const read = store.groups.markRead(this.find(ref).id)
    if (read.length === 0 || !store.settings.readReceipts()) return read.length
    const bySender = new Map<string, Uint8Array[]>()
    for (const { id, sender } of read) {
      if (sender === this.me || store.contacts.get(sender)?.state !== 'contact') continue
      if (store.sessions.current(sender) == null) continue
      bySender.set(sender, [...(bySender.get(sender) ?? []), fromHex(id)])
    }
    const sends = [...bySender].flatMap(([member, ids]) => {
      const receipts = []
      for (let i = 0; i < ids.length; i += MAX_READ_RECEIPT_IDS) {
        const messageIds = ids.slice(i, i + MAX_READ_RECEIPT_IDS)
        receipts.push({
          peerId: member,
          id: hex(randomBytes(GROUP_MESSAGE_ID_LENGTH)),
          content: { type: 'read-receipt', messageIds } as MessageContent,
          kind: 'receipt' as const
        })
      }
      return receipts
    })
    if (sends.length > 0) {
      try {
        await this.components.outbox.enqueueMany(sends)
      } finally {
        this.components.deliverNow(bySender.keys())
      }
    }
    return read.length
  }

  /**
   * A read receipt from `from` named our group messages `ids` (called inside its envelope's
   * transaction): each sent to `from` counts it once; others are ignored. Pushes message.status
   * with readBy.
   */
  read(from: string, ids: string[]): void {
    for (const { id } of this.components.store.groups.markReadBy(from, ids, Date.now())) {
      const view = this.messageView(id)
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

  messageView(id: string): GroupMessageView | undefined {
    const m = this.components.store.groups.message(id)
    if (m === undefined) return undefined
    const delivery = m.direction === 'out' ? this.components.store.groups.deliveries(id) : undefined
    return {
      id: m.id,
      groupId: m.groupId,
      from: m.sender,
      to: m.groupId,
      direction: m.direction,
      text: m.text,
      ...(m.snippet !== undefined ? { snippet: m.snippet } : {}),
      mentions: m.mentions,
      sentAt: m.sentAt,
      storedAt: m.storedAt,
      status: delivery === undefined ? 'received' : delivery.delivered < delivery.members ? 'queued' : 'delivered',
      ...(delivery !== undefined ? { delivery, readBy: delivery.read } : {})
    }
  }

  // ---------------------------------------------------------------- membership

  async create(title: string, members: string[], options: { signal?: AbortSignal } = {}): Promise<GroupView> {
    const problem = titleProblem(title)
    if (problem !== undefined) throw new InvalidGroupChangeError(problem)
    const peers = new Set<string>()
    for (const m of members) peers.add(await this.components.resolve(m, options))
    peers.delete(this.me)
    if (peers.size + 1 > MAX_GROUP_MEMBERS) {
      throw new InvalidGroupChangeError(`a group has at most ${MAX_GROUP_MEMBERS} members, got ${peers.size + 1}`)
    }
    const event = await signGroupEvent(this.components.identity.privateKey, {
      author: this.me,
      parents: [],
      createdAt: Date.now(),
      change: { type: 'create', title, members: [...peers].sort(), nonce: randomBytes(16) }
    })
    this.components.store.transaction(() => this.applyEvents(event.groupId, [event], this.me))
    await this.flush()
    return this.view(this.find(event.groupId))
  }

  async add(ref: string, member: string, options: { signal?: AbortSignal } = {}): Promise<GroupView> {
    return await this.change(ref, { type: 'add', member: await this.components.resolve(member, options) })
  }

  async remove(ref: string, member: string, options: { signal?: AbortSignal } = {}): Promise<GroupView> {
    return await this.change(ref, { type: 'remove', member: await this.memberOf(ref, member, options) })
  }

  async admin(ref: string, member: string, options: { signal?: AbortSignal } = {}): Promise<GroupView> {
    return await this.change(ref, { type: 'admin', member: await this.memberOf(ref, member, options) })
  }

  async rename(ref: string, title: string): Promise<GroupView> {
    return await this.change(ref, { type: 'rename', title })
  }

  async leave(ref: string): Promise<GroupView> {
    return await this.change(ref, { type: 'leave' })
  }

  /** A member by peer id (a removed or never-resolvable member is still found) or through resolve. */
  private async memberOf(ref: string, member: string, options: { signal?: AbortSignal }): Promise<string> {
    const g = this.find(ref)
    if (g.members.includes(member)) return member
    return await this.components.resolve(member, options)
  }

  private async change(ref: string, change: LogChange): Promise<GroupView> {
    const g = this.find(ref)
    if (g.left || !g.members.includes(this.me)) throw new NotGroupMemberError(`we are not a member of ${g.id}`)
    if (change.type !== 'leave' && !g.admins.includes(this.me)) {
      throw new NotGroupAdminError(`only an admin of ${g.id} may ${change.type}`)
    }
    switch (change.type) {
      case 'add':
        if (g.members.includes(change.member)) throw new InvalidGroupChangeError(`${change.member} is already a member`)
        if (g.members.length >= MAX_GROUP_MEMBERS) {
          throw new InvalidGroupChangeError(`a group has at most ${MAX_GROUP_MEMBERS} members`)
        }
        break
      case 'remove':
      case 'admin':
        if (!g.members.includes(change.member)) throw new NotGroupMemberError(`${change.member} is not a member`)
        if (change.type === 'admin' && g.admins.includes(change.member)) {
          throw new InvalidGroupChangeError(`${change.member} is already an admin`)
        }
        break
      case 'rename': {
        const problem = titleProblem(change.title)
        if (problem !== undefined) throw new InvalidGroupChangeError(problem)
        break
      }
    }
    const event = await signGroupEvent(this.components.identity.privateKey, {
      groupId: g.id,
      author: this.me,
      parents: g.heads,
      createdAt: Date.now(),
      change
    })
    this.components.store.transaction(() => this.applyEvents(g.id, [event], this.me))
    await this.flush()
    return this.view(this.find(g.id))
  }

  /**
   * Stores new events of a group, merges its log and records the new state (inside the caller's
   * transaction). Our own new events go to every member before and after them (a removed member
   * learns it was removed); a new member gets the whole log; when the merge shows that another
   * admin changed the group concurrently with an event of ours, every member gets our whole log,
   * so that each ends with the union of both branches (§8.4).
   */
  private applyEvents(groupId: string, events: SignedGroupEvent[], from: string): GroupState | undefined {
    const { store } = this.components
    if (store.groups.events(groupId).length + events.length > MAX_GROUP_EVENTS) {
      throw new InvalidGroupChangeError(`group ${groupId} has reached ${MAX_GROUP_EVENTS} events`)
    }
    const fresh = events.filter(e => e.groupId === groupId && store.groups.addEvent(groupId, e.hash, e.bytes))
    if (fresh.length === 0) return undefined
    const old = store.groups.get(groupId)
    const all = store.groups.events(groupId).map(b => openGroupEvent(b, { verified: true }))
    let state: GroupState
    try {
      state = mergeGroupLog(groupId, all)
    } catch (err) {
      // no create event yet: the events are kept, the group appears once its log is complete
      if (err instanceof ForgedGroupEventError && old === undefined) return undefined
      throw err
    }
    const wasMember = old !== undefined && !old.left
    const isMember = state.members.includes(this.me)
    if (old === undefined && !isMember) return state
    const now = Date.now()
    const row: GroupRow = {
      id: groupId,
      title: state.title,
      members: state.members,
      admins: state.admins,
      removed: state.removed,
      heads: state.heads,
      left: !isMember,
      outSeq: old?.outSeq ?? 0,
      outHash: old?.outHash ?? new Uint8Array(0),
      lamport: old?.lamport ?? 0,
      createdAt: old?.createdAt ?? now,
      updatedAt: now
    }
    store.groups.put(row)
    const before = new Set(old?.members ?? [])
    const after = new Set(state.members)
    const change: GroupChange = {
      added: state.members.filter(m => !before.has(m)),
      removed: [...before].filter(m => !after.has(m)),
      admins: state.admins.filter(a => !(old?.admins ?? []).includes(a)),
      ...(old !== undefined && old.title !== state.title ? { title: state.title } : {})
    }
    // anyone taken out: our chain is retired (the next send starts one they never get), theirs dropped
    if (change.removed.length > 0) {
      store.groups.retireChains(groupId)
      for (const m of change.removed) store.groups.dropChains(groupId, m)
    }
    if (!isMember && wasMember) store.groups.retireChains(groupId)

    // who gets what (after the commit)
    const ours = fresh.filter(e => e.author === this.me)
    if (ours.length > 0 && isMember) {
      const oldMembers = new Set([...(old?.members ?? []), ...state.members])
      oldMembers.delete(this.me)
      const newcomers = new Set(change.added)
      for (const m of oldMembers) {
        if (newcomers.has(m) || old === undefined) this.queueFrames(groupId, m, this.logFrames(groupId))
        else this.queueFrames(groupId, m, [eventsFrame(ours.map(e => e.bytes))])
      }
    } else if (ours.length > 0) {
      // our leave: every member still in gets it
      for (const m of old?.members ?? []) {
        if (m !== this.me) this.queueFrames(groupId, m, [eventsFrame(ours.map(e => e.bytes))])
      }
    } else if (isMember && state.heads.length > 1) {
      const allByHash = new Map(all.map(e => [e.hash, e]))
      if (state.heads.some(h => allByHash.get(h)?.author === this.me)) {
        for (const m of state.members) if (m !== this.me) this.queueFrames(groupId, m, this.logFrames(groupId))
      }
    }
    if (old === undefined || change.added.length + change.removed.length + change.admins.length > 0 || change.title) {
      const view = this.view(row)
      queueMicrotask(() => this.components.notify('group.changed', { group: view, change }))
    }
    this.log('group %s: %d new events from %s, %d members', groupId, fresh.length, from, state.members.length)
    this.retryPending(groupId)
    return state
  }

  /** The whole log of a group as events frames, each under MAX_EVENTS_FRAME_BYTES. */
  private logFrames(groupId: string): Uint8Array[] {
    const frames: Uint8Array[] = []
    let batch: Uint8Array[] = []
    let size = 0
    for (const e of this.components.store.groups.events(groupId)) {
      if (size + e.length > MAX_EVENTS_FRAME_BYTES && batch.length > 0) {
        frames.push(eventsFrame(batch))
        batch = []
        size = 0
      }
      batch.push(e)
      size += e.length + 4
    }
    if (batch.length > 0) frames.push(eventsFrame(batch))
    return frames
  }

  /** Queues control frames to a member, sent by flush() once the transaction has committed. */
  private queueFrames(groupId: string, member: string, frames: Uint8Array[]): void {
    const { store } = this.components
    for (const frame of frames) {
      const entryId = hex(randomBytes(GROUP_MESSAGE_ID_LENGTH))
      store.groups.addOutgoing({ entryId, groupId, member, frame })
      this.sends.push({ member, entryId, frame })
    }
  }

  /** Sends the frames that receiving or a change queued (receive() calls it on the next turn). */
  async flush(): Promise<void> {
    const sends = this.sends.splice(0)
    if (sends.length === 0) return
    try {
      await this.fanOut(sends)
    } catch (err) {
      this.log.error('a group frame could not be queued %e', err)
    }
  }

  /** Frames to members through the pairwise outbox: one transaction for all, then each member's delivery. */
  private async fanOut(sends: Array<{ member: string; entryId: string; frame: Uint8Array }>): Promise<void> {
    try {
      await this.components.outbox.enqueueMany(
        sends.map(s => ({ peerId: s.member, id: s.entryId, content: { type: 'group', frame: s.frame }, kind: 'group' }))
      )
    } finally {
      this.components.deliverNow(new Set(sends.map(s => s.member)))
    }
  }

  // ---------------------------------------------------------------- sending

  async send(
    ref: string,
    content: GroupContent,
    options: { signal?: AbortSignal } = {}
  ): Promise<{ id: string; status: 'queued' | 'delivered' }> {
    const { store } = this.components
    const g = this.find(ref)
    if (g.left || !g.members.includes(this.me)) throw new NotGroupMemberError(`we are not a member of ${g.id}`)
    options.signal?.throwIfAborted()
    const others = g.members.filter(m => m !== this.me)
    const id = hex(randomBytes(GROUP_MESSAGE_ID_LENGTH))
    const now = Date.now()
    const mentions = (content.mentions ?? []).filter(m => g.members.includes(m))
    let frame: Uint8Array
    const toSend: Array<{ member: string; entryId: string; frame: Uint8Array }> = []
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
        const entryId = hex(randomBytes(GROUP_MESSAGE_ID_LENGTH))
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
        ...body(content),
        mentions,
        sentAt: now,
        storedAt: now,
        seq: g.outSeq + 1,
        lamport,
        unread: false,
        wire: frame
      })
      for (const member of others) {
        const entryId = hex(randomBytes(GROUP_MESSAGE_ID_LENGTH))
        store.groups.addOutgoing({ entryId, groupId: g.id, member, messageId: id })
        toSend.push({ member, entryId, frame })
      }
    })
    // per member, in order: its sender key (if any) before the message; all members in one commit
    if (toSend.length > 0) await this.fanOut(toSend)
    return { id, status: others.length === 0 ? 'delivered' : 'queued' }
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

  // ---------------------------------------------------------------- receiving

  /** GroupFrameReceiver: a frame from a member's pairwise envelope; a refused frame is logged and dropped. */
  receive(from: string, frame: Uint8Array): void {
    try {
      this.receiveFrame(from, frame)
    } catch (err) {
      this.log('refused a group frame from %s: %s %s', from, (err as Error).name, (err as Error).message)
    }
    if (this.sends.length > 0) setImmediate(() => void this.flush())
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

  private process(from: string, bytes: Uint8Array, keep: boolean): Outcome {
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
      const state = this.applyEvents(groupId, events, from)
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
      this.components.store.groups.addPending(groupId, from, bytes, MAX_PENDING_FRAMES)
    }
    if (outcome === 'done' && frame.senderKey != null && keep) this.retryPending(groupId)
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
      ...body(opened.content),
      mentions: opened.mentions.map(b => peerString(b)).filter((p): p is string => p !== undefined),
      sentAt: m.sentAt,
      storedAt: now,
      seq: m.seq,
      lamport: m.lamport,
      unread: true
    })
    if (m.lamport > g.lamport) store.groups.put({ ...g, lamport: m.lamport, updatedAt: now })
    const view = this.messageView(m.id)!
    queueMicrotask(() => this.components.notify('group.message', { message: view }))
    return 'done'
  }

  /** Frames kept for later: each is tried again; those that still wait stay. */
  private retryPending(groupId: string): void {
    const { store } = this.components
    for (const p of store.groups.pending(groupId)) {
      let outcome: Outcome = 'done'
      try {
        store.savepoint(() => {
          outcome = this.process(p.from, p.frame, false)
        })
      } catch (err) {
        this.log('refused a kept group frame from %s: %s', p.from, (err as Error).name)
      }
      if (outcome === 'done') store.groups.removePending(p.rowid)
    }
  }
}

function eventsFrame(events: Uint8Array[]): Uint8Array {
  return GroupFrame.encode({ events: { events: events.map(e => GroupEvent.decode(e)) } })
}

function body(content: GroupContent): {
  text: string
  snippet?: { language: string; path: string; startLine: number; endLine: number; text: string }
} {
  if (content.type === 'text') return { text: content.markdown }
  const { language, path, startLine, endLine, text } = content
  return { text, snippet: { language, path, startLine, endLine, text } }
}

function peerString(bytes: Uint8Array): string | undefined {
  return ed25519PeerFromBytes(bytes)?.peerId.toString()
}
