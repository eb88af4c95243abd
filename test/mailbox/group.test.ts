/**
 * A group message (node/groups: group frames go as ordinary pairwise outbox entries of kind
 * 'group') to a member who is offline goes through that member's mailbox in real Parley nodes on
 * 127.0.0.1, and arrives once when the member is back, however many paths carried it.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import type { ParleyNode } from '../../node/parley-node.ts'
import { CommunityNet, eventually } from '../community/helpers.ts'
import { admit, storeOf } from './helpers.ts'

const send = (from: ParleyNode, to: string, text: string) =>
  from.messenger.send(to, { text }, { wait: true, timeoutMs: 60_000, signal: AbortSignal.timeout(90_000) })

describe('a group message through a mailbox', { timeout: 300_000 }, () => {
  const net = new CommunityNet()
  after(() => net.close())

  test('to an offline member: deposited in its mailbox, there once when it is back', async () => {
    const { node: community } = await net.start({ community: true })
    const bootstrap = community.addresses()
    const { node: alice } = await net.start({ bootstrap, memberMailboxes: true })
    let bob = await net.start({ bootstrap, memberMailboxes: true })
    await admit(community, alice)
    await admit(community, bob.node)
    const aliceId = alice.peerId.toString()
    const bobId = bob.node.peerId.toString()
    await bob.node.messenger.addContact(await alice.messenger.invite(), { signal: AbortSignal.timeout(60_000) })
    assert.equal((await send(bob.node, aliceId, 'hello')).status, 'delivered')
    await eventually(() => storeOf(alice).mailboxes.contactQueues(bobId).length === 1, 60_000)
    const group = await alice.messenger.groups.create('team', [bobId])
    await eventually(() => bob.node.messenger.groups.list().length === 1, 60_000)

    // bob goes offline; alice writes to the group
    await net.stop(bob.node)
    const sent = await alice.messenger.send(
      group.id,
      { text: 'while you were away' },
      { wait: false, timeoutMs: 60_000, signal: AbortSignal.timeout(60_000) }
    )
    const forBob = storeOf(community).mailbox.usage(bobId)
    await eventually(() => {
      const entries = storeOf(alice).outbox.forPeer(bobId)
      return entries.length > 0 && entries.every(e => e.kind === 'group' && e.depositedAt !== undefined)
    }, 60_000)
    assert.ok(storeOf(community).mailbox.usage(bobId).deposits > forBob.deposits)

    // bob comes back: the message is in the group once, and alice's outbox to him is empty
    bob = await net.start({ bootstrap, memberMailboxes: true, home: bob.home, identity: bob.identity })
    const texts = async () => (await bob.node.messenger.history(group.id, { limit: 100 })).map(m => m.text)
    await eventually(async () => (await texts()).includes('while you were away'), 60_000)
    await eventually(() => storeOf(alice).outbox.forPeer(bobId).length === 0, 60_000)
    await eventually(() => storeOf(community).mailbox.usage(bobId).deposits === 0, 60_000)
    assert.deepEqual(
      (await texts()).filter(t => t === 'while you were away'),
      ['while you were away']
    )
    assert.equal(
      (await bob.node.messenger.history(group.id, { limit: 100 })).find(m => m.text === 'while you were away')?.id,
      sent.id
    )
  })
})
