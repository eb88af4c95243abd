/**
 * Contacts alone: targets (peer id, name, invite link), adding, blocking, requests, key changes and
 * accepting them. `:memory:` store, fake directory, fake libp2p (hang-ups and addresses only).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PeerId } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import type { Identity } from '../../../node/identity/index.ts'
import { Contacts } from '../../../node/messaging/contacts.ts'
import { formatInviteLink } from '../../../node/messaging/invite-link.ts'
import type { ParleyStore } from '../../../node/store/index.ts'
import {
  contact,
  FakeDirectory,
  fakePresence,
  identity,
  memoryStore,
  noPeers,
  type Recorded,
  recorder
} from './fakes.ts'

async function setup(): Promise<{
  store: ParleyStore
  contacts: Contacts
  directory: FakeDirectory
  me: Identity
  hungUp: string[]
  due: string[]
  recorded: Recorded[]
  presence: ReturnType<typeof fakePresence>
}> {
  const me = await identity()
  const store = memoryStore()
  const directory = new FakeDirectory(store)
  directory.own = 'me'
  const hungUp: string[] = []
  const dialed: string[] = []
  const due: string[] = []
  const presence = fakePresence()
  const { notify, events: recorded } = recorder()
  const contacts = new Contacts({
    libp2p: {
      hangUp: async (peer: PeerId | import('@multiformats/multiaddr').Multiaddr) => {
        hungUp.push(peer.toString())
      },
      getMultiaddrs: () => [multiaddr(`/ip4/127.0.0.1/tcp/4001/p2p/${me.peerId}`)],
      dial: async (
        peer: PeerId | import('@multiformats/multiaddr').Multiaddr | import('@multiformats/multiaddr').Multiaddr[]
      ) => {
        dialed.push(peer.toString())
        throw new Error('no network in this test')
      }
    },
    identity: me,
    store,
    directory,
    presence,
    peers: noPeers,
    notify,
    deliverNow: peerId => due.push(peerId)
  })
  return { store, contacts, directory, me, hungUp, due, recorded, presence }
}

const signal = (): AbortSignal => AbortSignal.timeout(5_000)

describe('contacts', () => {
  it('adds by name through the directory (pinned) and by peer id; refuses our own', async () => {
    const { store, contacts, directory, me, recorded, presence } = await setup()
    const bob = await identity()
    directory.publish(bob, 'bob')
    const view = await contacts.add('Bob', { signal: signal() })
    assert.equal(view.peerId, bob.peerId.toString())
    assert.equal(view.name, 'bob', 'names are normalized')
    assert.equal(view.state, 'contact')
    assert.equal(store.pins.get('bob')?.peerId, bob.peerId.toString())
    assert.deepEqual(presence.tracked, [bob.peerId.toString()])
    assert.equal(recorded.at(-1)?.event, 'contact.changed')

    const carol = await identity()
    assert.equal((await contacts.add(carol.peerId.toString(), { signal: signal() })).state, 'contact')
    await assert.rejects(contacts.add(me.peerId.toString(), { signal: signal() }), { name: 'ContactNotFoundError' })
    directory.publish(me, 'me')
    await assert.rejects(contacts.add('me', { signal: signal() }), { name: 'ContactNotFoundError' })
    await assert.rejects(contacts.add('nobody', { signal: signal() }), { name: 'NameNotFoundError' })
  })

  it('an invite link adds the inviter with its announced name and keeps the secret for the first message', async () => {
    const { store, contacts } = await setup()
    const inviter = await identity()
    const secret = new Uint8Array(16).fill(7)
    const link = formatInviteLink({
      peerId: inviter.peerId,
      name: 'Alice',
      addresses: [multiaddr('/ip4/127.0.0.1/tcp/4002')],
      secret
    })
    const view = await contacts.add(link, { signal: signal() })
    assert.equal(view.announcedName, 'Alice')
    assert.equal(view.name, undefined, 'a claimed name never addresses the contact')
    const id = inviter.peerId.toString()
    assert.equal(store.inviteSecrets.get(id), Buffer.from(secret).toString('base64url'))
    assert.deepEqual(store.contacts.get(id)?.addresses, ['/ip4/127.0.0.1/tcp/4002'])

    // a conversation that already started needs no secret
    const other = await identity()
    store.chains.set(other.peerId.toString(), 'out', { seq: 1, hash: new Uint8Array(32) })
    await contacts.add(formatInviteLink({ peerId: other.peerId, addresses: [], secret }), { signal: signal() })
    assert.equal(store.inviteSecrets.get(other.peerId.toString()), undefined)
  })

  it('our own invite link is refused; a new invite carries our name and a one-time secret', async () => {
    const { store, contacts, me } = await setup()
    const link = await contacts.invite()
    assert.match(link, /^parley:\/\/invite\?/)
    assert.match(link, /name=me/)
    const secret = new URL(link.replace('parley://', 'http://x/')).searchParams.get('secret')!
    assert.ok(store.invites.get(secret) !== undefined)
    await assert.rejects(contacts.add(link, { signal: signal() }), { name: 'InvalidInviteError' })
    assert.equal(store.contacts.get(me.peerId.toString()), undefined)
  })

  it('blocks a stranger by peer id (hanging up), refuses to add or send to it until unblocked', async () => {
    const { store, contacts, hungUp, due } = await setup()
    const eve = await identity()
    const id = eve.peerId.toString()
    const view = await contacts.block(id, { signal: signal() })
    assert.equal(view.state, 'blocked')
    assert.deepEqual(hungUp, [id])
    await assert.rejects(contacts.add(id, { signal: signal() }), { name: 'BlockedError' })
    await assert.rejects(contacts.recipient(id, { signal: signal() }), { name: 'BlockedError' })
    assert.equal((await contacts.unblock(id, { signal: signal() })).state, 'contact')
    assert.deepEqual(due, [id], 'unblocking delivers what waited')
    assert.equal(store.contacts.get(id)?.state, 'contact')
  })

  it('accept, decline and verify need a known contact; replying to a request accepts it', async () => {
    const { store, contacts, recorded } = await setup()
    const stranger = await identity()
    const id = stranger.peerId.toString()
    await assert.rejects(contacts.accept(id, { signal: signal() }), { name: 'ContactNotFoundError' })
    contact(store, id, 'request')
    assert.equal((await contacts.decline(id, { signal: signal() })).state, 'declined')
    assert.equal((await contacts.verify(id, { signal: signal() })).verified, true)
    const row = await contacts.recipient(id, { signal: signal() })
    assert.equal(row.state, 'contact')
    assert.equal(recorded.at(-1)?.event, 'contact.changed')
  })

  it('a name now pointing at another key flags the contact and stops sending; accept-key moves the name', async () => {
    const { store, contacts, directory, due } = await setup()
    const bob = await identity()
    const newBob = await identity()
    directory.publish(bob, 'bob')
    directory.publish(newBob)
    await contacts.add('bob', { signal: signal() })
    directory.names.set('bob', newBob.peerId)

    // local state still addresses bob: the key change is noticed by the key watch (flagKeyChanged)
    contacts.flagKeyChanged(bob.peerId.toString(), 'bob')
    assert.equal(store.contacts.get(bob.peerId.toString())?.keyChanged, true)
    await assert.rejects(contacts.recipient('bob', { signal: signal() }), { name: 'KeyChangedError' })

    const view = await contacts.acceptKey('bob', { signal: signal() })
    assert.equal(view.peerId, newBob.peerId.toString())
    assert.equal(view.name, 'bob')
    assert.equal(view.keyChanged, false)
    assert.equal(store.pins.get('bob')?.peerId, newBob.peerId.toString())
    const old = store.contacts.get(bob.peerId.toString())!
    assert.equal(old.name, undefined)
    assert.equal(old.keyChanged, false)
    assert.deepEqual(due, [newBob.peerId.toString()])
  })

  it('a name resolved now to another key than its pin is refused (KeyChangedError), creating nothing', async () => {
    const { store, contacts, directory } = await setup()
    const bob = await identity()
    const other = await identity()
    directory.publish(other, 'bobby')
    store.pins.set('bobby', bob.peerId.toString())
    await assert.rejects(contacts.add('bobby', { signal: signal() }), { name: 'KeyChangedError' })
    assert.equal(store.contacts.get(other.peerId.toString()), undefined)
    assert.equal(store.pins.get('bobby')?.peerId, bob.peerId.toString(), 'the pin stays')
  })
})
