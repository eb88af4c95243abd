import assert from 'node:assert/strict'
import tcpNet from 'node:net'
import { DatabaseSync } from 'node:sqlite'
import { after, describe, it } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import { countCommits } from '../../bench/durable.ts'
import { databaseForTests } from '../../node/store/index.ts'
import { eventually, signal, TestNet, texts } from './helpers.ts'

const net = new TestNet()
after(() => net.close())

const send = (wait = false, timeoutMs = 20_000) => ({ wait, timeoutMs, signal: signal() })

describe('messenger between real libp2p nodes', () => {
  it('sends by name, the recipient stores it and acks; sender sees delivered', async () => {
    const alice = await net.peer('alice')
    const bob = await net.peer('bob')
    const r = await alice.messenger.send('bob', { text: 'Hello **Bob**' }, send(true))
    assert.equal(r.status, 'delivered')
    assert.match(r.id, /^[0-9a-f]{32}$/)

    const inbox = await bob.messenger.history(alice.identity.peerId.toString(), { limit: 10 })
    assert.equal(inbox.length, 1)
    assert.equal(inbox[0]!.text, 'Hello **Bob**')
    assert.equal(inbox[0]!.direction, 'in')
    assert.equal(inbox[0]!.from, alice.identity.peerId.toString())
    assert.equal(inbox[0]!.status, 'received')

    const outbox = await alice.messenger.history('bob', { limit: 10 })
    assert.equal(outbox[0]!.status, 'delivered')
    assert.ok(outbox[0]!.deliveredAt! >= outbox[0]!.sentAt)

    // alice was a stranger to bob: the message is a request
    const contact = bob.messenger.listContacts().find(c => c.peerId === alice.identity.peerId.toString())
    assert.equal(contact?.state, 'request')
    assert.equal(contact?.name, undefined)
    assert.equal(contact?.announcedName, 'alice')
    assert.equal(contact?.unread, 1)
    assert.ok(bob.events.some(e => e.method === 'contact.request'))
    assert.ok(bob.events.some(e => e.method === 'message.received'))
    assert.ok(
      alice.events.some(e => e.method === 'message.status' && (e.params as { status: string }).status === 'delivered')
    )

    // bob replies (which accepts the request); both directions use the one session
    await bob.messenger.send(alice.identity.peerId.toString(), { text: 'Hi Alice' }, send(true))
    assert.equal(
      bob.messenger.listContacts().find(c => c.peerId === alice.identity.peerId.toString())?.state,
      'contact'
    )
    assert.deepEqual(await texts(alice, 'bob'), ['Hello **Bob**', 'Hi Alice'])
    for (let i = 0; i < 5; i++) {
      await alice.messenger.send('bob', { text: `a${i}` }, send())
      await bob.messenger.send(alice.identity.peerId.toString(), { text: `b${i}` }, send())
    }
    await eventually(async () => (await texts(alice, 'bob')).length === 12)
    await eventually(async () => (await texts(bob, alice.identity.peerId.toString())).length === 12)
    const aliceView = (await texts(alice, 'bob')).filter(t => t.startsWith('a'))
    assert.deepEqual(aliceView, ['a0', 'a1', 'a2', 'a3', 'a4'])
    const bobView = (await texts(bob, alice.identity.peerId.toString())).filter(t => /^a\d$/.test(t))
    assert.deepEqual(bobView, ['a0', 'a1', 'a2', 'a3', 'a4'])
    // a code snippet
    await alice.messenger.send(
      'bob',
      { snippet: { language: 'ts', path: 'src/a.ts', startLine: 3, endLine: 4, text: 'const x = 1\nconst y = 2' } },
      send(true)
    )
    const last = (await bob.messenger.history(alice.identity.peerId.toString(), { limit: 1 }))[0]!
    assert.deepEqual(last.snippet, {
      language: 'ts',
      path: 'src/a.ts',
      startLine: 3,
      endLine: 4,
      text: 'const x = 1\nconst y = 2'
    })
  })
})

describe('durability', () => {
  it('queues for an offline recipient and delivers once it is back, in order', async () => {
    const alice = await net.peer('alice2')
    const bob = await net.peer('bob2')
    await alice.messenger.send('bob2', { text: 'first' }, send(true))
    await net.stop(bob)
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      const r = await alice.messenger.send('bob2', { text: `offline ${i}` }, send())
      assert.equal(r.status, 'queued')
      ids.push(r.id)
    }
    await assert.rejects(alice.messenger.send('bob2', { text: 'offline 5' }, send(true, 300)), { name: 'TimeoutError' })
    await net.start(bob)
    const expected = ['first', 'offline 0', 'offline 1', 'offline 2', 'offline 3', 'offline 4', 'offline 5']
    await eventually(async () => (await texts(bob, alice.identity.peerId.toString())).length === expected.length)
    assert.deepEqual(await texts(bob, alice.identity.peerId.toString()), expected)
    await eventually(async () =>
      (await alice.messenger.history('bob2', { limit: 10 })).every(m => m.status === 'delivered')
    )
    // every received message is in the sender's hash chain order
    const rows = bob.store.messages.history(alice.identity.peerId.toString(), { limit: 10 })
    assert.deepEqual(
      rows.map(r => r.seq),
      [1, 2, 3, 4, 5, 6, 7]
    )
    assert.ok(rows.every(r => !r.outOfOrder))
  })

  it('restarting either side loses nothing and delivers nothing twice', async () => {
    const alice = await net.peer('alice3')
    const bob = await net.peer('bob3')
    const bobId = bob.identity.peerId.toString()
    const aliceId = alice.identity.peerId.toString()
    await alice.messenger.send('bob3', { text: 'm0' }, send(true))
    await bob.messenger.send(aliceId, { text: 'r0' }, send(true))
    // bob goes away; alice queues, then alice restarts too (outbox only in SQLite)
    await net.stop(bob)
    for (let i = 1; i <= 3; i++) await alice.messenger.send('bob3', { text: `m${i}` }, send())
    await net.stop(alice)
    await net.start(alice)
    assert.equal(alice.store.outbox.forPeer(bobId).length, 3)
    await net.start(bob)
    await eventually(async () => (await texts(bob, aliceId)).length === 5)
    // both restarted with their stored sessions: the conversation continues both ways
    await bob.messenger.send(aliceId, { text: 'r1' }, send(true))
    await alice.messenger.send('bob3', { text: 'm4' }, send(true))
    assert.deepEqual(await texts(bob, aliceId), ['m0', 'r0', 'm1', 'm2', 'm3', 'r1', 'm4'])
    assert.deepEqual(await texts(alice, 'bob3'), ['m0', 'r0', 'm1', 'm2', 'm3', 'r1', 'm4'])
    assert.equal(alice.store.outbox.forPeer(bobId).length, 0)
  })

  it('a duplicate envelope is acked again and stored once; a replay of another id is refused', async () => {
    const alice = await net.peer('alice4')
    const bob = await net.peer('bob4')
    const aliceId = alice.identity.peerId.toString()
    const r = await alice.messenger.send('bob4', { text: 'once' }, send())
    const envelope = alice.store.outbox.get(r.id)!.envelope
    await eventually(() => alice.store.outbox.get(r.id) === undefined)
    const ack1 = await bob.messenger.receive(envelope, aliceId)
    const ack2 = await bob.messenger.receive(envelope, aliceId)
    assert.ok(ack1.length > 0 && ack2.length > 0)
    assert.deepEqual(await texts(bob, aliceId), ['once'])
    // from another connection's peer: refused
    await assert.rejects(bob.messenger.receive(envelope, bob.identity.peerId.toString()), { name: 'BlockedError' })
    // tampered bytes: the signature no longer verifies
    const tampered = new Uint8Array(envelope)
    tampered[tampered.length - 70]! ^= 1
    await assert.rejects(bob.messenger.receive(tampered, aliceId), { name: 'InvalidSignatureError' })
    // an envelope for someone else
    const carol = await net.peer('carol4')
    await assert.rejects(carol.messenger.receive(envelope, aliceId), { name: 'WrongRecipientError' })
  })
})

describe('group commit of concurrent sends', () => {
  it('concurrent sends to one peer share commits, keep call order and a consecutive chain, arrive once in order', async () => {
    const alice = await net.peer('alice-gc')
    const bob = await net.peer('bob-gc')
    const bobId = bob.identity.peerId.toString()
    const aliceId = alice.identity.peerId.toString()
    await alice.messenger.send('bob-gc', { text: 'first' }, send(true))
    const commits = countCommits()
    const n = 40
    const aborted = new AbortController()
    aborted.abort(new Error('the caller gave up'))
    const before = commits()
    // all issued in one tick; #7 is given up before it is sealed: it alone fails, the chain goes on
    const results = await Promise.allSettled(
      Array.from({ length: n }, async (_, i) => {
        const options = i === 7 ? { wait: false, timeoutMs: 20_000, signal: aborted.signal } : send()
        const r = await alice.messenger.send(bobId, { text: `gc ${i}` }, options)
        // answered only after its commit: it is in the store when the caller hears 'queued'
        assert.equal(alice.store.messages.get(r.id)?.text, `gc ${i}`)
        return r
      })
    )
    const used = commits() - before
    assert.equal(results[7]!.status, 'rejected')
    const sent = results.flatMap((r, i) => (i === 7 ? [] : [r]))
    assert.ok(sent.every(r => r.status === 'fulfilled' && r.value.status === 'queued'))
    // one transaction per turn, not per message (without group commit: one per message, n - 1)
    assert.ok(used < (n - 1) / 2, `${used} commits for ${n - 1} messages`)

    const expected = ['first', ...Array.from({ length: n }, (_, i) => `gc ${i}`).filter(t => t !== 'gc 7')]
    // stored in call order with consecutive seqs and an intact hash chain
    const rows = alice.store.messages.history(bobId, { limit: 1000 }).sort((a, b) => a.seq - b.seq)
    assert.deepEqual(
      rows.map(r => r.text),
      expected
    )
    assert.deepEqual(
      rows.map(r => r.seq),
      expected.map((_, i) => i + 1)
    )
    // delivered exactly once, in order, each envelope linked to the one before (no out-of-order flag)
    await eventually(async () => (await texts(bob, aliceId)).length >= expected.length)
    await eventually(() => alice.store.outbox.forPeer(bobId).length === 0)
    assert.deepEqual(await texts(bob, aliceId), expected)
    const received = bob.store.messages.history(aliceId, { limit: 1000 })
    assert.deepEqual(
      received.map(r => r.seq),
      expected.map((_, i) => i + 1)
    )
    assert.ok(received.every(r => !r.outOfOrder))
    assert.deepEqual(
      received.map(r => Buffer.from(r.prevHash).toString('hex')),
      rows.map(r => Buffer.from(r.prevHash).toString('hex'))
    )
    // the conversation goes on from the stored state
    await alice.messenger.send(bobId, { text: 'after' }, send(true))
    assert.deepEqual((await texts(bob, aliceId)).at(-1), 'after')
  })
})

describe('contacts', () => {
  it('blocked peers are refused; unblock lets the queue through', async () => {
    const alice = await net.peer('alice5')
    const bob = await net.peer('bob5')
    const aliceId = alice.identity.peerId.toString()
    await alice.messenger.send('bob5', { text: 'hello' }, send(true))
    await bob.messenger.blockContact(aliceId, { signal: signal() })
    await assert.rejects(alice.messenger.send('bob5', { text: 'spam' }, send(true, 1500)), { name: 'TimeoutError' })
    assert.deepEqual(await texts(bob, aliceId), ['hello'])
    await assert.rejects(bob.messenger.send(aliceId, { text: 'x' }, send()), { name: 'BlockedError' })
    const stored = alice.store.outbox.forPeer(bob.identity.peerId.toString())
    assert.equal(stored.length, 1)
    assert.match(stored[0]!.lastError ?? '', /.+/)
    await bob.messenger.unblockContact(aliceId, { signal: signal() })
    await alice.messenger.retry(stored[0]!.messageId)
    await eventually(async () => (await texts(bob, aliceId)).length === 2)
  })

  it('requests: accept, decline (acked, not kept); unknown targets by name', async () => {
    const alice = await net.peer('alice6')
    const bob = await net.peer('bob6')
    const carol = await net.peer('carol6')
    const aliceId = alice.identity.peerId.toString()
    const carolId = carol.identity.peerId.toString()
    await alice.messenger.send(bob.identity.peerId.toString(), { text: 'hi from alice' }, send(true))
    await carol.messenger.send('bob6', { text: 'hi from carol' }, send(true))
    assert.deepEqual(
      bob.messenger
        .listContacts()
        .map(c => c.state)
        .sort(),
      ['request', 'request']
    )
    assert.equal((await bob.messenger.acceptContact(aliceId, { signal: signal() })).state, 'contact')
    assert.equal((await bob.messenger.declineContact(carolId, { signal: signal() })).state, 'declined')
    await carol.messenger.send('bob6', { text: 'please?' }, send(true))
    assert.deepEqual(await texts(bob, carolId), ['hi from carol'])
    await assert.rejects(bob.messenger.acceptContact('nobody', { signal: signal() }), {
      name: 'NameNotFoundError'
    })
    await assert.rejects(bob.messenger.send('nobody', { text: 'x' }, send()), { name: 'NameNotFoundError' })
    await assert.rejects(bob.messenger.history('nobody', { limit: 1 }), { name: 'NameNotFoundError' })
    const stranger = (await net.peer('stranger6', { register: false })).identity.peerId.toString()
    await assert.rejects(bob.messenger.history(stranger, { limit: 1 }), { name: 'ContactNotFoundError' })
    // a request is found by the name its sender really holds (through the DHT), not by what it announces
    assert.deepEqual(
      (await bob.messenger.history('alice6', { limit: 10 })).map(m => m.text),
      ['hi from alice']
    )
    assert.equal(bob.messenger.listContacts().find(c => c.peerId === aliceId)?.name, 'alice6')
    assert.equal((await bob.messenger.verifyContact(aliceId, { signal: signal() })).verified, true)
  })

  it('a name a stranger announces never addresses it', async () => {
    const alice = await net.peer('alice14')
    const bob = await net.peer('bob14')
    const mallory = await net.peer('mallory14')
    mallory.claims = 'alice14'
    await mallory.messenger.send('bob14', { text: 'it is me, alice' }, send(true))
    const request = bob.messenger.listContacts().find(c => c.peerId === mallory.identity.peerId.toString())!
    assert.equal(request.announcedName, 'alice14')
    assert.equal(request.name, undefined)
    await bob.messenger.send('alice14', { text: 'to the real alice' }, send(true))
    assert.deepEqual(await texts(alice, bob.identity.peerId.toString()), ['to the real alice'])
    assert.deepEqual(await texts(mallory, bob.identity.peerId.toString()), ['it is me, alice'])
    assert.equal(bob.store.pins.get('alice14')?.peerId, alice.identity.peerId.toString())
  })

  it('an invite link makes the first message a contact, once', async () => {
    const alice = await net.peer('alice7', { register: false })
    const bob = await net.peer('bob7', { register: false })
    const mallory = await net.peer('mallory7', { register: false })
    const link = await alice.messenger.invite()
    assert.match(link, /^parley:\/\/invite\?peer=12D3KooW.+&addr=.+&secret=[A-Za-z0-9_-]+$/)
    const contact = await bob.messenger.addContact(link, { signal: signal() })
    assert.equal(contact.peerId, alice.identity.peerId.toString())
    await bob.messenger.send(alice.identity.peerId.toString(), { text: 'invited' }, send(true))
    const seen = alice.messenger.listContacts().find(c => c.peerId === bob.identity.peerId.toString())
    assert.equal(seen?.state, 'contact')
    assert.ok(!alice.events.some(e => e.method === 'contact.request'))
    // the same link again, by someone else: a request
    await mallory.messenger.addContact(link, { signal: signal() })
    await mallory.messenger.send(alice.identity.peerId.toString(), { text: 'me too' }, send(true))
    assert.equal(
      alice.messenger.listContacts().find(c => c.peerId === mallory.identity.peerId.toString())?.state,
      'request'
    )
    await assert.rejects(bob.messenger.addContact('parley://invite?peer=nope&secret=abc', { signal: signal() }), {
      name: 'InvalidInviteError'
    })
    await assert.rejects(alice.messenger.addContact(link, { signal: signal() }), { name: 'InvalidInviteError' })
  })

  it('a key change behind a pinned name stops sending until accepted', async () => {
    const alice = await net.peer('alice8')
    const bob = await net.peer('bob8')
    await alice.messenger.send('bob8', { text: 'before' }, send(true))
    const bobNew = await net.peer('bob8-new', { register: false })
    net.dht.names.set('bob8', bobNew.identity.peerId)
    await assert.rejects(alice.messenger.addContact('bob8-unknown', { signal: signal() }), {
      name: 'NameNotFoundError'
    })
    // the periodic re-resolution notices the new key behind the pinned name
    await eventually(() => alice.messenger.listContacts().find(c => c.name === 'bob8')?.keyChanged)
    assert.ok(alice.events.some(e => e.method === 'contact.changed'))
    await assert.rejects(alice.messenger.send('bob8', { text: 'after' }, send()), { name: 'KeyChangedError' })
    assert.equal(
      alice.messenger.listContacts().find(c => c.peerId === bob.identity.peerId.toString())?.keyChanged,
      true
    )
    await assert.rejects(alice.messenger.send(bob.identity.peerId.toString(), { text: 'x' }, send()), {
      name: 'KeyChangedError'
    })
    const accepted = await alice.messenger.acceptKey('bob8', { signal: signal() })
    assert.equal(accepted.peerId, bobNew.identity.peerId.toString())
    assert.equal(alice.store.pins.get('bob8')?.peerId, bobNew.identity.peerId.toString())
    await alice.messenger.send('bob8', { text: 'to the new key' }, send(true))
    assert.deepEqual(await texts(bobNew, alice.identity.peerId.toString()), ['to the new key'])
  })
})

describe('presence and receipts', () => {
  it('pushes presence changes and sends read receipts only when enabled', async () => {
    const alice = await net.peer('alice9')
    const bob = await net.peer('bob9')
    const aliceId = alice.identity.peerId.toString()
    const bobId = bob.identity.peerId.toString()
    const first = await alice.messenger.send('bob9', { text: 'read me' }, send(true))
    await bob.messenger.acceptContact(aliceId, { signal: signal() })
    assert.equal(bob.messenger.settings().readReceipts, false)
    await bob.messenger.markRead(aliceId)
    assert.equal(bob.messenger.listContacts().find(c => c.peerId === aliceId)?.unread, 0)
    assert.equal(bob.store.outbox.forPeer(aliceId).length, 0)

    const second = await alice.messenger.send('bob9', { text: 'and me' }, send(true))
    assert.deepEqual(bob.messenger.settings({ readReceipts: true }), { readReceipts: true, failAfterHours: 168 })
    await bob.messenger.markRead(aliceId)
    await eventually(() => alice.store.messages.get(second.id)?.status === 'read')
    assert.equal(alice.store.messages.get(first.id)?.status, 'delivered')
    assert.ok(
      alice.events.some(e => e.method === 'message.status' && (e.params as { status: string }).status === 'read')
    )

    const online = alice.events.find(
      e => e.method === 'presence.changed' && (e.params as { peerId: string }).peerId === bobId
    )
    assert.ok(online === undefined || (online.params as { presence: string }).presence === 'online')
    await eventually(() => alice.messenger.listContacts().find(c => c.peerId === bobId)?.presence === 'online')
    await net.stop(bob)
    await eventually(() =>
      alice.events.some(
        e =>
          e.method === 'presence.changed' &&
          (e.params as { peerId: string; presence: string }).peerId === bobId &&
          (e.params as { presence: string }).presence === 'offline'
      )
    )
    const view = alice.messenger.listContacts().find(c => c.peerId === bobId)!
    assert.equal(view.presence, 'offline')
    assert.ok(view.lastSeen !== undefined)
    await net.start(bob)
    await eventually(() => alice.messenger.listContacts().find(c => c.peerId === bobId)?.presence === 'online')
  })
})

describe('sessions', () => {
  it('both sides starting a session at once converge on one and lose nothing', async () => {
    const alice = await net.peer('alice10')
    const bob = await net.peer('bob10')
    const aliceId = alice.identity.peerId.toString()
    await Promise.all([
      alice.messenger.send('bob10', { text: 'a1' }, send()),
      bob.messenger.send('alice10', { text: 'b1' }, send())
    ])
    for (let i = 2; i <= 4; i++) {
      await Promise.all([
        alice.messenger.send('bob10', { text: `a${i}` }, send()),
        bob.messenger.send('alice10', { text: `b${i}` }, send())
      ])
    }
    await eventually(async () => (await texts(bob, aliceId)).length === 8)
    await eventually(async () => (await texts(alice, 'bob10')).length === 8)
    const received = (await texts(bob, aliceId)).filter(t => t.startsWith('a'))
    assert.deepEqual(received, ['a1', 'a2', 'a3', 'a4'])
    // both now send with the same session
    await eventually(() => {
      const a = alice.store.sessions.current(bob.identity.peerId.toString())!.handshakeId
      const b = bob.store.sessions.current(aliceId)!.handshakeId
      return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0
    })
  })

  it('a message to a peer without a profile yet is sealed and delivered once the profile appears', async () => {
    const alice = await net.peer('alice11')
    const bob = await net.peer('bob11')
    const bobId = bob.identity.peerId.toString()
    net.dht.peers.delete(bobId)
    await alice.libp2p.peerStore.merge(bob.identity.peerId, { multiaddrs: bob.lastAddresses })
    const r1 = await alice.messenger.send(bobId, { text: 'early 1' }, send())
    const r2 = await alice.messenger.send(bobId, { text: 'early 2' }, send())
    assert.equal(r1.status, 'queued')
    assert.equal(alice.store.outbox.get(r2.id)!.envelope.length, 0)
    net.dht.peers.set(bobId, bob)
    await eventually(async () => (await texts(bob, alice.identity.peerId.toString())).length === 2, 10_000)
    assert.deepEqual(await texts(bob, alice.identity.peerId.toString()), ['early 1', 'early 2'])
  })

  it('pages history backwards with before', async () => {
    const alice = await net.peer('alice12')
    await net.peer('bob12')
    for (let i = 0; i < 5; i++) {
      await alice.messenger.send('bob12', { text: `p${i}` }, send())
      await new Promise(resolve => setTimeout(resolve, 5))
    }
    const newest = await alice.messenger.history('bob12', { limit: 2 })
    assert.deepEqual(
      newest.map(m => m.text),
      ['p3', 'p4']
    )
    const older = await alice.messenger.history('bob12', { limit: 10, before: newest[0]!.storedAt })
    assert.deepEqual(
      older.map(m => m.text),
      ['p0', 'p1', 'p2']
    )
  })
})

describe('retry triggers', () => {
  it('a recipient back at new addresses gets the queue at once, long before the next retry', async () => {
    // the next retry would be 10 minutes away: only the triggers can explain a quick delivery
    const slow = { retryMinMs: 600_000, retryMaxMs: 600_000 }
    const alice = await net.peer('alice15', { messenger: slow })
    const bob = await net.peer('bob15')
    await alice.messenger.send('bob15', { text: 'hello' }, send(true))
    await net.stop(bob)
    await alice.messenger.send('bob15', { text: 'while away' }, send())
    await eventually(() => (alice.store.outbox.forPeer(bob.identity.peerId.toString())[0]?.attempts ?? 0) > 0)
    // bob comes back on a new port; it has alice only as a request, so it does not dial her:
    // alice finds the new address in bob's refreshed profile (peer:update) and delivers
    await net.start(bob)
    await eventually(async () => (await texts(bob, alice.identity.peerId.toString())).length === 2, 15_000)
    // and a plain reconnection (peer:connect) also delivers at once
    await net.stop(bob)
    await alice.messenger.send('bob15', { text: 'again' }, send())
    await eventually(() => (alice.store.outbox.forPeer(bob.identity.peerId.toString())[0]?.attempts ?? 0) > 0)
    await net.start(bob)
    await bob.libp2p.dial(alice.libp2p.getMultiaddrs()[0]!)
    await eventually(async () => (await texts(bob, alice.identity.peerId.toString())).length === 3, 15_000)
  })
})

describe('retry triggers', () => {
  it('a message queued during a failing attempt waits with the queue (no spin until the retry)', {
    timeout: 120_000
  }, async t => {
    // an address that accepts TCP and never answers: the attempt hangs until its dial timeout, so
    // the second message is queued while it is in flight
    const sockets = new Set<tcpNet.Socket>()
    const blackHole = tcpNet.createServer(socket => sockets.add(socket.on('error', () => {})))
    await new Promise<void>(resolve => blackHole.listen(0, '127.0.0.1', resolve))
    t.after(() => {
      for (const s of sockets) s.destroy()
      blackHole.close()
    })
    const { port } = blackHole.address() as tcpNet.AddressInfo
    // the next retry is 10 minutes away; before the fix, the queue behind the failed attempt kept
    // the peer "due" while the failed entries were not, and the outbox spun on the event loop
    // (starving every socket, this test's timeout included) until that retry
    const slow = { retryMinMs: 600_000, retryMaxMs: 600_000 }
    const alice = await net.peer('alice16', { messenger: slow })
    const bob = await net.peer('bob16')
    const bobId = bob.identity.peerId.toString()
    await alice.messenger.send('bob16', { text: 'hello' }, send(true))
    await net.stop(bob)
    await alice.libp2p.hangUp(bob.identity.peerId).catch(() => {})
    await alice.libp2p.peerStore.merge(bob.identity.peerId, {
      multiaddrs: [multiaddr(`/ip4/127.0.0.1/tcp/${port}`)]
    })
    await alice.messenger.send('bob16', { text: 'first' }, send())
    await eventually(() => sockets.size > 0) // the attempt is in flight
    await alice.messenger.send('bob16', { text: 'second' }, send())
    await eventually(() => (alice.store.outbox.forPeer(bobId)[0]?.attempts ?? 0) > 0, 60_000)
    // the event loop is free: more messages queue at once, and the whole queue waits for the retry
    await alice.messenger.send('bob16', { text: 'third' }, send())
    await eventually(() => alice.store.outbox.forPeer(bobId).every(e => e.attempts > 0), 60_000)
    const queue = alice.store.outbox.forPeer(bobId)
    assert.equal(queue.length, 3)
    const [due] = alice.store.outbox.peers().filter(p => p.peerId === bobId)
    assert.ok(due !== undefined && due.nextAttempt > Date.now(), 'nothing of the queue is left due')
  })
})

describe('rejections on receipt', () => {
  it('a replayed first message is a replay even past id deduplication; an envelope without a session is refused', async () => {
    const alice = await net.peer('alice13')
    const bob = await net.peer('bob13')
    const aliceId = alice.identity.peerId.toString()
    const first = await alice.messenger.send('bob13', { text: 'one' }, send())
    const firstEnvelope = alice.store.outbox.get(first.id)!.envelope
    await eventually(() => alice.store.outbox.get(first.id) === undefined)
    await bob.messenger.send(aliceId, { text: 'reply' }, send(true))
    // without the seen-id check, the X3DH start names a known handshake: the ratchet refuses it
    databaseForTests(bob.store).exec('DELETE FROM seen_envelopes')
    await assert.rejects(bob.messenger.receive(firstEnvelope, aliceId), { name: 'ReplayError' })

    await net.stop(bob)
    const later = await alice.messenger.send('bob13', { text: 'after the reply' }, send())
    const laterEnvelope = alice.store.outbox.get(later.id)!.envelope
    // bob comes back having lost its sessions (an old backup): alice's envelope starts none
    const db = new DatabaseSync(bob.dbPath)
    db.exec('DELETE FROM sessions')
    db.close()
    await net.start(bob)
    await assert.rejects(bob.messenger.receive(laterEnvelope, aliceId), { name: 'MissingSessionInitError' })
    assert.deepEqual(await texts(bob, aliceId), ['one', 'reply'])
  })
})
