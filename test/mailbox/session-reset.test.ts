/**
 * A session reset through mailboxes (docs/PROTOCOL.md §3.12, §7.6) in real Parley nodes on
 * 127.0.0.1: bob's home is restored from an older copy and his direct path is closed, so only his
 * mailbox reaches him. He cannot open what alice deposits and asks for a new session through her
 * mailbox; alice checks the request, starts over, seals again and deposits; bob stores the message
 * once and alice sees it delivered.
 */
import assert from 'node:assert/strict'
import { copyFile, rm } from 'node:fs/promises'
import { after, describe, test } from 'node:test'
import { homePaths } from '../../node/daemon/home.ts'
import { DM_PROTOCOL } from '../../node/messaging/constants.ts'
import type { ParleyNode } from '../../node/parley-node.ts'
import { CommunityNet, eventually } from '../community/helpers.ts'
import { admit, storeOf } from './helpers.ts'

const send = (from: ParleyNode, to: string, text: string, wait = true) =>
  from.messenger.send(to, { text }, { wait, timeoutMs: 60_000, signal: AbortSignal.timeout(90_000) })

describe('a session reset through mailboxes', { timeout: 300_000 }, () => {
  const net = new CommunityNet()
  after(() => net.close())

  test('bob restored from an old copy, reachable only through his mailbox: the conversation heals', async () => {
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
    await eventually(
      () =>
        storeOf(alice).mailboxes.contactQueues(bobId).length === 1 &&
        storeOf(bob.node).mailboxes.contactQueues(aliceId).length === 1,
      60_000
    )

    // the backup: bob's database as it is now
    const database = homePaths(bob.home).database
    await net.stop(bob.node)
    const backup = `${database}.backup`
    await copyFile(database, backup)
    bob = await net.start({ bootstrap, memberMailboxes: true, home: bob.home, identity: bob.identity })
    // a few turns both ways: the session ratchets on
    for (let i = 0; i < 3; i++) {
      assert.equal((await send(alice, bobId, `a${i}`)).status, 'delivered')
      assert.equal((await send(bob.node, aliceId, `b${i}`)).status, 'delivered')
    }

    // bob's home goes back to the backup; only his mailbox reaches him
    await net.stop(bob.node)
    for (const suffix of ['', '-wal', '-shm']) await rm(`${database}${suffix}`, { force: true })
    await copyFile(backup, database)
    bob = await net.start({ bootstrap, memberMailboxes: true, home: bob.home, identity: bob.identity })
    await bob.node.libp2p.unhandle(DM_PROTOCOL)
    const sent = await send(alice, bobId, 'after the restore', false)

    // bob could not open it and asked through alice's mailbox; alice sealed it again: it arrives once
    await eventually(
      async () => (await bob.node.messenger.history(aliceId, { limit: 100 })).some(m => m.text === 'after the restore'),
      120_000
    )
    await eventually(
      async () =>
        (await alice.messenger.history(bobId, { limit: 100 })).find(m => m.id === sent.id)?.status === 'delivered',
      60_000
    )
    const texts = (await bob.node.messenger.history(aliceId, { limit: 100 })).map(m => m.text)
    assert.equal(texts.filter(t => t === 'after the restore').length, 1)
    assert.ok(alice.messenger.listContacts().find(c => c.peerId === bobId)?.sessionRestartedAt !== undefined)
  })
})
