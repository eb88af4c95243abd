import type { ComponentLogger, Logger, PeerId } from '@libp2p/interface'
import { MAX_DISPUTED_NAMES, NAME_QUORUM } from './constants.ts'
import { type AbortOptions, type Gathered, type QueryTrace, type RecordQuery, unanswered } from './dht-query.ts'
import { NameNotFoundError } from './errors.ts'
import { normalizeName } from './name-rules.ts'
import type { NameClaim, Profile } from './profile.ts'
import type { ProfileOptions } from './profile-lookup.ts'
import { nameKey, verifyNameClaim } from './records.ts'
import { type ClaimResponse, type ClaimSelection, selectClaim } from './selection.ts'

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
  /** lookups run (a LookupFailedError is tried once more) */
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
}

/**
 * Resolves names: gathers the claims peers hold, applies the resolution rule (selection.ts) with
 * its fast path, confirms a fast answer against the whole query, and repairs peers that hold an
 * older claim of the owner.
 */
export class NameResolver {
  private readonly components: NameResolverComponents
  private readonly log: Logger
  private readonly now: () => number
  private readonly lifetime: AbortSignal
  /** the last claim sequence we repaired per name: one repair per update, not one per resolve */
  private readonly repaired = new Map<string, bigint>()
  /** names whose full query overturned a fast answer: resolved in full from then on */
  private readonly disputed = new Set<string>()

  constructor(components: NameResolverComponents, init: NameResolverInit = {}) {
    this.components = components
    this.log = components.logger.forComponent('parley:names:resolve')
    this.now = init.now ?? Date.now
    this.lifetime = init.signal ?? new AbortController().signal
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
   * of the resolution rule (docs/PROTOCOL.md §2.5), when `fast` is given: NAME_QUORUM distinct
   * peers hold claims of one owner, no other owner was seen, and that owner is the resolver's pin
   * if it has one. Otherwise, and always for `all`, when the whole query has ended.
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
            if (responses.length < NAME_QUORUM) return false
            const owner = responses[0]!.claim.peerId
            if (!responses.every(r => r.claim.peerId.equals(owner))) return false
            return fast.preferred === undefined || owner.equals(fast.preferred)
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
    try {
      return await this.resolveOnce(input, options)
    } catch (err) {
      if ((err as Error).name !== 'LookupFailedError' || this.components.query.routingTableSize() === 0) throw err
      options.signal?.throwIfAborted()
      this.log('resolving "%s" again: %s', input, (err as Error).message)
      return await this.resolveOnce(input, options)
    }
  }

  private async resolveOnce(input: string, options: ResolveOptions): Promise<Resolution> {
    const name = normalizeName(input)
    const key = nameKey(name)
    const started = performance.now()
    const trace = options.trace
    if (trace !== undefined) trace.attempts++
    const profileOf = (owner: PeerId): Promise<Profile> => {
      if (trace === undefined) return this.components.profile(owner, options)
      trace.profileStartMs = performance.now() - started
      return this.components
        .profile(owner, { signal: options.signal, onQuery: t => (trace.profile = t) })
        .finally(() => {
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
    const owner = selection.winner.claim.peerId
    let profile: Profile | undefined
    try {
      if (options.profile !== false) {
        // a prefetch of the winner that found nothing is not repeated: it was the same query
        profile = prefetch?.owner.equals(owner) === true ? await prefetch.profile : await profileOf(owner)
        if (trace !== undefined) trace.profileWaitMs = performance.now() - claimed
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
    if (!selection.winner.claim.peerId.equals(answered.winner.claim.peerId)) {
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
