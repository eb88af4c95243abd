import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import {
  createQueue,
  deleteDeposits,
  deleteQueue,
  deposit,
  depositId,
  leadingZeroBits,
  powHash,
  type QueueHome,
  solvePow,
  subscribe
} from '../../node/mailbox/index.ts'
import type { ParleyNode } from '../../node/parley-node.ts'
import { CommunityNet } from '../community/helpers.ts'
import { admit, blobs, errorOf, homeOf } from './helpers.ts'
import { rawAnswer, statusOf } from './raw.ts'

const bytes = (n: number, fill = 1): Uint8Array<ArrayBuffer> => new Uint8Array(n).fill(fill)

/** Every refusal of the community node's mailbox server, by status and by the client's error name. */
describe('mailbox server: requests and refusals', { timeout: 300_000 }, () => {
  const net = new CommunityNet()
  let community: ParleyNode
  let home: QueueHome

  before(async () => {
    ;({ node: community } = await net.start({
      community: true,
      mailbox: {
        queueMaxDeposits: 3,
        queueMaxBytes: 1024 * 1024,
        memberMaxDeposits: 5,
        memberMaxQueues: 4,
        powDifficulty: 10,
        depositRate: 10_000,
        depositBurst: 10_000
      }
    }))
    home = homeOf(community)
  })
  after(() => net.close())

  const member = async (): Promise<ParleyNode> => {
    const { node } = await net.start()
    await admit(community, node)
    return node
  }
  const usage = (node: ParleyNode) => community.community.members().find(m => m.peerId === node.peerId.toString())!

  test('junk bytes, an empty request and oversized messages are refused by status', async () => {
    assert.equal((await rawAnswer(community, bytes(40, 0xff))).status, 'BAD_REQUEST')
    assert.equal((await rawAnswer(community, new Uint8Array(0))).status, 'BAD_REQUEST')
    // a length prefix beyond 72 KiB: not read at all
    assert.equal((await rawAnswer(community, bytes(80_000, 7))).status, 'TOO_LARGE')
    // junk without framing: a varint that never ends
    assert.equal((await rawAnswer(community, bytes(16, 0xff), { framed: false })).status, 'BAD_REQUEST')
  })

  test('a member creates queues; field rules, the queue limit and non-members are refused', async () => {
    const alice = await member()
    const mallory = (await net.start()).node
    assert.equal(
      (await statusOf(community, { queueCreate: { credentialHash: bytes(31), public: false } }, alice.libp2p)).status,
      'BAD_REQUEST'
    )
    assert.equal(
      (await statusOf(community, { queueCreate: { credentialHash: bytes(32), public: true } }, alice.libp2p)).status,
      'BAD_REQUEST'
    )
    const created = await statusOf(
      community,
      { queueCreate: { credentialHash: bytes(32), public: false } },
      alice.libp2p
    )
    assert.equal(created.status, 'OK')
    assert.equal(created.queueId.length, 16)
    for (let i = 0; i < 3; i++) await createQueue(alice.libp2p, home)
    const tooMany = await errorOf(createQueue(alice.libp2p, home))
    assert.deepEqual(
      [tooMany.name, (tooMany as { status?: string }).status],
      ['MailboxRefusedError', 'TOO_MANY_QUEUES']
    )
    assert.equal(usage(alice).queues, 4)

    for (const call of [
      () => createQueue(mallory.libp2p, home),
      () => deleteQueue(mallory.libp2p, home, created.queueId),
      () => deleteDeposits(mallory.libp2p, home, [bytes(16)]),
      () => subscribe(mallory.libp2p, home, () => {}, AbortSignal.timeout(30_000))
    ]) {
      const err = await errorOf(call())
      assert.deepEqual([err.name, (err as { status?: string }).status], ['MailboxRefusedError', 'NOT_A_MEMBER'])
    }
    // the queue is alice's: another member cannot delete it
    const bob = await member()
    const notHers = await errorOf(deleteQueue(bob.libp2p, home, created.queueId))
    assert.equal((notHers as { status?: string }).status, 'UNKNOWN_QUEUE')
    assert.equal(
      (await statusOf(community, { delete: { depositIds: [bytes(15)] } }, alice.libp2p)).status,
      'BAD_REQUEST'
    )
    assert.equal(
      (await statusOf(community, { queueDelete: { queueId: bytes(15) } }, alice.libp2p)).status,
      'BAD_REQUEST'
    )
  })

  test('deposits: size, field rules, unknown queue and wrong credential; a replay is stored once', async () => {
    const alice = await member()
    const q = await createQueue(alice.libp2p, home)
    const d = (fields: {
      queueId?: Uint8Array<ArrayBuffer>
      credential?: Uint8Array<ArrayBuffer>
      blob?: Uint8Array<ArrayBuffer>
    }) =>
      statusOf(community, {
        deposit: {
          queueId: q.queueId as Uint8Array<ArrayBuffer>,
          credential: q.credential as Uint8Array<ArrayBuffer>,
          blob: bytes(100),
          powNonce: 0,
          ...fields
        }
      })
    assert.equal((await d({ blob: bytes(65_537) })).status, 'TOO_LARGE')
    assert.equal((await d({ blob: new Uint8Array(0) })).status, 'BAD_REQUEST')
    assert.equal((await d({ queueId: bytes(15) })).status, 'BAD_REQUEST')
    assert.equal((await d({ credential: bytes(31) })).status, 'BAD_REQUEST')
    assert.equal((await d({ credential: bytes(32, 9) })).status, 'UNKNOWN_QUEUE')
    assert.equal((await d({ credential: new Uint8Array(0) })).status, 'UNKNOWN_QUEUE')
    assert.equal((await d({ queueId: bytes(16, 3) })).status, 'UNKNOWN_QUEUE')
    assert.equal(usage(alice).deposits, 0)
    const wrong = await errorOf(deposit({ ...home, queueId: q.queueId, credential: bytes(32, 9) }, [bytes(10)]))
    assert.deepEqual([wrong.name, (wrong as { status?: string }).status], ['MailboxRefusedError', 'UNKNOWN_QUEUE'])

    // the same blob three times (one batch, then another): one deposit, OK every time
    assert.equal((await d({ blob: bytes(500, 5) })).status, 'OK')
    await deposit({ ...home, ...q }, [bytes(500, 5), bytes(500, 5)])
    assert.deepEqual([usage(alice).deposits, usage(alice).storedBytes], [1, 500])
  })

  test('a full queue refuses (MailboxFullError) until its owner deletes; the member quota spans queues', async () => {
    const alice = await member()
    const q1 = await createQueue(alice.libp2p, home)
    const q2 = await createQueue(alice.libp2p, home)
    await deposit({ ...home, ...q1 }, blobs(3, 1000, 1))
    const full = await errorOf(deposit({ ...home, ...q1 }, blobs(1, 1000, 2), { owner: "alice's" }))
    assert.deepEqual(
      [full.name, (full as { status?: string }).status, full.message],
      ['MailboxFullError', 'QUEUE_FULL', "alice's mailbox is full"]
    )
    await deposit({ ...home, ...q2 }, blobs(2, 1000, 3))
    // 5 deposits in alice's queues: the member quota
    const memberFull = await errorOf(deposit({ ...home, ...q2 }, blobs(1, 1000, 4)))
    assert.deepEqual([memberFull.name, (memberFull as { status?: string }).status], ['MailboxFullError', 'MEMBER_FULL'])
    assert.equal(usage(alice).deposits, 5)

    await deleteDeposits(alice.libp2p, home, [depositId(q1.queueId, blobs(3, 1000, 1)[0]!)])
    await deposit({ ...home, ...q1 }, blobs(1, 1000, 2))
    assert.equal(usage(alice).deposits, 5)
    // a deleted queue takes its deposits with it, and takes no more
    await deleteQueue(alice.libp2p, home, q1.queueId)
    assert.deepEqual([usage(alice).queues, usage(alice).deposits], [1, 2])
    assert.equal(
      ((await errorOf(deposit({ ...home, ...q1 }, [bytes(9)]))) as { status?: string }).status,
      'UNKNOWN_QUEUE'
    )
  })

  test('a public queue: no proof, a wrong proof and a right one', async () => {
    const alice = await member()
    const q = await createQueue(alice.libp2p, home, { public: true })
    const blob = bytes(300, 8)
    const send = (powNonce: number) =>
      statusOf(community, {
        deposit: { queueId: q.queueId as Uint8Array<ArrayBuffer>, credential: new Uint8Array(0), blob, powNonce }
      })
    const none = await send(0)
    // (nonce 0 may happen to meet 10 bits: then the wrong proof below is another nonce that does not)
    let wrong = 0
    while (leadingZeroBits(powHash(q.queueId, blob, wrong)) >= 10) wrong++
    const missing = wrong === 0 ? none : await send(wrong)
    assert.deepEqual([missing.status, missing.powDifficulty], ['POW_REQUIRED', 10])
    assert.equal(usage(alice).deposits, 0)
    const right = await solvePow(q.queueId, blob, 10)
    assert.equal((await send(right)).status, 'OK')
    // the client call does the work itself, asked or known ahead
    await deposit({ ...home, queueId: q.queueId }, [bytes(300, 9)])
    await deposit({ ...home, queueId: q.queueId }, [bytes(300, 10)], { powDifficulty: 10 })
    assert.equal(usage(alice).deposits, 3)
    // a private queue's credential does not open a public queue, nor the other way round
    const credentialed = await statusOf(community, {
      deposit: {
        queueId: q.queueId as Uint8Array<ArrayBuffer>,
        credential: bytes(32),
        blob: bytes(10),
        powNonce: right
      }
    })
    assert.equal(credentialed.status, 'POW_REQUIRED')
  })

  test('a removed member: its queues are gone and take no deposits', async () => {
    const carol = await member()
    const q = await createQueue(carol.libp2p, home)
    await deposit({ ...home, ...q }, [bytes(10)])
    await community.community.remove(carol.peerId.toString())
    const err = await errorOf(deposit({ ...home, ...q }, [bytes(11)]))
    assert.equal((err as { status?: string }).status, 'UNKNOWN_QUEUE')
    assert.equal(community.community.mailbox!.sweep().queues, 0)
  })
})
