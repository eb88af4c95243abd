import { posix } from 'node:path'
import * as vscode from 'vscode'
import type { ContactView } from '../node/daemon/rpc-api.ts'
import { type ChatHost, describe } from './chat-host.ts'
import { contactLabel } from '../node/text/contact-label.ts'
import { communityLabel } from './community-labels.ts'
import { isCommunityNode, isContactNode } from './contacts-view.ts'
import { sendAndRecord, verifyWithSafetyNumber } from './conversation-actions.ts'
import type { Conversations } from './conversations.ts'
import { type DaemonLaunch, runCliJson } from './daemon-launch.ts'
import { isInviteLink, nameInputProblem } from './input-rules.ts'
import { searchMessages } from './search-messages.ts'
import { pickContactOrGroup, registerGroupCommands } from './group-commands.ts'
import { snippetFromSelection } from './snippet.ts'
import { isCommunityLink } from '../node/community/community-link-syntax.ts'
import { peerText } from '../node/text/peer-text.ts'

/** What the commands need from the extension. */
export interface CommandDeps {
  host: ChatHost
  conversations: Conversations
  launch(): DaemonLaunch
  showLog(): void
  log(line: string): void
}

/** A command argument from the tree (node), from code (peer id) or nothing (palette: pick one). */
async function contactArg(
  host: ChatHost,
  arg: unknown,
  placeHolder: string,
  filter: (c: ContactView) => boolean = () => true
): Promise<ContactView | undefined> {
  if (isContactNode(arg)) return arg.contact
  if (typeof arg === 'string') {
    const found = host.store.find(arg)
    if (found !== undefined) return found
  }
  return await pickContact(host, placeHolder, filter)
}

export async function pickContact(
  host: ChatHost,
  placeHolder: string,
  filter: (c: ContactView) => boolean = () => true
): Promise<ContactView | undefined> {
  const contacts = [...host.store.list(), ...host.store.requests()].filter(filter)
  if (contacts.length === 0) {
    const add = 'Add Contact'
    if ((await vscode.window.showInformationMessage('You have no Parley contacts yet.', add)) === add) {
      await vscode.commands.executeCommand('parley.addContact')
    }
    return undefined
  }
  const picked = await vscode.window.showQuickPick(
    contacts.map(c => ({
      label: `${c.presence === 'online' ? '$(circle-filled)' : '$(circle-outline)'} ${contactLabel(c)}`,
      description: [
        c.unread > 0 ? `${c.unread} unread` : '',
        c.verified ? 'verified' : '',
        c.state === 'request' ? 'request' : ''
      ]
        .filter(Boolean)
        .join(' · '),
      detail: c.name !== undefined ? c.peerId : undefined,
      contact: c
    })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true }
  )
  return picked?.contact
}

async function withProgress<T>(title: string, task: () => Promise<T>): Promise<T> {
  return await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: false },
    task
  )
}

/** Registers every `parley.*` command. */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { host, conversations } = deps
  const command = (id: string, run: (...args: unknown[]) => Promise<unknown> | unknown): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await run(...args)
      } catch (err) {
        deps.log(`${id} failed: ${describe(err)}`)
        const log = 'Show Log'
        void vscode.window.showErrorMessage(peerText(`Parley: ${describe(err)}`, 'notification'), log).then(c => {
          if (c === log) deps.showLog()
        })
        return undefined
      }
    })

  const openConversation = (peerId: string): void => {
    conversations.open(peerId)
  }

  const addContact = async (target: string): Promise<ContactView> => {
    const { contact } = await withProgress(`Parley: looking up ${target.length > 40 ? 'the invite' : target}…`, () =>
      host.call('contacts.add', { target }, { signal: AbortSignal.timeout(90_000) })
    )
    host.store.upsert(contact)
    return contact
  }

  const ensureNode = async (): Promise<void> => {
    if (host.connection.client !== undefined) return
    if (!host.connection.hasIdentity()) await createIdentity()
    else await host.connection.start()
    if (host.connection.client === undefined) {
      throw new Error(
        `the Parley node is not running${host.connection.lastError ? `: ${host.connection.lastError}` : ''}`
      )
    }
  }

  const createIdentity = async (): Promise<void> => {
    await withProgress('Parley: creating your identity and starting the node…', async () => {
      const result = (await runCliJson(deps.launch(), ['init'])) as { peerId?: string }
      deps.log(`identity ready: ${result.peerId}`)
      await host.connection.start()
    })
  }

  return [
    ...registerGroupCommands(host, command, groupId => conversations.open(groupId)),
    command('parley.createIdentity', async () => {
      if (host.connection.hasIdentity() && host.connection.client !== undefined) {
        void vscode.window.showInformationMessage('Parley: this home already has an identity.')
        return
      }
      await createIdentity()
    }),
    command('parley.registerName', async () => {
      await ensureNode()
      const current = host.store.me?.name
      const name = await vscode.window.showInputBox({
        title: 'Parley: Register Name',
        prompt: 'The name teammates use to find you. It is claimed in the Parley network and bound to your key.',
        placeHolder: 'e.g. alice or alice.dev',
        value: current ?? '',
        validateInput: value => nameInputProblem(value)
      })
      if (name === undefined) return
      const result = await withProgress(`Parley: registering "${name}" in the network…`, () =>
        host.call('names.register', { name }, { signal: AbortSignal.timeout(120_000) })
      )
      host.store.setName(result.name)
      void vscode.window.showInformationMessage(
        `Parley: you are "${result.name}" (stored by ${result.stored} peer${result.stored === 1 ? '' : 's'}).`
      )
    }),
    command('parley.addContact', async (arg?: unknown) => {
      await ensureNode()
      const target =
        typeof arg === 'string'
          ? arg
          : await vscode.window.showInputBox({
              title: 'Parley: Add Contact',
              prompt: 'Their Parley name, peer id or invite link',
              placeHolder: 'bob, 12D3KooW…, or parley://invite?…',
              validateInput: v => (v.trim() === '' ? 'Enter a name, a peer id or an invite link.' : undefined)
            })
      if (target === undefined || target.trim() === '') return
      const contact = await addContact(target.trim())
      openConversation(contact.peerId)
    }),
    command('parley.importInvite', async () => {
      const link = await vscode.window.showInputBox({
        title: 'Parley: Import Invite Link',
        prompt: 'Paste the parley://invite link a teammate sent you',
        placeHolder: 'parley://invite?…',
        ignoreFocusOut: true,
        validateInput: v => (isInviteLink(v) ? undefined : 'An invite link starts with parley://invite?')
      })
      if (link === undefined) return
      await ensureNode()
      const contact = await addContact(link.trim())
      openConversation(contact.peerId)
    }),
    command('parley.joinCommunity', async () => {
      const link = await vscode.window.showInputBox({
        title: 'Parley: Join Community',
        prompt: 'Paste the parley://community link your team’s community node gave you',
        placeHolder: 'parley://community?…',
        ignoreFocusOut: true,
        validateInput: v => (isCommunityLink(v) ? undefined : 'A community link starts with parley://community?')
      })
      if (link === undefined) return
      await ensureNode()
      const { community } = await withProgress('Parley: joining the community…', () =>
        host.call('community.join', { link: link.trim() }, { signal: AbortSignal.timeout(60_000) })
      )
      await host.refreshStatus()
      const where = communityLabel(community)
      void vscode.window.showInformationMessage(
        `Parley: you joined the community at ${where}. Teammates on other networks reach you through it.`
      )
    }),
    command('parley.leaveCommunity', async (node?: unknown) => {
      const community = isCommunityNode(node) ? node.community : undefined
      if (community === undefined) return
      const leave = 'Leave'
      const choice = await vscode.window.showWarningMessage(
        `Leave the community at ${communityLabel(community)}?`,
        { modal: true, detail: 'It stops relaying for you; you can join again with a new invite link.' },
        leave
      )
      if (choice !== leave) return
      await host.call('community.leave', { peerId: community.peerId })
      await host.refreshStatus()
    }),
    command('parley.searchMessages', async () => {
      await ensureNode()
      await searchMessages(host, (peerId, messageId) => {
        const panel = conversations.open(peerId)
        void panel.reveal(messageId).then(
          found => {
            if (!found) {
              void vscode.window.showInformationMessage(
                'Parley: that message is further back than the conversation loads at once; scroll up with “Load older messages”.'
              )
            }
          },
          err => deps.log(`reveal failed: ${describe(err)}`)
        )
      })
    }),
    command('parley.openConversation', async (arg?: unknown) => {
      const contact = await contactArg(host, arg, 'Open the conversation with…', c => c.state !== 'blocked')
      if (contact !== undefined) openConversation(contact.peerId)
    }),
    command('parley.openNextUnread', async () => {
      const next = host.store.nextUnread()
      if (next !== undefined) openConversation(next.peerId)
      else await vscode.commands.executeCommand('parley.contacts.focus')
    }),
    command('parley.sendSelection', async () => {
      const editor = vscode.window.activeTextEditor
      if (editor === undefined || editor.selection.isEmpty) {
        void vscode.window.showInformationMessage('Parley: select some code in an editor first.')
        return
      }
      const document = editor.document
      const snippet = snippetFromSelection({
        languageId: document.languageId,
        // Outside the workspace only the file name goes out: an absolute path would tell the peer
        // about this machine (user name, folder layout) and could not be opened there anyway.
        relativePath:
          vscode.workspace.getWorkspaceFolder(document.uri) !== undefined
            ? vscode.workspace.asRelativePath(document.uri, false)
            : posix.basename(document.uri.path),
        start: editor.selection.start,
        end: editor.selection.end,
        text: document.getText(editor.selection)
      })
      await ensureNode()
      const placeHolder = `Send ${snippet.path}:${snippet.startLine}-${snippet.endLine} to…`
      // with groups to choose from, one picker holds contacts and groups (a group by its id)
      const target = host.store.groupList().some(g => !g.left)
        ? await pickContactOrGroup(host, placeHolder)
        : await pickContact(host, placeHolder, c => c.state === 'contact').then(c =>
            c === undefined ? undefined : { id: c.peerId, label: contactLabel(c) }
          )
      if (target === undefined) return
      const open = conversations.get(target.id)
      if (open !== undefined) await open.send({ snippet })
      else await sendAndRecord(host, target.id, { snippet })
      const show = 'Open Conversation'
      void vscode.window.showInformationMessage(`Parley: snippet sent to ${target.label}.`, show).then(c => {
        if (c === show) openConversation(target.id)
      })
    }),
    command('parley.copyInviteLink', async () => {
      await ensureNode()
      const { link } = await host.call('invite.create', {})
      await vscode.env.clipboard.writeText(link)
      void vscode.window.showInformationMessage(
        'Parley: invite link copied. Send it to a teammate; it works once and adds you to each other’s contacts.'
      )
    }),
    command('parley.showSafetyNumber', async (arg?: unknown) => {
      const contact = await contactArg(host, arg, 'Show the safety number with…')
      if (contact !== undefined) await verifyWithSafetyNumber(host, contact.peerId)
    }),
    command('parley.verifyContact', async (arg?: unknown) => {
      const contact = await contactArg(host, arg, 'Verify…', c => !c.verified)
      if (contact !== undefined) await verifyWithSafetyNumber(host, contact.peerId)
    }),
    command('parley.blockContact', async (arg?: unknown) => {
      const contact = await contactArg(host, arg, 'Block…', c => c.state !== 'blocked')
      if (contact === undefined) return
      const block = 'Block'
      const who = contactLabel(contact)
      const choice = await vscode.window.showWarningMessage(
        `Block ${who}?`,
        { modal: true, detail: 'Their messages are dropped and they disappear from your contacts.' },
        block
      )
      if (choice !== block) return
      host.store.upsert((await host.call('contacts.block', { target: contact.peerId })).contact)
      conversations.get(contact.peerId)?.panel.dispose()
    }),
    command('parley.acceptRequest', async (node?: unknown) => {
      if (!isContactNode(node)) return
      host.store.upsert((await host.call('contacts.accept', { target: node.contact.peerId })).contact)
      openConversation(node.contact.peerId)
    }),
    command('parley.declineRequest', async (node?: unknown) => {
      if (!isContactNode(node)) return
      host.store.upsert((await host.call('contacts.decline', { target: node.contact.peerId })).contact)
    }),
    command('parley.blockRequest', async (node?: unknown) => {
      if (!isContactNode(node)) return
      host.store.upsert((await host.call('contacts.block', { target: node.contact.peerId })).contact)
    }),
    command('parley.acceptKey', async (node?: unknown) => {
      if (!isContactNode(node)) return
      const accept = 'Accept New Key'
      const who = contactLabel(node.contact)
      const choice = await vscode.window.showWarningMessage(
        `The key behind "${who}" changed.`,
        {
          modal: true,
          detail:
            'Either they set up Parley again, or someone else claims their name. Check with them (Show Safety Number) before you accept.'
        },
        accept
      )
      if (choice !== accept) return
      host.store.upsert((await host.call('contacts.acceptKey', { target: node.contact.peerId })).contact)
    }),
    command('parley.restartNode', async () => {
      await withProgress('Parley: restarting the node…', () => host.connection.restart())
      if (host.connection.client === undefined && host.state !== 'noIdentity') {
        throw new Error(
          `the node did not come back${host.connection.lastError ? `: ${host.connection.lastError}` : ''}`
        )
      }
    }),
    command('parley.showLog', () => deps.showLog())
  ]
}
