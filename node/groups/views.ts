/** The views (types.ts; the RPC's wire shapes) of stored groups and group messages. */
import type { ParleyStore } from '../store/index.ts'
import type { GroupRow } from '../store/index.ts'
import type { GroupMessageView, GroupView } from './types.ts'

/** A group as its members see it: contacts' names, our unread count, whether we may change it. */
export function groupView(store: Pick<ParleyStore, 'contacts' | 'groups'>, me: string, g: GroupRow): GroupView {
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
    admin: !g.left && g.admins.includes(me)
  }
}

/** A stored group message; ours carries its delivery counts (queued until every member acked it). */
export function groupMessageView(store: Pick<ParleyStore, 'groups'>, id: string): GroupMessageView | undefined {
  const m = store.groups.message(id)
  if (m === undefined) return undefined
  const delivery = m.direction === 'out' ? store.groups.deliveries(id) : undefined
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
