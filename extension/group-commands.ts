/** The group commands of the Contacts view: create (with a contact picker), open, and the admin actions. */
import * as vscode from 'vscode'
import type { GroupView } from '../node/daemon/rpc-api.ts'
import { titleProblem } from '../node/groups/membership-rules.ts'
import { contactLabel } from '../node/text/contact-label.ts'
import { peerText } from '../node/text/peer-text.ts'
import type { ChatHost } from './chat-host.ts'
import { isGroupNode } from './contacts-view.ts'

/** The group a command was invoked on: a tree row, a group id, or one the user picks. */
async function groupArg(
  host: ChatHost,
  arg: unknown,
  placeHolder: string,
  admin = false
): Promise<GroupView | undefined> {
  if (isGroupNode(arg)) return host.store.group(arg.group.id) ?? arg.group
  if (typeof arg === 'string' && host.store.group(arg) !== undefined) return host.store.group(arg)
  const groups = host.store.groupList().filter(g => !g.left && (!admin || g.admin))
  const picked = await vscode.window.showQuickPick(
    groups.map(group => ({
      label: `#${peerText(group.title, 'label')}`,
      description: `${group.members.length} members`,
      group
    })),
    { placeHolder }
  )
  return picked?.group
}

/** Contacts to add, several at once, minus the group's members. */
async function pickContacts(host: ChatHost, placeHolder: string, except: string[] = []): Promise<string[]> {
  const picked = await vscode.window.showQuickPick(
    host.store
      .list()
      .filter(c => !except.includes(c.peerId))
      .map(c => ({ label: contactLabel(c), description: c.peerId.slice(-8), peerId: c.peerId })),
    { placeHolder, canPickMany: true }
  )
  return (picked ?? []).map(p => p.peerId)
}

async function pickMember(host: ChatHost, group: GroupView, placeHolder: string): Promise<string | undefined> {
  const me = host.store.me?.peerId
  const picked = await vscode.window.showQuickPick(
    group.members
      .filter(m => m.peerId !== me)
      .map(m => ({
        label: peerText(m.name ?? host.store.label(m.peerId), 'label'),
        description: m.admin ? 'admin' : '',
        peerId: m.peerId
      })),
    { placeHolder }
  )
  return picked?.peerId
}

/** A contact or a group to send to (Send Selection to…): its conversation id and its label. */
export async function pickContactOrGroup(
  host: ChatHost,
  placeHolder: string
): Promise<{ id: string; label: string } | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      ...host.store
        .list()
        .map(c => ({ label: contactLabel(c), description: c.presence, id: c.peerId, name: contactLabel(c) })),
      ...host.store
        .groupList()
        .filter(g => !g.left)
        .map(g => ({
          label: `#${peerText(g.title, 'label')}`,
          description: `${g.members.length} members`,
          id: g.id,
          name: `#${peerText(g.title, 'label')}`
        }))
    ],
    { placeHolder, matchOnDescription: true }
  )
  return picked === undefined ? undefined : { id: picked.id, label: picked.name }
}

export function registerGroupCommands(
  host: ChatHost,
  command: (id: string, run: (...args: unknown[]) => Promise<unknown> | unknown) => vscode.Disposable,
  open: (groupId: string) => void
): vscode.Disposable[] {
  const changed = (group: GroupView): GroupView => {
    host.store.upsertGroup(group)
    return group
  }
  return [
    command('parley.createGroup', async () => {
      const title = await vscode.window.showInputBox({
        prompt: 'Title of the new group',
        validateInput: value => titleProblem(value) ?? null
      })
      if (title === undefined) return
      const members = await pickContacts(host, 'Members of the group (from your contacts)')
      const { group } = await host.call('groups.create', { title, members }, { signal: AbortSignal.timeout(90_000) })
      open(changed(group).id)
    }),
    command('parley.openGroup', async (arg?: unknown) => {
      const group = await groupArg(host, arg, 'Open the group…')
      if (group !== undefined) open(group.id)
    }),
    command('parley.addGroupMembers', async (arg?: unknown) => {
      const group = await groupArg(host, arg, 'Add members to…', true)
      if (group === undefined) return
      for (const member of await pickContacts(
        host,
        'Contacts to add',
        group.members.map(m => m.peerId)
      )) {
        changed((await host.call('groups.add', { group: group.id, member })).group)
      }
    }),
    command('parley.removeGroupMember', async (arg?: unknown) => {
      const group = await groupArg(host, arg, 'Remove a member of…', true)
      const member = group && (await pickMember(host, group, 'Member to remove'))
      if (group !== undefined && member !== undefined) {
        changed((await host.call('groups.remove', { group: group.id, member })).group)
      }
    }),
    command('parley.makeGroupAdmin', async (arg?: unknown) => {
      const group = await groupArg(host, arg, 'Make an admin in…', true)
      const member = group && (await pickMember(host, group, 'Member to make admin'))
      if (group !== undefined && member !== undefined) {
        changed((await host.call('groups.admin', { group: group.id, member })).group)
      }
    }),
    command('parley.renameGroup', async (arg?: unknown) => {
      const group = await groupArg(host, arg, 'Rename…', true)
      if (group === undefined) return
      const title = await vscode.window.showInputBox({
        prompt: 'New title',
        value: group.title,
        validateInput: value => titleProblem(value) ?? null
      })
      if (title !== undefined) changed((await host.call('groups.rename', { group: group.id, title })).group)
    }),
    command('parley.leaveGroup', async (arg?: unknown) => {
      const group = await groupArg(host, arg, 'Leave…')
      if (group === undefined) return
      const leave = 'Leave'
      const answer = await vscode.window.showWarningMessage(
        `Leave #${peerText(group.title, 'notification')}? You keep its history but receive nothing more.`,
        { modal: true },
        leave
      )
      if (answer === leave) changed((await host.call('groups.leave', { group: group.id })).group)
    })
  ]
}
