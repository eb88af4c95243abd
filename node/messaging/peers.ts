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
  /** a peer's profile is looked up at most this often; @default PROFILE_REFRESH_MS */
  profileRefreshMs?: number
}

export class PeerAddresses {
  private readonly components: PeerAddressesComponents
  private readonly log: Logger
  private readonly profileRefreshMs: number
  /** when each peer's profile addresses were last fetched */
  private readonly refreshedAt = new Map<string, number>()

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

  /** Learns the peer's current addresses from its profile record (at most every profileRefreshMs). */
  async refresh(peerId: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const last = this.refreshedAt.get(peerId) ?? 0
    if (Date.now() - last < this.profileRefreshMs) return
    this.refreshedAt.set(peerId, Date.now())
    try {
      const profile = await this.components.directory.profile(peerIdFromString(peerId), { signal: options.signal })
      await this.learn(profile.peerId, profile.addresses)
    } catch (err) {
      this.log('no fresh profile of %s: %e', peerId, err)
    }
  }
}
