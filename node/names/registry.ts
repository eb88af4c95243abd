import type { PeerId } from '@libp2p/interface'
import { Record as DhtRecord } from '@libp2p/kad-dht'
import { logger } from '@libp2p/logger'
import { peerIdFromString } from '@libp2p/peer-id'
import { type Datastore, Key } from 'interface-datastore'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import { bytesEqual } from '../crypto/primitives.ts'
import type { Identity } from '../identity/index.ts'
import { DHT_DATASTORE_PREFIX } from '../p2p/constants.ts'
import type { ParleyLibp2p } from '../p2p/index.ts'
import {
  ADDRESS_CHANGE_DEBOUNCE_MS,
  CONNECT_PUBLISH_DELAY_MS,
  MAX_CACHED_PROFILES,
  MAX_DISPUTED_NAMES,
  NAME_QUORUM,
  PROFILE_QUORUM,
  RETRY_PUBLISH_MS,
  DHT_QUERY_TIMEOUT_MS,
  PROFILE_CACHE_MS,
  RECORD_LIFETIME_MS,
  REPLICAS_WANTED,
  REPUBLISH_INTERVAL_MS
} from './constants.ts'
import { createPutRecord } from './dht-record.ts'
import { LookupFailedError, NameNotFoundError, NameTakenError, NotFoundError } from './errors.ts'
import { normalizeName } from './name-rules.ts'
import type { NameClaim, Profile } from './profile.ts'
import {
  createNameClaim,
  createProfileRecord,
  nameKey,
  profileKey,
  verifyNameClaim,
  verifyProfileRecord
} from './records.ts'
import { type ClaimResponse, type ClaimSelection, selectClaim } from './selection.ts'
import { checkReplacement } from './validators.ts'

const log = logger('parley:names')

/** Key/value settings (the store's); the registry keeps its own name under 'name'. */
export interface SettingsStore {
  get(key: string): string | undefined
  set(key: string, value: string): void
}

/** TOFU pins (the store's). */
export interface PinStore {
  get(name: string): { peerId: string; pinnedAt: number } | undefined
  set(name: string, peerId: string): void
}

export interface NameRegistryInit {
  libp2p: ParleyLibp2p
  identity: Identity
  /** the datastore given to libp2p, to read the records we store ourselves */
  datastore?: Datastore
  settings?: SettingsStore
  pins?: PinStore
  /** @default Date.now */
  now?: () => number
  /** a pinned name now resolves to another key */
  onKeyChanged?: (event: { name: string; oldPeerId: string; newPeerId: string }) => void
  /** our registered name changed */
  onNameChanged?: (name: string | null) => void
  /** our addresses changed (after the profile was republished) */
  onAddressesChanged?: (addresses: string[]) => void
  /** @default REPUBLISH_INTERVAL_MS */
  republishIntervalMs?: number
}

export interface Resolution {
  claim: NameClaim
  /** the owner's profile, when one was found */
  profile?: Profile
  /** peers holding the owner's claim */
  holders: number
  selection: ClaimSelection
}

interface AbortOptions {
  signal?: AbortSignal
}

const SETTINGS_NAME = 'name'

/** How a DHT query went: routing-table peers at its start, peers that answered, peers that failed. */
interface Reach {
  peers: number
  answered: number
  failed: number
}

/**
 * Why a query that found nothing says nothing (LookupFailedError), or undefined when its empty
 * result is an answer: it reached the DHT and no more of the peers it asked failed than answered.
 */
function unanswered(reach: Reach, what: string): LookupFailedError | undefined {
  if (reach.peers === 0) return new LookupFailedError(`cannot look up ${what}: not connected to any DHT peer`)
  if (reach.failed <= reach.answered) return undefined
  const asked = reach.failed + reach.answered
  return new LookupFailedError(
    `cannot look up ${what}: ${reach.failed} of the ${asked} peers asked did not answer; try again`
  )
}

/** Where kad-dht keeps a record in its datastore. */
function datastoreKey(key: Uint8Array): Key {
  return new Key(`${DHT_DATASTORE_PREFIX}/record/${uint8ArrayToString(key, 'base32')}`, false)
}

function querySignal(signal?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(DHT_QUERY_TIMEOUT_MS)
  return signal === undefined ? timeout : AbortSignal.any([signal, timeout])
}

/**
 * The name registry: publishes our profile record and name claim in the DHT, resolves names and
 * profiles of others by asking the closest peers, applies the resolution rule, repairs peers that
 * hold stale records, and republishes ours before they expire and when our addresses change.
 * It is the messenger's Directory (node/messaging/messenger.ts).
 */
export class NameRegistry {
  private readonly libp2p: ParleyLibp2p
  private readonly identity: Identity
  private readonly datastore?: Datastore
  private readonly settings?: SettingsStore
  private readonly pins?: PinStore
  private readonly now: () => number
  private readonly init: NameRegistryInit
  private readonly profiles = new Map<string, { profile: Profile; at: number }>()
  /** the last claim sequence we repaired per name: one repair per update, not one per resolve */
  private readonly repaired = new Map<string, bigint>()
  /** names whose full query overturned a fast answer: resolved in full from then on */
  private readonly disputed = new Set<string>()
  private lastSequence = 0n
  private lastProfileAddresses = ''
  private republishTimer?: ReturnType<typeof setTimeout>
  /** true once our records were stored by at least one peer */
  private published = false
  private addressTimer?: ReturnType<typeof setTimeout>
  private readonly stopping = new AbortController()
  private publishing?: Promise<void>
  private name: string | null

  constructor(init: NameRegistryInit) {
    this.init = init
    this.libp2p = init.libp2p
    this.identity = init.identity
    this.datastore = init.datastore
    this.settings = init.settings
    this.pins = init.pins
    this.now = init.now ?? Date.now
    this.name = init.settings?.get(SETTINGS_NAME) || null
  }

  /** Our registered name, or null. */
  ownName(): string | null {
    return this.name
  }

  /** Starts republishing: now (once a peer is there), every interval, and when our addresses change. */
  start(): void {
    this.libp2p.addEventListener('self:peer:update', this.onSelfUpdate)
    this.libp2p.addEventListener('peer:connect', this.onConnect)
    this.scheduleRepublish(0)
  }

  async stop(): Promise<void> {
    this.stopping.abort()
    this.libp2p.removeEventListener('self:peer:update', this.onSelfUpdate)
    this.libp2p.removeEventListener('peer:connect', this.onConnect)
    clearTimeout(this.republishTimer)
    clearTimeout(this.addressTimer)
    await this.publishing?.catch(() => {})
  }

  /** Until our records are out, the first peers to arrive are the chance to publish them. */
  private readonly onConnect = (): void => {
    if (!this.published && this.publishing === undefined) this.scheduleRepublish(CONNECT_PUBLISH_DELAY_MS)
  }

  private readonly onSelfUpdate = (): void => {
    clearTimeout(this.addressTimer)
    this.addressTimer = setTimeout(() => {
      const addresses = this.addressList()
      if (addresses.join(' ') === this.lastProfileAddresses) return
      this.init.onAddressesChanged?.(addresses)
      this.scheduleRepublish(0)
    }, ADDRESS_CHANGE_DEBOUNCE_MS)
    this.addressTimer.unref?.()
  }

  private scheduleRepublish(delay: number): void {
    if (this.stopping.signal.aborted) return
    clearTimeout(this.republishTimer)
    this.republishTimer = setTimeout(() => {
      if (this.publishing !== undefined) {
        // one publish at a time: run again once the current one is done (addresses changed meanwhile)
        void this.publishing.then(() => this.scheduleRepublish(0))
        return
      }
      this.publishing = this.republish()
        .then(
          ok => {
            if (ok) this.published = true
            this.scheduleRepublish(ok ? (this.init.republishIntervalMs ?? REPUBLISH_INTERVAL_MS) : RETRY_PUBLISH_MS)
          },
          () => this.scheduleRepublish(RETRY_PUBLISH_MS)
        )
        .finally(() => {
          this.publishing = undefined
        })
    }, delay)
    this.republishTimer.unref?.()
  }

  /**
   * Publishes our profile and renews our claim; false when fewer peers than wanted stored them
   * (REPLICAS_WANTED, or half the routing table in a smaller network): retried soon.
   */
  async republish(options: AbortOptions = {}): Promise<boolean> {
    const signal = options.signal ?? this.stopping.signal
    if (this.routingTableSize() === 0) return false
    const wanted = Math.max(1, Math.min(REPLICAS_WANTED, Math.ceil(this.routingTableSize() / 2)))
    const enough = (stored: number, what: string): boolean => {
      if (stored < wanted) log('%s reached %d peers of the %d wanted: again soon', what, stored, wanted)
      return stored >= wanted
    }
    if (this.name !== null) {
      try {
        // renews the claim and publishes the profile
        return enough((await this.register(this.name, { signal })).stored, `"${this.name}"`)
      } catch (err) {
        log.error('renewing "%s" failed: %s', this.name, (err as Error).message)
        if ((err as Error).name === 'NameTakenError') this.setName(null)
        else return false
      }
    }
    return enough(await this.publishProfile({ signal }), 'our profile')
  }

  /** Peers in the DHT routing table (0 means no query can run). */
  routingTableSize(): number {
    // not in KadDHT's public interface, but the implementation has it (kad-dht 16)
    const dht = this.libp2p.services.dht as unknown as { routingTable?: { size?: number } }
    return dht.routingTable?.size ?? 0
  }

  private addressList(): string[] {
    return this.libp2p.getMultiaddrs().map(a => a.toString())
  }

  private nextSequence(floor = 0n): bigint {
    let next = BigInt(this.now())
    if (next <= this.lastSequence) next = this.lastSequence + 1n
    if (next <= floor) next = floor + 1n
    this.lastSequence = next
    return next
  }

  private setName(name: string | null): void {
    if (name === this.name) return
    this.name = name
    this.settings?.set(SETTINGS_NAME, name ?? '')
    this.init.onNameChanged?.(name)
  }

  // -------------------------------------------------------------------------------------------
  // DHT access

  /** Our own stored copy of a record, if any. */
  private async localValue(key: Uint8Array): Promise<Uint8Array | undefined> {
    if (this.datastore === undefined) return undefined
    try {
      const raw = await this.datastore.get(datastoreKey(key))
      return DhtRecord.deserialize(raw).value
    } catch {
      return undefined
    }
  }

  /**
   * Runs a kad-dht GET for `key` and parses every record value peers return (ours first), one per
   * peer. `first` settles as soon as `enough` says the responses so far answer the question (or
   * when the query ends); `all` settles when the query ends. With `drain: false` the query is
   * cancelled once `enough` is met; otherwise it keeps running in the background for `all`.
   * `reach` counts the peers that answered the query and those that failed (final once `all` settles).
   */
  private gather<T>(
    key: Uint8Array,
    parse: (from: PeerId, value: Uint8Array) => Promise<T | undefined>,
    options: AbortOptions & { enough?: (items: T[]) => boolean; drain?: boolean }
  ): { first: Promise<T[]>; all: Promise<T[]>; reach: Reach } {
    const out = new Map<string, T>()
    const reach: Reach = { peers: this.routingTableSize(), answered: 0, failed: 0 }
    const first = Promise.withResolvers<T[]>()
    let answered = false
    const answer = (): void => {
      if (answered) return
      answered = true
      first.resolve([...out.values()])
    }
    const add = async (from: PeerId, value: Uint8Array): Promise<boolean> => {
      const item = await parse(from, value)
      if (item === undefined) return false
      out.set(from.toString(), item)
      if (options.enough?.([...out.values()]) === true) {
        answer()
        return true
      }
      return false
    }
    const all = (async (): Promise<T[]> => {
      const local = await this.localValue(key)
      if (local !== undefined && (await add(this.libp2p.peerId, local)) && options.drain === false) {
        return [...out.values()]
      }
      if (this.routingTableSize() === 0) return [...out.values()]
      // the background part of a drained query outlives the caller's wait, not the registry
      const signal = querySignal(
        options.signal === undefined ? this.stopping.signal : AbortSignal.any([options.signal, this.stopping.signal])
      )
      try {
        for await (const event of this.libp2p.services.dht.get(key, { signal })) {
          if (event.name === 'PEER_RESPONSE') reach.answered++
          // kad-dht reports a peer that answered with a record our validators refuse (an expired
          // claim, a forgery) as a QueryError: that peer answered; anything else is a peer we lost
          else if (event.name === 'QUERY_ERROR') {
            if (event.error.name === 'QueryError') reach.answered++
            else reach.failed++
          }
          if (event.name === 'PEER_RESPONSE' && event.record != null) {
            // leaving the loop cancels kad-dht's query and its in-flight requests
            if ((await add(event.from, event.record.value)) && options.drain === false) break
          }
        }
      } catch (err) {
        if (!answered) options.signal?.throwIfAborted()
        // kad-dht's own "correction" throws when a peer refuses it (it holds another key's live
        // claim): the responses we collected are what counts
        log('get finished with %s', (err as Error).message)
      }
      log('get of %b: %d valid records, %d peers answered, %d failed', key, out.size, reach.answered, reach.failed)
      return [...out.values()]
    })()
    all.then(answer, err => {
      if (!answered) {
        answered = true
        first.reject(err)
      }
    })
    return { first: first.promise, all, reach }
  }

  /** Puts a record to the closest peers; returns how many stored exactly this value. */
  private async put(
    key: Uint8Array,
    value: Uint8Array,
    options: AbortOptions
  ): Promise<{ stored: number; refused: number }> {
    const stored = new Set<string>()
    let refused = 0
    if (this.routingTableSize() === 0) {
      await this.storeLocally(key, value)
      return { stored: 0, refused: 0 }
    }
    try {
      for await (const event of this.libp2p.services.dht.put(key, value, { signal: querySignal(options.signal) })) {
        if (event.name === 'PEER_RESPONSE' && event.messageName === 'PUT_VALUE') {
          if (event.record != null && bytesEqual(event.record.value, value)) stored.add(event.from.toString())
        } else if (event.name === 'QUERY_ERROR') {
          refused++
        }
      }
    } catch (err) {
      if ((err as Error).name === 'NameTakenError' || (err as Error).name === 'StaleRecordError') throw err
      options.signal?.throwIfAborted()
      log('put finished with %s', (err as Error).message)
    }
    return { stored: stored.size, refused }
  }

  /** With no peers, kad-dht's put would wait for one: keep the record locally meanwhile. */
  private async storeLocally(key: Uint8Array, value: Uint8Array): Promise<void> {
    if (this.datastore === undefined) return
    const existing = await this.localValue(key)
    // the storing rule holds for our own writes too
    if (existing !== undefined) checkReplacement(key, existing, value, { now: this.now })
    await this.datastore.put(datastoreKey(key), createPutRecord(key, value))
  }

  // -------------------------------------------------------------------------------------------
  // Profiles

  /** Signs and publishes our profile record (current addresses, signed prekey); returns peers that stored it. */
  async publishProfile(options: AbortOptions = {}): Promise<number> {
    const addresses = this.libp2p.getMultiaddrs()
    const value = await createProfileRecord(this.identity.privateKey, {
      dhKey: this.identity.dhKeyPair.publicKey,
      prekey: {
        id: this.identity.prekey.id,
        publicKey: this.identity.prekey.keyPair.publicKey,
        signature: this.identity.prekey.signature
      },
      addresses,
      sequence: this.nextSequence(),
      expiresAt: this.now() + RECORD_LIFETIME_MS
    })
    const { stored } = await this.put(profileKey(this.libp2p.peerId), value, options)
    this.lastProfileAddresses = addresses.map(a => a.toString()).join(' ')
    log('published our profile to %d peers', stored)
    return stored
  }

  /**
   * A peer's current valid profile (cached for PROFILE_CACHE_MS); throws NotFoundError. Profiles are
   * self-certifying, so the fetch stops after PROFILE_QUORUM valid copies and keeps the newest.
   */
  async profile(peerId: PeerId, options: AbortOptions = {}): Promise<Profile> {
    const cached = this.profiles.get(peerId.toString())
    if (cached !== undefined && this.now() - cached.at < PROFILE_CACHE_MS && cached.profile.expiresAt > this.now()) {
      return cached.profile
    }
    const key = profileKey(peerId)
    const parse = async (_from: PeerId, value: Uint8Array): Promise<Profile | undefined> => {
      try {
        return await verifyProfileRecord(key, value, { now: this.now })
      } catch (err) {
        log('dropped an invalid profile of %p: %s', peerId, (err as Error).message)
        return undefined
      }
    }
    const { first, reach } = this.gather(key, parse, {
      signal: options.signal,
      drain: false,
      enough: found => found.length >= PROFILE_QUORUM
    })
    let best: Profile | undefined
    for (const profile of await first) {
      if (best === undefined || profile.sequence > best.sequence) best = profile
    }
    if (best === undefined) {
      throw unanswered(reach, `the profile of ${peerId}`) ?? new NotFoundError(`no valid profile record for ${peerId}`)
    }
    this.profiles.delete(peerId.toString())
    this.profiles.set(peerId.toString(), { profile: best, at: this.now() })
    if (this.profiles.size > MAX_CACHED_PROFILES) this.profiles.delete(this.profiles.keys().next().value!)
    // the messenger dials by peer id: tell the peer store where the peer is
    if (!peerId.equals(this.libp2p.peerId) && best.addresses.length > 0) {
      await this.libp2p.peerStore.merge(peerId, { multiaddrs: best.addresses }).catch(() => {})
    }
    return best
  }

  // -------------------------------------------------------------------------------------------
  // Names

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
  ): { first: Promise<ClaimResponse[]>; all: Promise<ClaimResponse[]>; reach: Reach } {
    const key = nameKey(name)
    const parse = async (from: PeerId, value: Uint8Array): Promise<ClaimResponse | undefined> => {
      try {
        const claim = await verifyNameClaim(key, value, { now: this.now })
        fast?.onClaim?.(claim.peerId)
        return { from, claim, value }
      } catch (err) {
        log('dropped an invalid claim for "%s" from %p: %s', name, from, (err as Error).message)
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
    return this.gather(key, parse, { signal: options.signal, enough })
  }

  /** Our own stored claim's owner for a name, if we hold a valid live one (a guess to prefetch with). */
  private async localOwner(key: Uint8Array): Promise<PeerId | undefined> {
    const value = await this.localValue(key)
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
  async resolve(
    input: string,
    options: AbortOptions & { preferred?: PeerId; profile?: boolean } = {}
  ): Promise<Resolution> {
    try {
      return await this.resolveOnce(input, options)
    } catch (err) {
      if ((err as Error).name !== 'LookupFailedError' || this.routingTableSize() === 0) throw err
      options.signal?.throwIfAborted()
      log('resolving "%s" again: %s', input, (err as Error).message)
      return await this.resolveOnce(input, options)
    }
  }

  private async resolveOnce(
    input: string,
    options: AbortOptions & { preferred?: PeerId; profile?: boolean }
  ): Promise<Resolution> {
    const name = normalizeName(input)
    const key = nameKey(name)
    // the profile of the owner we expect (pin, our stored claim, else the first valid claim to
    // arrive) is fetched while the claims come in; it is used only if that owner wins
    let prefetch: { owner: PeerId; profile: Promise<Profile | undefined> } | undefined
    const expect = (owner: PeerId): void => {
      if (prefetch !== undefined || options.profile === false) return
      const profile = this.profile(owner, options)
      profile.catch(() => {}) // awaited below only if this owner wins
      prefetch = { owner, profile }
    }
    const expected = options.preferred ?? (await this.localOwner(key))
    if (expected !== undefined) expect(expected)
    const { first, all, reach } = this.claims(name, options, { preferred: options.preferred, onClaim: expect })
    const responses = await first
    const selection = selectClaim(key, responses, options.preferred)
    if (selection === undefined) {
      throw unanswered(reach, `"${name}"`) ?? new NameNotFoundError(`no valid claim for "${name}"`)
    }
    void all.then(
      every => this.confirm(name, key, selection, every, options.preferred),
      err => log('confirming "%s" failed: %s', name, (err as Error).message)
    )
    const owner = selection.winner.claim.peerId
    let profile: Profile | undefined
    try {
      if (options.profile !== false) {
        // a prefetch of the winner that found nothing is not repeated: it was the same query
        profile = prefetch?.owner.equals(owner) === true ? await prefetch.profile : await this.profile(owner, options)
        options.signal?.throwIfAborted()
      }
    } catch (err) {
      options.signal?.throwIfAborted()
      // a profile the DHT could not look up fails the resolve (try again); a missing one does not
      if ((err as Error).name === 'LookupFailedError') throw err
      log('no profile for the owner of "%s": %s', name, (err as Error).message)
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
      log.error(
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
      if (this.repaired.size > 1000) this.repaired.delete(this.repaired.keys().next().value!)
      this.repair(key, selection.winner.value)
    }
  }

  /** Puts the current claim again, so peers with an older copy get it; honest peers refuse anything else. */
  private repair(key: Uint8Array, value: Uint8Array): void {
    void this.put(key, value, { signal: this.stopping.signal }).then(
      ({ stored }) => log('repaired %d peers', stored),
      err => log('repair failed: %s', (err as Error).message)
    )
  }

  /**
   * Claims (or renews) a name for our key: refuses with NameTakenError when the resolution rule
   * gives it to another key, signs a claim with a new sequence and a 24 h expiry, puts it and our
   * profile to the closest peers. `stored` counts the peers that stored the claim.
   */
  async register(input: string, options: AbortOptions = {}): Promise<{ name: string; peerId: string; stored: number }> {
    const name = normalizeName(input)
    const key = nameKey(name)
    const me = this.libp2p.peerId
    const responses = await this.claims(name, options).all
    const selection = selectClaim(key, responses, me)
    if (selection !== undefined && !selection.winner.claim.peerId.equals(me)) {
      throw new NameTakenError(`"${name}" is held by another key (${selection.winner.claim.peerId})`)
    }
    const mine = responses.filter(r => r.claim.peerId.equals(me))
    const claimedAt = mine.length > 0 ? Math.min(...mine.map(r => r.claim.claimedAt)) : this.now()
    let floor = 0n
    for (const r of mine) if (r.claim.sequence > floor) floor = r.claim.sequence
    const value = await createNameClaim(this.identity.privateKey, {
      name,
      claimedAt,
      sequence: this.nextSequence(floor),
      expiresAt: this.now() + RECORD_LIFETIME_MS
    })
    const { stored, refused } = await this.put(key, value, options)
    if (stored === 0 && refused > 0) {
      // every peer refused: someone else's live claim sits there (we had not seen it)
      const again = selectClaim(key, await this.claims(name, options).all, me)
      if (again !== undefined && !again.winner.claim.peerId.equals(me)) {
        throw new NameTakenError(`"${name}" is held by another key (${again.winner.claim.peerId})`)
      }
    }
    if (name !== this.name && this.name !== null) log('giving up "%s" for "%s"', this.name, name)
    this.setName(name)
    await this.publishProfile(options).catch(err => log('publishing our profile failed: %s', err.message))
    log('registered "%s" with %d peers', name, stored)
    return { name, peerId: me.toString(), stored }
  }

  /**
   * Resolves and applies the TOFU pin: pins the owner on first use; when the name now resolves to
   * another key than the pinned one, reports keyChanged (and onKeyChanged) and leaves the pin.
   * The pinned key wins ties in the resolution rule.
   */
  async resolvePinned(
    input: string,
    options: AbortOptions & { profile?: boolean } = {}
  ): Promise<Resolution & { keyChanged: boolean }> {
    const name = normalizeName(input)
    const pin = this.pins?.get(name)
    let preferred: PeerId | undefined
    if (pin !== undefined) {
      try {
        preferred = peerIdFromString(pin.peerId)
      } catch {}
    }
    const resolution = await this.resolve(name, { ...options, preferred })
    const owner = resolution.claim.peerId
    let keyChanged = false
    if (pin === undefined) {
      this.pins?.set(name, owner.toString())
    } else if (pin.peerId !== owner.toString()) {
      keyChanged = true
      log.error('"%s" is pinned to %s but now resolves to %p', name, pin.peerId, owner)
      this.init.onKeyChanged?.({ name, oldPeerId: pin.peerId, newPeerId: owner.toString() })
    }
    return { ...resolution, keyChanged }
  }

  /** The messenger's Directory.resolveName: resolvePinned, and the owner's profile is required. */
  async resolveName(
    input: string,
    options: AbortOptions = {}
  ): Promise<{ peerId: PeerId; profile: Profile; keyChanged: boolean }> {
    const r = await this.resolvePinned(input, options)
    if (r.profile === undefined) throw new NotFoundError(`no profile record for the owner of "${r.claim.name}"`)
    return { peerId: r.claim.peerId, profile: r.profile, keyChanged: r.keyChanged }
  }
}
