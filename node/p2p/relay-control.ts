/**
 * A small libp2p service that lets the node listen through a given relay and make a reservation
 * there again. js-libp2p makes a configured relay's reservation once, when its `/p2p-circuit`
 * address is first listened on, and never again after the relay connection drops (js-libp2p
 * #3601); node/community/reservation-keeper.ts calls this to get it back.
 */
import type { PeerId, Transport } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What circuit-relay-v2's transport exposes of its reservation store (not in its public types). */
interface ReservationStoreLike {
  addRelay(peerId: PeerId, type: 'configured' | 'discovered'): Promise<unknown>
  hasReservation(peerId: PeerId): boolean
}

/** circuit-relay-v2's transport, found by its toStringTag. */
const CIRCUIT_TRANSPORT_TAG = '@libp2p/circuit-relay-v2-transport'

export interface RelayControl {
  /** Listens on `<relay>/p2p-circuit` (a new listener, which makes the first reservation). */
  listenVia(relayAddr: Multiaddr): Promise<void>
  /** Makes a reservation on the relay again; its listener (from listenVia) picks the addresses up. */
  reserve(relay: PeerId): Promise<void>
  hasReservation(relay: PeerId): boolean
}

/** The part of libp2p's transport manager (an internal component) this service uses. */
interface TransportManager {
  listen(addrs: Multiaddr[]): Promise<void>
  getTransports(): Transport[]
}

export interface RelayControlComponents {
  transportManager: TransportManager
}

class DefaultRelayControl implements RelayControl {
  private readonly transportManager: TransportManager

  constructor(components: RelayControlComponents) {
    this.transportManager = components.transportManager
  }

  private store(): ReservationStoreLike {
    const transport = this.transportManager
      .getTransports()
      .find(t => (t as unknown as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] === CIRCUIT_TRANSPORT_TAG)
    const store = (transport as unknown as { reservationStore?: ReservationStoreLike } | undefined)?.reservationStore
    if (store === undefined) throw new Error('the circuit relay transport is not configured')
    return store
  }

  async listenVia(relayAddr: Multiaddr): Promise<void> {
    await this.transportManager.listen([relayAddr.encapsulate('/p2p-circuit')])
  }

  async reserve(relay: PeerId): Promise<void> {
    await this.store().addRelay(relay, 'configured')
  }

  hasReservation(relay: PeerId): boolean {
    return this.store().hasReservation(relay)
  }
}

export function relayControl(): (components: RelayControlComponents) => RelayControl {
  return components => new DefaultRelayControl(components)
}
