/**
 * Sessions that heal (docs/PROTOCOL.md §3.12), between real libp2p nodes: Bob's home is restored
 * from a copy taken 50 messages earlier (its database: sessions, chains, seen ids, outbox, all
 * older). The conversation continues both ways on its own: Bob cannot open Alice's envelopes and
 * asks for a new session, Alice starts one and seals again what Bob never acknowledged, every such
 * message arrives exactly once and in chain order, and both sides say the session was restarted.
 */
import assert from 'node:assert/strict'
import { copyFile, rm } from 'node:fs/promises'
import { after, describe, it } from 'node:test'
import { eventually, type Event, signal, TestNet, texts } from './helpers.ts'

const net = new TestNet()
after(() => net.close())

const send = (wait = false) => ({ wait, timeoutMs: 20_000, signal: signal() })

const restarts = (events: Event[]) =>
  events.filter(e => e.method === 'session.restarted').map(e => e.params as { peerId: string; by: string })

function once(all: string[], wanted: string[]): void {
  for (const text of wanted)
    assert.equal(all.filter(t => t === text).length, 1, `"${text}" arrived ${all.filter(t => t === text).length} times`)
}

describe('a peer that lost its session state', () => {
  it('restored from a copy 50 messages old: the conversation continues both ways, what was not acked arrives once, both sides show the restart', async () => {
    const alice = await net.peer('alice-heal')
    const bob = await net.peer('bob-heal')
    const aliceId = alice.identity.peerId.toString()
    const bobId = bob.identity.peerId.toString()
    await alice.messenger.send('bob-heal', { text: 'hello' }, send(true))
    await bob.messenger.send(aliceId, { text: 'hi' }, send(true))

    // the backup: Bob's database as it is now
    await net.stop(bob)
    const backup = `${bob.dbPath}.backup`
    await copyFile(bob.dbPath, backup)
    await net.start(bob)

    // 50 messages after the backup, both ways, each delivered (each turn ratchets the session on)
    for (let i = 0; i < 25; i++) {
      await alice.messenger.send(bobId, { text: `a${i}` }, send(true))
      await bob.messenger.send(aliceId, { text: `b${i}` }, send(true))
    }

    // Bob's home goes back to the backup; meanwhile Alice writes
    await net.stop(bob)
    for (const suffix of ['', '-wal', '-shm']) await rm(`${bob.dbPath}${suffix}`, { force: true })
    await copyFile(backup, bob.dbPath)
    const unacked = ['while you were away 1', 'while you were away 2', 'while you were away 3']
    for (const text of unacked) assert.equal((await alice.messenger.send(bobId, { text }, send())).status, 'queued')
    await net.start(bob)

    // Bob could not open them, asked; Alice started over and sealed them again: each arrives once
    await eventually(
      async () => unacked.every(t => bob.store.messages.history(aliceId, { limit: 1000 }).some(m => m.text === t)),
      30_000
    )
    await eventually(async () => alice.store.outbox.forPeer(bobId).length === 0)
    const atBob = await texts(bob, aliceId)
    once(atBob, unacked)
    const received = bob.store.messages.history(aliceId, { limit: 1000 }).filter(m => unacked.includes(m.text))
    assert.ok(
      received.every(m => !m.outOfOrder),
      'the chain continues from what Bob still had'
    )

    // the conversation goes on, both ways
    await bob.messenger.send(aliceId, { text: 'back again' }, send(true))
    await alice.messenger.send(bobId, { text: 'welcome back' }, send(true))
    await bob.messenger.send(aliceId, { text: 'thanks' }, send(true))
    once(await texts(alice, bobId), ['back again', 'thanks'])
    once(await texts(bob, aliceId), ['welcome back'])
    for (const m of await alice.messenger.history(bobId, { limit: 1000 })) {
      if (m.direction === 'out') assert.equal(m.status, 'delivered', `${m.text} is ${m.status}`)
    }

    // both sides say so: an event and the contact's field
    assert.deepEqual(
      restarts(alice.events).map(r => [r.peerId, r.by]),
      [[bobId, 'peer']]
    )
    assert.ok(restarts(bob.events).some(r => r.peerId === aliceId && r.by === 'us'))
    assert.ok(alice.messenger.listContacts().find(c => c.peerId === bobId)?.sessionRestartedAt !== undefined)
    assert.ok(bob.messenger.listContacts().find(c => c.peerId === aliceId)?.sessionRestartedAt !== undefined)
  })
})

describe('prekey rotation in a running node', () => {
  it('a rotated prekey is published at once, and first messages to the new one and (late) to the old one are opened', async () => {
    let clock = Date.now()
    const bob = await net.peer('bob-rot', { messenger: { now: () => clock, prekeyCheckMs: 20 } })
    const alice = await net.peer('alice-rot')
    const bobId = bob.identity.peerId.toString()
    const first = bob.identity.prekey.id
    // Alice seals her first message to the current prekey while Bob is away
    await net.stop(bob)
    await alice.messenger.send(bobId, { text: 'sealed to the old prekey' }, send())
    clock += 7 * 24 * 3600_000
    await net.start(bob)
    await eventually(() => bob.identity.prekey.id !== first)
    assert.ok((bob.profilesPublished ?? 0) >= 1, 'the profile record is published again with the new prekey')
    await eventually(() => bob.store.messages.history(alice.identity.peerId.toString(), { limit: 10 }).length === 1)
    // a newcomer starts from the new prekey
    const carol = await net.peer('carol-rot')
    assert.equal(
      (await carol.messenger.send(bobId, { text: 'sealed to the new prekey' }, send(true))).status,
      'delivered'
    )
  })
})
