import * as vscode from 'vscode'
import { homePaths, resolveHome } from '../node/daemon/home.ts'
import { peerText } from '../node/text/peer-text.ts'
import { ChatHost } from './chat-host.ts'
import { registerCommands } from './commands.ts'
import { contactLabel, shortPeerId } from '../node/text/contact-label.ts'
import { ContactsTree } from './contacts-view.ts'
import { Conversations } from './conversations.ts'
import { DaemonConnection } from './daemon-connection.ts'
import type { DaemonLaunch } from './daemon-launch.ts'
import { notifyMessage } from './notifier.ts'
import { notificationText, shouldNotify } from './notify-rules.ts'
import { readSettings } from './settings.ts'
import { StatusBar } from './status-bar.ts'

/**
 * Activation only wires things up: the daemon is found or started after activate() returns, so
 * opening VS Code never waits on the network (`activationEvents: []`, contributions activate us).
 */
export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('Parley', { log: true })
  // Log lines carry daemon errors, which can quote peer text: one line each, nothing hidden in them.
  const log = (line: string): void => output.info(peerText(line, 'log'))
  const settings = readSettings()
  const home = resolveHome({ home: settings.home, env: process.env })
  const paths = homePaths(home)
  const cliPath = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath
  const launch = (): DaemonLaunch => {
    const s = readSettings()
    return { home, cliPath, nodePath: s.nodePath, bootstrap: s.bootstrap, listen: s.listen, mdns: s.mdns }
  }
  log(`home ${home}`)

  const connection = new DaemonConnection({ paths, launch, log })
  // The conversations, built on the host, tell it which messages are read as they arrive (they are
  // asked only once the connection starts, below).
  const host = new ChatHost(connection, log, { isReading: (peerId): boolean => conversations.isReading(peerId) })
  const conversations = new Conversations(host, context, log)
  const tree = new ContactsTree(host.store)
  const view = vscode.window.createTreeView('parley.contacts', { treeDataProvider: tree, showCollapseAll: false })
  const statusBar = new StatusBar(host)

  const setContext = (key: string, value: unknown): void => {
    void vscode.commands.executeCommand('setContext', key, value)
  }
  const render = (): void => {
    const unread = host.store.totalUnread()
    view.badge =
      unread > 0 ? { value: unread, tooltip: `${unread} unread message${unread === 1 ? '' : 's'}` } : undefined
    setContext('parley.hasName', host.store.me?.name != null)
    tree.refresh()
  }
  const unsubscribe = [
    host.stateChanged.on(state => {
      // `ready` is announced once the node's state loaded (synced), so the welcome view never
      // flashes "Choose a Name" for a user who has one.
      if (state === 'ready') return
      tree.connected = false
      setContext('parley.state', state === 'reconnecting' ? 'starting' : state)
      render()
    }),
    host.store.changed.on(render),
    host.messageReceived.on(message => {
      if (message.direction !== 'in') return
      notifyMessage(host, message, {
        mode: readSettings().notifications,
        visible: conversations.isVisible(message.from),
        open: peerId => conversations.open(peerId)
      })
    }),
    host.groupMessage.on(message => {
      // a group's messages: members need not be contacts (senderState 'contact' = a member here)
      if (message.direction !== 'in') return
      const settings = readSettings()
      if (
        !shouldNotify(message, {
          mode: settings.notifications,
          visible: conversations.isVisible(message.groupId),
          myName: host.store.me?.name,
          senderState: 'contact'
        })
      ) {
        return
      }
      const member = host.store.group(message.groupId)?.members.find(m => m.peerId === message.from)
      const who = `${host.store.label(message.groupId)} · ${member?.name ?? host.store.label(message.from)}`
      const open = 'Open'
      void vscode.window.showInformationMessage(notificationText(who, message), open).then(choice => {
        if (choice === open) conversations.open(message.groupId)
      })
    }),
    host.contactRequest.on(({ contact }) => {
      const who = contactLabel(contact)
      const accept = 'Accept'
      const decline = 'Decline'
      const text = peerText(`Parley: ${who} wants to chat with you.`, 'notification')
      void vscode.window.showInformationMessage(text, accept, decline).then(c => {
        if (c === undefined) return
        const method = c === accept ? 'contacts.accept' : 'contacts.decline'
        void host.call(method, { target: contact.peerId }).then(
          r => host.store.upsert(r.contact),
          err => log(`${method} failed: ${err.message}`)
        )
      })
    }),
    host.keyChanged.on(({ name }) => {
      void vscode.window.showWarningMessage(
        peerText(
          `Parley: the key behind "${name}" changed. Sending to ${name} is paused until you check their safety number and accept the new key.`,
          'notification'
        )
      )
    }),
    host.sessionRestarted.on(({ peerId, by }) => {
      const contact = host.store.get(peerId)
      const who = contact !== undefined ? contactLabel(contact) : shortPeerId(peerId)
      void vscode.window.showInformationMessage(
        peerText(
          by === 'peer'
            ? `Parley: ${who} had lost your conversation's session; a new one was started and the messages ${who} had not received are being sent again.`
            : `Parley: this computer could not read ${who}'s messages (its session was lost, e.g. restored from a backup); a new session was requested and ${who} sends them again.`,
          'notification'
        )
      )
    }),
    host.synced.on(() => {
      tree.connected = true
      render()
      setContext('parley.state', 'ready')
    }),
    host.synced.on(() => {
      const configured = vscode.workspace.getConfiguration('parley').inspect<boolean>('readReceipts')
      const explicit = configured?.workspaceValue ?? configured?.globalValue
      if (explicit !== undefined && explicit !== host.readReceipts) {
        void host.setReadReceipts(explicit).catch(err => log(`settings.set failed: ${err.message}`))
      }
    })
  ]
  setContext('parley.state', 'starting')

  context.subscriptions.push(
    output,
    view,
    tree,
    statusBar,
    conversations,
    ...registerCommands({ host, conversations, launch, showLog: () => output.show(true), log }),
    vscode.workspace.onDidChangeConfiguration(event => {
      if (event.affectsConfiguration('parley.readReceipts')) {
        void host.setReadReceipts(readSettings().readReceipts).catch(err => log(`settings.set failed: ${err.message}`))
      }
      if (event.affectsConfiguration('parley.home')) {
        const reload = 'Reload Window'
        void vscode.window
          .showInformationMessage('Parley: the home changed; reload the window to use it.', reload)
          .then(c => c === reload && vscode.commands.executeCommand('workbench.action.reloadWindow'))
      } else if (
        event.affectsConfiguration('parley.bootstrap') ||
        event.affectsConfiguration('parley.listen') ||
        event.affectsConfiguration('parley.mdns') ||
        event.affectsConfiguration('parley.nodePath')
      ) {
        const restart = 'Restart Node'
        void vscode.window
          .showInformationMessage('Parley: the node settings apply when the node restarts.', restart)
          .then(c => c === restart && vscode.commands.executeCommand('parley.restartNode'))
      }
    }),
    {
      dispose: () => {
        for (const u of unsubscribe) u()
      }
    },
    { dispose: () => host.dispose() }
  )

  // Off the activation path: connect to (or start) the daemon once VS Code has finished activating us.
  setTimeout(() => {
    void connection.start().catch(err => log(`starting failed: ${err.message}`))
  }, 0)
}

export function deactivate(): void {}
