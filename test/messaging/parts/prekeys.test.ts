/**
 * Signed prekey rotation alone (docs/PROTOCOL.md §3.2), on an injected clock: the prekey is
 * replaced after PREKEY_ROTATE_MS, the profile is published again, a replaced prekey still opens a
 * first message sealed to it until PREKEY_KEEP_MS later, and a restart keeps the newest one.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { verifySignedPrekey } from '../../../node/crypto/x3dh.ts'
import { PREKEY_KEEP_MS, PREKEY_ROTATE_MS } from '../../../node/messaging/constants.ts'
import { UnknownPrekeyError } from '../../../node/crypto/errors.ts'
import { Inbox } from '../../../node/messaging/inbox.ts'
import { Outbox } from '../../../node/messaging/outbox.ts'
import { SignedPrekeys } from '../../../node/messaging/prekeys.ts'
import { FakeDirectory, fakePresence, identity, logger, memoryStore, PeerLocks, recorder, sealerFor } from './fakes.ts'

const T0 = 1_800_000_000_000

describe('signed prekeys', () => {
  it('rotate on schedule, are signed, republished, kept for late first messages, then deleted', async () => {
    const bob = await identity()
    const store = memoryStore()
    let now = T0
    let published = 0
    const prekeys = new SignedPrekeys(
      { store, identity: bob, logger, onRotated: () => published++ },
      { now: () => now, prekeyCheckMs: 3600_000 }
    )
    const first = bob.prekey.id
    await prekeys.start()
    prekeys.stop()
    assert.equal(bob.prekey.id, first, 'a fresh identity keeps its prekey')
    assert.equal(await prekeys.rotateIfDue(), false)

    now = T0 + PREKEY_ROTATE_MS - 1
    assert.equal(await prekeys.rotateIfDue(), false, 'not before the period')
    now = T0 + PREKEY_ROTATE_MS
    assert.equal(await prekeys.rotateIfDue(), true)
    const second = bob.prekey.id
    assert.notEqual(second, first)
    assert.equal(published, 1, 'the profile record is published again with the new prekey')
    assert.ok(
      await verifySignedPrekey(bob.peerId.publicKey!, {
        id: second,
        publicKey: bob.prekey.keyPair.publicKey,
        signature: bob.prekey.signature
      })
    )
    assert.ok(prekeys.keyPair(first) !== undefined, 'the replaced prekey is kept')

    // a restart adopts the newest stored prekey, not the identity file's
    const again = await identity()
    Object.assign(again, { peerId: bob.peerId, privateKey: bob.privateKey, prekey: { ...again.prekey } })
    const restarted = new SignedPrekeys({ store, identity: again, logger }, { now: () => now })
    await restarted.start()
    restarted.stop()
    assert.equal(again.prekey.id, second)

    now = T0 + PREKEY_ROTATE_MS + PREKEY_KEEP_MS - 1
    await prekeys.rotateIfDue()
    assert.ok(prekeys.keyPair(first) !== undefined, 'kept for the whole period')
    now = T0 + PREKEY_ROTATE_MS + PREKEY_KEEP_MS
    await prekeys.rotateIfDue()
    assert.equal(prekeys.keyPair(first), undefined, 'deleted after it')
    assert.ok(prekeys.keyPair(second) !== undefined, 'the one replaced later is still kept')
    assert.ok(prekeys.keyPair(bob.prekey.id) !== undefined)
  })

  it('a first message sealed to a replaced prekey is opened while it is kept, refused after', async () => {
    const alice = await identity()
    const bob = await identity()
    const aliceStore = memoryStore()
    const bobStore = memoryStore()
    const directory = new FakeDirectory(aliceStore)
    directory.publish(bob) // Alice's copy of Bob's profile: the prekey before the rotation
    let now = T0
    const prekeys = new SignedPrekeys({ store: bobStore, identity: bob, logger }, { now: () => now })
    await prekeys.start()
    prekeys.stop()
    const inbox = new Inbox({
      libp2p: { handle: async () => {}, unhandle: async () => {} },
      identity: bob,
      store: bobStore,
      locks: new PeerLocks(),
      presence: fakePresence(),
      prekeys,
      notify: recorder().notify,
      logger
    })
    const sealFirst = async (): Promise<Uint8Array> => {
      const store = memoryStore()
      const outbox = new Outbox({ store, locks: new PeerLocks(), sealer: sealerFor(store, alice, directory), logger })
      await outbox.enqueue(
        bob.peerId.toString(),
        randomBytes(16).toString('hex'),
        { type: 'text', markdown: 'late' },
        'message'
      )
      return store.outbox.forPeer(bob.peerId.toString())[0]!.envelope
    }
    const late = await sealFirst()
    const later = await sealFirst()
    now = T0 + PREKEY_ROTATE_MS
    assert.equal(await prekeys.rotateIfDue(), true)
    const from = alice.peerId.toString()
    const opened = await inbox.receiveBatch([late], from)
    assert.equal(opened.error, undefined)
    assert.equal(opened.acks.length, 1)

    now = T0 + PREKEY_ROTATE_MS + PREKEY_KEEP_MS
    await prekeys.rotateIfDue()
    const refused = await inbox.receiveBatch([later], from)
    assert.ok(refused.error instanceof UnknownPrekeyError, String(refused.error))
    assert.equal(aliceStore.outbox.forPeer(bob.peerId.toString()).length, 0)
  })
})
