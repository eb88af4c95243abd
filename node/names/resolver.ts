import type { ComponentLogger, Logger, PeerId } from '@libp2p/interface'
import { MAX_CACHED_NAMES, MAX_DISPUTED_NAMES, NAME_CACHE_MS, NAME_QUORUM, PINNED_NAME_QUORUM } from './constants.ts'
import { type AbortOptions, type Gathered, type QueryTrace, type RecordQuery, unanswered } from './dht-query.ts'
import { NameNotFoundError } from './errors.ts'
import { normalizeName } from './name-rules.ts'
import type { NameClaim, Profile } from './profile.ts'
import type { ProfileOptions } from './profile-lookup.ts'
import { nameKey, verifyNameClaim } from './records.ts'
import { type ClaimResponse, type ClaimSelection, selectClaim } from './selection.ts'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'

/** Names repaired recently, remembered this many (oldest dropped first): one repair per update. */
const MAX_REPAIRED_NAMES = 1000

export interface Resolution {
  claim: NameClaim
  /** the owner's profile, when one was found */
  profile?: Profile
  /** peers holding the owner's claim */
  holders: number
  selection: ClaimSelection
}

/**
 * Where one resolve's time went (ms from its start), filled in by `resolve` when the caller passes
 * one: the claims query, the fast path, the profile query and the wait for it after the claim.
 */
export interface ResolveTrace {
  /** lookups run (a LookupFailedError is tried once more; 0 for a cached name) */
  attempts: number
  /** the claims query of the last attempt (answers, quorum, peers asked, hops) */
  claims?: QueryTrace
  /** the claim was chosen (fast path, or the whole query ended) */
  claimMs?: number
  /** the claim came from the fast path (NAME_QUORUM agreeing holders) */
  fastPath?: boolean
  /** the owner's profile query, when the DHT was asked (not for a cached profile) */
  profile?: QueryTrace
  /** the profile query started (it runs alongside the claims when the owner is expected) */
  profileStartMs?: number
  /** the profile was there */
  profileMs?: number
  /** time spent after the claim was chosen waiting for the profile */
  profileWaitMs?: number
}

export interface ResolveOptions extends AbortOptions {
  /** the resolver's TOFU pin: wins ties, and a fast answer must be this owner */
  preferred?: PeerId
  /** @default true: fetch the owner's profile */
  profile?: boolean
  /** filled in with where the resolve's time went */
  trace?: ResolveTrace
  /**
   * @default true: answer from the cache of resolved names when it holds the name, and from the
   * profile cache; false asks the DHT for both (a resolve a person asked for)
   */
  cache?: boolean
}

export interface NameResolverComponents {
  query: RecordQuery
  /** a peer's profile (ProfileLookup.profile) */
  profile: (peerId: PeerId, options: ProfileOptions) => Promise<Profile>
  logger: ComponentLogger
}

export interface NameResolverInit {
  /** @default Date.now */
  now?: () => number
  /** aborted when the registry stops: ends repairs still running */
  signal?: AbortSignal
  /** @default NAME_CACHE_MS; 0 turns the cache of resolved names off */
  cacheMs?: number
  /** the full query gave a name to another owner than the fast answer did (NamePins reports a pinned one) */
  onOverturned?: (name: string, owner: PeerId) => void
}

/**
 * Resolves names: gathers the claims peers hold, applies the resolution rule (selection.ts) with
 * its fast path, confirms a fast answer against the whole query, and repairs peers that hold an
 * older claim of the owner.
 */
export class NameResolver {
  private readonly components: NameResolverComponents
  private readonly init: NameResolverInit
  private readonly log: Logger
  private readonly now: () => number
  private readonly lifetime: AbortSignal
  private readonly cacheMs: number
  /** the last claim sequence we repaired per name: one repair per update, not one per resolve */
  private readonly repaired = new Map<string, bigint>()
  /** resolved names, reused until `until` (NAME_CACHE_MS, never past the claim's expiry) */
  private readonly cache = new Map<string, { selection: ClaimSelection; until: number }>()
  /** names whose full query overturned a fast answer: resolved in full from then on */
  private readonly disputed = new Set<string>()

  constructor(components: NameResolverComponents, init: NameResolverInit = {}) {
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('parley:names:resolve')
    this.now = init.now ?? Date.now
    this.lifetime = init.signal ?? new AbortController().signal
    this.cacheMs = init.cacheMs ?? NAME_CACHE_MS
  }

  /** Every valid, live claim for a name the whole query finds, one per responding peer. */
  async allClaims(name: string, options: AbortOptions = {}): Promise<ClaimResponse[]> {
    return await this.claims(normalizeName(name), options).all
  }

  /** True when a full query overturned a fast answer for this name (it is resolved in full from then on). */
  isDisputed(name: string): boolean {
    return this.disputed.has(normalizeName(name))
  }

  /**
   * Valid, live claims for a name, one per responding peer. `first` settles early, on the fast path
   * of the resolution rule (docs/PROTOCOL.md §2.5), when `fast` is given and no other owner was
   * seen: with a pin, at the first PINNED_NAME_QUORUM claims of the pinned key; without one, when
   * NAME_QUORUM distinct peers hold claims of one owner. Otherwise, and always for `all`, when the
   * whole query has ended.
   */
  private claims(
    name: string,
    options: AbortOptions,
    fast?: { preferred?: PeerId; onClaim?: (owner: PeerId) => void }
  ): Gathered<ClaimResponse> {
    const key = nameKey(name)
    const parse = async (from: PeerId, value: Uint8Array): Promise<ClaimResponse | undefined> => {
      try {
        const claim = await verifyNameClaim(key, value, { now: this.now })
        fast?.onClaim?.(claim.peerId)
        return { from, claim, value }
      } catch (err) {
        this.log('dropped an invalid claim for "%s" from %p: %s', name, from, (err as Error).message)
        return undefined
      }
    }
    const enough =
      fast === undefined || this.disputed.has(name)
        ? undefined
        : (responses: ClaimResponse[]): boolean => {
            const owner = responses[0]!.claim.peerId
            if (!responses.every(r => r.claim.peerId.equals(owner))) return false
            if (fast.preferred !== undefined)
              return owner.equals(fast.preferred) && responses.length >= PINNED_NAME_QUORUM
            return responses.length >= NAME_QUORUM
          }
    return this.components.query.gather(key, parse, { signal: options.signal, enough })
  }

  /** Our own stored claim's owner for a name, if we hold a valid live one (a guess to prefetch with). */
  private async localOwner(key: Uint8Array): Promise<PeerId | undefined> {
    const value = await this.components.query.localValue(key)
    if (value === undefined) return undefined
    try {
      return (await verifyNameClaim(key, value, { now: this.now })).peerId
    } catch {
      return undefined
    }
  }

  /**
   * Resolves a name: asks the closest peers, drops invalid and expired claims, applies the
   * resolution rule (selection.ts), repairs peers holding the owner's older claim, and fetches the
   * owner's profile (unless `profile: false`). Throws InvalidNameError, NameNotFoundError, or
   * LookupFailedError when the DHT could not say (no peers, or more peers failed than answered).
   *
   * Fast path: once NAME_QUORUM peers agree (and nobody disagrees) the answer is returned while the
   * query goes on in the background; its full result confirms the answer and drives the repair.
   * When the full rule picks another owner than a fast answer did, the name is marked disputed and
   * later resolves of it wait for the whole query. The profile of the owner we expect (the pin, the
   * owner of a valid claim we store, else of the first valid claim to arrive) is fetched alongside
   * the claims.
   *
   * A lookup the DHT could not answer (LookupFailedError) is tried once more before it is thrown:
   * kad-dht's per-peer timeouts adapt to the latencies it saw, so after a sudden load spike a
   * second query usually gets through (seen in the 100-node churn runs: 20 of 20 peers timed out).
   */
  async resolve(input: string, options: ResolveOptions = {}): Promise<Resolution> {
    if (options.trace !== undefined) options.trace.attempts = 0
    const name = normalizeName(input)
    const cached = options.cache === false ? undefined : await this.cached(name, options.preferred)
    if (cached !== undefined) return await this.withProfile(name, cached, options)
    try {
      return await this.resolveOnce(name, options)
    } catch (err) {
      this.cache.delete(name)
      if ((err as Error).name !== 'LookupFailedError' || this.components.query.routingTableSize() === 0) throw err
      options.signal?.throwIfAborted()
      this.log('resolving "%s" again: %s', name, (err as Error).message)
      return await this.resolveOnce(name, options)
    }
  }

  /**
   * A resolution of `name` still in the cache: not past `until` (NAME_CACHE_MS, the claim's expiry),
   * of the pinned key if there is a pin, and not older than a valid claim we store ourselves (a
   * newer claim of the owner, or another owner's, sends the resolve to the DHT).
   */
  private async cached(name: string, preferred?: PeerId): Promise<ClaimSelection | undefined> {
    const entry = this.cache.get(name)
    if (entry === undefined) return undefined
    const winner = entry.selection.winner
    if (this.now() >= entry.until || this.now() >= winner.claim.expiresAt) {
      this.cache.delete(name)
      return undefined
    }
    if (preferred !== undefined && !winner.claim.peerId.equals(preferred)) return undefined
    const key = nameKey(name)
    const local = await this.components.query.localValue(key)
    if (local !== undefined && !uint8ArrayEquals(local, winner.value)) {
      try {
        const stored = await verifyNameClaim(key, local, { now: this.now })
        if (!stored.peerId.equals(winner.claim.peerId) || stored.sequence > winner.claim.sequence) {
          this.cache.delete(name)
          return undefined
        }
      } catch {}
    }
    return entry.selection
  }

  private remember(name: string, selection: ClaimSelection): void {
    if (this.cacheMs <= 0) return
    this.cache.delete(name)
    this.cache.set(name, { selection, until: this.now() + this.cacheMs })
    if (this.cache.size > MAX_CACHED_NAMES) this.cache.delete(this.cache.keys().next().value!)
  }

  private async resolveOnce(name: string, options: ResolveOptions): Promise<Resolution> {
    const key = nameKey(name)
    const started = performance.now()
    const trace = options.trace
    if (trace !== undefined) trace.attempts++
    const profileOf = (owner: PeerId): Promise<Profile> => {
      if (trace === undefined) return this.components.profile(owner, options)
      trace.profileStartMs = performance.now() - started
      return this.components.profile(owner, { ...options, onQuery: t => (trace.profile = t) }).finally(() => {
        trace.profileMs = performance.now() - started
      })
    }
    // the profile of the owner we expect (pin, our stored claim, else the first valid claim to
    // arrive) is fetched while the claims come in; it is used only if that owner wins
    let prefetch: { owner: PeerId; profile: Promise<Profile | undefined> } | undefined
    const expect = (owner: PeerId): void => {
      if (prefetch !== undefined || options.profile === false) return
      const profile = profileOf(owner)
      profile.catch(() => {}) // awaited below only if this owner wins
      prefetch = { owner, profile }
    }
    const expected = options.preferred ?? (await this.localOwner(key))
    if (expected !== undefined) expect(expected)
    const claims = this.claims(name, options, { preferred: options.preferred, onClaim: expect })
    const { first, all, reach } = claims
    if (trace !== undefined) trace.claims = claims.trace
    const responses = await first
    const claimed = performance.now()
    if (trace !== undefined) {
      trace.claimMs = claimed - started
      trace.fastPath = claims.trace.enoughMs !== undefined
    }
    const selection = selectClaim(key, responses, options.preferred)
    if (selection === undefined) {
      throw unanswered(reach, `"${name}"`) ?? new NameNotFoundError(`no valid claim for "${name}"`)
    }
    void all.then(
      every => this.confirm(name, key, selection, every, options.preferred),
      err => this.log('confirming "%s" failed: %s', name, (err as Error).message)
    )
    this.remember(name, selection)
    const owner = selection.winner.claim.peerId
    // a prefetch of the winner that found nothing is not repeated: it was the same query
    return await this.withProfile(name, selection, options, () =>
      prefetch?.owner.equals(owner) === true ? prefetch.profile : profileOf(owner)
    ).finally(() => {
      if (trace?.profileMs !== undefined) trace.profileWaitMs = Math.max(0, performance.now() - claimed)
    })
  }

  /** The resolution of a chosen claim, with its owner's profile unless `profile: false`. */
  private async withProfile(
    name: string,
    selection: ClaimSelection,
    options: ResolveOptions,
    fetch: () => Promise<Profile | undefined> = () => this.components.profile(selection.winner.claim.peerId, options)
  ): Promise<Resolution> {
    let profile: Profile | undefined
    try {
      if (options.profile !== false) {
        profile = await fetch()
        options.signal?.throwIfAborted()
      }
    } catch (err) {
      options.signal?.throwIfAborted()
      // a profile the DHT could not look up fails the resolve (try again); a missing one does not
      if ((err as Error).name === 'LookupFailedError') throw err
      this.log('no profile for the owner of "%s": %s', name, (err as Error).message)
    }
    return { claim: selection.winner.claim, profile, holders: selection.holders, selection }
  }

  /** With every response of the query: repairs stale holders, and flags a fast answer the full rule overturns. */
  private confirm(
    name: string,
    key: Uint8Array,
    answered: ClaimSelection,
    responses: ClaimResponse[],
    preferred?: PeerId
  ): void {
    const selection = selectClaim(key, responses, preferred)
    if (selection === undefined) return
    const cached = this.cache.get(name)
    if (cached?.selection === answered) cached.selection = selection
    if (!selection.winner.claim.peerId.equals(answered.winner.claim.peerId)) {
      this.cache.delete(name)
      this.init.onOverturned?.(name, selection.winner.claim.peerId)
      this.log.error(
        '"%s": the full query gives it to %p, not %p as answered: resolving it in full from now on',
        name,
        selection.winner.claim.peerId,
        answered.winner.claim.peerId
      )
      this.disputed.add(name)
      if (this.disputed.size > MAX_DISPUTED_NAMES) this.disputed.delete(this.disputed.values().next().value!)
    }
    if (selection.stale.length > 0 && this.repaired.get(name) !== selection.winner.claim.sequence) {
      this.repaired.set(name, selection.winner.claim.sequence)
      if (this.repaired.size > MAX_REPAIRED_NAMES) this.repaired.delete(this.repaired.keys().next().value!)
      this.repair(key, selection.winner.value)
    }
  }

  /** Puts the current claim again, so peers with an older copy get it; honest peers refuse anything else. */
  private repair(key: Uint8Array, value: Uint8Array): void {
    void this.components.query.put(key, value, { signal: this.lifetime }).then(
      ({ stored }) => this.log('repaired %d peers', stored),
      err => this.log('repair failed: %s', (err as Error).message)
    )
  }
}
