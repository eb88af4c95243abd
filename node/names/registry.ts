import type { ComponentLogger, PeerId } from '@libp2p/interface'
import { defaultLogger } from '@libp2p/logger'
import type { Datastore } from 'interface-datastore'
import type { Identity } from '../identity/index.ts'
import type { ParleyLibp2p } from '../p2p/index.ts'
import { type AbortOptions, DhtQuery } from './dht-query.ts'
import { NotFoundError } from './errors.ts'
import { type KeyChangedEvent, NamePins, type PinStore } from './pins.ts'
import type { Profile, ProfileMailbox } from './profile.ts'
import { ProfileLookup, type ProfileOptions } from './profile-lookup.ts'
import { NamePublisher, type SettingsStore } from './publisher.ts'
import { RepublishSchedule } from './republish-schedule.ts'
import { NameResolver, type Resolution, type ResolveOptions } from './resolver.ts'

export type { PinStore } from './pins.ts'
export type { SettingsStore } from './publisher.ts'
export type { Resolution } from './resolver.ts'

export interface NameRegistryInit {
  libp2p: ParleyLibp2p
  identity: Identity
  /** the datastore given to libp2p, to read the records we store ourselves */
  datastore?: Datastore
  settings?: SettingsStore
  pins?: PinStore
  /** @default Date.now */
  now?: () => number
  /** the node's logger; each part logs under its own component (`parley:names:…`); @default defaultLogger() */
  logger?: ComponentLogger
  /** a pinned name now resolves to another key */
  onKeyChanged?: (event: KeyChangedEvent) => void
  /** our registered name changed */
  onNameChanged?: (name: string | null) => void
  /** our addresses changed (after the profile was republished) */
  onAddressesChanged?: (addresses: string[]) => void
  /** our public contact queues, listed in our profile (docs/PROTOCOL.md §7.4) */
  mailboxes?: () => ProfileMailbox[]
  /** @default REPUBLISH_INTERVAL_MS */
  republishIntervalMs?: number
}

/**
 * The name registry: publishes our profile record and name claim in the DHT, resolves names and
 * profiles of others, and republishes ours before they expire and when our addresses change.
 * It is the messenger's Directory (node/messaging/messenger.ts). It only wires its parts:
 * DhtQuery (query mechanics), ProfileLookup, NameResolver (the rule, confirm, repair),
 * NamePublisher (registration, profile), RepublishSchedule and NamePins (TOFU).
 */
export class NameRegistry {
  private readonly stopping = new AbortController()
  private readonly query: DhtQuery
  private readonly profiles: ProfileLookup
  private readonly resolver: NameResolver
  private readonly publisher: NamePublisher
  private readonly schedule: RepublishSchedule
  private readonly pins: NamePins

  constructor(init: NameRegistryInit) {
    const { libp2p } = init
    const logger = init.logger ?? defaultLogger()
    const now = init.now ?? Date.now
    const signal = this.stopping.signal
    this.query = new DhtQuery(
      { dht: libp2p.services.dht, peerId: libp2p.peerId, datastore: init.datastore, logger },
      { now, signal }
    )
    this.profiles = new ProfileLookup(
      { query: this.query, peerId: libp2p.peerId, peerStore: libp2p.peerStore, logger },
      { now }
    )
    this.resolver = new NameResolver(
      { query: this.query, profile: (peerId, options) => this.profiles.profile(peerId, options), logger },
      { now, signal, onOverturned: (name, owner) => this.pins.observe(name, owner) }
    )
    this.publisher = new NamePublisher(
      {
        query: this.query,
        claims: (name, options) => this.resolver.allClaims(name, options),
        peerId: libp2p.peerId,
        identity: init.identity,
        addresses: () => libp2p.getMultiaddrs(),
        ...(init.mailboxes !== undefined ? { mailboxes: init.mailboxes } : {}),
        settings: init.settings,
        logger
      },
      { now, signal, onNameChanged: init.onNameChanged }
    )
    this.schedule = new RepublishSchedule(
      {
        republish: options => this.publisher.republish(options),
        events: libp2p,
        addresses: () => libp2p.getMultiaddrs().map(a => a.toString()),
        publishedAddresses: () => this.publisher.publishedAddresses(),
        grown: () => this.publisher.grownSinceShortPublish(),
        logger
      },
      { intervalMs: init.republishIntervalMs, onAddressesChanged: init.onAddressesChanged }
    )
    this.pins = new NamePins(
      { resolve: (name, options) => this.resolver.resolve(name, options), pins: init.pins, logger },
      { onKeyChanged: init.onKeyChanged }
    )
  }

  /** Our registered name, or null. */
  ownName(): string | null {
    return this.publisher.ownName()
  }

  /** Starts republishing: now (once a peer is there), every interval, and when our addresses change. */
  start(): void {
    this.schedule.start()
  }

  async stop(): Promise<void> {
    this.stopping.abort()
    await this.schedule.stop()
  }

  /** Publishes our profile and renews our claim; false when fewer peers than wanted stored them. */
  async republish(options: AbortOptions = {}): Promise<boolean> {
    return await this.publisher.republish(options)
  }

  /** Peers in the DHT routing table (0 means no query can run). */
  routingTableSize(): number {
    return this.query.routingTableSize()
  }

  /** Signs and publishes our profile record (current addresses, signed prekey); returns peers that stored it. */
  async publishProfile(options: AbortOptions = {}): Promise<number> {
    return await this.publisher.publishProfile(options)
  }

  /** A peer's current valid profile (cached for PROFILE_CACHE_MS unless `cache: false`); throws NotFoundError. */
  async profile(peerId: PeerId, options: ProfileOptions = {}): Promise<Profile> {
    return await this.profiles.profile(peerId, options)
  }

  /** Resolves a name (NameResolver.resolve): the rule, its fast path, confirm and repair, one retry. */
  async resolve(input: string, options: ResolveOptions = {}): Promise<Resolution> {
    return await this.resolver.resolve(input, options)
  }

  /** Claims (or renews) a name for our key (NamePublisher.register); NameTakenError when another key holds it. */
  async register(input: string, options: AbortOptions = {}): Promise<{ name: string; peerId: string; stored: number }> {
    return await this.publisher.register(input, options)
  }

  /** Resolves and applies the TOFU pin (NamePins.resolvePinned). */
  async resolvePinned(
    input: string,
    options: AbortOptions & { profile?: boolean; cache?: boolean } = {}
  ): Promise<Resolution & { keyChanged: boolean }> {
    return await this.pins.resolvePinned(input, options)
  }

  /** The messenger's Directory.resolveName: resolvePinned, and the owner's profile is required. */
  async resolveName(
    input: string,
    options: AbortOptions = {}
  ): Promise<{ peerId: PeerId; profile: Profile; keyChanged: boolean }> {
    const r = await this.pins.resolvePinned(input, options)
    if (r.profile === undefined) throw new NotFoundError(`no profile record for the owner of "${r.claim.name}"`)
    return { peerId: r.claim.peerId, profile: r.profile, keyChanged: r.keyChanged }
  }
}
