/**
 * Presence: which contacts are online (connections, a periodic ping of every contact) and when each
 * was last seen. Emits presence.changed.
 */
import type { ComponentLogger, Libp2p, PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { ParleyStore } from '../store/index.ts'
import { updateContact } from './contact-rows.ts'
import {
  DIAL_TIMEOUT_MS,
  LAST_SEEN_ONLINE_WRITE_MS,
  LAST_SEEN_WRITE_INTERVAL_MS,
  PRESENCE_INTERVAL_MS
} from './constants.ts'
import { NotStartedError } from './errors.ts'
import type { PeerAddresses } from './peers.ts'
import type { Notify, Presence } from './types.ts'

type Pinger = { ping(peer: PeerId, o: { signal: AbortSignal }): Promise<number> }

export interface PresenceWatchComponents {
  libp2p: Pick<Libp2p, 'addEventListener' | 'removeEventListener' | 'getConnections' | 'peerStore' | 'dial'> & {
    services: unknown
  }
  store: Pick<ParleyStore, 'contacts'>
  peers: Pick<PeerAddresses, 'connected' | 'refresh'>
  notify: Notify
  logger: ComponentLogger
}

export interface PresenceWatchInit {
  /** how often every contact is pinged; @default PRESENCE_INTERVAL_MS */
  presenceIntervalMs?: number
}

export class PresenceWatch {
  private readonly components: PresenceWatchComponents
  private readonly presenceIntervalMs: number
  private readonly presence = new Map<string, Presence>()
  private controller = new AbortController()
  private refreshing = false
  private timer?: NodeJS.Timeout

  constructor(components: PresenceWatchComponents, init: PresenceWatchInit = {}) {
    this.components = components
    this.presenceIntervalMs = init.presenceIntervalMs ?? PRESENCE_INTERVAL_MS
  }

  start(): void {
    this.controller = new AbortController()
    this.components.libp2p.addEventListener('peer:connect', this.onConnect)
    this.components.libp2p.addEventListener('peer:disconnect', this.onDisconnect)
    for (const c of this.components.store.contacts.list()) this.track(c.peerId)
    this.timer = setInterval(() => void this.refresh(), this.presenceIntervalMs)
    this.timer.unref()
  }

  stop(): void {
    this.controller.abort(new NotStartedError('the messenger is stopping'))
    clearInterval(this.timer)
    this.components.libp2p.removeEventListener('peer:connect', this.onConnect)
    this.components.libp2p.removeEventListener('peer:disconnect', this.onDisconnect)
  }

  get(peerId: string): Presence {
    return this.presence.get(peerId) ?? 'offline'
  }

  /** Starts tracking a new contact (no event): online when connected. */
  track(peerId: string): void {
    this.presence.set(peerId, this.components.peers.connected(peerId) ? 'online' : 'offline')
  }

  /** A stranger's first envelope just arrived (no event: the contact.request carries it). */
  arrived(peerId: string): void {
    this.presence.set(peerId, 'online')
  }

  /** Something came from the peer: its last-seen time moves (written at most every LAST_SEEN_WRITE_INTERVAL_MS). */
  touch(peerId: string): void {
    const c = this.components.store.contacts.get(peerId)
    if (c === undefined) return
    const now = Date.now()
    if (c.lastSeen !== undefined && now - c.lastSeen < LAST_SEEN_WRITE_INTERVAL_MS) return
    updateContact(this.components.store, c, { lastSeen: now })
  }

  private readonly onConnect = (evt: CustomEvent<PeerId>): void => {
    this.set(evt.detail.toString(), 'online')
  }

  private readonly onDisconnect = (evt: CustomEvent<PeerId>): void => {
    if (this.components.libp2p.getConnections(evt.detail).length === 0) this.set(evt.detail.toString(), 'offline')
  }

  private set(peerId: string, presence: Presence): void {
    const { store, notify } = this.components
    let c = store.contacts.get(peerId)
    if (c === undefined) return
    const previous = this.presence.get(peerId)
    // last seen moves when it comes online, while it stays online (at most every
    // LAST_SEEN_ONLINE_WRITE_MS: each write is an fsync'd commit, and every round of pings would
    // write every connected contact) and at the moment it goes away, not while it stays away
    const now = Date.now()
    const changed = previous !== presence && (presence === 'online' || previous === 'online')
    const stale = c.lastSeen === undefined || now - c.lastSeen >= LAST_SEEN_ONLINE_WRITE_MS
    if (changed || (presence === 'online' && stale)) c = updateContact(store, c, { lastSeen: now })
    if (previous === presence) return
    this.presence.set(peerId, presence)
    notify('presence.changed', {
      peerId,
      presence,
      ...(c.lastSeen !== undefined ? { lastSeen: c.lastSeen } : {})
    })
  }

  /** Pings every contact: connected ones to keep last-seen fresh, others to notice them come back. */
  private async refresh(): Promise<void> {
    if (this.refreshing) return
    this.refreshing = true
    try {
      const ping = (this.components.libp2p.services as { ping?: Pinger }).ping
      await Promise.allSettled(
        this.components.store.contacts
          .list()
          .filter(c => c.state === 'contact')
          .map(async c => await this.probe(c.peerId, ping))
      )
    } finally {
      this.refreshing = false
    }
  }

  private async probe(id: string, ping: Pinger | undefined): Promise<void> {
    const { libp2p, peers } = this.components
    const peerId = peerIdFromString(id)
    const signal = this.controller.signal
    if (!peers.connected(id)) {
      // without an address a dial would become a DHT walk every round: look the profile up instead (rate-limited)
      const known = await libp2p.peerStore.get(peerId).then(
        p => p.addresses.length > 0,
        () => false
      )
      if (!known) {
        this.set(id, 'offline')
        await peers.refresh(id, { signal })
        return
      }
    }
    const timeout = AbortSignal.any([signal, AbortSignal.timeout(DIAL_TIMEOUT_MS)])
    try {
      if (ping !== undefined) await ping.ping(peerId, { signal: timeout })
      else if (!peers.connected(id)) await libp2p.dial(peerId, { signal: timeout })
      this.set(id, 'online')
    } catch {
      if (!peers.connected(id)) {
        this.set(id, 'offline')
        // it may be back at another address: the next round dials that
        await peers.refresh(id, { signal })
      }
    }
  }
}
