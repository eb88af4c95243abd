/**
 * A member's mailboxes wired in real Parley nodes on 127.0.0.1 (ParleyNode: libp2p, SQLite, the
 * community node's mailbox server): with bob's direct path closed, every message goes through his
 * mailbox while his subscription stays open, and the acks come back through alice's.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { DM_PROTOCOL } from '../../node/messaging/constants.ts'
import type { ParleyNode } from '../../node/parley-node.ts'
import { CommunityNet, eventually } from '../community/helpers.ts'
import { admit } from './helpers.ts'

const send = (from: ParleyNode, to: string, text: string) =>
  from.messenger.send(to, { text }, { wait: true, timeoutMs: 60_000, signal: AbortSignal.timeout(90_000) })

describe('member mailboxes in real nodes', { timeout: 300_000 }, () => {
  const net = new CommunityNet()
  after(() => net.close())

  test('messages and acks through open subscriptions, one after another, each once', async () => {
    const { node: community } = await net.start({ community: true })
    const bootstrap = community.addresses()
    const { node: alice } = await net.start({ bootstrap, memberMailboxes: true })
    const { node: bob } = await net.start({ bootstrap, memberMailboxes: true })
    await admit(community, alice)
    await admit(community, bob)
    const aliceId = alice.peerId.toString()
    const bobId = bob.peerId.toString()
    await bob.messenger.addContact(await alice.messenger.invite(), { signal: AbortSignal.timeout(60_000) })
    assert.equal((await send(bob, aliceId, 'hello')).status, 'delivered')
    await eventually(
      () => alice.mailboxes.status()[0]?.contactQueues === 1 && bob.mailboxes.status()[0]?.contactQueues === 1,
      60_000
    )
    assert.equal(alice.mailboxes.status()[0]?.community, community.peerId.toString())
    // bob's direct path closes: each message is deposited, pushed to bob, stored, acked through alice's queue
    await bob.libp2p.unhandle(DM_PROTOCOL)
    const texts = ['one', 'two', 'three', 'four']
    for (const text of texts) assert.equal((await send(alice, bobId, text)).status, 'delivered', text)
    const got = (await bob.messenger.history(aliceId, { limit: 100 })).map(m => m.text)
    assert.deepEqual(got, ['hello', ...texts])
    await eventually(() => bob.mailboxes.status()[0]?.waiting === 0 && alice.mailboxes.status()[0]?.waiting === 0)
  })
})
