/**
 * Membership changes (docs/PROTOCOL.md §8.4): ours (create, add, remove, admin, rename, leave,
 * each a signed event) and those members send, stored and merged into the group's state by
 * membership.ts's rule; then who gets which events, and the group.changed event.
 */
import type { Logger } from '@libp2p/interface'
import { randomBytes } from '../crypto/primitives.ts'
import type { Identity } from '../identity/index.ts'
import type { ParleyStore } from '../store/index.ts'
import type { GroupRow } from '../store/index.ts'
import { MAX_GROUP_EVENTS, MAX_GROUP_MEMBERS } from './constants.ts'
import { ForgedGroupEventError, InvalidGroupChangeError, NotGroupAdminError, NotGroupMemberError } from './errors.ts'
import {
  type GroupChange as LogChange,
  type GroupState,
  mergeGroupLog,
  openGroupEvent,
  type SignedGroupEvent,
  signGroupEvent
} from './membership.ts'
import { titleProblem } from './membership-rules.ts'
import type { OutgoingFrames } from './outgoing.ts'
import { GroupEvent, GroupFrame } from './pb/group.js'
import type { GroupChange, GroupNotify, GroupView } from './types.ts'
import { groupView } from './views.ts'

/** Most bytes of events in one frame (a full log goes in several); leaves room for the envelope. */
const MAX_EVENTS_FRAME_BYTES = 48 * 1024

export interface MembershipChangesComponents {
  store: Pick<ParleyStore, 'contacts' | 'groups' | 'transaction'>
  identity: Pick<Identity, 'peerId' | 'privateKey'>
  /** a member given by name, peer id or contact → its peer id */
  resolve(target: string, options: { signal?: AbortSignal }): Promise<string>
  /** a group by id or `#title`; throws GroupNotFoundError */
  find(ref: string): GroupRow
  outgoing: Pick<OutgoingFrames, 'queue' | 'flush'>
  /** frames kept for the group are tried again (after each change of it) */
  retryEarly(groupId: string): void
  notify: GroupNotify
  log: Logger
}

export class MembershipChanges {
  private readonly components: MembershipChangesComponents
  private readonly me: string

  constructor(components: MembershipChangesComponents) {
    this.components = components
    this.me = components.identity.peerId.toString()
  }

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
    this.components.store.transaction(() => this.apply(event.groupId, [event], this.me))
    await this.components.outgoing.flush()
    return this.view(this.components.find(event.groupId))
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
    const g = this.components.find(ref)
    if (g.members.includes(member)) return member
    return await this.components.resolve(member, options)
  }

  private async change(ref: string, change: LogChange): Promise<GroupView> {
    const g = this.components.find(ref)
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
    this.components.store.transaction(() => this.apply(g.id, [event], this.me))
    await this.components.outgoing.flush()
    return this.view(this.components.find(g.id))
  }

  /**
   * Stores new events of a group, merges its log and records the new state (inside the caller's
   * transaction). Our own new events go to every member before and after them (a removed member
   * learns it was removed); a new member gets the whole log; when the merge shows that another
   * admin changed the group concurrently with an event of ours, every member gets our whole log,
   * so that each ends with the union of both branches (§8.4).
   */
  apply(groupId: string, events: SignedGroupEvent[], from: string): GroupState | undefined {
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
        if (newcomers.has(m) || old === undefined) this.components.outgoing.queue(groupId, m, this.logFrames(groupId))
        else this.components.outgoing.queue(groupId, m, [eventsFrame(ours.map(e => e.bytes))])
      }
    } else if (ours.length > 0) {
      // our leave: every member still in gets it
      for (const m of old?.members ?? []) {
        if (m !== this.me) this.components.outgoing.queue(groupId, m, [eventsFrame(ours.map(e => e.bytes))])
      }
    } else if (isMember && state.heads.length > 1) {
      const allByHash = new Map(all.map(e => [e.hash, e]))
      if (state.heads.some(h => allByHash.get(h)?.author === this.me)) {
        for (const m of state.members)
          if (m !== this.me) this.components.outgoing.queue(groupId, m, this.logFrames(groupId))
      }
    }
    if (old === undefined || change.added.length + change.removed.length + change.admins.length > 0 || change.title) {
      const view = this.view(row)
      queueMicrotask(() => this.components.notify('group.changed', { group: view, change }))
    }
    this.components.log(
      'group %s: %d new events from %s, %d members',
      groupId,
      fresh.length,
      from,
      state.members.length
    )
    this.components.retryEarly(groupId)
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

  private view(g: GroupRow): GroupView {
    return groupView(this.components.store, this.me, g)
  }
}

function eventsFrame(events: Uint8Array[]): Uint8Array {
  return GroupFrame.encode({ events: { events: events.map(e => GroupEvent.decode(e)) } })
}
