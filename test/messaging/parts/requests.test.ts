/**
 * Requests from strangers, limited per peer and in total (stranger-gate.ts, docs/SECURITY.md): a
 * flood of first messages from many fresh identities neither fills the requests list nor costs
 * the receiver a write per refused envelope, while contacts and invited peers still get through.
 * Counts and bounds only; the rate's clock is the test's.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import type { Identity } from '../../../node/identity/index.ts'
import {
  MAX_MESSAGES_PER_REQUEST,
  MAX_PENDING_REQUESTS,
  REQUEST_BURST,
  REQUEST_REFILL_MS
} from '../../../node/messaging/constants.ts'
import { RequestLimitError } from '../../../node/messaging/errors.ts'
import { Inbox } from '../../../node/messaging/inbox.ts'
import { Outbox } from '../../../node/messaging/outbox.ts'
import { StrangerGate, type StrangerGateInit } from '../../../node/messaging/stranger-gate.ts'
import { databaseForTests, type ParleyStore } from '../../../node/store/index.ts'
import {
  ackedCount,
  contact,
  FakeDirectory,
  fakePresence,
  identity,
  logger,
  memoryStore,
  PeerLocks,
  recorder,
  sealerFor
} from './fakes.ts'

async function receiver(init: StrangerGateInit) {
  const bob = await identity()
  const store = memoryStore()
  const inbox = new Inbox({
    libp2p: { handle: async () => {}, unhandle: async () => {} },
    identity: bob,
    store,
    locks: new PeerLocks(),
    presence: fakePresence(),
    strangers: new StrangerGate({ store }, init),
    notify: recorder().notify,
    logger
  })
  return { bob, store, inbox }
}

/** `n` envelopes from `sender` to `bob`, sealed by a real outbox (with an invite secret if given). */
async function envelopesFrom(sender: Identity, bob: Identity, n: number, secret?: string): Promise<Uint8Array[]> {
  const store = memoryStore()
  const directory = new FakeDirectory(store)
  directory.publish(bob)
  const bobId = bob.peerId.toString()
  if (secret !== undefined) store.inviteSecrets.set(bobId, secret)
  const outbox = new Outbox({ store, locks: new PeerLocks(), sealer: sealerFor(store, sender, directory), logger })
  for (let i = 0; i < n; i++) {
    await outbox.enqueue(bobId, randomBytes(16).toString('hex'), { type: 'text', markdown: `hello ${i}` }, 'message')
  }
  return store.outbox.forPeer(bobId).map(e => e.envelope)
}

const changes = (store: ParleyStore): number =>
  (databaseForTests(store).prepare('SELECT total_changes() AS n').get() as { n: number }).n

describe('requests from strangers', () => {
  it('a flood of new identities: the burst gets in, the rest is refused before anything is written, then one per refill period', async () => {
    let now = 1_800_000_000_000
    const { bob, store, inbox } = await receiver({ now: () => now })
    const alice = await identity()
    contact(store, alice.peerId)
    const strangers = await Promise.all(Array.from({ length: 60 }, () => identity()))
    const first = await Promise.all(strangers.map(async s => (await envelopesFrom(s, bob, 1))[0]!))

    let refused = 0
    for (const [i, s] of strangers.entries()) {
      const before = changes(store)
      const r = await inbox.receiveBatch([first[i]!], s.peerId.toString())
      if (r.error !== undefined) {
        assert.ok(r.error instanceof RequestLimitError, String(r.error))
        assert.equal(r.acks.length, 0)
        assert.equal(changes(store), before, 'a refused envelope writes nothing')
        refused++
      }
      if (i === 30) {
        // a contact's message in the middle of the flood is stored as usual
        const fromAlice = await envelopesFrom(alice, bob, 1)
        const ok = await inbox.receiveBatch(fromAlice, alice.peerId.toString())
        assert.equal(ok.error, undefined)
        assert.equal(ok.acks.length, 1)
      }
    }
    assert.equal(refused, strangers.length - REQUEST_BURST)
    assert.equal(store.contacts.count('request'), REQUEST_BURST, 'the requests list holds only the burst')
    for (const s of strangers.slice(REQUEST_BURST)) {
      const id = s.peerId.toString()
      assert.equal(store.contacts.get(id), undefined)
      assert.equal(store.sessions.all(id).length, 0)
      assert.equal(store.messages.countFrom(id), 0)
    }
    assert.equal(store.messages.countFrom(alice.peerId.toString()), 1)

    // an invited stranger gets in whatever the limits (its secret is inside the encryption)
    const secret = randomBytes(16).toString('base64url')
    store.invites.create(secret)
    const invited = await identity()
    const withSecret = await envelopesFrom(invited, bob, 1, secret)
    const r = await inbox.receiveBatch(withSecret, invited.peerId.toString())
    assert.equal(r.error, undefined)
    assert.equal(store.contacts.get(invited.peerId.toString())?.state, 'contact')

    // the rate refills: one more stranger per period, then refused again
    now += REQUEST_REFILL_MS
    const late = strangers[REQUEST_BURST]!
    assert.equal((await inbox.receiveBatch([first[REQUEST_BURST]!], late.peerId.toString())).error, undefined)
    const next = strangers[REQUEST_BURST + 1]!
    assert.ok(
      (await inbox.receiveBatch([first[REQUEST_BURST + 1]!], next.peerId.toString())).error instanceof RequestLimitError
    )
    assert.equal(store.contacts.count('request'), REQUEST_BURST + 1)
  })

  it('the requests list never holds more than MAX_PENDING_REQUESTS, whatever the rate; a decision makes room', async () => {
    const { bob, store, inbox } = await receiver({ requestBurst: 1000 })
    const strangers = await Promise.all(Array.from({ length: MAX_PENDING_REQUESTS + 20 }, () => identity()))
    let refused = 0
    for (const s of strangers) {
      const [envelope] = await envelopesFrom(s, bob, 1)
      const r = await inbox.receiveBatch([envelope!], s.peerId.toString())
      if (r.error instanceof RequestLimitError) refused++
      else assert.equal(r.error, undefined)
    }
    assert.equal(store.contacts.count('request'), MAX_PENDING_REQUESTS)
    assert.equal(refused, 20)
    // declining one frees a place
    const first = store.contacts.get(strangers[0]!.peerId.toString())!
    store.contacts.put({ ...first, state: 'declined' })
    const last = strangers.at(-1)!
    const [again] = await envelopesFrom(last, bob, 1)
    assert.equal((await inbox.receiveBatch([again!], last.peerId.toString())).error, undefined)
    assert.equal(store.contacts.count('request'), MAX_PENDING_REQUESTS)
  })

  it('one stranger keeps at most MAX_MESSAGES_PER_REQUEST messages until accepted; accepting lifts it', async () => {
    const { bob, store, inbox } = await receiver({})
    const chatty = await identity()
    const id = chatty.peerId.toString()
    const envelopes = await envelopesFrom(chatty, bob, MAX_MESSAGES_PER_REQUEST + 5)
    const r = await inbox.receiveBatch(envelopes.slice(0, 64), id)
    assert.ok(r.error instanceof RequestLimitError)
    assert.equal(
      ackedCount(r.acks),
      MAX_MESSAGES_PER_REQUEST,
      'the first ones are stored and acked, then the stream ends'
    )
    assert.equal(store.messages.countFrom(id), MAX_MESSAGES_PER_REQUEST)
    store.contacts.put({ ...store.contacts.get(id)!, state: 'contact' })
    const rest = await inbox.receiveBatch(envelopes.slice(MAX_MESSAGES_PER_REQUEST), id)
    assert.equal(rest.error, undefined)
    assert.equal(store.messages.countFrom(id), MAX_MESSAGES_PER_REQUEST + 5)
  })
})
