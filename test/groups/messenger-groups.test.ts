/**
 * Groups through real messengers (test/messaging/helpers.ts: libp2p on 127.0.0.1, SQLite files):
 * the frames travel as pairwise envelopes through the outbox and the inbox; an offline member gets
 * what it missed when it is back; a removed member receives nothing more; co-members who are not
 * contacts are no contact requests.
 */
import assert from 'node:assert/strict'
import { after, test } from 'node:test'
import { GroupFrame } from '../../node/groups/pb/group.js'
import { eventually, signal, TestNet } from '../messaging/helpers.ts'

const net = new TestNet()
after(async () => await net.close())

test('a group of 3 real messengers: create, send, an offline member catches up, remove', {
  timeout: 240_000
}, async () => {
  const alice = await net.peer('alice')
  const bob = await net.peer('bob')
  const carol = await net.peer('carol')
  const group = await alice.messenger.groups.create(
    'team',
    [bob.identity.peerId.toString(), carol.identity.peerId.toString()],
    {
      signal: signal()
    }
  )
  await eventually(() => bob.messenger.groups.list().length === 1 && carol.messenger.groups.list().length === 1)
  await alice.messenger.send(group.id, { text: 'hello team' }, { wait: false, timeoutMs: 1000, signal: signal() })
  await eventually(async () => (await bob.messenger.history('#team', { limit: 10 })).length === 1)
  await eventually(async () => (await carol.messenger.history('#team', { limit: 10 })).length === 1)
  const seen = await carol.messenger.history('#team', { limit: 10 })
  assert.equal(seen[0]!.from, alice.identity.peerId.toString())
  assert.equal(seen[0]!.text, 'hello team')
  // bob and carol are not contacts: no requests from group frames
  assert.deepEqual(
    bob.messenger.listContacts().filter(c => c.peerId === carol.identity.peerId.toString()),
    []
  )
  // carol goes offline; bob writes twice; carol is back and has both, in order
  await net.stop(carol)
  await bob.messenger.send('#team', { text: 'b1' }, { wait: false, timeoutMs: 1000, signal: signal() })
  await bob.messenger.send('#team', { text: 'b2' }, { wait: false, timeoutMs: 1000, signal: signal() })
  await eventually(async () => (await alice.messenger.history('#team', { limit: 10 })).length === 3)
  await net.start(carol)
  await eventually(async () => (await carol.messenger.history('#team', { limit: 10 })).length === 3, 60_000)
  assert.deepEqual(
    (await carol.messenger.history('#team', { limit: 10 })).map(m => m.text),
    (await alice.messenger.history('#team', { limit: 10 })).map(m => m.text)
  )
  // alice removes carol: carol learns it, and gets nothing sent after
  await alice.messenger.groups.remove(group.id, carol.identity.peerId.toString())
  await eventually(() => carol.messenger.groups.list()[0]?.left === true)
  await eventually(() => bob.messenger.groups.list()[0]?.members.length === 2)
  await bob.messenger.send('#team', { text: 'after carol' }, { wait: true, timeoutMs: 60_000, signal: signal() })
  await eventually(async () => (await alice.messenger.history('#team', { limit: 10 })).length === 4)
  assert.equal((await carol.messenger.history('#team', { limit: 10 })).length, 3)
  assert.ok(bob.events.some(e => e.method === 'group.message'))
  assert.ok(carol.events.some(e => e.method === 'group.changed'))
})

test('one group message to 8 members is one outbox commit, sender keys before the message for each', {
  timeout: 240_000
}, async () => {
  const alice = await net.peer('fan-alice')
  const members: Awaited<ReturnType<typeof net.peer>>[] = []
  for (let i = 0; i < 8; i++) members.push(await net.peer(`fan-m${i}`))
  const ids = members.map(m => m.identity.peerId.toString())
  const group = await alice.messenger.groups.create('fan-out', ids, { signal: signal() })
  await eventually(() => members.every(m => m.messenger.groups.list().length === 1), 60_000)
  // the members are offline; the sender's transactions are counted (other peers of this file may commit too)
  for (const m of members) await net.stop(m)
  let used = 0
  let depth = 0
  const transaction = alice.store.transaction
  alice.store.transaction = ((fn: () => unknown, options?: { durable?: boolean }) => {
    used++
    depth++
    try {
      return transaction(fn, options)
    } finally {
      depth--
    }
  }) as typeof transaction
  // delivery to each member is rescheduled to now: all in one transaction, not a commit per member
  const reschedule = alice.store.outbox.reschedule
  const outside: string[] = []
  alice.store.outbox.reschedule = (peerId, at) => {
    if (depth === 0) outside.push(peerId)
    reschedule(peerId, at)
  }
  // the transaction (by its number) each new outbox entry is written in; 0 outside any
  const addedIn: number[] = []
  const add = alice.store.outbox.add
  alice.store.outbox.add = (...args: Parameters<typeof add>) => {
    addedIn.push(depth > 0 ? used : 0)
    return add.apply(alice.store.outbox, args)
  }
  const sent = await alice.messenger.send(
    group.id,
    { text: 'to all' },
    { wait: false, timeoutMs: 1000, signal: signal() }
  )
  alice.store.transaction = transaction
  alice.store.outbox.reschedule = reschedule
  alice.store.outbox.add = add
  assert.deepEqual(outside, [])
  // ONE transaction writes the 16 pairwise entries (8 sender keys, 8 messages); counting every
  // commit of the sender instead failed under load (background reschedules of offline members)
  assert.equal(addedIn.length, 16, `${addedIn.length} outbox entries for one group message to 8 members`)
  assert.equal(new Set(addedIn).size, 1, `the entries were written in transactions ${addedIn.join(',')}`)
  assert.ok(addedIn[0]! > 0, 'the entries were written inside a transaction')
  for (const peerId of ids) {
    const entries = alice.store.outbox.forPeer(peerId)
    const kinds = entries.map(e => {
      const frame = GroupFrame.decode(alice.store.groups.outgoingFrame(e.messageId)!)
      return frame.senderKey != null ? 'senderKey' : frame.message != null ? 'message' : 'events'
    })
    assert.deepEqual(kinds.slice(-2), ['senderKey', 'message'], `entries to ${peerId}`)
    assert.equal(alice.store.groups.outgoingMessage(entries.at(-1)!.messageId), sent.id)
    assert.ok(
      entries.every(e => e.envelope.length > 0),
      'sealed at once'
    )
    // consecutive seqs on the pairwise chain
    assert.equal(entries.at(-1)!.seq, entries.at(-2)!.seq + 1)
  }
  assert.equal(sent.status, 'queued')
})

test('group read receipts: only where the setting allows, to the sender only; the sender counts "read by"', {
  timeout: 240_000
}, async () => {
  const alice = await net.peer('rr-alice')
  const bob = await net.peer('rr-bob')
  const carol = await net.peer('rr-carol')
  const aliceId = alice.identity.peerId.toString()
  const opts = { wait: true, timeoutMs: 60_000, signal: signal() }
  // bob and carol are alice's contacts (a reply accepts the request), with sessions both ways
  for (const p of [bob, carol]) {
    await alice.messenger.send(p.identity.peerId.toString(), { text: 'hi' }, opts)
    await p.messenger.send(aliceId, { text: 'hi alice' }, opts)
  }
  bob.messenger.settings({ readReceipts: true })
  const group = await alice.messenger.groups.create(
    'rr',
    [bob.identity.peerId.toString(), carol.identity.peerId.toString()],
    { signal: signal() }
  )
  await eventually(() => bob.messenger.groups.list().length === 1 && carol.messenger.groups.list().length === 1)
  const sent = await alice.messenger.send(group.id, { text: 'read me' }, opts)
  await bob.messenger.send('#rr', { text: 'from bob' }, opts)
  await eventually(async () => (await carol.messenger.history('#rr', { limit: 10 })).length === 2)
  await eventually(async () => (await bob.messenger.history('#rr', { limit: 10 })).length === 2)
  const readBy = () => alice.messenger.groups.messageView(sent.id)?.readBy
  assert.equal(readBy(), 0)
  // carol has read receipts off (the default): she sends none, to anyone
  await carol.messenger.markRead('#rr')
  assert.ok(carol.store.outbox.forPeer(aliceId).every(e => e.kind !== 'receipt'))
  assert.ok(carol.store.outbox.forPeer(bob.identity.peerId.toString()).every(e => e.kind !== 'receipt'))
  // bob's receipt goes to alice, the message's sender
  await bob.messenger.markRead('#rr')
  await eventually(() => readBy() === 1)
  const status = alice.events.find(
    e =>
      e.method === 'message.status' &&
      (e.params as { id: string }).id === sent.id &&
      (e.params as { readBy?: number }).readBy === 1
  )
  assert.equal((status!.params as { peerId: string }).peerId, group.id)
  // bob's own message was read by nobody that allows it
  assert.equal(
    bob.messenger.groups.messageView(
      (await bob.messenger.history('#rr', { limit: 10 })).find(m => m.text === 'from bob')!.id
    )?.readBy,
    0
  )
})
