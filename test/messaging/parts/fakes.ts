/**
 * What the unit tests of the messenger's parts share: identities, a `:memory:` store, a fake
 * directory (profiles and names in maps), a real sealer over them, and a recorder of events.
 * No network: every part gets only the fakes of what it uses.
 */
import type { PeerId } from '@libp2p/interface'
import { defaultLogger } from '@libp2p/logger'
import { generateIdentityKeys, type Identity, identityFromKeys } from '../../../node/identity/index.ts'
import { newContact } from '../../../node/messaging/contact-rows.ts'
import { PeerLocks } from '../../../node/messaging/peer-locks.ts'
import { Ack, AckBody } from '../../../node/messaging/pb/dm.js'
import { EnvelopeSealer } from '../../../node/messaging/seal.ts'
import type { Directory, DirectoryProfile, MessagingEvents, Notify, Presence } from '../../../node/messaging/types.ts'
import { openStore, type ParleyStore } from '../../../node/store/index.ts'

export const logger = defaultLogger()

export async function identity(): Promise<Identity> {
  return await identityFromKeys(await generateIdentityKeys(), true)
}

export function memoryStore(): ParleyStore {
  return openStore(':memory:')
}

export function profileOf(id: Identity): DirectoryProfile {
  return {
    peerId: id.peerId,
    dhKey: id.dhKeyPair.publicKey,
    prekey: { id: id.prekey.id, publicKey: id.prekey.keyPair.publicKey, signature: id.prekey.signature },
    addresses: []
  }
}

export class NameNotFoundError extends Error {
  static override name = 'NameNotFoundError'
  override name = 'NameNotFoundError'
}

/** Names and profiles in maps; resolveName pins on first use like the registry. */
export class FakeDirectory implements Directory {
  readonly profiles = new Map<string, DirectoryProfile>()
  readonly names = new Map<string, PeerId>()
  own: string | null = null
  private readonly store?: ParleyStore

  constructor(store?: ParleyStore) {
    this.store = store
  }

  publish(id: Identity, name?: string): void {
    this.profiles.set(id.peerId.toString(), profileOf(id))
    if (name !== undefined) this.names.set(name, id.peerId)
  }

  async resolveName(name: string): Promise<{ peerId: PeerId; profile: DirectoryProfile; keyChanged: boolean }> {
    const peerId = this.names.get(name)
    if (peerId === undefined) throw new NameNotFoundError(name)
    const pin = this.store?.pins.get(name)
    if (pin === undefined) this.store?.pins.set(name, peerId.toString())
    return {
      peerId,
      profile: await this.profile(peerId),
      keyChanged: pin !== undefined && pin.peerId !== peerId.toString()
    }
  }

  async profile(peerId: PeerId): Promise<DirectoryProfile> {
    const p = this.profiles.get(peerId.toString())
    if (p === undefined) throw Object.assign(new Error(`no profile of ${peerId}`), { name: 'NotFoundError' })
    return p
  }

  ownName(): string | null {
    return this.own
  }
}

export const noPeers = {
  learned: [] as string[],
  async learn(peerId: PeerId): Promise<void> {
    noPeers.learned.push(peerId.toString())
  },
  connected: (): boolean => false,
  async refresh(): Promise<void> {}
}

export function fakePresence(): {
  get(peerId: string): Presence
  track(peerId: string): void
  arrived(peerId: string): void
  touch(peerId: string): void
  tracked: string[]
} {
  const tracked: string[] = []
  return { get: () => 'offline', track: id => tracked.push(id), arrived: () => {}, touch: () => {}, tracked }
}

export type Recorded = { [E in keyof MessagingEvents]: { event: E; detail: MessagingEvents[E] } }[keyof MessagingEvents]

export function recorder(): { notify: Notify; events: Recorded[] } {
  const events: Recorded[] = []
  const notify: Notify = (event, detail) => {
    events.push({ event, detail } as Recorded)
  }
  return { notify, events }
}

/** A real sealer over the store and the fake directory. */
export function sealerFor(store: ParleyStore, me: Identity, directory: Directory): EnvelopeSealer {
  return new EnvelopeSealer({ store, identity: me, directory, peers: noPeers, logger })
}

export function contact(
  store: ParleyStore,
  peerId: PeerId | string,
  state: 'contact' | 'request' | 'blocked' = 'contact'
): void {
  store.contacts.put(newContact(peerId.toString(), state))
}

export { PeerLocks }

/** How many envelope ids some acks name in all (decoded, not verified): one ack names a whole batch. */
export function ackedCount(acks: Uint8Array[]): number {
  return acks.reduce((n, ack) => n + AckBody.decode(Ack.decode(ack).body).messageIds.length, 0)
}

/** Resolves when check() holds (polls every 10 ms, fails after timeoutMs). */
export async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}
