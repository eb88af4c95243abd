import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { lpStream } from '@libp2p/utils'
import * as varint from 'uint8-varint'
import { DM_PROTOCOL } from '../../node/messaging/constants.ts'
import { encodeFrame, MAX_FRAME_SIZE, signAck } from '../../node/messaging/envelope.ts'
import { signal, TestNet } from './helpers.ts'

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
})
