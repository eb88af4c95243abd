import type { ComponentLogger, Logger, PeerId } from '@libp2p/interface'
import type { HomePaths } from './daemon/home.ts'
import type { NodeService } from './daemon/methods.ts'
import type { RpcNotification, RpcNotifications, RpcResult } from './daemon/rpc-api.ts'
import { Allowlist, Community, communityBootstrap } from './community/index.ts'
import type { Identity } from './identity/index.ts'
import * as mailboxClient from './mailbox/client.ts'
import { type MailboxLimits, MemberMailboxes } from './mailbox/index.ts'
import { DIAL_TIMEOUT_MS } from './messaging/constants.ts'
import { createMessenger, type Messenger } from './messaging/index.ts'
import { fingerprint } from './messaging/fingerprint.ts'
import { parsePeerId } from './messaging/ids.ts'
import { DhtQuery } from './names/dht-query.ts'
import { InvalidNameError } from './names/errors.ts'
import { normalizeName } from './names/name-rules.ts'
import { NameRegistry } from './names/registry.ts'
import { safetyNumber } from './names/safety-number.ts'
import { nodeLogger } from './node-logger.ts'
import { RECONNECT_KNOWN_PEERS } from './p2p/constants.ts'
import { createParleyLibp2p, type ParleyLibp2p, SqliteDatastore } from './p2p/index.ts'
import { reachability } from './p2p/reachability.ts'
import { isRelayedAddress } from './p2p/relayed.ts'
import { openStore, type ParleyStore } from './store/index.ts'

export interface ParleyNodeInit {
  paths: HomePaths
  identity: Identity
  /** multiaddrs to listen on */
  listen: string[]
  /** full multiaddrs (with /p2p/) to dial at start */
  bootstrap: string[]
  mdns: boolean
  /** run as a community node: join protocol, member-only relay, members' records (issue 11); @default false */
  community?: boolean
  /** a community node's mailbox retention and quotas (issue 12); @default DEFAULT_MAILBOX_LIMITS */
  mailbox?: Partial<MailboxLimits>
  /** addresses to advertise (a public host's); @default the listening ones */
  announce?: string[]
  /** map a port with UPnP; @default false */
  upnp?: boolean
  /** pushes an RPC notification to every client */
  notify: <N extends RpcNotification>(method: N, params: RpcNotifications[N]) => void
  /** a client asked the daemon to stop (node.stop) */
  onStopRequested: () => void
  /** the clock of record validation; @default Date.now */
  now?: () => number
  /**
   * run our mailboxes at the communities we joined (issue 12: queues, collecting); off only in
   * tests that speak the mailbox protocol with this node's key themselves. @default true
   */
  memberMailboxes?: boolean
}

/**
 * One Parley node, the composition root: the libp2p node (with its persistent datastore), the
 * SQLite store, the name registry (the messenger's Directory) and the messenger, built and started
 * in order and stopped in reverse. Answers the node's own RPC methods (NodeService); the daemon
 * hands the messaging ones to `messenger` directly.
 */
export class ParleyNode implements NodeService {
  readonly peerId: PeerId
  readonly libp2p: ParleyLibp2p
  readonly registry: NameRegistry
  readonly messenger: Messenger
  readonly community: Community
  /** our mailboxes at the communities we joined (issue 12): queues, deposits when a contact is offline, collecting */
  readonly mailboxes: MemberMailboxes
  /** this node's loggers: parley:<component>:<end of the peer id> */
  readonly logger: ComponentLogger
  private readonly log: Logger
  private readonly store: ParleyStore
  private readonly datastore: SqliteDatastore
  private readonly init: ParleyNodeInit
  private stopping?: Promise<void>

  private constructor(
    init: ParleyNodeInit,
    parts: { libp2p: ParleyLibp2p; store: ParleyStore; datastore: SqliteDatastore; allowlist: Allowlist }
  ) {
    this.init = init
    this.libp2p = parts.libp2p
    this.store = parts.store
    this.datastore = parts.datastore
    this.peerId = init.identity.peerId
    this.logger = nodeLogger(this.peerId)
    this.log = this.logger.forComponent('parley:node')
    const settings = this.store.settings
    this.registry = new NameRegistry({
      libp2p: this.libp2p,
      identity: init.identity,
      datastore: this.datastore,
      // the registry keeps our own name (its only setting) across restarts
      settings: { get: () => settings.ownName(), set: (_key, name) => settings.setOwnName(name || undefined) },
      pins: this.store.pins,
      now: init.now,
      onKeyChanged: event => init.notify('key.changed', event),
      onNameChanged: name => init.notify('name.changed', { name }),
      onAddressesChanged: addresses => init.notify('node.addresses', { addresses }),
      // our public contact queues (issue 12): read when the profile is signed
      mailboxes: () => this.mailboxes.profileMailboxes(),
      logger: this.logger
    })
    this.mailboxes = new MemberMailboxes({
      libp2p: this.libp2p,
      identity: init.identity,
      store: this.store,
      directory: this.registry,
      calls: mailboxClient,
      onPublicQueues: () => {
        this.registry.publishProfile().catch(err => this.log('publishing the profile failed: %s', err.message))
      },
      logger: this.logger
    })
    this.messenger = createMessenger({
      libp2p: this.libp2p,
      identity: init.identity,
      store: this.store,
      directory: this.registry,
      notify: (event, detail) => {
        init.notify(event, detail as RpcNotifications[typeof event])
        // a new contact gets our queues (§7.5)
        if (event === 'contact.changed' || event === 'contact.request') this.mailboxes.contactsChanged()
      },
      mailbox: this.mailboxes.fallback,
      onMailboxQueues: this.mailboxes.onMailboxQueues,
      logger: this.logger
    })
    this.community = new Community(
      {
        libp2p: this.libp2p,
        privateKey: init.identity.privateKey,
        store: this.store,
        allowlist: parts.allowlist,
        datastore: this.datastore,
        query: new DhtQuery({
          dht: this.libp2p.services.dht,
          peerId: this.peerId,
          datastore: this.datastore,
          logger: this.logger
        }),
        logger: this.logger,
        ownName: () => this.registry.ownName(),
        now: init.now,
        leaving: community => this.mailboxes.leaving(community),
        left: () => this.mailboxes.communitiesChanged(),
        joined: () => this.mailboxes.communitiesChanged()
      },
      { role: init.community === true, announce: init.announce, mailbox: init.mailbox }
    )
  }

  /** Opens the store and datastore, starts libp2p, the registry and the messenger. */
  static async start(init: ParleyNodeInit): Promise<ParleyNode> {
    const store = openStore(init.paths.database)
    const datastore = new SqliteDatastore(init.paths.datastore)
    let libp2p: ParleyLibp2p | undefined
    try {
      datastore.open()
      const allowlist = new Allowlist({ store, now: init.now })
      libp2p = await createParleyLibp2p({
        privateKey: init.identity.privateKey,
        listen: init.listen,
        // the communities we joined are bootstrap peers too
        bootstrap: [...new Set([...init.bootstrap, ...communityBootstrap(store)])],
        mdns: init.mdns,
        datastore,
        now: init.now,
        announce: init.announce,
        upnp: init.upnp,
        relay:
          init.community === true
            ? {
                mayReserve: peerId => allowlist.isMember(peerId.toString()),
                limitFor: peerId => node?.community.limitFor(peerId)
              }
            : undefined
      })
      const node: ParleyNode = new ParleyNode(init, { libp2p, store, datastore, allowlist })
      await node.messenger.start()
      node.registry.start()
      await node.community.start()
      if (init.memberMailboxes !== false) node.mailboxes.start(node.messenger)
      void node.reconnectKnownPeers()
      node.log('started %p', node.peerId)
      return node
    } catch (err) {
      await Promise.resolve(libp2p?.stop()).catch(() => {})
      datastore.close()
      store.close()
      throw err
    }
  }

  /** Our listening addresses as full multiaddrs (with /p2p/). */
  addresses(): string[] {
    return this.libp2p.getMultiaddrs().map(a => a.toString())
  }

  private async reconnectKnownPeers(): Promise<void> {
    try {
      const peers = await this.libp2p.peerStore.all({
        filters: [p => p.addresses.length > 0 && !p.id.equals(this.peerId)],
        limit: RECONNECT_KNOWN_PEERS
      })
      await Promise.all(
        peers.map(p => this.libp2p.dial(p.id, { signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) }).catch(() => undefined))
      )
    } catch (err) {
      this.log('reconnecting to known peers failed: %s', (err as Error).message)
    }
  }

  /** Stops everything once (idempotent): the RPC's node.stop, SIGINT/SIGTERM and the daemon's cleanup. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.init.onStopRequested()
      await this.mailboxes.stop().catch(err => this.log.error('stopping the mailboxes failed %e', err))
      await this.community.stop().catch(err => this.log.error('stopping the community parts failed %e', err))
      await this.registry.stop().catch(err => this.log.error('stopping the registry failed %e', err))
      await this.messenger.stop().catch(err => this.log.error('stopping the messenger failed %e', err))
      await Promise.resolve(this.libp2p.stop()).catch((err: unknown) =>
        this.log.error('stopping libp2p failed %e', err)
      )
      this.datastore.close()
      this.store.close()
      this.log('stopped')
    })()
    return this.stopping
  }

  // ------------------------------------------------------------------ node and names

  status(): RpcResult<'node.status'> {
    return {
      peerId: this.peerId.toString(),
      name: this.registry.ownName(),
      addresses: this.addresses(),
      connections: this.libp2p.getConnections().length,
      routingTable: this.registry.routingTableSize(),
      community: this.community.role,
      reachability: reachability({
        addresses: this.libp2p.getMultiaddrs(),
        announced: (this.init.announce ?? []).length > 0
      }),
      relayAddresses: this.addresses().filter(a => isRelayedAddress(a)),
      communities: this.community.list(),
      mailboxes: this.mailboxes.status()
    }
  }

  whoami(): RpcResult<'node.whoami'> {
    return { peerId: this.peerId.toString(), name: this.registry.ownName(), fingerprint: fingerprint(this.peerId) }
  }

  async register(name: string, options: { signal: AbortSignal }): Promise<RpcResult<'names.register'>> {
    return await this.registry.register(name, options)
  }

  async resolve(name: string, options: { signal: AbortSignal }): Promise<RpcResult<'names.resolve'>> {
    // a resolve someone asked for shows the owner's current profile, not the cached one
    const r = await this.registry.resolvePinned(name, { ...options, cache: false })
    return {
      name: r.claim.name,
      peerId: r.claim.peerId.toString(),
      fingerprint: fingerprint(r.claim.peerId),
      addresses: (r.profile?.addresses ?? []).map(a => a.toString()),
      keyChanged: r.keyChanged
    }
  }

  peers(): RpcResult<'peers.list'> {
    return {
      peers: this.libp2p.getPeers().map(peerId => {
        const connections = this.libp2p.getConnections(peerId)
        return {
          peerId: peerId.toString(),
          addresses: connections.map(c => c.remoteAddr.toString()),
          // relayed while no direct connection exists (libp2p moves streams to a direct one when it opens)
          relayed: connections.length > 0 && connections.every(c => isRelayedAddress(c.remoteAddr))
        }
      })
    }
  }

  async safetyNumber(target: string, options: { signal: AbortSignal }): Promise<RpcResult<'safety.number'>> {
    const peerId = parsePeerId(target)
    if (peerId !== undefined) return { peerId: peerId.toString(), safetyNumber: safetyNumber(this.peerId, peerId) }
    let name: string
    try {
      name = normalizeName(target)
    } catch (err) {
      throw new InvalidNameError(
        `"${target}" is neither an Ed25519 peer id nor a valid name: ${(err as Error).message}`
      )
    }
    const r = await this.registry.resolvePinned(name, options)
    return { peerId: r.claim.peerId.toString(), name, safetyNumber: safetyNumber(this.peerId, r.claim.peerId) }
  }
}
