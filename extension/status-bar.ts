import * as vscode from 'vscode'
import type { ChatHost } from './chat-host.ts'
import { reachabilityText } from './community-labels.ts'

/** Name and connection state (peers), unread count; a click opens the next unread conversation. */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem
  private readonly host: ChatHost
  private readonly unsubscribe: Array<() => void>

  constructor(host: ChatHost) {
    this.host = host
    this.item = vscode.window.createStatusBarItem('parley.status', vscode.StatusBarAlignment.Right, 100)
    this.item.name = 'Parley'
    this.unsubscribe = [host.store.changed.on(() => this.update()), host.stateChanged.on(() => this.update())]
    this.update()
    this.item.show()
  }

  update(): void {
    const state = this.host.state
    const item = this.item
    item.backgroundColor = undefined
    item.command = 'parley.openNextUnread'
    switch (state) {
      case 'noIdentity':
        item.text = '$(comment-discussion) Parley'
        item.tooltip = 'Parley: create your identity to start chatting'
        item.command = 'parley.createIdentity'
        return
      case 'starting':
      case 'reconnecting':
        item.text = '$(sync~spin) Parley'
        item.tooltip = state === 'starting' ? 'Parley: starting the node…' : 'Parley: reconnecting to the node…'
        return
      case 'error':
      case 'stopped':
        item.text = '$(error) Parley'
        item.tooltip = `Parley: the node is not reachable${this.host.connection.lastError ? ` (${this.host.connection.lastError})` : ''}. Click to show the log.`
        item.command = 'parley.showLog'
        item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground')
        return
      case 'ready':
        break
    }
    const { me, status } = this.host.store
    const unread = this.host.store.totalUnread()
    const peers = status?.connections ?? 0
    const name = me?.name ?? 'no name'
    item.text = `$(comment-discussion) ${name}  $(radio-tower) ${peers}${unread > 0 ? `  $(mail) ${unread}` : ''}`
    item.tooltip = [
      `Parley: ${me?.name ?? 'no name registered yet'}`,
      `${peers} connected peer${peers === 1 ? '' : 's'}`,
      reachabilityText(status),
      unread > 0
        ? `${unread} unread message${unread === 1 ? '' : 's'}: click to open the next one`
        : 'no unread messages'
    ].join('\n')
    item.accessibilityInformation = {
      label: `Parley, ${name}, ${peers} peers, ${unread} unread`
    }
    if (unread > 0) item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground')
  }

  dispose(): void {
    for (const u of this.unsubscribe) u()
    this.item.dispose()
  }
}
