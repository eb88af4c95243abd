/**
 * Real libp2p nodes on 127.0.0.1 in one process, each with a real SQLite store and a Messenger; the
 * Directory is an in-memory stand-in for the DHT (core's registry) built from the real identities.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import type { Libp2p, PeerId } from '@libp2p/interface'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { createLibp2p } from 'libp2p'
import { generateIdentityKeys, type Identity, identityFromKeys } from '../../node/identity/index.ts'
import {
  createMessenger,
  type Directory,
  type DirectoryProfile,
  type Messenger,
  type MessengerInit
} from '../../node/messaging/index.ts'
import type { RpcNotification, RpcNotifications } from '../../node/daemon/rpc-api.ts'
import { openStore, type ParleyStore } from '../../node/store/index.ts'

export class NameNotFoundError extends Error {
  static override name = 'NameNotFoundError'
  override name = 'NameNotFoundError'
}

export class ProfileNotFoundError extends Error {
  static override name = 'NotFoundError'
  override name = 'NotFoundError'
}

/** The "DHT": names and profiles of every test peer, online or not. */
export class FakeDht {
  readonly names = new Map<string, PeerId>()
  readonly peers = new Map<string, TestPeer>()

  profile(peerId: PeerId): DirectoryProfile {
    const peer = this.peers.get(peerId.toString())
    if (peer === undefined) throw new ProfileNotFoundError(`no profile for ${peerId}`)
    const id = peer.identity
    return {
      peerId: id.peerId,
      dhKey: id.dhKeyPair.publicKey,
      prekey: { id: id.prekey.id, publicKey: id.prekey.keyPair.publicKey, signature: id.prekey.signature },
      addresses: peer.lastAddresses
    }
  }
}

export type Event = { method: RpcNotification; params: RpcNotifications[RpcNotification] }

export interface TestPeer {
  name: string
  identity: Identity
  dbPath: string
  libp2p: Libp2p
  store: ParleyStore
  messenger: Messenger
  events: Event[]
  /** addresses as last "published" (kept when the node is offline, like a profile in the DHT) */
  lastAddresses: import('@multiformats/multiaddr').Multiaddr[]
  online: boolean
  /** overrides of the messenger's timings */
  messengerOptions: Partial<MessengerInit>
  /** a name this peer announces in its messages regardless of the DHT (a liar, for tests) */
  claims?: string
  /** how often the messenger asked to publish the profile record (after a prekey rotation) */
  profilesPublished?: number
}

class FakeDirectory implements Directory {
  private readonly dht: FakeDht
  private readonly peer: () => TestPeer
  constructor(dht: FakeDht, peer: () => TestPeer) {
    this.dht = dht
    this.peer = peer
  }

  async resolveName(name: string): Promise<{ peerId: PeerId; profile: DirectoryProfile; keyChanged: boolean }> {
    const peerId = this.dht.names.get(name)
    if (peerId === undefined) throw new NameNotFoundError(`no claim for ${name}`)
    const store = this.peer().store
    const pin = store.pins.get(name)
    if (pin === undefined) store.pins.set(name, peerId.toString())
    return {
      peerId,
      profile: this.dht.profile(peerId),
      keyChanged: pin !== undefined && pin.peerId !== peerId.toString()
    }
  }

  async profile(peerId: PeerId): Promise<DirectoryProfile> {
    return this.dht.profile(peerId)
  }

  async publishProfile(): Promise<number> {
    // the fake DHT reads the peer's current identity, so publishing is only counted
    this.peer().profilesPublished = (this.peer().profilesPublished ?? 0) + 1
    return 1
  }

  ownName(): string | null {
    const me = this.peer()
    if (me.claims !== undefined) return me.claims
    return this.dht.names.get(me.name)?.equals(me.identity.peerId) === true ? me.name : null
  }
}

export class TestNet {
  readonly dht = new FakeDht()
  private dir?: string
  readonly all: TestPeer[] = []

  async tempDir(): Promise<string> {
    this.dir ??= await mkdtemp(join(tmpdir(), 'parley-dm-'))
    return this.dir
  }

  /** A new peer with a new identity, registered under `name` in the fake DHT unless register=false. */
  async peer(
    name: string,
    options: { register?: boolean; messenger?: Partial<MessengerInit> } = {}
  ): Promise<TestPeer> {
    const identity = await identityFromKeys(await generateIdentityKeys(), true)
    const peer = {
      name,
      identity,
      dbPath: join(await this.tempDir(), `${name}-${identity.peerId.toString().slice(-8)}.sqlite`),
      events: [],
      lastAddresses: [],
      online: false,
      messengerOptions: options.messenger ?? {}
    } as unknown as TestPeer
    this.dht.peers.set(identity.peerId.toString(), peer)
    if (options.register !== false) this.dht.names.set(name, identity.peerId)
    this.all.push(peer)
    await this.start(peer)
    return peer
  }

  /** Starts (or restarts) a peer's node, store and messenger. */
  async start(peer: TestPeer): Promise<void> {
    peer.libp2p = await createLibp2p({
      privateKey: peer.identity.privateKey,
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      services: { identify: identify(), ping: ping() }
    })
    peer.store = openStore(peer.dbPath)
    peer.messenger = createMessenger(
      {
        libp2p: peer.libp2p,
        identity: peer.identity,
        store: peer.store,
        directory: new FakeDirectory(this.dht, () => peer),
        notify: (method, params) => {
          peer.events.push({ method, params })
        }
      },
      {
        retryMinMs: 100,
        retryMaxMs: 500,
        presenceIntervalMs: 500,
        profileRefreshMs: 200,
        keyCheckIntervalMs: 300,
        ...peer.messengerOptions
      }
    )
    await peer.messenger.start()
    peer.lastAddresses = peer.libp2p.getMultiaddrs().map(a => a.decapsulateCode(421))
    peer.online = true
  }

  /** Clean stop: messenger, libp2p, then the database. */
  async stop(peer: TestPeer): Promise<void> {
    if (!peer.online) return
    peer.online = false
    await peer.messenger.stop()
    await peer.libp2p.stop()
    peer.store.close()
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map(p => this.stop(p)))
    if (this.dir !== undefined) await rm(this.dir, { recursive: true, force: true })
  }
}

/** Polls until check() is truthy. */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await check()
      if (v !== undefined && v !== false) return v
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms${last !== undefined ? `: ${String(last)}` : ''}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

export const signal = (): AbortSignal => AbortSignal.timeout(30_000)

export function texts(peer: TestPeer, target: string): Promise<string[]> {
  return peer.messenger.history(target, { limit: 1000 }).then(ms => ms.map(m => m.text))
}
