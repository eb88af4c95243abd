/**
 * Queues are given up (docs/PROTOCOL.md §7.5) in real Parley nodes on 127.0.0.1: blocking a
 * contact deletes our queue for it at the community node and forgets its queue addresses; leaving
 * a community deletes every queue of ours there (the public one too), hands contacts the new set
 * and publishes the profile without it.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import type { ParleyNode } from '../../node/parley-node.ts'
import { CommunityNet, eventually } from '../community/helpers.ts'
import { admit, storeOf } from './helpers.ts'

const send = (from: ParleyNode, to: string, text: string) =>
  from.messenger.send(to, { text }, { wait: true, timeoutMs: 60_000, signal: AbortSignal.timeout(90_000) })

/** Two members become contacts and hold each other's queues. */
async function contacts(a: ParleyNode, b: ParleyNode): Promise<void> {
  await b.messenger.addContact(await a.messenger.invite(), { signal: AbortSignal.timeout(60_000) })
  assert.equal((await send(b, a.peerId.toString(), 'hello')).status, 'delivered')
  await eventually(
    () =>
      storeOf(a).mailboxes.contactQueues(b.peerId.toString()).length === 1 &&
      storeOf(b).mailboxes.contactQueues(a.peerId.toString()).length === 1,
    60_000
  )
}

describe('queues given up', { timeout: 300_000 }, () => {
  const net = new CommunityNet()
  after(() => net.close())

  test('a blocked contact loses its queue; leaving a community deletes ours there', async () => {
    const { node: community } = await net.start({ community: true })
    const bootstrap = community.addresses()
    const communityId = community.peerId.toString()
    const { node: alice } = await net.start({ bootstrap, memberMailboxes: true })
    const { node: bob } = await net.start({ bootstrap, memberMailboxes: true })
    const { node: carol } = await net.start({ bootstrap, memberMailboxes: true })
    for (const m of [alice, bob, carol]) await admit(community, m)
    const aliceId = alice.peerId.toString()
    const bobId = bob.peerId.toString()
    await contacts(alice, bob)
    await contacts(alice, carol)

    // alice blocks bob: her queue for him is gone at the node, and his addresses from her store
    const forBob = storeOf(alice).mailboxes.queueFor(communityId, bobId)
    assert.ok(forBob !== undefined)
    assert.ok(storeOf(community).mailbox.queue(forBob.queueId) !== undefined)
    await alice.messenger.blockContact(bobId, { signal: AbortSignal.timeout(30_000) })
    await eventually(() => storeOf(community).mailbox.queue(forBob.queueId) === undefined, 60_000)
    await eventually(() => storeOf(alice).mailboxes.queueFor(communityId, bobId) === undefined)
    assert.deepEqual(storeOf(alice).mailboxes.contactQueues(bobId), [])
    assert.equal(storeOf(alice).mailboxes.queuesSentAt(bobId), undefined)
    // carol's queue stays
    const forCarol = storeOf(alice).mailboxes.queueFor(communityId, carol.peerId.toString())
    assert.ok(forCarol !== undefined && storeOf(community).mailbox.queue(forCarol.queueId) !== undefined)

    // alice leaves: every queue of hers at the node goes (the public one too) ...
    await eventually(() => storeOf(alice).mailboxes.queueFor(communityId, undefined) !== undefined, 60_000)
    assert.ok(storeOf(community).mailbox.usage(aliceId).queues >= 2)
    await alice.community.leave(communityId)
    assert.equal(storeOf(community).mailbox.usage(aliceId).queues, 0)
    assert.deepEqual(storeOf(alice).mailboxes.queues(), [])
    // ... carol is handed the new (empty) set, and the profile lists no mailbox
    await eventually(() => storeOf(carol).mailboxes.contactQueues(aliceId).length === 0, 60_000)
    await eventually(
      async () =>
        (await community.registry.profile(alice.peerId, { signal: AbortSignal.timeout(20_000) })).mailboxes.length ===
        0,
      60_000
    )
  })
})
