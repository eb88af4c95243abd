import { existsSync } from 'node:fs'
import * as vscode from 'vscode'
import type { ContactView, GroupView, MessageView, SendContent } from '../node/daemon/rpc-api.ts'
import { type ChatHost, describe } from './chat-host.ts'
import { HISTORY_PAGE, REVEAL_MAX_PAGES } from './constants.ts'
import {
  confirmAndOpenLink,
  openSnippetLocation,
  sendAndRecord,
  verifyWithSafetyNumber
} from './conversation-actions.ts'
import {
  type ConversationSnapshot,
  type HostEvents,
  type HostMessage,
  type HostTransport,
  PROTOCOL_VERSION,
  ProtocolError,
  type RequestHandlers,
  serveWebviewRequests,
  type WebviewMessage
} from './protocol.ts'
import { conversationHtml } from './webview-html.ts'

const VIEW_TYPE = 'parley.conversation'

/** One webview panel per contact; the host keeps the messages, the webview renders them. */
export class Conversations implements vscode.Disposable {
  private readonly panels = new Map<string, ConversationPanel>()
  private readonly host: ChatHost
  private readonly context: vscode.ExtensionContext
  private readonly log: (line: string) => void
  private readonly disposables: vscode.Disposable[] = []

  constructor(host: ChatHost, context: vscode.ExtensionContext, log: (line: string) => void) {
    this.host = host
    this.context = context
    this.log = log
    const unsubscribe = [
      host.messageReceived.on(message => {
        const peer = message.direction === 'in' ? message.from : message.to
        this.panels.get(peer)?.upsertMessage(message)
      }),
      host.groupMessage.on(message => this.panels.get(message.groupId)?.upsertMessage(message)),
      host.messageStatus.on(update => this.panels.get(update.peerId)?.statusChanged(update)),
      host.store.changed.on(() => {
        for (const panel of this.panels.values()) panel.contactMaybeChanged()
      }),
      host.synced.on(() => {
        for (const panel of this.panels.values()) void panel.resync()
      })
    ]
    this.disposables.push({
      dispose: () => {
        for (const u of unsubscribe) u()
      }
    })
    // Messages that arrived while the window was in the background are read once it is back.
    this.disposables.push(
      vscode.window.onDidChangeWindowState(state => {
        if (!state.focused) return
        for (const panel of this.panels.values()) if (panel.panel.visible) void panel.markRead()
      })
    )
  }

  /** A message from `peerId` is read as it arrives: its conversation is in view in a focused window. */
  isReading(peerId: string): boolean {
    return this.isVisible(peerId) && vscode.window.state.focused
  }

  isVisible(peerId: string): boolean {
    return this.panels.get(peerId)?.panel.visible === true
  }

  get(peerId: string): ConversationPanel | undefined {
    return this.panels.get(peerId)
  }

  /** Opens (or reveals) the conversation with a contact. */
  open(peerId: string, options: { preserveFocus?: boolean; viewColumn?: vscode.ViewColumn } = {}): ConversationPanel {
    const existing = this.panels.get(peerId)
    if (existing !== undefined) {
      existing.panel.reveal(options.viewColumn, options.preserveFocus)
      if (options.preserveFocus !== true) existing.post('focusComposer', {})
      return existing
    }
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist')
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      this.host.store.label(peerId),
      {
        // Beside the code being edited, so the conversation and the code are both in view.
        // Conversations stay together in the group that already shows one.
        viewColumn:
          options.viewColumn ??
          [...this.panels.values()].find(p => p.panel.viewColumn !== undefined)?.panel.viewColumn ??
          (vscode.window.activeTextEditor !== undefined ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active),
        preserveFocus: options.preserveFocus === true
      },
      {
        enableScripts: true,
        // The host owns the state and the webview re-renders from a snapshot: no hidden DOM kept.
        retainContextWhenHidden: false,
        enableFindWidget: true,
        localResourceRoots: [dist]
      }
    )
    const conversation = new ConversationPanel(peerId, panel, this.host, this.context, this.log)
    this.panels.set(peerId, conversation)
    panel.onDidDispose(() => {
      if (this.panels.get(peerId) === conversation) this.panels.delete(peerId)
      conversation.dispose()
    })
    return conversation
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.panel.dispose()
    this.panels.clear()
    for (const d of this.disposables) d.dispose()
  }
}

/** The host side of one conversation webview. */
export class ConversationPanel {
  readonly peerId: string
  readonly panel: vscode.WebviewPanel
  private readonly host: ChatHost
  private readonly context: vscode.ExtensionContext
  private readonly log: (line: string) => void
  private messages: MessageView[] = []
  private hasOlder = false
  private loaded: Promise<void> | undefined
  /** The page answered `ready` since it was last (re)loaded: events may be posted. */
  private ready = false
  private lastGroup: GroupView | undefined
  private lastContact: ContactView | undefined
  /** a search result to show once the page is ready */
  private revealing: string | undefined
  private readonly disposables: vscode.Disposable[] = []

  constructor(
    peerId: string,
    panel: vscode.WebviewPanel,
    host: ChatHost,
    context: vscode.ExtensionContext,
    log: (line: string) => void
  ) {
    this.peerId = peerId
    this.panel = panel
    this.host = host
    this.context = context
    this.log = log
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'parley.svg')
    const transport: HostTransport = {
      postMessage: message => void panel.webview.postMessage(message),
      onMessage: listener => {
        const d = panel.webview.onDidReceiveMessage(listener as (m: unknown) => void)
        return () => d.dispose()
      }
    }
    const stop = serveWebviewRequests(transport, this.handlers(), err =>
      this.log(`conversation ${peerId}: refused a webview message: ${err.message}`)
    )
    this.disposables.push({ dispose: stop })
    this.disposables.push(
      panel.onDidChangeViewState(({ webviewPanel }) => {
        // A hidden webview is destroyed (retainContextWhenHidden false): it says `ready` again when shown.
        if (!webviewPanel.visible) this.ready = false
        else if (webviewPanel.active) void this.markRead()
      })
    )
    panel.webview.html = this.html()
    this.lastContact = host.store.get(peerId)
  }

  private html(): string {
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist')
    const css = vscode.Uri.joinPath(dist, 'webview.css')
    return conversationHtml({
      cspSource: this.panel.webview.cspSource,
      scriptUri: this.panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      ...(existsSync(css.fsPath) ? { styleUri: this.panel.webview.asWebviewUri(css).toString() } : {}),
      title: `Parley: ${this.host.store.label(this.peerId)}`
    })
  }

  post<T extends keyof HostEvents>(type: T, payload: HostEvents[T]): void {
    if (!this.ready) return
    void this.panel.webview.postMessage({ kind: 'event', type, payload } as HostMessage)
  }

  private async load(): Promise<void> {
    this.loaded ??= (async () => {
      const { messages } = await this.host.call('messages.history', { target: this.peerId, limit: HISTORY_PAGE })
      this.messages = messages
      this.hasOlder = messages.length >= HISTORY_PAGE
    })().catch(err => {
      this.loaded = undefined
      throw err
    })
    await this.loaded
  }

  /** After a reconnect: reload the history and re-render. */
  async resync(): Promise<void> {
    this.loaded = undefined
    try {
      await this.load()
      if (this.ready) this.post('snapshot', await this.snapshot())
    } catch (err) {
      this.log(`conversation ${this.peerId}: resync failed: ${describe(err)}`)
    }
  }

  private contact(): ContactView {
    const c = this.host.store.get(this.peerId)
    if (c !== undefined) return c
    // Not in the list (yet): a minimal view so the page can render.
    return {
      peerId: this.peerId,
      state: 'contact',
      verified: false,
      keyChanged: false,
      presence: 'offline',
      unread: 0,
      fingerprint: ''
    }
  }

  private draftKey(): string {
    return `parley.draft.${this.peerId}`
  }

  private async snapshot(): Promise<ConversationSnapshot> {
    await this.load()
    const me = this.host.store.me
    return {
      me: { peerId: me?.peerId ?? '', name: me?.name ?? null },
      contact: this.contact(),
      messages: this.messages,
      hasOlder: this.hasOlder,
      draft: this.context.workspaceState.get<string>(this.draftKey(), ''),
      settings: { readReceipts: this.host.readReceipts },
      ...(this.host.store.group(this.peerId) !== undefined ? { group: this.host.store.group(this.peerId) } : {})
    }
  }

  /**
   * Shows the conversation at `messageId` (a search result): older pages are loaded until it is in
   * (at most REVEAL_MAX_PAGES of them), then the page scrolls to it. False when it is further back.
   */
  async reveal(messageId: string): Promise<boolean> {
    await this.load()
    let pages = 0
    while (!this.messages.some(m => m.id === messageId) && this.hasOlder && pages < REVEAL_MAX_PAGES) {
      const before = this.messages[0]?.storedAt
      const { messages } = await this.host.call('messages.history', {
        target: this.peerId,
        limit: HISTORY_PAGE,
        ...(before !== undefined ? { before } : {})
      })
      const known = new Set(this.messages.map(m => m.id))
      this.messages = [...messages.filter(m => !known.has(m.id)), ...this.messages]
      this.hasOlder = messages.length >= HISTORY_PAGE
      pages++
    }
    if (!this.messages.some(m => m.id === messageId)) return false
    if (!this.ready) {
      this.revealing = messageId // the page is still loading: its ready answer brings it
      return true
    }
    if (pages > 0) this.post('snapshot', await this.snapshot())
    this.post('reveal', { id: messageId })
    return true
  }

  upsertMessage(message: MessageView): void {
    const i = this.messages.findIndex(m => m.id === message.id)
    if (i === -1) this.messages.push(message)
    else this.messages[i] = message
    this.post('message', { message })
    if (message.direction === 'in' && this.panel.visible && vscode.window.state.focused) void this.markRead(true)
  }

  statusChanged(update: {
    id: string
    status: MessageView['status']
    deliveredAt?: number
    error?: string
    readBy?: number
  }): void {
    const i = this.messages.findIndex(m => m.id === update.id)
    if (i !== -1) {
      const m = this.messages[i]!
      this.messages[i] = {
        ...m,
        status: update.status,
        ...(update.deliveredAt !== undefined ? { deliveredAt: update.deliveredAt } : {}),
        ...(update.error !== undefined ? { error: update.error } : {}),
        ...(update.readBy !== undefined ? { readBy: update.readBy } : {})
      }
    }
    const { id, status, deliveredAt, error, readBy } = update
    this.post('status', {
      id,
      status,
      ...(deliveredAt !== undefined ? { deliveredAt } : {}),
      ...(error !== undefined ? { error } : {}),
      ...(readBy !== undefined ? { readBy } : {})
    })
  }

  /** The store changed: tell the page if this contact did. */
  contactMaybeChanged(): void {
    const g = this.host.store.group(this.peerId)
    if (g !== undefined && g !== this.lastGroup) {
      // a group's members, title or unread count changed: the page gets it all again
      this.lastGroup = g
      this.panel.title = this.host.store.label(this.peerId)
      if (this.ready) void this.snapshot().then(snapshot => this.post('snapshot', snapshot))
      return
    }
    const c = this.host.store.get(this.peerId)
    if (c === undefined || c === this.lastContact) return
    const before = this.lastContact
    this.lastContact = c
    this.panel.title = this.host.store.label(this.peerId)
    if (before !== undefined && before.presence !== c.presence) {
      this.post('presence', { presence: c.presence, ...(c.lastSeen !== undefined ? { lastSeen: c.lastSeen } : {}) })
    }
    this.post('contact', { contact: c })
  }

  /**
   * Marks the conversation read, locally and in the daemon. Without `force` nothing is sent when
   * nothing is unread; a message that just arrived into the visible conversation forces it (the
   * store counted it as read already, the daemon has not).
   */
  async markRead(force = false): Promise<number> {
    const c = this.host.store.get(this.peerId)
    if (!force && c !== undefined && c.unread === 0) return 0
    this.host.store.markRead(this.peerId)
    try {
      await this.host.call('messages.markRead', { target: this.peerId })
    } catch (err) {
      this.log(`markRead ${this.peerId} failed: ${describe(err)}`)
    }
    return 0
  }

  /** Sends a message (text or snippet) and shows it at once as queued. */
  async send(content: SendContent): Promise<{ id: string; status: MessageView['status'] }> {
    const result = await sendAndRecord(this.host, this.peerId, content)
    this.upsertMessage(result.message)
    return { id: result.id, status: result.status }
  }

  private handlers(): RequestHandlers {
    return {
      ready: async ({ protocol }) => {
        if (protocol !== PROTOCOL_VERSION) {
          throw new ProtocolError(`the webview speaks protocol ${protocol}, the host ${PROTOCOL_VERSION}`)
        }
        const snapshot = await this.snapshot()
        this.ready = true
        if (this.panel.active) void this.markRead()
        // (the page holds events that come before its first snapshot, then applies them after it)
        if (this.revealing !== undefined) this.post('reveal', { id: this.revealing })
        this.revealing = undefined
        return snapshot
      },
      send: async ({ text }) => {
        const result = await this.send({ text })
        await this.context.workspaceState.update(this.draftKey(), undefined)
        return result
      },
      retry: async ({ id }) => {
        const result = await this.host.call('messages.retry', { id })
        this.statusChanged({ id: result.id, status: result.status })
        return result
      },
      markRead: async () => ({ unread: await this.markRead() }),
      openLink: async ({ url }) => ({ opened: await confirmAndOpenLink(url) }),
      openSnippet: async ({ path, startLine, endLine }) => ({
        opened: await openSnippetLocation(path, startLine, endLine, this.panel.viewColumn)
      }),
      copy: async ({ text }) => {
        await vscode.env.clipboard.writeText(text)
        return { copied: true }
      },
      saveDraft: async ({ text }) => {
        await this.context.workspaceState.update(this.draftKey(), text === '' ? undefined : text)
        return { saved: true }
      },
      acceptKey: async () => {
        const { contact } = await this.host.call('contacts.acceptKey', { target: this.peerId })
        this.host.store.upsert(contact)
        return { contact }
      },
      verify: async () => {
        const contact = await verifyWithSafetyNumber(this.host, this.peerId)
        return { contact }
      },
      loadOlder: async ({ before, limit }) => {
        const { messages } = await this.host.call('messages.history', { target: this.peerId, before, limit })
        const known = new Set(this.messages.map(m => m.id))
        this.messages = [...messages.filter(m => !known.has(m.id)), ...this.messages]
        this.hasOlder = messages.length >= limit
        return { messages, hasOlder: this.hasOlder }
      }
    }
  }

  dispose(): void {
    this.ready = false
    for (const d of this.disposables) d.dispose()
  }
}

export type { WebviewMessage }
