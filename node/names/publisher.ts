import type { ComponentLogger, Logger, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Identity } from '../identity/index.ts'
import { RECORD_LIFETIME_MS, REPLICAS_WANTED, SHORT_PUBLISH_GROWTH } from './constants.ts'
import type { AbortOptions, RecordQuery } from './dht-query.ts'
import { NameTakenError } from './errors.ts'
import { normalizeName } from './name-rules.ts'
import type { ProfileMailbox } from './profile.ts'
import { createNameClaim, createProfileRecord, nameKey, profileKey } from './records.ts'
import { type ClaimResponse, selectClaim } from './selection.ts'

/** Key/value settings (the store's); the publisher keeps our name under 'name'. */
export interface SettingsStore {
  get(key: string): string | undefined
  set(key: string, value: string): void
}

const SETTINGS_NAME = 'name'

/** How many peers must store a record for a publish to count as done, with `peers` in the routing table. */
export function replicasWanted(peers: number): number {
  return Math.max(1, Math.min(REPLICAS_WANTED, Math.ceil(peers / 2)))
}

export interface NamePublisherComponents {
  query: Pick<RecordQuery, 'put' | 'routingTableSize'>
  /** every valid, live claim for a name (NameResolver.allClaims) */
  claims: (name: string, options: AbortOptions) => Promise<ClaimResponse[]>
  /** our peer id (libp2p.peerId): the owner of our records */
  peerId: PeerId
  identity: Pick<Identity, 'privateKey' | 'dhKeyPair' | 'prekey'>
  /** our current listening addresses (libp2p.getMultiaddrs) */
  addresses: () => Multiaddr[]
  /** our public contact queues for the profile (docs/PROTOCOL.md §7.4); @default none */
  mailboxes?: () => ProfileMailbox[]
  settings?: SettingsStore
  logger: ComponentLogger
}

export interface NamePublisherInit {
  /** @default Date.now */
  now?: () => number
  /** aborted when the registry stops: the default signal of a republish */
  signal?: AbortSignal
  /** our registered name changed */
  onNameChanged?: (name: string | null) => void
}

/**
 * Publishes our records: registers (claims or renews) our name, signs and puts our profile, and
 * says whether a republish reached enough peers. It keeps our name (in the settings) and the
 * sequence numbers of our records.
 */
export class NamePublisher {
  private readonly components: NamePublisherComponents
  private readonly init: NamePublisherInit
  private readonly log: Logger
  private readonly now: () => number
  private readonly lifetime: AbortSignal
  private lastSequence = 0n
  private lastProfileAddresses = ''
  private name: string | null
  /** the routing table's size at the last publish, when it reached fewer than REPLICAS_WANTED peers */
  private shortAt?: number

  constructor(components: NamePublisherComponents, init: NamePublisherInit = {}) {
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('parley:names:publish')
    this.now = init.now ?? Date.now
    this.lifetime = init.signal ?? new AbortController().signal
    this.name = components.settings?.get(SETTINGS_NAME) || null
  }

  /** Our registered name, or null. */
  ownName(): string | null {
    return this.name
  }

  /** The addresses of the profile we last published, space-separated ('' before the first). */
  publishedAddresses(): string {
    return this.lastProfileAddresses
  }

  /**
   * True when the last publish reached fewer than REPLICAS_WANTED peers (enough only for the small
   * routing table of that moment) and the table has grown to SHORT_PUBLISH_GROWTH times that size
   * since: the few peers it reached are likely not the closest to our keys, so publish again.
   */
  grownSinceShortPublish(): boolean {
    return (
      this.shortAt !== undefined &&
      this.components.query.routingTableSize() >= Math.max(this.shortAt * SHORT_PUBLISH_GROWTH, this.shortAt + 1)
    )
  }

  /**
   * Publishes our profile and renews our claim; false when fewer peers than wanted stored them
   * (REPLICAS_WANTED, or half the routing table in a smaller network): retried soon. A publish that
   * counted as done with fewer than REPLICAS_WANTED is made again once the table has grown
   * (grownSinceShortPublish).
   */
  async republish(options: AbortOptions = {}): Promise<boolean> {
    const signal = options.signal ?? this.lifetime
    const peers = this.components.query.routingTableSize()
    if (peers === 0) return false
    const wanted = replicasWanted(peers)
    const enough = (stored: number, what: string): boolean => {
      if (stored < wanted) this.log('%s reached %d peers of the %d wanted: again soon', what, stored, wanted)
      else if (stored < REPLICAS_WANTED)
        this.log('%s reached %d peers of a %d-peer table: again once it has grown', what, stored, peers)
      this.shortAt = stored < REPLICAS_WANTED ? peers : undefined
      return stored >= wanted
    }
    if (this.name !== null) {
      try {
        // renews the claim and publishes the profile
        return enough((await this.register(this.name, { signal })).stored, `"${this.name}"`)
      } catch (err) {
        this.log.error('renewing "%s" failed: %s', this.name, (err as Error).message)
        if ((err as Error).name === 'NameTakenError') this.setName(null)
        else return false
      }
    }
    return enough(await this.publishProfile({ signal }), 'our profile')
  }

  /** Signs and publishes our profile record (current addresses, signed prekey); returns peers that stored it. */
  async publishProfile(options: AbortOptions = {}): Promise<number> {
    const { identity } = this.components
    const addresses = this.components.addresses()
    const value = await createProfileRecord(identity.privateKey, {
      dhKey: identity.dhKeyPair.publicKey,
      prekey: {
        id: identity.prekey.id,
        publicKey: identity.prekey.keyPair.publicKey,
        signature: identity.prekey.signature
      },
      addresses,
      mailboxes: this.components.mailboxes?.() ?? [],
      sequence: this.nextSequence(),
      expiresAt: this.now() + RECORD_LIFETIME_MS
    })
    const { stored } = await this.components.query.put(profileKey(this.components.peerId), value, options)
    this.lastProfileAddresses = addresses.map(a => a.toString()).join(' ')
    this.log('published our profile to %d peers', stored)
    return stored
  }

  /**
   * Claims (or renews) a name for our key: refuses with NameTakenError when the resolution rule
   * gives it to another key, signs a claim with a new sequence and a RECORD_LIFETIME_MS (32-day) expiry, puts it and our
   * profile to the closest peers. `stored` counts the peers that stored the claim.
   */
  async register(input: string, options: AbortOptions = {}): Promise<{ name: string; peerId: string; stored: number }> {
    const name = normalizeName(input)
    const key = nameKey(name)
    const me = this.components.peerId
    const responses = await this.components.claims(name, options)
    const selection = selectClaim(key, responses, me)
    if (selection !== undefined && !selection.winner.claim.peerId.equals(me)) {
      throw new NameTakenError(`"${name}" is held by another key (${selection.winner.claim.peerId})`)
    }
    const mine = responses.filter(r => r.claim.peerId.equals(me))
    const claimedAt = mine.length > 0 ? Math.min(...mine.map(r => r.claim.claimedAt)) : this.now()
    let floor = 0n
    for (const r of mine) if (r.claim.sequence > floor) floor = r.claim.sequence
    const value = await createNameClaim(this.components.identity.privateKey, {
      name,
      claimedAt,
      sequence: this.nextSequence(floor),
      expiresAt: this.now() + RECORD_LIFETIME_MS
    })
    const peers = this.components.query.routingTableSize()
    const { stored, refused } = await this.components.query.put(key, value, options)
    // a registration from a small table is published again once the table has grown (republish
    // sets this again from the counts of a republish)
    this.shortAt = stored < REPLICAS_WANTED ? peers : undefined
    if (stored === 0 && refused > 0) {
      // every peer refused: someone else's live claim sits there (we had not seen it)
      const again = selectClaim(key, await this.components.claims(name, options), me)
      if (again !== undefined && !again.winner.claim.peerId.equals(me)) {
        throw new NameTakenError(`"${name}" is held by another key (${again.winner.claim.peerId})`)
      }
    }
    if (name !== this.name && this.name !== null) this.log('giving up "%s" for "%s"', this.name, name)
    this.setName(name)
    await this.publishProfile(options).catch(err => this.log('publishing our profile failed: %s', err.message))
    this.log('registered "%s" with %d peers', name, stored)
    return { name, peerId: me.toString(), stored }
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
    this.components.settings?.set(SETTINGS_NAME, name ?? '')
    this.init.onNameChanged?.(name)
  }
}
