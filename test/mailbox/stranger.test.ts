/**
 * A stranger's first message through a public contact queue (docs/PROTOCOL.md §7.4, §7.6) in real
 * Parley nodes on 127.0.0.1: bob's profile lists his public queue; bob goes offline; alice, who is
 * not his contact and holds none of his queues, sends; the message is deposited with a proof of
 * work in the queue from bob's profile; bob comes back, collects it as a contact request, and the
 * ack makes it delivered. The node refuses a deposit into that queue without the proof.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { leadingZeroBits, powHash } from '../../node/mailbox/index.ts'
import { CommunityNet, eventually } from '../community/helpers.ts'
import { admit, storeOf } from './helpers.ts'
import { statusOf } from './raw.ts'

const POW = 8

describe("a stranger's first message through a public queue", { timeout: 300_000 }, () => {
  const net = new CommunityNet()
  after(() => net.close())

  test('deposited with a proof of work while the recipient is offline, collected when it is back', async () => {
    const { node: community } = await net.start({ community: true, mailbox: { powDifficulty: POW } })
    const bootstrap = community.addresses()
    const communityId = community.peerId.toString()
    let bob = await net.start({ bootstrap, memberMailboxes: true })
    const { node: alice } = await net.start({ bootstrap, memberMailboxes: true })
    await admit(community, bob.node)
    const bobId = bob.node.peerId.toString()
    const aliceId = alice.peerId.toString()

    // bob's profile lists his public queue: published, and stored by the other nodes before he goes
    const publicQueue = await eventually(() => storeOf(bob.node).mailboxes.queueFor(communityId, undefined), 60_000)
    assert.ok((await bob.node.registry.publishProfile({ signal: AbortSignal.timeout(30_000) })) >= 1)
    const profile = await community.registry.profile(bob.node.peerId, { signal: AbortSignal.timeout(20_000) })
    assert.ok(profile.mailboxes.some(m => Buffer.from(m.queueId).equals(Buffer.from(publicQueue.queueId))))

    // bob goes offline; alice is a stranger to him and holds none of his queues
    await net.stop(bob.node)
    assert.deepEqual(storeOf(alice).mailboxes.contactQueues(bobId), [])
    const sent = await alice.messenger.send(
      bobId,
      { text: 'hello from a stranger' },
      { wait: false, timeoutMs: 60_000, signal: AbortSignal.timeout(90_000) }
    )
    await eventually(
      async () =>
        (await alice.messenger.history(bobId, { limit: 10 })).find(m => m.id === sent.id)?.status === 'stored',
      60_000
    )
    assert.equal(storeOf(community).mailbox.queue(publicQueue.queueId)?.deposits, 1)

    // without the proof the node refuses a deposit into that queue
    const blob = new Uint8Array(1024).fill(7)
    let nonce = 0
    while (leadingZeroBits(powHash(publicQueue.queueId, blob, nonce)) >= POW) nonce++
    const refused = await statusOf(community, {
      deposit: {
        queueId: publicQueue.queueId as Uint8Array<ArrayBuffer>,
        credential: new Uint8Array(0),
        blob,
        powNonce: nonce
      }
    })
    assert.deepEqual([refused.status, refused.powDifficulty], ['POW_REQUIRED', POW])
    assert.equal(storeOf(community).mailbox.queue(publicQueue.queueId)?.deposits, 1)

    // bob comes back: the request and its message are there, once; alice's message becomes delivered
    bob = await net.start({ bootstrap, memberMailboxes: true, home: bob.home, identity: bob.identity })
    await eventually(async () => (await bob.node.messenger.history(aliceId, { limit: 10 })).length > 0, 60_000)
    const got = await bob.node.messenger.history(aliceId, { limit: 10 })
    assert.deepEqual(
      got.map(m => m.text),
      ['hello from a stranger']
    )
    assert.equal(bob.node.messenger.listContacts().find(c => c.peerId === aliceId)?.state, 'request')
    await eventually(
      async () =>
        (await alice.messenger.history(bobId, { limit: 10 })).find(m => m.id === sent.id)?.status === 'delivered',
      60_000
    )
    await eventually(() => storeOf(community).mailbox.queue(publicQueue.queueId)?.deposits === 0, 60_000)
  })
})
