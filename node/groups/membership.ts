/**
 * The membership log of a group (docs/PROTOCOL.md §8.3–8.4): signed events that name their parents
 * (the heads their author knew), so the log is a DAG; and the merge rule that turns any set of
 * events into one state, the same at every member that holds the same events, whatever order they
 * arrived in. Pure: no store, no I/O.
 */
import type { PrivateKey } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { sha256 } from '../crypto/primitives.ts'
import { SignatureDomain, signWithDomain } from '../crypto/signing.ts'
import { ed25519PeerFromBytes, peerIdBytes } from '../messaging/envelope-peer.ts'
import { GROUP_HASH_LENGTH, GROUP_ID_LENGTH, MAX_EVENT_PARENTS, MAX_GROUP_MEMBERS } from './constants.ts'
import { verifyRaw } from './ed25519.ts'
import { ForgedGroupEventError, MalformedGroupFrameError } from './errors.ts'
import { titleProblem } from './membership-rules.ts'
import { GroupEvent, GroupEventBody } from './pb/group.js'

/** One change of a group's membership (the `change` of GroupEventBody). */
export type GroupChange =
  | { type: 'create'; title: string; members: string[]; nonce: Uint8Array }
  | { type: 'add'; member: string }
  | { type: 'remove'; member: string }
  | { type: 'admin'; member: string }
  | { type: 'rename'; title: string }
  | { type: 'leave' }

/** A verified event. */
export interface SignedGroupEvent {
  /** SHA-256 of the body bytes, hex */
  hash: string
  groupId: string
  author: string
  parents: string[]
  createdAt: number
  change: GroupChange
  /** the encoded GroupEvent, forwarded byte-identical */
  bytes: Uint8Array
}

export interface GroupState {
  groupId: string
  title: string
  /** peer ids, sorted */
  members: string[]
  admins: string[]
  /** every peer a removal or leave in the applied log took out (and not added back since) */
  removed: string[]
  /** hashes of the events no other event names as parent, sorted */
  heads: string[]
  /** the events applied by the merge rule, in the order applied */
  applied: string[]
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const fromHex = (s: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(s, 'hex'))

function peerBytes(peerId: string): Uint8Array<ArrayBuffer> {
  return peerIdBytes(peerIdFromString(peerId)) as Uint8Array<ArrayBuffer>
}

function peerString(bytes: Uint8Array, what: string): string {
  const peer = ed25519PeerFromBytes(bytes)
  if (peer === undefined) throw new MalformedGroupFrameError(`${what} is not an Ed25519 peer id`)
  return peer.peerId.toString()
}

/** The id a create event's body gives its group: SHA-256(body)[0..16], hex. */
export function groupIdOf(createBody: Uint8Array): string {
  return hex(sha256(createBody).subarray(0, GROUP_ID_LENGTH))
}

/** Encodes and signs an event with the author's identity key. For a create event, `groupId` is ignored (the id comes from the body). */
export async function signGroupEvent(
  key: PrivateKey,
  event: { groupId?: string; author: string; parents: string[]; createdAt: number; change: GroupChange }
): Promise<SignedGroupEvent> {
  const { change } = event
  const body: Partial<GroupEventBody> = {
    groupId: change.type === 'create' ? new Uint8Array(0) : fromHex(event.groupId ?? ''),
    author: peerBytes(event.author),
    parents: event.parents.map(fromHex),
    createdAt: event.createdAt
  }
  switch (change.type) {
    case 'create':
      body.create = {
        title: change.title,
        members: change.members.map(peerBytes),
        nonce: new Uint8Array(change.nonce)
      }
      break
    case 'add':
    case 'remove':
    case 'admin':
      body[change.type] = peerBytes(change.member)
      break
    case 'rename':
      body.rename = change.title
      break
    case 'leave':
      body.leave = true
      break
  }
  const bodyBytes = GroupEventBody.encode(body)
  const signature = await signWithDomain(key, SignatureDomain.GroupEvent, bodyBytes)
  return openGroupEvent(GroupEvent.encode({ body: bodyBytes, signature: new Uint8Array(signature) }))
}

/**
 * Decodes an event and checks its shape and its author's signature. Throws
 * MalformedGroupFrameError or ForgedGroupEventError (the signature is not the author's).
 */
export function openGroupEvent(bytes: Uint8Array, options: { verified?: boolean } = {}): SignedGroupEvent {
  let event: GroupEvent
  let body: GroupEventBody
  try {
    event = GroupEvent.decode(bytes)
    body = GroupEventBody.decode(event.body, {
      limits: { parents: MAX_EVENT_PARENTS, create: { members: MAX_GROUP_MEMBERS } }
    })
  } catch (err) {
    throw new MalformedGroupFrameError(`cannot decode group event: ${(err as Error).message}`)
  }
  const author = ed25519PeerFromBytes(body.author)
  if (author === undefined) throw new MalformedGroupFrameError('event author is not an Ed25519 peer id')
  // `verified`: read back from our own store, where only events that verified are kept
  if (
    options.verified !== true &&
    !verifyRaw(author.publicKey.raw, SignatureDomain.GroupEvent, event.body, event.signature)
  ) {
    throw new ForgedGroupEventError(`the event's signature is not its author's (${author.peerId})`)
  }
  for (const p of body.parents) {
    if (p.length !== GROUP_HASH_LENGTH)
      throw new MalformedGroupFrameError(`parent hashes must be ${GROUP_HASH_LENGTH} bytes`)
  }
  let change: GroupChange
  let groupId: string
  if (body.create != null) {
    if (body.groupId.length !== 0 || body.parents.length !== 0) {
      throw new MalformedGroupFrameError('a create event has no group id and no parents')
    }
    const problem = titleProblem(body.create.title)
    if (problem !== undefined) throw new MalformedGroupFrameError(problem)
    change = {
      type: 'create',
      title: body.create.title,
      members: body.create.members.map(m => peerString(m, 'member')),
      nonce: body.create.nonce
    }
    groupId = groupIdOf(event.body)
  } else {
    if (body.groupId.length !== GROUP_ID_LENGTH)
      throw new MalformedGroupFrameError(`group id must be ${GROUP_ID_LENGTH} bytes`)
    if (body.parents.length === 0) throw new MalformedGroupFrameError('an event other than create names its parents')
    groupId = hex(body.groupId)
    if (body.add != null) change = { type: 'add', member: peerString(body.add, 'added member') }
    else if (body.remove != null) change = { type: 'remove', member: peerString(body.remove, 'removed member') }
    else if (body.admin != null) change = { type: 'admin', member: peerString(body.admin, 'admin') }
    else if (body.rename != null) {
      const problem = titleProblem(body.rename)
      if (problem !== undefined) throw new MalformedGroupFrameError(problem)
      change = { type: 'rename', title: body.rename }
    } else if (body.leave === true) change = { type: 'leave' }
    else throw new MalformedGroupFrameError('event has no known change')
  }
  return {
    hash: hex(sha256(event.body)),
    groupId,
    author: author.peerId.toString(),
    parents: body.parents.map(hex),
    createdAt: body.createdAt,
    change,
    bytes
  }
}

/** The peer a change takes out of the group (remove: the member; leave: the author). */
function takesOut(e: SignedGroupEvent): string | undefined {
  if (e.change.type === 'remove') return e.change.member
  if (e.change.type === 'leave') return e.author
  return undefined
}

/**
 * The merge rule (docs/PROTOCOL.md §8.4). Events of other groups, events whose ancestry is not
 * complete and events with a cycle are left out. The rest are put in topological order, ties
 * broken by the smaller hash, and applied in that order twice:
 *   1. authorization only (create first; add, remove, admin and rename by an admin; leave by a
 *      member) gives the set A of changes that count;
 *   2. again, also dropping (a) any event whose author is taken out by a change in A concurrent
 *      with it, and (b) an add of a peer that a change in A concurrent with the add takes out:
 *      a removal wins over what it races.
 * When no admin is left but members are, the member with the smallest peer id becomes admin.
 * Throws ForgedGroupEventError when the events hold no create event of `groupId`.
 */
export function mergeGroupLog(groupId: string, all: SignedGroupEvent[]): GroupState {
  const byHash = new Map<string, SignedGroupEvent>()
  for (const e of all) if (e.groupId === groupId) byHash.set(e.hash, e)
  const create = [...byHash.values()].filter(e => e.change.type === 'create').sort((a, b) => cmp(a.hash, b.hash))[0]
  if (create === undefined) throw new ForgedGroupEventError(`no create event of group ${groupId}`)
  // topological order, smallest hash first among the ready ones; events never ready are left out
  const children = new Map<string, string[]>()
  const missing = new Map<string, number>()
  for (const e of byHash.values()) {
    const parents = new Set(e.parents)
    missing.set(e.hash, parents.size)
    for (const p of parents) {
      const list = children.get(p)
      if (list === undefined) children.set(p, [e.hash])
      else list.push(e.hash)
    }
  }
  const ready = [...byHash.values()].filter(e => e.parents.length === 0).map(e => e.hash)
  const order: SignedGroupEvent[] = []
  const ancestors = new Map<string, Set<string>>()
  while (ready.length > 0) {
    ready.sort(cmp)
    const hash = ready.shift()!
    const e = byHash.get(hash)!
    const anc = new Set<string>()
    for (const p of e.parents) {
      anc.add(p)
      for (const a of ancestors.get(p)!) anc.add(a)
    }
    ancestors.set(hash, anc)
    order.push(e)
    for (const c of children.get(hash) ?? []) {
      const left = missing.get(c)! - 1
      missing.set(c, left)
      if (left === 0) ready.push(c)
    }
  }
  const concurrent = (a: string, b: string): boolean =>
    a !== b && !ancestors.get(a)!.has(b) && !ancestors.get(b)!.has(a)

  const pass1 = new Set(apply(groupId, create, order, () => false).applied)
  const outs = order.filter(e => pass1.has(e.hash) && takesOut(e) !== undefined)
  const dropped = (e: SignedGroupEvent): boolean =>
    outs.some(r => takesOut(r) === e.author && r !== e && concurrent(r.hash, e.hash)) ||
    (e.change.type === 'add' &&
      outs.some(r => takesOut(r) === (e.change as { member: string }).member && concurrent(r.hash, e.hash)))
  const state = apply(groupId, create, order, dropped)
  const named = new Set(order.flatMap(e => e.parents))
  state.heads = order
    .filter(e => !named.has(e.hash))
    .map(e => e.hash)
    .sort(cmp)
  return state
}

function apply(
  groupId: string,
  create: SignedGroupEvent,
  order: SignedGroupEvent[],
  dropped: (e: SignedGroupEvent) => boolean
): GroupState {
  let title = ''
  const members = new Set<string>()
  const admins = new Set<string>()
  const removed = new Set<string>()
  const applied: string[] = []
  for (const e of order) {
    const c = e.change
    let ok = false
    if (c.type === 'create') {
      // only the one create event of the group id counts (another is a different group)
      if (e === create) {
        title = c.title
        members.add(e.author)
        admins.add(e.author)
        for (const m of c.members) if (members.size < MAX_GROUP_MEMBERS) members.add(m)
        ok = true
      }
    } else if (!members.has(e.author) || dropped(e)) {
      ok = false
    } else if (c.type === 'leave') {
      members.delete(e.author)
      admins.delete(e.author)
      removed.add(e.author)
      ok = true
    } else if (admins.has(e.author)) {
      if (c.type === 'add' && !members.has(c.member) && members.size < MAX_GROUP_MEMBERS) {
        members.add(c.member)
        removed.delete(c.member)
        ok = true
      } else if (c.type === 'remove' && members.has(c.member)) {
        members.delete(c.member)
        admins.delete(c.member)
        removed.add(c.member)
        ok = true
      } else if (c.type === 'admin' && members.has(c.member) && !admins.has(c.member)) {
        admins.add(c.member)
        ok = true
      } else if (c.type === 'rename') {
        title = c.title
        ok = true
      }
    }
    if (!ok) continue
    applied.push(e.hash)
    if (admins.size === 0 && members.size > 0) admins.add([...members].sort(cmp)[0]!)
  }
  return {
    groupId,
    title,
    members: [...members].sort(cmp),
    admins: [...admins].sort(cmp),
    removed: [...removed].sort(cmp),
    heads: [],
    applied
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
