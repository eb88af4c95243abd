import type { ComponentLogger, Logger, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { MAX_CACHED_PROFILES, PROFILE_CACHE_MS, PROFILE_QUORUM } from './constants.ts'
import { type AbortOptions, type QueryTrace, type RecordQuery, unanswered } from './dht-query.ts'
import { NotFoundError } from './errors.ts'
import type { Profile } from './profile.ts'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { profileKey, verifyProfileRecord } from './records.ts'

export interface ProfileLookupComponents {
  query: Pick<RecordQuery, 'gather' | 'localValue'>
  /** our own peer id: our profile's addresses are not merged into the peer store */
  peerId: PeerId
  /** libp2p.peerStore (its merge only) */
  peerStore: { merge(peerId: PeerId, data: { multiaddrs: Multiaddr[] }): Promise<unknown> }
  logger: ComponentLogger
}

export interface ProfileOptions extends AbortOptions {
  /** told the query's trace when the DHT is asked (not called for a cached profile) */
  onQuery?: (trace: QueryTrace) => void
  /** @default true; false asks the DHT (the answer still refreshes the cache) */
  cache?: boolean
}

export interface ProfileLookupInit {
  /** @default Date.now */
  now?: () => number
  /** @default PROFILE_CACHE_MS */
  cacheMs?: number
}

/**
 * Fetches peers' profile records and keeps the latest ones briefly. Profiles are self-certifying
 * (any valid copy is genuine), so a fetch answers with the first valid copy; it goes on to
 * PROFILE_QUORUM copies in the background, and a newer one among them (a holder that missed the
 * owner's last publish answered first) replaces the cached answer.
 */
export class ProfileLookup {
  private readonly components: ProfileLookupComponents
  private readonly log: Logger
  private readonly now: () => number
  private readonly cacheMs: number
  /** `seen`: our own stored copy as last checked, not verified again while it stays the same */
  private readonly profiles = new Map<string, { profile: Profile; at: number; seen?: Uint8Array }>()

  constructor(components: ProfileLookupComponents, init: ProfileLookupInit = {}) {
    this.components = components
    this.log = components.logger.forComponent('parley:names:profiles')
    this.now = init.now ?? Date.now
    this.cacheMs = init.cacheMs ?? PROFILE_CACHE_MS
  }

  /**
   * A peer's current valid profile (cached for PROFILE_CACHE_MS unless `cache: false`: a lookup a
   * person asked for reads the DHT); throws NotFoundError or LookupFailedError.
   */
  async profile(peerId: PeerId, options: ProfileOptions = {}): Promise<Profile> {
    const key = profileKey(peerId)
    const cached = options.cache === false ? undefined : this.profiles.get(peerId.toString())
    if (cached !== undefined && this.now() - cached.at < this.cacheMs && cached.profile.expiresAt > this.now()) {
      // the owner's newer profile, when its publish reached us, replaces the cached one at once
      const value = await this.components.query.localValue(key)
      if (value === undefined || (cached.seen !== undefined && uint8ArrayEquals(value, cached.seen))) {
        return cached.profile
      }
      cached.seen = value
      const stored = await this.verified(key, value)
      if (stored === undefined || stored.sequence <= cached.profile.sequence) return cached.profile
      this.log('%p published a newer profile (sequence %d): the cached one is dropped', peerId, stored.sequence)
      return await this.keep(peerId, stored)
    }
    const parse = async (_from: PeerId, value: Uint8Array): Promise<Profile | undefined> => {
      try {
        return await verifyProfileRecord(key, value, { now: this.now })
      } catch (err) {
        this.log('dropped an invalid profile of %p: %s', peerId, (err as Error).message)
        return undefined
      }
    }
    // the first valid copy answers; the query goes on to PROFILE_QUORUM copies in the background, and
    // a newer one among them replaces the answer for later lookups (docs/PROTOCOL.md §2.5)
    const { first, all, reach, trace } = this.components.query.gather(key, parse, {
      signal: options.signal,
      drain: false,
      enough: found => found.length >= 1,
      stop: found => found.length >= PROFILE_QUORUM
    })
    options.onQuery?.(trace)
    const answer = newest(await first)
    if (answer === undefined) {
      throw unanswered(reach, `the profile of ${peerId}`) ?? new NotFoundError(`no valid profile record for ${peerId}`)
    }
    void all.then(
      async copies => {
        const latest = newest(copies)
        if (latest !== undefined && latest.sequence > answer.sequence && this.isLatest(peerId, latest)) {
          this.log('a newer copy of the profile of %p (sequence %d) replaces the first one', peerId, latest.sequence)
          await this.keep(peerId, latest)
        }
      },
      () => {} // the first copy stands
    )
    return await this.keep(peerId, answer)
  }

  /** Whether `profile` is newer than the one cached for `peerId` (or none is cached). */
  private isLatest(peerId: PeerId, profile: Profile): boolean {
    const cached = this.profiles.get(peerId.toString())
    return cached === undefined || profile.sequence > cached.profile.sequence
  }

  /** A stored copy of a profile, if valid and live. */
  private async verified(key: Uint8Array, value: Uint8Array): Promise<Profile | undefined> {
    try {
      return await verifyProfileRecord(key, value, { now: this.now })
    } catch {
      return undefined
    }
  }

  /** Caches a profile and tells the peer store the peer's addresses. */
  private async keep(peerId: PeerId, profile: Profile): Promise<Profile> {
    this.profiles.delete(peerId.toString())
    this.profiles.set(peerId.toString(), { profile, at: this.now() })
    if (this.profiles.size > MAX_CACHED_PROFILES) this.profiles.delete(this.profiles.keys().next().value!)
    // the messenger dials by peer id: tell the peer store where the peer is
    if (!peerId.equals(this.components.peerId) && profile.addresses.length > 0) {
      await this.components.peerStore.merge(peerId, { multiaddrs: profile.addresses }).catch(() => {})
    }
    return profile
  }
}

/** The copy with the highest sequence. */
function newest(copies: Profile[]): Profile | undefined {
  let best: Profile | undefined
  for (const profile of copies) {
    if (best === undefined || profile.sequence > best.sequence) best = profile
  }
  return best
}
