/**
 * Where a peer is: whether we are connected, the addresses we learnt (invite links, profiles) handed
 * to libp2p's peer store, and a rate-limited refresh of them from the peer's profile record.
 */
import type { ComponentLogger, Libp2p, Logger, PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Multiaddr } from '@multiformats/multiaddr'
import { PROFILE_REFRESH_MS } from './constants.ts'
import type { Directory } from './types.ts'

export interface PeerAddressesComponents {
  libp2p: Pick<Libp2p, 'peerStore' | 'getConnections'>
  directory: Pick<Directory, 'profile'>
  logger: ComponentLogger
}

export interface PeerAddressesInit {
  /** the longest interval between two look-ups of a peer's profile (the first is a twelfth); @default PROFILE_REFRESH_MS */
  profileRefreshMs?: number
}

export class PeerAddresses {
  private readonly components: PeerAddressesComponents
  private readonly log: Logger
  private readonly profileRefreshMs: number
  /** when each peer's profile addresses were last fetched, and the interval before the next fetch */
  private readonly refreshed = new Map<string, { at: number; interval: number }>()

  constructor(components: PeerAddressesComponents, init: PeerAddressesInit = {}) {
    this.components = components
    this.log = components.logger.forComponent('parley:dm:peers')
    this.profileRefreshMs = init.profileRefreshMs ?? PROFILE_REFRESH_MS
  }

  connected(peerId: string): boolean {
    return this.components.libp2p.getConnections(peerIdFromString(peerId)).length > 0
  }

  async learn(peerId: PeerId, addresses: Multiaddr[]): Promise<void> {
    if (addresses.length === 0) return
    await this.components.libp2p.peerStore
      .merge(peerId, { multiaddrs: addresses })
      .catch(err => this.log('peer store merge failed %e', err))
  }

  /**
   * Learns the peer's current addresses from its profile record in the DHT: at once, then after
   * intervals doubling from a twelfth of profileRefreshMs up to it (a quiet spell of twice that
   * starts over). Called when the addresses we have did not reach the peer, so it skips the profile
   * cache: a profile cached before the peer's last publish (its relay address) would keep us away
   * from it for another minute.
   */
  async refresh(peerId: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const now = Date.now()
    const last = this.refreshed.get(peerId)
    if (last !== undefined && now - last.at < last.interval) return
    const first = this.profileRefreshMs / 12
    const interval =
      last === undefined || now - last.at > 2 * this.profileRefreshMs
        ? first
        : Math.min(this.profileRefreshMs, last.interval * 2)
    this.refreshed.set(peerId, { at: now, interval })
    try {
      const profile = await this.components.directory.profile(peerIdFromString(peerId), {
        signal: options.signal,
        cache: false
      })
      await this.learn(profile.peerId, profile.addresses)
    } catch (err) {
      this.log('no fresh profile of %s: %e', peerId, err)
    }
  }
}
