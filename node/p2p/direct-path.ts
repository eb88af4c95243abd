/**
 * A small libp2p service: a peer we reach only through a relay is dialed directly at the addresses
 * we know for it (its profile, identify, mDNS), once after the relayed connection opens and then
 * with a growing pause while it stays relayed. When a direct path exists (two members of one
 * community on the same LAN, a peer with a public address), libp2p opens it beside the relayed
 * connection and new streams take it; `peers --json` then reports the peer as not relayed.
 *
 * Why not only mDNS and DCUtR: libp2p announces `peer:discovery` for new peers only, so two members
 * who met through the relay never dial each other when mDNS finds them later; and DCUtR (like
 * AutoNAT) skips private address ranges, which are exactly where a shared LAN lives.
 */
import type { ComponentLogger, Connection, Logger, PeerId, PeerStore, Startable } from '@libp2p/interface'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import {
  DIRECT_PATH_DIAL_TIMEOUT_MS,
  DIRECT_PATH_FIRST_TRY_MS,
  DIRECT_PATH_MAX_PAUSE_MS,
  DIRECT_PATH_SWEEP_MS
} from './constants.ts'

/** The parts of libp2p's connection manager (an internal component) this service uses. */
interface ConnectionManager {
  getConnections(peerId?: PeerId): Connection[]
  openConnection(peer: Multiaddr[], options?: { signal?: AbortSignal }): Promise<Connection>
}

interface ConnectionEvents {
  addEventListener(type: 'connection:open', listener: (evt: CustomEvent<Connection>) => void): void
  removeEventListener(type: 'connection:open', listener: (evt: CustomEvent<Connection>) => void): void
}

export interface DirectPathComponents {
  connectionManager: ConnectionManager
  peerStore: PeerStore
  events: ConnectionEvents
  logger: ComponentLogger
}

/** The addresses of `peer` that do not go through a relay, each ending in /p2p/<peer>. */
export function directAddresses(peer: PeerId, addresses: readonly Multiaddr[]): Multiaddr[] {
  const suffix = `/p2p/${peer.toString()}`
  return addresses
    .map(a => a.toString())
    .filter(a => !a.includes('/p2p-circuit'))
    .map(a => multiaddr(a.endsWith(suffix) ? a : `${a}${suffix}`))
}

class DirectPath implements Startable {
  private readonly components: DirectPathComponents
  private readonly log: Logger
  /** per peer: when to try again and the pause after the next failure */
  private readonly backoff = new Map<string, { at: number; pause: number }>()
  private readonly trying = new Set<string>()
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private sweep: ReturnType<typeof setInterval> | undefined

  constructor(components: DirectPathComponents) {
    this.components = components
    this.log = components.logger.forComponent('parley:p2p:direct-path')
  }

  private readonly onOpen = (evt: CustomEvent<Connection>): void => {
    const connection = evt.detail
    if (connection.direct) return
    // identify runs on the new connection first: it brings the peer's current addresses
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      void this.tryPeer(connection.remotePeer)
    }, DIRECT_PATH_FIRST_TRY_MS)
    this.timers.add(timer)
  }

  start(): void {
    this.components.events.addEventListener('connection:open', this.onOpen)
    this.sweep = setInterval(() => this.tryAll(), DIRECT_PATH_SWEEP_MS)
    this.sweep.unref?.()
  }

  stop(): void {
    this.components.events.removeEventListener('connection:open', this.onOpen)
    clearInterval(this.sweep)
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }

  /** Every peer whose connections all go through a relay. */
  private tryAll(): void {
    const relayedOnly = new Map<string, PeerId>()
    const direct = new Set<string>()
    for (const c of this.components.connectionManager.getConnections()) {
      const key = c.remotePeer.toString()
      if (c.direct) direct.add(key)
      else relayedOnly.set(key, c.remotePeer)
    }
    for (const [key, peer] of relayedOnly) if (!direct.has(key)) void this.tryPeer(peer)
  }

  private async tryPeer(peer: PeerId): Promise<void> {
    const key = peer.toString()
    const { connectionManager, peerStore } = this.components
    if (this.trying.has(key) || connectionManager.getConnections(peer).some(c => c.direct)) return
    const wait = this.backoff.get(key)
    if (wait !== undefined && Date.now() < wait.at) return
    const known = await peerStore.get(peer).catch(() => undefined)
    const addresses = directAddresses(
      peer,
      (known?.addresses ?? []).map(a => a.multiaddr)
    )
    if (addresses.length === 0) return
    this.trying.add(key)
    try {
      const connection = await connectionManager.openConnection(addresses, {
        signal: AbortSignal.timeout(DIRECT_PATH_DIAL_TIMEOUT_MS)
      })
      if (connection.direct) {
        this.backoff.delete(key)
        this.log('direct path to %p at %a', peer, connection.remoteAddr)
        return
      }
      throw new Error('only the relayed connection answered')
    } catch (err) {
      const pause = Math.min((wait?.pause ?? DIRECT_PATH_SWEEP_MS) * 2, DIRECT_PATH_MAX_PAUSE_MS)
      this.backoff.set(key, { at: Date.now() + (wait?.pause ?? DIRECT_PATH_SWEEP_MS), pause })
      this.log('no direct path to %p yet (%s)', peer, (err as Error).message)
    } finally {
      this.trying.delete(key)
    }
  }
}

export function directPath(): (components: DirectPathComponents) => Startable {
  return components => new DirectPath(components)
}
