import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  createQueue,
  deleteDeposits,
  deleteQueue,
  deposit,
  depositId,
  type QueueHome
} from '../../node/mailbox/index.ts'
import type { ParleyNode } from '../../node/parley-node.ts'
import { CommunityNet, eventually } from '../community/helpers.ts'
import { admit, blobs, Collector, errorOf, homeOf } from './helpers.ts'

/** Every client call of the mailbox protocol against a real community node on 127.0.0.1. */
describe('mailbox client calls', { timeout: 180_000 }, () => {
  const net = new CommunityNet()
  let community: ParleyNode
  let alice: ParleyNode
  let home: QueueHome

  before(async () => {
    ;({ node: community } = await net.start({ community: true, mailbox: { powDifficulty: 8 } }))
    ;({ node: alice } = await net.start())
    await admit(community, alice)
    home = homeOf(community)
  })
  after(() => net.close())

  test('create a queue, deposit from a throwaway identity, fetch by subscription, delete', async () => {
    const { queueId, credential } = await createQueue(alice.libp2p, home)
    assert.equal(queueId.length, 16)
    assert.equal(credential.length, 32)
    const sent = blobs(3, 1024, 1)
    await deposit({ ...home, queueId, credential }, sent)

    const sub = new Collector(alice, home)
    await sub.ready
    await eventually(() => sub.deposits.length === 3)
    assert.deepEqual(
      sub.deposits.map(d => d.blob),
      sent
    )
    for (const [i, d] of sub.deposits.entries()) {
      assert.deepEqual(d.queueId, queueId)
      assert.deepEqual(d.depositId, depositId(queueId, sent[i]!))
    }

    // pushed while the subscription is open
    const more = blobs(2, 4096, 2)
    await deposit({ ...home, queueId, credential }, more)
    await eventually(() => sub.deposits.length === 5)
    assert.deepEqual(
      sub.deposits.slice(3).map(d => d.blob),
      more
    )
    await sub.stop()

    await deleteDeposits(
      alice.libp2p,
      home,
      sub.deposits.slice(0, 4).map(d => d.depositId)
    )
    const again = new Collector(alice, home)
    await again.ready
    await eventually(() => again.deposits.length === 1)
    assert.deepEqual(again.deposits[0]!.blob, more[1])
    await again.stop()

    await deleteQueue(alice.libp2p, home, queueId)
    assert.equal((await errorOf(deposit({ ...home, queueId, credential }, blobs(1)))).name, 'MailboxRefusedError')
    assert.equal(community.community.members()[0]!.queues, 0)
  })

  test('a public queue: the depositor does the work the node asks for', async () => {
    const { queueId, credential } = await createQueue(alice.libp2p, home, { public: true })
    assert.equal(credential.length, 0)
    await deposit({ ...home, queueId }, blobs(2, 1024, 3))
    const usage = community.community.members().find(m => m.peerId === alice.peerId.toString())!
    assert.equal(usage.deposits, 2)
    assert.equal(usage.storedBytes, 2048)
  })
})
