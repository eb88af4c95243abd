import assert from 'node:assert/strict'
import { DatabaseSync } from 'node:sqlite'
import { after, describe, it } from 'node:test'
import { lpStream } from '@libp2p/utils'
import * as varint from 'uint8-varint'
import { DM_PROTOCOL } from '../../node/messaging/constants.ts'
import { encodeFrame, MAX_FRAME_SIZE, signAck } from '../../node/messaging/envelope.ts'
import { writeEnvelopes } from '../../node/messaging/dm-stream.ts'
import { openSessionReset } from '../../node/messaging/session-reset.ts'
import { databaseForTests } from '../../node/store/index.ts'
import { eventually, signal, TestNet } from './helpers.ts'
import { ackedCount } from './parts/fakes.ts'

const net = new TestNet()
after(() => net.close())

describe('/parley/dm/1.0.0 stream rules', () => {
  it('resets a stream whose frame is longer than 64 KiB, one that sends an ack instead of an envelope, and junk', async () => {
    const alice = await net.peer('alice-s')
    const bob = await net.peer('bob-s')
    const aliceId = alice.identity.peerId.toString()
    await alice.libp2p.peerStore.merge(bob.identity.peerId, { multiaddrs: bob.lastAddresses })

    const oversize = await alice.libp2p.dialProtocol(bob.identity.peerId, DM_PROTOCOL, { signal: signal() })
    oversize.send(varint.encode(MAX_FRAME_SIZE + 1))
    oversize.send(new Uint8Array(1024))
    await assert.rejects(lpStream(oversize).read({ signal: signal() }))

    const ackFrame = encodeFrame({
      ack: await signAck({
        receiverKey: alice.identity.privateKey,
        sender: bob.identity.peerId,
        messageIds: [new Uint8Array(16)]
      })
    })
    const wrongKind = await alice.libp2p.dialProtocol(bob.identity.peerId, DM_PROTOCOL, { signal: signal() })
    await lpStream(wrongKind).write(ackFrame)
    await assert.rejects(lpStream(wrongKind).read({ signal: signal() }))

    const junk = await alice.libp2p.dialProtocol(bob.identity.peerId, DM_PROTOCOL, { signal: signal() })
    await lpStream(junk).write(Uint8Array.of(0x0a, 0xff, 0xff, 0x01))
    await assert.rejects(lpStream(junk).read({ signal: signal() }))

    assert.equal(bob.store.contacts.get(aliceId), undefined)
    assert.deepEqual(bob.store.messages.history(aliceId, { limit: 10 }), [])

    // the node still works afterwards
    const r = await alice.messenger.send(
      'bob-s',
      { text: 'still fine' },
      { wait: true, timeoutMs: 20_000, signal: signal() }
    )
    assert.equal(r.status, 'delivered')
  })

  it('stores envelopes that arrived together in one commit and acks each; stops at a refused one, keeping those before it', async () => {
    const alice = await net.peer('alice-g')
    const bob = await net.peer('bob-g')
    const aliceId = alice.identity.peerId.toString()
    const bobId = bob.identity.peerId.toString()
    await alice.messenger.send('bob-g', { text: 'hello' }, { wait: true, timeoutMs: 20_000, signal: signal() })
    await net.stop(bob)
    for (let i = 0; i < 5; i++) {
      await alice.messenger.send('bob-g', { text: `batch ${i}` }, { wait: false, timeoutMs: 20_000, signal: signal() })
    }
    const envelopes = alice.store.outbox.forPeer(bobId).map(o => o.envelope)
    assert.equal(envelopes.length, 5)
    await net.start(bob)
    // alice's outbox would deliver them itself: take them from it first
    await net.stop(alice)

    const tampered = new Uint8Array(envelopes[3]!)
    tampered[tampered.length - 1]! ^= 1
    let commits = 0
    const db = databaseForTests(bob.store)
    const exec = db.exec.bind(db)
    db.exec = (sql: string) => {
      if (/^\s*COMMIT\b/i.test(sql)) commits++
      return exec(sql)
    }
    const first = await bob.messenger.receiveBatch([envelopes[0]!, envelopes[1]!, envelopes[2]!, tampered], aliceId)
    assert.equal(commits, 1)
    assert.equal(ackedCount(first.acks), 3)
    assert.equal(first.error?.name, 'InvalidSignatureError')
    const texts = (): string[] => bob.store.messages.history(aliceId, { limit: 10 }).map(m => m.text)
    assert.deepEqual(texts(), ['hello', 'batch 0', 'batch 1', 'batch 2'])

    // the rest, with a duplicate: stored once, acked again, one commit
    const rest = await bob.messenger.receiveBatch([envelopes[2]!, envelopes[3]!, envelopes[4]!], aliceId)
    assert.equal(commits, 2)
    assert.equal(rest.error, undefined)
    assert.equal(ackedCount(rest.acks), 3)
    assert.deepEqual(texts(), ['hello', 'batch 0', 'batch 1', 'batch 2', 'batch 3', 'batch 4'])
    db.exec = exec
  })
})

describe('session reset frames (§3.12) on the stream', () => {
  it('an older sender sees a malformed frame (a failed delivery, as before); a current one gets the signed request and heals', async () => {
    const alice = await net.peer('alice-r')
    const bob = await net.peer('bob-r')
    const bobId = bob.identity.peerId.toString()
    await alice.messenger.send('bob-r', { text: 'hello' }, { wait: true, timeoutMs: 20_000, signal: signal() })
    // a reply, so that Alice's next envelopes no longer carry the X3DH start
    await bob.messenger.send(
      alice.identity.peerId.toString(),
      { text: 'hi' },
      { wait: true, timeoutMs: 20_000, signal: signal() }
    )
    // Bob loses his sessions; Alice's delivery is held so that this test writes the stream itself
    alice.messenger.delivery.stop()
    await net.stop(bob)
    const db = new DatabaseSync(bob.dbPath)
    db.exec('DELETE FROM sessions')
    db.close()
    await net.start(bob)
    await alice.messenger.outbox.enqueue(
      bobId,
      'ab'.repeat(16),
      { type: 'text', markdown: 'after the loss' },
      'message'
    )
    const [entry] = alice.store.outbox.forPeer(bobId)
    await alice.libp2p.peerStore.merge(bob.identity.peerId, { multiaddrs: bob.lastAddresses })

    // Bob came back at new addresses: the first dial may still meet the closing old connection
    const dial = async () =>
      await eventually(
        async () => await alice.libp2p.dialProtocol(bob.identity.peerId, DM_PROTOCOL, { signal: signal() })
      )
    const old = await dial()
    await assert.rejects(
      writeEnvelopes(old, [entry!.envelope], async () => 1, { signal: signal() }),
      {
        name: 'MalformedFrameError'
      }
    )

    const current = await dial()
    let request: Uint8Array | undefined
    const acked = await writeEnvelopes(current, [entry!.envelope], async () => 1, {
      signal: signal(),
      onSessionReset: async bytes => {
        request = bytes
      }
    })
    assert.equal(acked, 0)
    const opened = await openSessionReset(request!, {
      localPeerId: alice.identity.peerId,
      expectedRequester: bob.identity.peerId
    })
    assert.equal(Buffer.from(opened.envelopeId).toString('hex'), 'ab'.repeat(16))
    assert.equal(bob.store.messages.get('ab'.repeat(16)), undefined, 'nothing of it stored')

    // Alice's own delivery takes it from here
    alice.messenger.delivery.start()
    await eventually(() => bob.store.messages.get('ab'.repeat(16))?.text === 'after the loss')
  })
})
