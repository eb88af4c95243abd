import type {
  ContactView,
  GroupView,
  MessageView,
  RpcNotifications,
  RpcResult,
  StatusResult
} from '../node/daemon/rpc-api.ts'
import { foldName } from '../node/names/name-rules.ts'
import { contactLabel, shortPeerId } from '../node/text/contact-label.ts'
import { peerText } from '../node/text/peer-text.ts'
import { Emitter } from './emitter.ts'

export type Me = RpcResult<'node.whoami'>

/**
 * The host's view of the daemon: who I am, the node's status and every contact with its
 * presence and unread count. Fed by RPC results and daemon notifications; the tree view, status
 * bar and conversations read it. No `vscode` here, so it is unit-tested under Node.
 */
export class ContactStore {
  readonly changed = new Emitter<void>()
  me: Me | undefined
  status: StatusResult | undefined
  private readonly contacts = new Map<string, ContactView>()
  private readonly groups = new Map<string, GroupView>()

  setMe(me: Me): void {
    this.me = me
    this.changed.fire()
  }

  setStatus(status: StatusResult): void {
    this.status = status
    if (this.me !== undefined) this.me = { ...this.me, name: status.name }
    this.changed.fire()
  }

  setName(name: string | null): void {
    if (this.me !== undefined) this.me = { ...this.me, name }
    if (this.status !== undefined) this.status = { ...this.status, name }
    this.changed.fire()
  }

  replaceContacts(contacts: ContactView[]): void {
    this.contacts.clear()
    for (const c of contacts) this.contacts.set(c.peerId, c)
    this.changed.fire()
  }

  upsert(contact: ContactView): void {
    this.contacts.set(contact.peerId, contact)
    this.changed.fire()
  }

  get(peerId: string): ContactView | undefined {
    return this.contacts.get(peerId)
  }

  /** A contact by peer id or (normalized) name. */
  find(target: string): ContactView | undefined {
    const byId = this.contacts.get(target)
    if (byId !== undefined) return byId
    const name = foldName(target)
    for (const c of this.contacts.values()) if (c.name === name) return c
    return undefined
  }

  /** Accepted contacts: unread first, then online, then by name. */
  list(): ContactView[] {
    return [...this.contacts.values()].filter(c => c.state === 'contact').sort(compareContacts)
  }

  requests(): ContactView[] {
    return [...this.contacts.values()].filter(c => c.state === 'request').sort(compareContacts)
  }

  /** Unread messages of contacts, requests and the groups we are in (the status bar's count). */
  totalUnread(): number {
    let total = 0
    for (const c of this.contacts.values()) if (c.state === 'contact' || c.state === 'request') total += c.unread
    for (const g of this.groups.values()) if (!g.left) total += g.unread
    return total
  }

  /**
   * The conversation to open on a status bar click: the contact with unread messages that waited
   * longest, else a group with unread messages (the first of groupList). `peerId` is a group's id.
   */
  nextUnread(): { peerId: string } | undefined {
    const unread = [...this.contacts.values()].filter(c => c.unread > 0 && c.state !== 'blocked')
    unread.sort((a, b) => (a.lastMessage?.at ?? 0) - (b.lastMessage?.at ?? 0))
    if (unread[0] !== undefined) return unread[0]
    const group = this.groupList().find(g => !g.left && g.unread > 0)
    return group !== undefined ? { peerId: group.id } : undefined
  }

  /** A message arrived: bump unread (unless the conversation is being read) and the preview. */
  messageReceived(message: MessageView, read: boolean): void {
    const c = this.contacts.get(message.from)
    if (c === undefined) return
    this.contacts.set(c.peerId, {
      ...c,
      unread: read ? 0 : c.unread + 1,
      lastMessage: { text: preview(message), at: message.storedAt, direction: 'in' }
    })
    this.changed.fire()
  }

  messageSent(message: Pick<MessageView, 'to' | 'text' | 'snippet' | 'storedAt'>): void {
    const c = this.contacts.get(message.to)
    if (c === undefined) return
    this.contacts.set(c.peerId, {
      ...c,
      lastMessage: { text: preview(message), at: message.storedAt, direction: 'out' }
    })
    this.changed.fire()
  }

  markRead(peerId: string): void {
    const g = this.groups.get(peerId)
    if (g !== undefined && g.unread > 0) {
      this.groups.set(peerId, { ...g, unread: 0 })
      this.changed.fire()
    }
    const c = this.contacts.get(peerId)
    if (c === undefined || c.unread === 0) return
    this.contacts.set(peerId, { ...c, unread: 0 })
    this.changed.fire()
  }

  presence(update: RpcNotifications['presence.changed']): void {
    const c = this.contacts.get(update.peerId)
    if (c === undefined) return
    this.contacts.set(c.peerId, {
      ...c,
      presence: update.presence,
      ...(update.lastSeen !== undefined ? { lastSeen: update.lastSeen } : {})
    })
    this.changed.fire()
  }

  replaceGroups(groups: GroupView[]): void {
    this.groups.clear()
    for (const g of groups) this.groups.set(g.id, g)
    this.changed.fire()
  }

  upsertGroup(group: GroupView): void {
    this.groups.set(group.id, group)
    this.changed.fire()
  }

  group(id: string): GroupView | undefined {
    return this.groups.get(id)
  }

  /** Groups we are in, unread first, then by title; groups we left after them. */
  groupList(): GroupView[] {
    return [...this.groups.values()].sort(
      (a, b) => Number(a.left) - Number(b.left) || b.unread - a.unread || a.title.localeCompare(b.title)
    )
  }

  /** How a contact (or a group, by its id) is shown: its pinned name, else the end of its peer id. */
  label(peerId: string): string {
    const g = this.groups.get(peerId)
    if (g !== undefined) return `#${peerText(g.title, 'label')}`
    const c = this.contacts.get(peerId)
    return c !== undefined ? contactLabel(c) : shortPeerId(peerId)
  }
}

function preview(message: Pick<MessageView, 'text' | 'snippet'>): string {
  if (message.snippet !== undefined) return `[snippet] ${message.snippet.path}:${message.snippet.startLine}`
  return peerText(message.text, 'label')
}

function compareContacts(a: ContactView, b: ContactView): number {
  if (a.unread > 0 !== b.unread > 0) return a.unread > 0 ? -1 : 1
  if (a.presence !== b.presence) return a.presence === 'online' ? -1 : 1
  return (a.name ?? a.peerId).localeCompare(b.name ?? b.peerId)
}
