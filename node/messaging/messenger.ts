/**
 * The messaging half of the node: contacts and requests, sending (sealed once at enqueue time into
 * the durable outbox), delivery with signed acks and backoff, receiving (verify, decrypt, store in one
 * transaction, then ack), presence and read receipts. docs/PROTOCOL.md §3.10–3.11 and §4.
 */
import type { Connection, Libp2p, PeerId, PeerInfo, PeerUpdate, Stream } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { peerIdFromString } from '@libp2p/peer-id'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import { randomBytes } from '../crypto/primitives.ts'
import type { SignedPrekey } from '../crypto/x3dh.ts'
import type { ContactAction, ParleyService } from '../daemon/methods.ts'
import type {
  ContactView,
  MessageStatus,
  MessageView,
  Presence,
  RpcNotification,
  RpcNotifications,
  RpcResult,
  SendContent
} from '../daemon/rpc-api.ts'
import type { Identity } from '../identity/index.ts'
import type { ContactRow, MessageRow, OutboxKind, OutboxRow, ParleyStore } from '../store/index.ts'
import { foldName as normalizeName } from '../names/name-rules.ts'
import {
  DELIVERY_TIMEOUT_MS,
  DIAL_TIMEOUT_MS,
  DM_PROTOCOL,
  INVITE_SECRET_LENGTH,
  KEY_CHECK_INTERVAL_MS,
  LAST_SEEN_WRITE_INTERVAL_MS,
  MAX_ENVELOPES_PER_STREAM,
  MAX_INBOUND_STREAMS,
  MAX_SENDS_PER_COMMIT,
  PRESENCE_INTERVAL_MS,
  PROFILE_REFRESH_MS,
  RETRY_MAX_MS,
  RETRY_MIN_MS
} from './constants.ts'
import { type EnvelopeBatchResult, readEnvelopes, writeEnvelopes } from './dm-stream.ts'
import {
  MAX_READ_RECEIPT_IDS,
  MESSAGE_ID_LENGTH,
  type MessageContent,
  type OpenedEnvelope,
  openAck,
  openEnvelope,
  signAck
} from './envelope.ts'
import {
  BlockedError,
  ContactNotFoundError,
  InvalidInviteError,
  KeyChangedError,
  NotFoundError,
  NotStartedError,
  TimeoutError
} from './errors.ts'
import { fromHex, hex, parsePeerId } from './ids.ts'
import { type Incoming, newContact, storeIncoming } from './inbox.ts'
import { formatInviteLink, isInviteLink, parseInviteLink } from './invite-link.ts'
import { commitSeal, inviteSecretKey, type Sealed, seal } from './seal.ts'
import { contactView, messageBody, messageView } from './views.ts'

export { DM_PROTOCOL } from './constants.ts'
export * from './errors.ts'

const log = logger('parley:dm')

/** What the messenger needs of a profile record (node/names/profile.ts Profile fits it). */
export interface DirectoryProfile {
  peerId: PeerId
  /** X25519 identity DH public key */
  dhKey: Uint8Array
  /** signature verified by the record validator (checked again before use) */
  prekey: SignedPrekey
  addresses: Multiaddr[]
}

export interface Directory {
  /** resolves a name through the DHT, pins it on first use; throws NameNotFoundError / InvalidNameError.
   * keyChanged=true when the name now points at a key other than the pinned one (pin unchanged) */
  resolveName(
    name: string,
    options: { signal?: AbortSignal }
  ): Promise<{ peerId: PeerId; profile: DirectoryProfile; keyChanged: boolean }>
  /** the peer's current valid profile record from the DHT (cached briefly); throws NotFoundError */
  profile(peerId: PeerId, options: { signal?: AbortSignal }): Promise<DirectoryProfile>
  /** our own registered name, or null */
  ownName(): string | null
}

export interface MessengerInit {
  libp2p: Libp2p
  identity: Identity
  store: ParleyStore
  directory: Directory
  notify: <N extends RpcNotification>(method: N, params: RpcNotifications[N]) => void
  /** @default PRESENCE_INTERVAL_MS */
  presenceIntervalMs?: number
  /** @default KEY_CHECK_INTERVAL_MS */
  keyCheckIntervalMs?: number
  /** @default PROFILE_REFRESH_MS */
  profileRefreshMs?: number
  /** @default RETRY_MIN_MS */
  retryMinMs?: number
  /** @default RETRY_MAX_MS */
  retryMaxMs?: number
}

/** A send waiting in its peer's queue for the next group commit (enqueue). */
interface QueuedSend {
  id: string
  content: MessageContent
  kind: OutboxKind
  signal?: AbortSignal
  resolve: (status: MessageStatus) => void
  reject: (err: unknown) => void
}

const EMPTY = new Uint8Array(0)
const READ_RECEIPTS_KEY = 'readReceipts'

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err))
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

export class Messenger
  implements
    Pick<ParleyService, 'contacts' | 'contact' | 'invite' | 'send' | 'history' | 'markRead' | 'retry' | 'settings'>
{
  private readonly libp2p: Libp2p
  private readonly identity: Identity
  private readonly store: ParleyStore
  private readonly directory: Directory
  private readonly notify: MessengerInit['notify']
  private readonly presenceIntervalMs: number
  private readonly keyCheckIntervalMs: number
  private readonly retryMinMs: number
  private readonly profileRefreshMs: number
  /** when each peer's profile addresses were last fetched */
  private readonly refreshedAt = new Map<string, number>()
  private readonly retryMaxMs: number
  private readonly localPeerId: string
  /** per-peer chain of work that reads and writes the peer's sessions and hash chains */
  private readonly locks = new Map<string, Promise<unknown>>()
  /** per-peer sends waiting for their turn of group commit (enqueue); present while a loop drains it */
  private readonly sendQueues = new Map<string, QueuedSend[]>()
  private readonly draining = new Set<Promise<void>>()
  /** per-peer delivery in progress, and peers to deliver to again once it ends */
  private readonly delivering = new Map<string, Promise<void>>()
  private readonly again = new Set<string>()
  /** send --wait: message id → callbacks on delivery */
  private readonly waiters = new Map<string, Set<() => void>>()
  private readonly presence = new Map<string, Presence>()
  private controller = new AbortController()
  private started = false
  private refreshingPresence = false
  private retryTimer?: NodeJS.Timeout
  private presenceTimer?: NodeJS.Timeout
  private keyTimer?: NodeJS.Timeout

  constructor(init: MessengerInit) {
    this.libp2p = init.libp2p
    this.identity = init.identity
    this.store = init.store
    this.directory = init.directory
    this.notify = init.notify
    this.presenceIntervalMs = init.presenceIntervalMs ?? PRESENCE_INTERVAL_MS
    this.keyCheckIntervalMs = init.keyCheckIntervalMs ?? KEY_CHECK_INTERVAL_MS
    this.retryMinMs = init.retryMinMs ?? RETRY_MIN_MS
    this.profileRefreshMs = init.profileRefreshMs ?? PROFILE_REFRESH_MS
    this.retryMaxMs = init.retryMaxMs ?? RETRY_MAX_MS
    this.localPeerId = this.identity.peerId.toString()
  }

  // ---------------------------------------------------------------- lifecycle

  /** Registers /parley/dm/1.0.0, starts the outbox and presence. */
  async start(): Promise<void> {
    if (this.started) return
    this.controller = new AbortController()
    await this.libp2p.handle(
      DM_PROTOCOL,
      (stream, connection) => {
        void this.onStream(stream, connection)
      },
      { maxInboundStreams: MAX_INBOUND_STREAMS, maxOutboundStreams: MAX_INBOUND_STREAMS }
    )
    this.libp2p.addEventListener('peer:connect', this.onConnect)
    this.libp2p.addEventListener('peer:disconnect', this.onDisconnect)
    this.libp2p.addEventListener('peer:update', this.onUpdate)
    this.libp2p.addEventListener('peer:discovery', this.onDiscovery)
    this.started = true
    for (const c of this.store.contacts.list()) {
      this.presence.set(c.peerId, this.isConnected(c.peerId) ? 'online' : 'offline')
    }
    this.presenceTimer = setInterval(() => void this.refreshPresence(), this.presenceIntervalMs)
    this.presenceTimer.unref()
    this.keyTimer = setInterval(() => void this.checkKeys(), this.keyCheckIntervalMs)
    this.keyTimer.unref()
    // everything queued before a restart is due now
    for (const { peerId } of this.store.outbox.peers()) this.store.outbox.reschedule(peerId, Date.now())
    this.schedule()
  }

  async stop(): Promise<void> {
    if (!this.started) return
    this.started = false
    this.controller.abort(new NotStartedError('the messenger is stopping'))
    clearTimeout(this.retryTimer)
    clearInterval(this.presenceTimer)
    clearInterval(this.keyTimer)
    this.libp2p.removeEventListener('peer:connect', this.onConnect)
    this.libp2p.removeEventListener('peer:disconnect', this.onDisconnect)
    this.libp2p.removeEventListener('peer:update', this.onUpdate)
    this.libp2p.removeEventListener('peer:discovery', this.onDiscovery)
    await this.libp2p.unhandle(DM_PROTOCOL).catch(() => {})
    await Promise.allSettled([...this.delivering.values(), ...this.locks.values(), ...this.draining])
  }

  private readonly onConnect = (evt: CustomEvent<PeerId>): void => {
    const peerId = evt.detail.toString()
    this.setPresence(peerId, 'online')
    this.deliverNow(peerId)
  }

  private readonly onDisconnect = (evt: CustomEvent<PeerId>): void => {
    if (this.libp2p.getConnections(evt.detail).length === 0) this.setPresence(evt.detail.toString(), 'offline')
  }

  private readonly onUpdate = (evt: CustomEvent<PeerUpdate>): void => {
    const { peer, previous } = evt.detail
    const before = new Set(previous?.addresses.map(a => a.multiaddr.toString()) ?? [])
    if (peer.addresses.some(a => !before.has(a.multiaddr.toString()))) this.deliverNow(peer.id.toString())
  }

  private readonly onDiscovery = (evt: CustomEvent<PeerInfo>): void => {
    this.deliverNow(evt.detail.id.toString())
  }

  // ---------------------------------------------------------------- RPC: contacts

  contacts(): ContactView[] {
    return this.store.contacts.list().map(c => this.view(c))
  }

  async contact(action: ContactAction, target: string, options: { signal: AbortSignal }): Promise<ContactView> {
    this.assertStarted()
    let row: ContactRow
    switch (action) {
      case 'add': {
        row = await this.resolveTarget(target, { signal: options.signal, network: true })
        if (row.state === 'blocked') throw new BlockedError(`${row.peerId} is blocked; unblock it first`)
        row = this.update(row, { state: 'contact' })
        break
      }
      case 'accept':
        row = this.update(await this.resolveKnown(target, options), { state: 'contact' })
        break
      case 'decline':
        row = this.update(await this.resolveKnown(target, options), { state: 'declined' })
        break
      case 'block': {
        const peerId = parsePeerId(target)
        const existing = peerId != null ? this.store.contacts.get(peerId.toString()) : undefined
        row = this.update(
          existing ??
            (peerId != null ? newContact(peerId.toString(), 'blocked') : await this.resolveKnown(target, options)),
          { state: 'blocked' }
        )
        // close what is open: a blocked peer gets nothing from us
        await this.libp2p.hangUp(peerIdFromString(row.peerId)).catch(() => {})
        break
      }
      case 'unblock':
        row = this.update(await this.resolveKnown(target, options), { state: 'contact' })
        this.deliverNow(row.peerId)
        break
      case 'verify':
        row = this.update(await this.resolveKnown(target, options), { verified: true })
        break
      case 'acceptKey':
        row = await this.acceptKey(target, options)
        this.deliverNow(row.peerId)
        break
      default:
        throw new TypeError(`unknown contact action ${String(action)}`)
    }
    const view = this.view(row)
    this.notify('contact.changed', { contact: view })
    return view
  }

  async invite(): Promise<string> {
    const secret = randomBytes(INVITE_SECRET_LENGTH)
    this.store.invites.create(Buffer.from(secret).toString('base64url'))
    const addresses = this.libp2p
      .getMultiaddrs()
      .map(a => a.decapsulateCode(421))
      .filter((a, i, all) => all.findIndex(b => b.equals(a)) === i)
    return formatInviteLink({
      peerId: this.identity.peerId,
      name: this.directory.ownName() ?? undefined,
      addresses,
      secret
    })
  }

  // ---------------------------------------------------------------- RPC: messages

  async send(
    target: string,
    content: SendContent,
    options: { wait: boolean; timeoutMs: number; signal: AbortSignal }
  ): Promise<RpcResult<'messages.send'>> {
    this.assertStarted()
    let contact = await this.resolveTarget(target, { signal: options.signal, network: true })
    if (contact.state === 'blocked') throw new BlockedError(`${contact.peerId} is blocked`)
    if (contact.keyChanged) {
      throw new KeyChangedError(
        `the key of ${contact.name ?? contact.peerId} changed; accept it first (contact accept-key)`
      )
    }
    if (contact.state !== 'contact') {
      // replying to a request accepts it
      contact = this.update(contact, { state: 'contact' })
      this.notify('contact.changed', { contact: this.view(contact) })
    }
    const messageContent: MessageContent =
      'text' in content ? { type: 'text', markdown: content.text } : { type: 'snippet', ...content.snippet }
    const id = hex(randomBytes(MESSAGE_ID_LENGTH))
    const delivered = options.wait ? this.waitFor(id, options) : undefined
    delivered?.catch(() => {})
    const status = await this.enqueue(contact.peerId, id, messageContent, 'message', { signal: options.signal })
    this.deliverNow(contact.peerId)
    if (delivered === undefined) return { id, status }
    await delivered
    return { id, status: this.store.messages.get(id)?.status ?? 'delivered' }
  }

  async history(
    target: string,
    options: { limit: number; before?: number; signal?: AbortSignal }
  ): Promise<MessageView[]> {
    const contact = await this.resolveKnown(target, options)
    return this.store.messages
      .history(contact.peerId, { limit: options.limit, before: options.before })
      .map(m => this.messageView(m))
  }

  async markRead(target: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const contact = await this.resolveKnown(target, options)
    const ids = this.store.messages.markRead(contact.peerId)
    if (ids.length === 0 || !this.settings().readReceipts || contact.state !== 'contact') return
    if (this.store.sessions.current(contact.peerId) == null) return
    for (let i = 0; i < ids.length; i += MAX_READ_RECEIPT_IDS) {
      const messageIds = ids.slice(i, i + MAX_READ_RECEIPT_IDS).map(fromHex)
      await this.enqueue(
        contact.peerId,
        hex(randomBytes(MESSAGE_ID_LENGTH)),
        { type: 'read-receipt', messageIds },
        'receipt',
        options
      )
    }
    this.deliverNow(contact.peerId)
  }

  async retry(id: string): Promise<RpcResult<'messages.retry'>> {
    const message = this.store.messages.get(id)
    if (message === undefined || message.direction !== 'out') throw new NotFoundError(`no outgoing message ${id}`)
    if (this.store.outbox.get(id) !== undefined) this.deliverNow(message.peerId)
    return { id, status: message.status }
  }

  settings(update?: { readReceipts?: boolean }): { readReceipts: boolean } {
    if (update?.readReceipts !== undefined) this.store.settings.set(READ_RECEIPTS_KEY, String(update.readReceipts))
    return { readReceipts: this.store.settings.get(READ_RECEIPTS_KEY) === 'true' }
  }

  // ---------------------------------------------------------------- targets and contacts

  private assertStarted(): void {
    if (!this.started) throw new NotStartedError('the messenger is not running')
  }

  /** A contact from local state only: peer id, contact name or pinned name. */
  private resolveLocal(target: string): ContactRow {
    const peerId = parsePeerId(target)
    if (peerId != null) {
      const c = this.store.contacts.get(peerId.toString())
      if (c !== undefined) return c
      throw new ContactNotFoundError(`${target} is not a contact`)
    }
    // the pin (TOFU) is the authority for a name; then names we resolved or were given by a link.
    // A name a peer merely announces (announcedName) never addresses it.
    const name = normalizeName(target)
    const pin = this.store.pins.get(name)
    const pinned = pin !== undefined ? this.store.contacts.get(pin.peerId) : undefined
    if (pinned !== undefined) return pinned
    const byName = this.store.contacts.byName(name)
    if (byName !== undefined) return byName
    throw new ContactNotFoundError(`no contact "${target}"`)
  }

  /**
   * An existing contact: from local state, else (for a name) through the DHT, which finds a
   * stranger's request by the name it really holds. Creates nothing; ContactNotFoundError.
   */
  private async resolveKnown(target: string, options: { signal?: AbortSignal }): Promise<ContactRow> {
    try {
      return this.resolveLocal(target)
    } catch (err) {
      if (!(err instanceof ContactNotFoundError) || parsePeerId(target) != null) throw err
    }
    const name = normalizeName(target)
    const resolved = await this.directory.resolveName(name, { signal: options.signal })
    const existing = this.store.contacts.get(resolved.peerId.toString())
    if (existing === undefined || resolved.keyChanged) throw new ContactNotFoundError(`no contact "${target}"`)
    return existing.name === name ? existing : this.update(existing, { name })
  }

  /** A contact for a target (invite link, peer id, contact name, pinned name, or a name resolved now), created if new. */
  private async resolveTarget(
    target: string,
    options: { signal?: AbortSignal; network: boolean }
  ): Promise<ContactRow> {
    if (isInviteLink(target)) return await this.addInvite(target)
    const peerId = parsePeerId(target)
    if (peerId != null) {
      if (peerId.equals(this.identity.peerId)) throw new ContactNotFoundError('that is our own peer id')
      return this.store.contacts.get(peerId.toString()) ?? this.saveNew(newContact(peerId.toString(), 'contact'))
    }
    try {
      return this.resolveLocal(target)
    } catch (err) {
      if (!(err instanceof ContactNotFoundError) || !options.network) throw err
    }
    const name = normalizeName(target)
    const resolved = await this.directory.resolveName(name, { signal: options.signal })
    if (resolved.keyChanged) {
      const pinned = this.store.pins.get(name)
      if (pinned !== undefined) this.flagKeyChanged(pinned.peerId, name)
      throw new KeyChangedError(`"${name}" now points at another key; compare safety numbers, then contact accept-key`)
    }
    const id = resolved.peerId.toString()
    if (id === this.localPeerId) throw new ContactNotFoundError(`"${name}" is our own name`)
    await this.learnAddresses(resolved.peerId, resolved.profile.addresses)
    const existing = this.store.contacts.get(id)
    if (existing !== undefined) return existing.name === name ? existing : this.update(existing, { name })
    return this.saveNew({ ...newContact(id, 'contact'), name })
  }

  private async addInvite(link: string): Promise<ContactRow> {
    const invite = parseInviteLink(link)
    if (invite.peerId.equals(this.identity.peerId)) throw new InvalidInviteError('this is our own invite link')
    const id = invite.peerId.toString()
    await this.learnAddresses(invite.peerId, invite.addresses)
    const existing = this.store.contacts.get(id)
    const addresses = [...new Set([...(existing?.addresses ?? []), ...invite.addresses.map(String)])]
    // the secret goes in our first message only; a conversation that already started needs none
    if (this.store.chains.get(id, 'out') === undefined) {
      this.store.settings.set(inviteSecretKey(id), Buffer.from(invite.secret).toString('base64url'))
    }
    if (existing !== undefined) {
      return this.update(existing, {
        addresses,
        announcedName: existing.announcedName ?? invite.name,
        state: existing.state === 'blocked' ? 'blocked' : 'contact'
      })
    }
    // the link's name is the inviter's claim: shown, never used to address (a name resolves through the DHT)
    return this.saveNew({ ...newContact(id, 'contact'), announcedName: invite.name, addresses })
  }

  private async acceptKey(target: string, options: { signal: AbortSignal }): Promise<ContactRow> {
    const old = this.resolveLocal(target)
    const name = old.name ?? (parsePeerId(target) == null ? normalizeName(target) : undefined)
    if (name === undefined) return this.update(old, { keyChanged: false })
    const resolved = await this.directory.resolveName(name, { signal: options.signal })
    const id = resolved.peerId.toString()
    this.store.pins.set(name, id)
    if (id === old.peerId) return this.update(old, { keyChanged: false })
    await this.learnAddresses(resolved.peerId, resolved.profile.addresses)
    const existing = this.store.contacts.get(id)
    const fresh = this.store.transaction(() => {
      this.update(old, { keyChanged: false, name: undefined })
      return existing !== undefined
        ? this.update(existing, {
            name,
            keyChanged: false,
            state: existing.state === 'blocked' ? 'blocked' : 'contact'
          })
        : this.saveNew({ ...newContact(id, 'contact'), name })
    })
    this.notify('contact.changed', { contact: this.view(this.store.contacts.get(old.peerId)!) })
    return fresh
  }

  private flagKeyChanged(peerId: string, name: string): void {
    const c = this.store.contacts.get(peerId)
    if (c === undefined || c.keyChanged) return
    const row = this.update(c, { keyChanged: true, name: c.name ?? name })
    this.notify('contact.changed', { contact: this.view(row) })
  }

  private saveNew(row: ContactRow): ContactRow {
    this.store.contacts.put(row)
    this.presence.set(row.peerId, this.isConnected(row.peerId) ? 'online' : 'offline')
    return row
  }

  private update(row: ContactRow, patch: Partial<ContactRow>): ContactRow {
    const next = { ...row, ...patch, updatedAt: Date.now() }
    this.store.contacts.put(next)
    return next
  }

  private async learnAddresses(peerId: PeerId, addresses: Multiaddr[]): Promise<void> {
    if (addresses.length === 0) return
    await this.libp2p.peerStore
      .merge(peerId, { multiaddrs: addresses })
      .catch(err => log('peer store merge failed %e', err))
  }

  private isConnected(peerId: string): boolean {
    return this.libp2p.getConnections(peerIdFromString(peerId)).length > 0
  }

  // ---------------------------------------------------------------- views

  private view(c: ContactRow): ContactView {
    return contactView(this.store, c, this.presence.get(c.peerId) ?? 'offline')
  }

  private messageView(m: MessageRow): MessageView {
    return messageView(m, this.localPeerId)
  }

  // ---------------------------------------------------------------- sending

  /** Runs fn after every earlier fn for the same peer: sessions and chains change in one order. */
  private async withLock<T>(peerId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(peerId) ?? Promise.resolve()
    const run = previous.then(fn, fn)
    const tail = run.catch(() => {})
    this.locks.set(peerId, tail)
    try {
      return await run
    } finally {
      if (this.locks.get(peerId) === tail) this.locks.delete(peerId)
    }
  }

  /**
   * Stores the message and its outbox entry; sealed right away (session, seq and hash chain advance
   * in the same transaction) unless no session can be started yet (no profile found), in which
   * case it is sealed, in order, before the next delivery. Resolves once that transaction has
   * committed (durable).
   *
   * Group commit: sends to one peer go through a per-peer queue drained by one loop. Each turn of
   * the loop takes the peer's lock and everything queued so far, seals it in call order (each
   * message continuing the chain of the one before) and commits it all in ONE transaction, then
   * answers every caller of the turn. A lone send (no loop running for the peer) starts a turn at
   * once, with no timer. A commit blocks the thread (node:sqlite is synchronous), so sends whose
   * requests arrive meanwhile are only seen in the next turns of the event loop: after answering,
   * the loop lingers (setImmediate, outside the lock) as long as each event-loop turn brings more
   * sends, up to MAX_SENDS_PER_COMMIT, and commits those together; a turn that brings none ends the
   * loop. Only sends that arrive while the loop runs can wait for others, never a lone one.
   */
  private async enqueue(
    peerId: string,
    id: string,
    content: MessageContent,
    kind: OutboxKind,
    options: { signal?: AbortSignal }
  ): Promise<MessageStatus> {
    const { promise, resolve, reject } = Promise.withResolvers<MessageStatus>()
    const send: QueuedSend = { id, content, kind, signal: options.signal, resolve, reject }
    const queue = this.sendQueues.get(peerId)
    if (queue !== undefined) {
      // a loop is draining this peer's queue: this send is in its next turn
      queue.push(send)
    } else {
      this.sendQueues.set(peerId, [send])
      const loop = this.drainSends(peerId)
        .catch(err => log.error('the send queue of %s failed %e', peerId, err))
        .finally(() => this.draining.delete(loop))
      this.draining.add(loop)
    }
    return await promise
  }

  /** The loop of enqueue: turns until the peer's queue stays empty; every queued send is answered. */
  private async drainSends(peerId: string): Promise<void> {
    const queue = this.sendQueues.get(peerId)!
    try {
      while (queue.length > 0) {
        await this.withLock(peerId, async () => await this.commitSends(peerId, queue.splice(0, MAX_SENDS_PER_COMMIT)))
        // linger while each turn of the event loop brings more sends (see enqueue)
        for (let seen = -1; queue.length !== seen && queue.length < MAX_SENDS_PER_COMMIT; ) {
          seen = queue.length
          await new Promise(resolve => setImmediate(resolve))
        }
      }
    } finally {
      // checked empty and forgotten in the same tick: the next send starts a new loop
      this.sendQueues.delete(peerId)
      for (const send of queue.splice(0)) send.reject(new Error('the send queue stopped unexpectedly'))
    }
  }

  /**
   * One turn: seals `sends` in order (a send whose seal throws gets the error and is skipped; the
   * chain continues from the last one sealed), then one transaction stores them all, then answers.
   * Never throws: every send is resolved or rejected.
   */
  private async commitSends(peerId: string, sends: QueuedSend[]): Promise<void> {
    const ready: Array<{ send: QueuedSend; sealed: Sealed | undefined; now: number }> = []
    try {
      // once one cannot be sealed, the ones after it wait unsealed too (sealPending keeps the order)
      let unsealed = this.store.outbox.forPeer(peerId).some(o => o.envelope.length === 0)
      let previous: Sealed | undefined
      for (const send of sends) {
        const now = Date.now()
        let sealed: Sealed | undefined
        if (!unsealed) {
          try {
            sealed = await this.seal(peerId, send.id, send.content, now, { signal: send.signal, after: previous })
          } catch (err) {
            send.reject(err)
            continue
          }
          if (sealed === undefined) unsealed = true
          else previous = sealed
        }
        ready.push({ send, sealed, now })
      }
      this.store.transaction(() => {
        for (const { send, sealed, now } of ready) {
          const { id, content, kind } = send
          if (kind === 'message') {
            this.store.messages.insert({
              id,
              peerId,
              direction: 'out',
              ...messageBody(content),
              sentAt: now,
              storedAt: now,
              seq: sealed?.seq ?? 0,
              prevHash: sealed?.prevHash ?? EMPTY,
              status: 'queued',
              unread: false,
              outOfOrder: false
            })
          }
          this.store.outbox.add({
            messageId: id,
            peerId,
            seq: sealed?.seq ?? 0,
            envelope: sealed?.bytes ?? EMPTY,
            nextAttempt: now,
            kind
          })
          if (sealed !== undefined) commitSeal(this.store, peerId, sealed)
        }
      })
    } catch (err) {
      // nothing of this turn was stored (the transaction rolled back, or failed before it began);
      // a send already rejected by its seal stays rejected with its own error
      for (const send of sends) send.reject(err)
      return
    }
    for (const { send } of ready) send.resolve('queued')
  }

  private async seal(
    peerId: string,
    id: string,
    content: MessageContent,
    sentAt: number,
    options: { signal?: AbortSignal; after?: Sealed }
  ): Promise<Sealed | undefined> {
    return await seal(
      {
        store: this.store,
        identity: this.identity,
        directory: this.directory,
        learnAddresses: async (peer, addresses) => await this.learnAddresses(peer, addresses)
      },
      { peerId, id, content, sentAt },
      options
    )
  }

  /** Seals queued entries that could not be sealed when sent, in order; stops at the first that still cannot. */
  private async sealPending(peerId: string, signal: AbortSignal): Promise<void> {
    await this.withLock(peerId, async () => {
      for (const entry of this.store.outbox.forPeer(peerId)) {
        if (entry.envelope.length > 0) continue
        const message = this.store.messages.get(entry.messageId)
        if (message === undefined) {
          this.store.outbox.remove(entry.messageId)
          continue
        }
        const content: MessageContent =
          message.snippet !== undefined
            ? { type: 'snippet', ...message.snippet }
            : { type: 'text', markdown: message.text }
        const sealed = await this.seal(peerId, entry.messageId, content, message.sentAt, { signal })
        if (sealed === undefined) return
        this.store.transaction(() => {
          this.store.outbox.seal(entry.messageId, sealed.seq, sealed.bytes)
          this.store.messages.update(entry.messageId, { seq: sealed.seq, prevHash: sealed.prevHash })
          commitSeal(this.store, peerId, sealed)
        })
      }
    })
  }

  private waitFor(id: string, options: { timeoutMs: number; signal: AbortSignal }): Promise<void> {
    const { promise, resolve, reject } = Promise.withResolvers<void>()
    const callbacks = this.waiters.get(id) ?? new Set()
    this.waiters.set(id, callbacks)
    const done = (): void => {
      clearTimeout(timer)
      options.signal.removeEventListener('abort', onAbort)
      callbacks.delete(done)
      if (callbacks.size === 0) this.waiters.delete(id)
    }
    const timer = setTimeout(() => {
      done()
      reject(new TimeoutError(`message ${id} was not delivered within ${options.timeoutMs} ms; it stays queued`))
    }, options.timeoutMs)
    const onAbort = (): void => {
      done()
      reject(options.signal.reason)
    }
    options.signal.addEventListener('abort', onAbort, { once: true })
    callbacks.add(() => {
      done()
      resolve()
    })
    return promise
  }

  // ---------------------------------------------------------------- delivery

  /** Makes the peer's pending envelopes due now and delivers them. */
  private deliverNow(peerId: string): void {
    if (!this.started) return
    this.store.outbox.reschedule(peerId, Date.now())
    this.kick(peerId)
  }

  private kick(peerId: string): void {
    if (!this.started) return
    if (this.delivering.has(peerId)) {
      this.again.add(peerId)
      return
    }
    const run = this.deliver(peerId)
      .catch(err => log.error('delivery to %s failed %e', peerId, err))
      .finally(() => {
        this.delivering.delete(peerId)
        if (this.again.delete(peerId)) this.kick(peerId)
        else this.schedule()
      })
    this.delivering.set(peerId, run)
  }

  /** Arms the retry timer for the earliest due outbox entry. */
  private schedule(): void {
    if (!this.started) return
    clearTimeout(this.retryTimer)
    const now = Date.now()
    let next = Number.POSITIVE_INFINITY
    for (const { peerId, nextAttempt } of this.store.outbox.peers()) {
      if (this.delivering.has(peerId)) continue
      if (nextAttempt <= now) this.kick(peerId)
      else next = Math.min(next, nextAttempt)
    }
    if (Number.isFinite(next)) {
      this.retryTimer = setTimeout(() => this.schedule(), Math.max(0, next - now))
      this.retryTimer.unref()
    }
  }

  private async deliver(peerId: string): Promise<void> {
    const contact = this.store.contacts.get(peerId)
    if (contact === undefined || contact.state === 'blocked' || contact.keyChanged) {
      // held until unblocked or the key is accepted (both deliver at once); keep the timer calm meanwhile
      const why = contact === undefined ? 'not a contact' : contact.state === 'blocked' ? 'blocked' : 'key changed'
      this.postpone(peerId, this.store.outbox.forPeer(peerId), why, this.retryMaxMs)
      return
    }
    await this.sealPending(peerId, this.controller.signal)
    while (this.started) {
      const pending = this.store.outbox.forPeer(peerId)
      // due as soon as any entry is (the rule schedule() follows): a message queued during a failing
      // attempt is due while the ones before it wait, and both must agree or schedule() spins
      const now = Date.now()
      if (!pending.some(e => e.nextAttempt <= now)) return
      const batch: OutboxRow[] = []
      for (const entry of pending) {
        if (entry.envelope.length === 0 || batch.length === MAX_ENVELOPES_PER_STREAM) break
        batch.push(entry)
      }
      if (batch.length === 0) {
        // the first entry could not be sealed (no profile record yet): try again later
        this.postpone(peerId, pending, 'no profile record of the recipient yet', this.backoff(pending[0]!.attempts))
        void this.refreshAddresses(peerId)
        return
      }
      try {
        const acked = await this.deliverBatch(peerId, batch)
        if (acked < batch.length) throw new Error(`the receiver acked ${acked} of ${batch.length} envelopes`)
      } catch (err) {
        if (!this.started) return
        const attempts = batch[0]!.attempts
        const delay = this.backoff(attempts)
        const error = errorText(err)
        log(
          'delivery of %d envelopes to %s failed (attempt %d, next in %d ms): %s',
          batch.length,
          peerId,
          attempts + 1,
          delay,
          error
        )
        const left = batch.filter(e => this.store.outbox.get(e.messageId) !== undefined)
        this.store.transaction(() => {
          // everything queued for the peer waits for the next attempt, not only this batch
          this.store.outbox.failed(
            this.store.outbox.forPeer(peerId).map(e => e.messageId),
            error,
            Date.now() + delay
          )
          for (const e of left) if (e.kind === 'message') this.store.messages.update(e.messageId, { error })
        })
        if (attempts === 0) {
          for (const e of left) {
            if (e.kind === 'message')
              this.notify('message.status', { id: e.messageId, peerId, status: 'queued', error })
          }
        }
        // new addresses in the profile make the peer due again (peer:update)
        void this.refreshAddresses(peerId)
        return
      }
    }
  }

  private backoff(attempts: number): number {
    return Math.min(this.retryMaxMs, this.retryMinMs * 2 ** Math.min(attempts, 20))
  }

  private postpone(peerId: string, entries: OutboxRow[], error: string, delay: number): void {
    if (entries.length === 0) return
    log('holding %d envelopes to %s: %s', entries.length, peerId, error)
    this.store.outbox.failed(
      entries.map(e => e.messageId),
      error,
      Date.now() + delay
    )
  }

  /** Learns the peer's current addresses from its profile record (at most every profileRefreshMs). */
  private async refreshAddresses(peerId: string): Promise<void> {
    const last = this.refreshedAt.get(peerId) ?? 0
    if (Date.now() - last < this.profileRefreshMs) return
    this.refreshedAt.set(peerId, Date.now())
    try {
      const profile = await this.directory.profile(peerIdFromString(peerId), { signal: this.controller.signal })
      await this.learnAddresses(profile.peerId, profile.addresses)
    } catch (err) {
      log('no fresh profile of %s: %e', peerId, err)
    }
  }

  private async deliverBatch(peerId: string, batch: OutboxRow[]): Promise<number> {
    const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)])
    const recipient = peerIdFromString(peerId)
    const contact = this.store.contacts.get(peerId)
    if (contact !== undefined && contact.addresses.length > 0 && !this.isConnected(peerId)) {
      await this.learnAddresses(
        recipient,
        contact.addresses.map(a => multiaddr(a))
      )
    }
    const stream = await this.libp2p.dialProtocol(recipient, DM_PROTOCOL, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(DIAL_TIMEOUT_MS)])
    })
    const expected = new Set(batch.map(e => e.messageId))
    return await writeEnvelopes(
      stream,
      batch.map(e => e.envelope),
      async bytes => {
        const ack = await openAck(bytes, { localPeerId: this.identity.peerId, expectedReceiver: recipient, signal })
        const now = Date.now()
        let delivered = 0
        const messages: Array<{ id: string; status: MessageStatus }> = []
        this.store.transaction(
          () => {
            for (const raw of ack.messageIds) {
              const id = hex(raw)
              if (!expected.has(id)) continue
              const entry = this.store.outbox.get(id)
              if (entry === undefined || !this.store.outbox.remove(id)) continue
              expected.delete(id)
              delivered++
              if (entry.kind !== 'message') continue
              // a read receipt can overtake a lost ack: read stays read
              const status = this.store.messages.get(id)?.status === 'read' ? 'read' : 'delivered'
              this.store.messages.update(id, { status, deliveredAt: now, error: undefined })
              messages.push({ id, status })
            }
            // not fsync'd: power loss may roll this back, and the envelopes are then resent and
            // deduplicated by the recipient's seen ids (docs/SECURITY.md, "Durability")
          },
          { durable: false }
        )
        for (const { id, status } of messages) {
          this.notify('message.status', { id, peerId, status, deliveredAt: now })
          for (const callback of [...(this.waiters.get(id) ?? [])]) callback()
        }
        return delivered
      },
      { signal }
    )
  }

  // ---------------------------------------------------------------- receiving

  private async onStream(stream: Stream, connection: Connection): Promise<void> {
    const remote = connection.remotePeer.toString()
    if (this.store.contacts.get(remote)?.state === 'blocked') {
      log('refusing a dm stream from blocked %s', remote)
      stream.abort(new BlockedError('blocked'))
      return
    }
    this.touch(remote)
    try {
      await readEnvelopes(stream, batch => this.receiveBatch(batch, remote), { signal: this.controller.signal })
    } catch (err) {
      log('dm stream from %s ended: %e', remote, err)
    }
  }

  /** Verifies, decrypts and stores one envelope (or recognises a duplicate); returns the signed ack. */
  async receive(bytes: Uint8Array, from: string): Promise<Uint8Array> {
    const { acks, error } = await this.receiveBatch([bytes], from)
    if (error !== undefined) throw error
    return acks[0]!
  }

  /**
   * Verifies, decrypts and stores the envelopes of one dm stream that arrived together, in one
   * transaction (one fsync for the batch), then signs one ack per envelope. Stops at the first
   * envelope it refuses: the ones before it are stored (a SAVEPOINT per envelope keeps a failed
   * one's writes out) and acked, the error ends the delivery.
   */
  async receiveBatch(batch: Uint8Array[], from: string): Promise<EnvelopeBatchResult> {
    const opened: OpenedEnvelope[] = []
    let error: Error | undefined
    for (const bytes of batch) {
      try {
        const envelope = await openEnvelope(bytes, {
          localPeerId: this.identity.peerId,
          signal: this.controller.signal
        })
        const sender = envelope.sender.toString()
        if (sender !== from) {
          // envelopes are self-authenticating, but a peer relays only its own: keeps blocking by connection sound
          throw new BlockedError(`envelope from ${sender} arrived on a stream of ${from}`)
        }
        opened.push(envelope)
      } catch (err) {
        error = asError(err)
        break
      }
    }
    const acks: Uint8Array[] = []
    if (opened.length === 0) return { acks, error }
    return await this.withLock(from, async () => {
      if (this.store.contacts.get(from)?.state === 'blocked') {
        return { acks, error: new BlockedError(`${from} is blocked`) }
      }
      const stored: OpenedEnvelope[] = []
      const incoming: Incoming[] = []
      const db = this.store.db
      this.store.transaction(() => {
        for (const envelope of opened) {
          const id = hex(envelope.id)
          if (this.store.seen.has(id)) {
            log('duplicate %s from %s, acking again', id, from)
            stored.push(envelope)
            continue
          }
          db.exec('SAVEPOINT envelope')
          try {
            incoming.push(storeIncoming(this.store, this.identity, envelope, id))
            db.exec('RELEASE envelope')
          } catch (err) {
            db.exec('ROLLBACK TO envelope')
            db.exec('RELEASE envelope')
            error ??= asError(err)
            break
          }
          stored.push(envelope)
        }
      })
      for (const r of incoming) this.announce(from, r)
      for (const envelope of stored) {
        acks.push(
          await signAck({ receiverKey: this.identity.privateKey, sender: envelope.sender, messageIds: [envelope.id] })
        )
      }
      return { acks, error }
    })
  }

  /** Pushes what one stored envelope (inbox.ts) changed, after its commit. */
  private announce(sender: string, r: Incoming): void {
    if (r.created) this.presence.set(sender, 'online')
    const view = this.view(r.contact)
    if (r.created && !r.accepted) this.notify('contact.request', { contact: view })
    else if (r.created || r.accepted) this.notify('contact.changed', { contact: view })
    for (const m of r.receipts) this.notify('message.status', { id: m, peerId: sender, status: 'read' })
    if (r.message !== undefined) this.notify('message.received', { message: this.messageView(r.message) })
  }

  // ---------------------------------------------------------------- presence and keys

  private touch(peerId: string): void {
    const c = this.store.contacts.get(peerId)
    if (c === undefined) return
    const now = Date.now()
    if (c.lastSeen !== undefined && now - c.lastSeen < LAST_SEEN_WRITE_INTERVAL_MS) return
    this.update(c, { lastSeen: now })
  }

  private setPresence(peerId: string, presence: Presence): void {
    let c = this.store.contacts.get(peerId)
    if (c === undefined) return
    const previous = this.presence.get(peerId)
    // last seen moves while it is online and at the moment it goes away, not while it stays away
    if (presence === 'online' || previous === 'online') c = this.update(c, { lastSeen: Date.now() })
    if (previous === presence) return
    this.presence.set(peerId, presence)
    this.notify('presence.changed', {
      peerId,
      presence,
      ...(c.lastSeen !== undefined ? { lastSeen: c.lastSeen } : {})
    })
  }

  /** Pings every contact: connected ones to keep last-seen fresh, others to notice them come back. */
  private async refreshPresence(): Promise<void> {
    if (this.refreshingPresence) return
    this.refreshingPresence = true
    try {
      const ping = (
        this.libp2p.services as { ping?: { ping(peer: PeerId, o: { signal: AbortSignal }): Promise<number> } }
      ).ping
      await Promise.allSettled(
        this.store.contacts
          .list()
          .filter(c => c.state === 'contact')
          .map(async c => await this.probe(c.peerId, ping))
      )
    } finally {
      this.refreshingPresence = false
    }
  }

  private async probe(
    id: string,
    ping: { ping(peer: PeerId, o: { signal: AbortSignal }): Promise<number> } | undefined
  ): Promise<void> {
    const peerId = peerIdFromString(id)
    if (!this.isConnected(id)) {
      // without an address a dial would become a DHT walk every round: look the profile up instead (rate-limited)
      const known = await this.libp2p.peerStore.get(peerId).then(
        p => p.addresses.length > 0,
        () => false
      )
      if (!known) {
        this.setPresence(id, 'offline')
        await this.refreshAddresses(id)
        return
      }
    }
    const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(DIAL_TIMEOUT_MS)])
    try {
      if (ping !== undefined) await ping.ping(peerId, { signal })
      else if (!this.isConnected(id)) await this.libp2p.dial(peerId, { signal })
      this.setPresence(id, 'online')
    } catch {
      if (!this.isConnected(id)) {
        this.setPresence(id, 'offline')
        // it may be back at another address: the next round dials that
        await this.refreshAddresses(id)
      }
    }
  }

  /** Re-resolves named contacts; a name that now points at another key stops sending to it. */
  private async checkKeys(): Promise<void> {
    for (const c of this.store.contacts.list()) {
      if (
        c.name === undefined ||
        c.keyChanged ||
        c.state !== 'contact' ||
        this.store.pins.get(c.name)?.peerId !== c.peerId
      )
        continue
      try {
        const r = await this.directory.resolveName(c.name, { signal: this.controller.signal })
        if (r.keyChanged || !r.peerId.equals(peerIdFromString(c.peerId))) this.flagKeyChanged(c.peerId, c.name)
      } catch (err) {
        log('re-resolving %s failed: %e', c.name, err)
      }
    }
  }
}
