import * as vscode from 'vscode'
import type { CommunityView, ContactView, GroupView } from '../node/daemon/rpc-api.ts'
import { communityLabel, communityStateText } from './community-labels.ts'
import { peerText } from '../node/text/peer-text.ts'
import { contactLabel } from '../node/text/contact-label.ts'
import type { ContactStore } from './contact-store.ts'

/** A row of the Contacts tree. Commands invoked from the tree receive it as their argument. */
export type ContactNode =
  | { kind: 'requests'; count: number }
  | { kind: 'contact' | 'request'; contact: ContactView }
  | { kind: 'communities'; count: number }
  | { kind: 'community'; community: CommunityView }
  | { kind: 'groups'; count: number }
  | { kind: 'group'; group: GroupView }

export function isGroupNode(value: unknown): value is Extract<ContactNode, { kind: 'group' }> {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as ContactNode).kind === 'group' &&
    typeof (value as { group?: GroupView }).group?.id === 'string'
  )
}

export function isContactNode(value: unknown): value is Extract<ContactNode, { contact: ContactView }> {
  return (
    typeof value === 'object' &&
    value !== null &&
    ((value as ContactNode).kind === 'contact' || (value as ContactNode).kind === 'request') &&
    typeof (value as { contact?: ContactView }).contact?.peerId === 'string'
  )
}

export function isCommunityNode(value: unknown): value is Extract<ContactNode, { kind: 'community' }> {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as ContactNode).kind === 'community' &&
    typeof (value as { community?: CommunityView }).community?.peerId === 'string'
  )
}

/** "seen 5 min ago" style text for a last-seen time. */
export function lastSeenText(lastSeen: number | undefined, now = Date.now()): string {
  if (lastSeen === undefined) return 'offline'
  const minutes = Math.round((now - lastSeen) / 60_000)
  if (minutes < 1) return 'seen just now'
  if (minutes < 60) return `seen ${minutes} min ago`
  const hours = Math.round(minutes / 60)
  if (hours < 24) return `seen ${hours} h ago`
  return `seen ${new Date(lastSeen).toLocaleDateString()}`
}

/** Contacts with presence, unread counts and verified state; a Requests section above them. */
export class ContactsTree implements vscode.TreeDataProvider<ContactNode> {
  private readonly store: ContactStore
  private readonly emitter = new vscode.EventEmitter<ContactNode | undefined>()
  readonly onDidChangeTreeData = this.emitter.event
  /** False while the node is not connected: the tree is empty so the welcome view shows. */
  connected = false

  constructor(store: ContactStore) {
    this.store = store
  }

  refresh(): void {
    this.emitter.fire(undefined)
  }

  getChildren(element?: ContactNode): ContactNode[] {
    if (!this.connected) return []
    if (element === undefined) {
      const requests = this.store.requests()
      const contacts = this.store.list().map(contact => ({ kind: 'contact', contact }) as const)
      // Before the user has a name and anyone to talk to, the view stays empty so that its welcome
      // (Choose a Name, Import Invite Link, Join Community) shows; joined communities appear after.
      const named = this.store.me?.name != null
      const communities =
        named || contacts.length > 0 || requests.length > 0 ? (this.store.status?.communities ?? []) : []
      const groups = this.store.groupList()
      return [
        ...(requests.length > 0 ? [{ kind: 'requests', count: requests.length } as const] : []),
        ...(groups.length > 0 ? [{ kind: 'groups', count: groups.length } as const] : []),
        ...contacts,
        ...(communities.length > 0 ? [{ kind: 'communities', count: communities.length } as const] : [])
      ]
    }
    if (element.kind === 'requests') return this.store.requests().map(contact => ({ kind: 'request', contact }))
    if (element.kind === 'groups') return this.store.groupList().map(group => ({ kind: 'group', group }))
    if (element.kind === 'communities') {
      return (this.store.status?.communities ?? []).map(community => ({ kind: 'community', community }))
    }
    return []
  }

  getTreeItem(node: ContactNode): vscode.TreeItem {
    if (node.kind === 'requests') {
      const item = new vscode.TreeItem(`Requests (${node.count})`, vscode.TreeItemCollapsibleState.Expanded)
      item.id = 'parley.requests'
      item.iconPath = new vscode.ThemeIcon('mail')
      item.tooltip = 'People who wrote to you and are not contacts yet: accept, decline or block.'
      item.contextValue = 'requests'
      return item
    }
    if (node.kind === 'communities') {
      const item = new vscode.TreeItem(`Communities (${node.count})`, vscode.TreeItemCollapsibleState.Expanded)
      item.id = 'parley.communities'
      item.iconPath = new vscode.ThemeIcon('organization')
      item.tooltip = 'Community nodes you joined: they relay for you when you are behind a NAT.'
      item.contextValue = 'communities'
      return item
    }
    if (node.kind === 'groups') {
      const item = new vscode.TreeItem(`Groups (${node.count})`, vscode.TreeItemCollapsibleState.Expanded)
      item.id = 'parley.groups'
      item.iconPath = new vscode.ThemeIcon('organization')
      item.tooltip = 'Group conversations: each message is encrypted once and reaches every member.'
      item.contextValue = 'groups'
      return item
    }
    if (node.kind === 'group') return groupItem(node.group)
    if (node.kind === 'community') return communityItem(node.community)
    const c = node.contact
    const label = contactLabel(c)
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None)
    item.id = `${node.kind}:${c.peerId}`
    const parts: string[] = []
    if (c.unread > 0) parts.push(`${c.unread} unread`)
    parts.push(c.presence === 'online' ? 'online' : lastSeenText(c.lastSeen))
    if (c.verified) parts.push('verified')
    if (c.keyChanged) parts.push('key changed')
    item.description = parts.join(' · ')
    item.iconPath = c.keyChanged
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
      : c.presence === 'online'
        ? new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('charts.green'))
        : new vscode.ThemeIcon('circle-outline')
    // A plain-string tooltip: a MarkdownString would render a peer's `[label](target)` as a link.
    const tooltip = [`${label}${c.verified ? ' (verified)' : ''}`, `Peer id: ${c.peerId}`]
    if (c.fingerprint !== '') tooltip.push(`Fingerprint: ${c.fingerprint}`)
    if (c.keyChanged) tooltip.push('The key behind this name changed. Sending is paused until you accept it.')
    if (c.sessionRestartedAt !== undefined) {
      tooltip.push(
        `Session restarted ${new Date(c.sessionRestartedAt).toLocaleString()}: one side had lost it; messages not acknowledged were sent again.`
      )
    }
    if (c.lastMessage !== undefined) {
      tooltip.push(`${c.lastMessage.direction === 'out' ? 'You: ' : ''}${peerText(c.lastMessage.text, 'tooltip')}`)
    }
    item.tooltip = tooltip.join('\n\n')
    item.accessibilityInformation = { label: `${label}, ${item.description}` }
    if (node.kind === 'request') {
      item.contextValue = 'request'
      item.description = `wants to chat · ${item.description}`
    } else {
      item.contextValue = c.keyChanged ? 'contact.keyChanged' : c.verified ? 'contact.verified' : 'contact'
    }
    item.command = { command: 'parley.openConversation', title: 'Open Conversation', arguments: [c.peerId] }
    return item
  }

  dispose(): void {
    this.emitter.dispose()
  }
}

/** A joined community: where it is, whether we reach it, whether its relay carries us. */
function communityItem(community: CommunityView): vscode.TreeItem {
  const label = communityLabel(community)
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None)
  item.id = `community:${community.peerId}`
  item.description = communityStateText(community)
  item.iconPath = community.connected
    ? new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('charts.green'))
    : new vscode.ThemeIcon('circle-outline')
  item.tooltip = [label, `Peer id: ${community.peerId}`, ...community.addresses.map(a => peerText(a, 'tooltip'))].join(
    '\n'
  )
  item.accessibilityInformation = { label: `community ${label}, ${item.description}` }
  item.contextValue = 'community'
  return item
}

/** A group: its title, unread count and members; admins get the admin actions (contextValue). */
function groupItem(group: GroupView): vscode.TreeItem {
  const label = `#${peerText(group.title, 'label')}`
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None)
  item.id = `group:${group.id}`
  const parts: string[] = []
  if (group.unread > 0) parts.push(`${group.unread} unread`)
  parts.push(`${group.members.length} members`)
  if (group.left) parts.push('left')
  item.description = parts.join(' · ')
  item.iconPath = new vscode.ThemeIcon(group.left ? 'circle-slash' : 'comment-discussion')
  item.tooltip = [
    label,
    ...group.members.map(m => `${peerText(m.name ?? m.peerId.slice(-8), 'tooltip')}${m.admin ? ' (admin)' : ''}`)
  ].join('\n')
  item.accessibilityInformation = { label: `group ${label}, ${item.description}` }
  item.contextValue = group.left ? 'group.left' : group.admin ? 'group.admin' : 'group'
  item.command = { command: 'parley.openGroup', title: 'Open Group', arguments: [group.id] }
  return item
}
