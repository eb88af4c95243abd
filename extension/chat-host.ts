import type { RpcClient } from '../node/daemon/client.ts'
import type { MessageView, RpcMethod, RpcNotifications, RpcParams, RpcResult } from '../node/daemon/rpc-api.ts'
import { CONTACTS_REFRESH_DELAY_MS, STATUS_REFRESH_MS } from './constants.ts'
import { ContactStore } from './contact-store.ts'
import type { ConnectionState, DaemonConnection } from './daemon-connection.ts'
import { Emitter } from './emitter.ts'

/** A call was made while no daemon is connected. */
export class NotConnectedError extends Error {
  static name = 'NotConnectedError'
  name = 'NotConnectedError'
}

export interface ChatHostOptions {
  /**
   * Whether a message received from `peerId` is read at once (its conversation is in view), so it
   * never counts as unread. @default never
   */
  isReading?: (peerId: string) => boolean
}

/**
 * The extension host's state and its daemon: loads whoami/status/contacts on every (re)connect,
 * keeps the {@link ContactStore} current from daemon notifications and re-emits the events
 * conversations need. No `vscode` import, so it runs under Node in unit tests.
 */
export class ChatHost {
  readonly store = new ContactStore()
  readonly connection: DaemonConnection
  readonly messageReceived = new Emitter<MessageView>()
  /** a group message stored (ours or a member's): the conversation keyed by its group id shows it */
  readonly groupMessage = new Emitter<RpcNotifications['group.message']['message']>()
  readonly messageStatus = new Emitter<RpcNotifications['message.status']>()
  readonly keyChanged = new Emitter<RpcNotifications['key.changed']>()
  readonly contactRequest = new Emitter<RpcNotifications['contact.request']>()
  /** One side had lost the session with a contact and a new one was started (docs/PROTOCOL.md §3.12). */
  readonly sessionRestarted = new Emitter<RpcNotifications['session.restarted']>()
  /** A fresh connection finished loading (conversations re-sync their history). */
  readonly synced = new Emitter<void>()
  readonly stateChanged = new Emitter<ConnectionState>()
  private readonly isReading: (peerId: string) => boolean
  private readonly log: (line: string) => void
  private statusTimer: ReturnType<typeof setInterval> | undefined
  private refreshTimer: ReturnType<typeof setTimeout> | undefined
  private readonly unsubscribe: Array<() => void> = []
  readReceipts = true

  constructor(connection: DaemonConnection, log: (line: string) => void, options: ChatHostOptions = {}) {
    this.connection = connection
    this.log = log
    this.isReading = options.isReading ?? (() => false)
    this.unsubscribe.push(
      connection.onClient(client => {
        void this.attach(client)
      }),
      connection.onState(state => {
        if (state !== 'ready') this.stopStatusRefresh()
        this.stateChanged.fire(state)
      })
    )
  }

  get state(): ConnectionState {
    return this.connection.state
  }

  /** Calls the daemon; NotConnectedError when there is none right now. */
  async call<M extends RpcMethod>(
    method: M,
    params: RpcParams<M>,
    options: { signal?: AbortSignal } = {}
  ): Promise<RpcResult<M>> {
    const client = this.connection.client
    if (client === undefined) throw new NotConnectedError('the Parley node is not connected yet')
    return await client.call(method, params, options)
  }

  private async attach(client: RpcClient): Promise<void> {
    client.on('message.received', ({ message }) => {
      const reading = message.direction === 'in' && this.isReading(message.from)
      if (message.direction === 'in') {
        // Counted here at once for the badge; the daemon's count (which a `contact.request` sent
        // just before may already include) replaces it moments later.
        this.store.messageReceived(message, reading)
        this.scheduleContactsRefresh()
      }
      this.messageReceived.fire(message)
    })
    client.on('message.status', update => this.messageStatus.fire(update))
    client.on('presence.changed', update => this.store.presence(update))
    client.on('contact.request', event => {
      this.store.upsert(event.contact)
      this.contactRequest.fire(event)
    })
    client.on('contact.changed', ({ contact }) => this.store.upsert(contact))
    client.on('key.changed', event => {
      this.keyChanged.fire(event)
      void this.refreshContacts()
    })
    client.on('session.restarted', event => {
      this.sessionRestarted.fire(event)
      void this.refreshContacts()
    })
    client.on('name.changed', ({ name }) => this.store.setName(name))
    // group messages go to the group's conversation (keyed by the group id, `to`)
    client.on('group.message', ({ message }) => {
      const reading = this.isReading(message.groupId)
      const g = this.store.group(message.groupId)
      if (g !== undefined && !reading && message.direction === 'in')
        this.store.upsertGroup({ ...g, unread: g.unread + 1 })
      this.groupMessage.fire(message)
    })
    client.on('group.changed', ({ group }) => this.store.upsertGroup(group))
    client.on('node.addresses', () => void this.refreshStatus())
    try {
      const [me, status, contacts, settings] = await Promise.all([
        client.call('node.whoami', {}),
        client.call('node.status', {}),
        client.call('contacts.list', {}),
        client.call('settings.get', {})
      ])
      // a daemon without groups (older) still serves everything else
      this.store.replaceGroups(
        await client.call('groups.list', {}).then(
          r => r.groups,
          () => []
        )
      )
      this.store.setMe(me)
      this.store.setStatus(status)
      this.store.replaceContacts(contacts.contacts)
      this.readReceipts = settings.readReceipts
      this.log(`connected as ${me.name ?? '(no name yet)'} ${me.peerId}; ${contacts.contacts.length} contacts`)
    } catch (err) {
      this.log(`loading the node's state failed: ${describe(err)}`)
      return
    }
    this.startStatusRefresh()
    this.synced.fire()
  }

  private scheduleContactsRefresh(): void {
    if (this.refreshTimer !== undefined) return
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined
      void this.refreshContacts()
    }, CONTACTS_REFRESH_DELAY_MS)
  }

  async refreshContacts(): Promise<void> {
    try {
      this.store.replaceContacts((await this.call('contacts.list', {})).contacts)
    } catch (err) {
      this.log(`contacts.list failed: ${describe(err)}`)
    }
  }

  async refreshStatus(): Promise<void> {
    try {
      this.store.setStatus(await this.call('node.status', {}))
    } catch (err) {
      if (!(err instanceof NotConnectedError)) this.log(`node.status failed: ${describe(err)}`)
    }
  }

  /** Aligns the daemon's read-receipt setting with the editor's. */
  async setReadReceipts(enabled: boolean): Promise<void> {
    if (this.connection.client === undefined) return
    this.readReceipts = (await this.call('settings.set', { readReceipts: enabled })).readReceipts
  }

  private startStatusRefresh(): void {
    this.stopStatusRefresh()
    this.statusTimer = setInterval(() => void this.refreshStatus(), STATUS_REFRESH_MS)
    this.statusTimer.unref?.()
  }

  private stopStatusRefresh(): void {
    if (this.statusTimer !== undefined) clearInterval(this.statusTimer)
    this.statusTimer = undefined
  }

  dispose(): void {
    this.stopStatusRefresh()
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer)
    for (const u of this.unsubscribe) u()
    this.connection.dispose()
  }
}

/** A message for people: RPC errors carry the daemon's own wording. */
export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
