/**
 * Member side: keeps each joined community connected and our reservation on its relay. js-libp2p
 * makes a configured relay's reservation once and never again after the relay connection drops
 * (js-libp2p #3601), so this checks every RESERVATION_CHECK_MS and on every disconnect: dial the
 * community if we are not connected, then listen through it (the first time) or reserve again.
 * A refused reservation (we were removed) backs off instead of asking every few seconds.
 */
import type { ComponentLogger, Libp2p, Logger, PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { RelayControl } from '../p2p/relay-control.ts'
import { isRelayedAddress } from '../p2p/relayed.ts'
import type { JoinedCommunityRow } from '../store/index.ts'
import { DIAL_TIMEOUT_MS, MAX_REFUSED_BACKOFF_MS, RESERVATION_CHECK_MS } from './constants.ts'

export interface ReservationKeeperComponents {
  libp2p: Pick<Libp2p, 'dial' | 'getConnections' | 'addEventListener' | 'removeEventListener'>
  relay: RelayControl
  /** the communities we joined, read on every check (a join or leave takes effect at once) */
  communities(): JoinedCommunityRow[]
  logger: ComponentLogger
}

interface KeeperState {
  /** a listener on this community's /p2p-circuit exists (it picks up later reservations) */
  listening: boolean
  busy: boolean
  /** after a refusal: no reservation attempt before this time */
  refusedUntil: number
  refusals: number
}

export class ReservationKeeper {
  private readonly components: ReservationKeeperComponents
  private readonly log: Logger
  private readonly state = new Map<string, KeeperState>()
  private timer?: ReturnType<typeof setInterval>
  private stopped = true

  constructor(components: ReservationKeeperComponents) {
    this.components = components
    this.log = components.logger.forComponent('parley:community:reservations')
  }

  start(): void {
    this.stopped = false
    this.timer = setInterval(() => this.checkAll(), RESERVATION_CHECK_MS)
    this.timer.unref?.()
    this.components.libp2p.addEventListener('peer:disconnect', this.onDisconnect)
    this.checkAll()
  }

  stop(): void {
    this.stopped = true
    clearInterval(this.timer)
    this.components.libp2p.removeEventListener('peer:disconnect', this.onDisconnect)
  }

  /** Checks every joined community now (after a join, at start, on the timer). */
  checkAll(): void {
    for (const community of this.components.communities()) void this.check(community)
  }

  /** True when we have a direct (not relayed) connection to the community. */
  connected(peerId: string): boolean {
    return this.components.libp2p
      .getConnections(peerIdFromString(peerId))
      .some(c => c.status === 'open' && !isRelayedAddress(c.remoteAddr))
  }

  hasReservation(peerId: string): boolean {
    try {
      return this.components.relay.hasReservation(peerIdFromString(peerId))
    } catch {
      return false
    }
  }

  /** Forgets a community we left (its listener stays until the node stops; it holds nothing). */
  forget(peerId: string): void {
    this.state.delete(peerId)
  }

  private readonly onDisconnect = (evt: CustomEvent<PeerId>): void => {
    const community = this.components.communities().find(c => c.peerId === evt.detail.toString())
    if (community !== undefined) void this.check(community)
  }

  private async check(community: JoinedCommunityRow): Promise<void> {
    let state = this.state.get(community.peerId)
    if (state === undefined) {
      state = { listening: false, busy: false, refusedUntil: 0, refusals: 0 }
      this.state.set(community.peerId, state)
    }
    if (this.stopped || state.busy) return
    state.busy = true
    const peerId = peerIdFromString(community.peerId)
    const addrs = community.addresses.map(a => multiaddr(a).encapsulate(`/p2p/${community.peerId}`))
    try {
      if (!this.connected(community.peerId)) {
        // our own dial first: circuit-relay-v2 marks a relay whose dial failed as invalid for good
        await this.components.libp2p.dial(addrs, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
      }
      if (this.hasReservation(community.peerId) || Date.now() < state.refusedUntil || this.stopped) return
      if (!state.listening) {
        await this.components.relay.listenVia(addrs[0]!)
        state.listening = true
      } else {
        await this.components.relay.reserve(peerId)
      }
      state.refusals = 0
      this.log('reservation on %p', peerId)
    } catch (err) {
      const message = (err as Error).message
      if (this.connected(community.peerId)) {
        // connected, yet no reservation: the community refused it (we are not, or no longer, a member)
        state.refusals++
        state.refusedUntil = Date.now() + Math.min(RESERVATION_CHECK_MS * 2 ** state.refusals, MAX_REFUSED_BACKOFF_MS)
        this.log('reservation on %p refused: %s', peerId, message)
      } else {
        this.log('community %p unreachable: %s', peerId, message)
      }
    } finally {
      state.busy = false
    }
  }
}
