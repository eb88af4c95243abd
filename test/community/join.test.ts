import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { parseCommunityLink, formatCommunityLink } from '../../node/community/index.ts'
import type { ParleyNode } from '../../node/parley-node.ts'
import { TestClock } from '../names/helpers.ts'
import { CommunityNet, eventually, tcpPort } from './helpers.ts'

const HOUR = 3_600_000

/** The join protocol between real nodes on 127.0.0.1: each outcome, and the allowlist it leaves. */
describe('community join', { timeout: 120_000 }, () => {
  const net = new CommunityNet()
  const clock = new TestClock()
  let community: ParleyNode
  let communityHome: string
  let communityIdentity: Awaited<ReturnType<CommunityNet['start']>>['identity']

  before(async () => {
    const started = await net.start({ community: true, now: clock.now })
    community = started.node
    communityHome = started.home
    communityIdentity = started.identity
  })
  after(() => net.close())

  const nameOfError = async (call: Promise<unknown>): Promise<string> => {
    const err = await call.then(
      () => assert.fail('expected the join to fail'),
      (e: unknown) => e as Error
    )
    return err.name
  }

  test('a valid link admits the member once; the used link admits no one else', async () => {
    const link = community.community.invite({ uses: 1, ttlMs: HOUR })
    const parsed = parseCommunityLink(link)
    assert.equal(parsed.peerId.toString(), community.peerId.toString())
    assert.ok(parsed.addresses.length > 0)

    const { node: alice } = await net.start()
    const joined = await alice.community.join(link)
    assert.equal(joined.peerId, community.peerId.toString())
    assert.deepEqual(
      community.community.members().map(m => m.peerId),
      [alice.peerId.toString()]
    )
    assert.deepEqual(
      alice.community.list().map(c => c.peerId),
      [community.peerId.toString()]
    )

    const { node: mallory } = await net.start()
    assert.equal(await nameOfError(mallory.community.join(link)), 'CommunityInviteUsedError')
    assert.ok(!community.community.members().some(m => m.peerId === mallory.peerId.toString()))
    assert.deepEqual(mallory.community.list(), [])
  })

  test('an expired link is refused, a link with a wrong secret is refused: no one is added', async () => {
    const link = community.community.invite({ uses: 5, ttlMs: HOUR })
    clock.advance(HOUR + 1)
    const { node: late } = await net.start()
    assert.equal(await nameOfError(late.community.join(link)), 'CommunityInviteExpiredError')

    const fresh = parseCommunityLink(community.community.invite({ uses: 5, ttlMs: HOUR }))
    const wrong = formatCommunityLink({ ...fresh, secret: new Uint8Array(32).fill(7) })
    assert.equal(await nameOfError(late.community.join(wrong)), 'CommunityInviteUnknownError')

    assert.ok(!community.community.members().some(m => m.peerId === late.peerId.toString()))
    assert.deepEqual(late.community.list(), [])
  })

  test('a link to a node that is no community is refused by the protocol itself', async () => {
    const { node: plain } = await net.start()
    const { node: member } = await net.start()
    const link = formatCommunityLink({
      peerId: plain.peerId,
      addresses: plain.libp2p.getMultiaddrs().map(a => a.decapsulateCode(421)),
      secret: new Uint8Array(32).fill(1)
    })
    assert.equal(await nameOfError(member.community.join(link)), 'NotACommunityNodeError')
    assert.equal(
      await nameOfError(Promise.resolve().then(() => plain.community.invite({ uses: 1, ttlMs: HOUR }))),
      'NotACommunityNodeError'
    )
  })

  test('members and the removal survive a restart of the community node; a removed member is gone', async () => {
    const link = community.community.invite({ uses: 2, ttlMs: HOUR })
    const { node: bob } = await net.start()
    const { node: carol } = await net.start()
    await bob.community.join(link)
    await carol.community.join(link)
    const removed = await community.community.remove(carol.peerId.toString())
    assert.equal(removed.peerId, carol.peerId.toString())

    const before = community.community.members().map(m => m.peerId)
    const port = tcpPort(community)
    await net.stop(community)
    community = (
      await net.start({
        community: true,
        home: communityHome,
        identity: communityIdentity,
        now: clock.now,
        listen: [`/ip4/127.0.0.1/tcp/${port}`]
      })
    ).node
    const after = community.community.members()
    assert.deepEqual(
      after.map(m => m.peerId),
      before
    )
    assert.ok(after.some(m => m.peerId === bob.peerId.toString()))
    assert.ok(!after.some(m => m.peerId === carol.peerId.toString()))
    await assert.rejects(community.community.remove(carol.peerId.toString()), { name: 'MemberNotFoundError' })
  })

  test('a member keeps its communities across its own restart: dialed and relayed through again', async () => {
    const link = community.community.invite({ uses: 1, ttlMs: HOUR })
    const dana = await net.start({ listen: [] })
    await dana.node.community.join(link)
    await eventually(() => dana.node.community.list()[0]?.reserved === true)
    await net.stop(dana.node)
    // no --bootstrap given: the stored community is the bootstrap peer
    const again = (await net.start({ listen: [], home: dana.home, identity: dana.identity })).node
    assert.deepEqual(
      again.community.list().map(c => c.peerId),
      [community.peerId.toString()]
    )
    await eventually(() => again.community.list()[0]?.reserved === true && again.status().relayAddresses.length > 0)
    await eventually(() => again.registry.routingTableSize() > 0)
  })
})
