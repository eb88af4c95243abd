/**
 * The member's side of mailboxes (docs/PROTOCOL.md §7.5–7.6) between real libp2p nodes on
 * 127.0.0.1 with real SQLite stores; the community nodes' mailboxes are in memory
 * (memory-mailboxes.ts). The lab test (test/lab/mailbox-node.faults.ts) runs the same paths through real
 * community nodes behind NATs.
 */
import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { bytesEqual } from '../../node/crypto/primitives.ts'
import { MemberMailboxes } from '../../node/mailbox/member.ts'
import { createMessenger } from '../../node/messaging/index.ts'
import type { MessageStatus } from '../../node/store/states.ts'
import { eventually, signal, type TestPeer, TestNet } from '../messaging/helpers.ts'
import { MemoryMailboxes } from './memory-mailboxes.ts'

const mailboxes = new MemoryMailboxes()
const members = new Map<TestPeer, MemberMailboxes>()

/** TestNet whose peers have mailboxes at the communities in their stores. */
class MailboxNet extends TestNet {
  override async start(peer: TestPeer): Promise<void> {
    await super.start(peer)
    // the messenger again, now with the mailbox parts (super.start built one without)
    await peer.messenger.stop()
    const member = new MemberMailboxes({
      libp2p: peer.libp2p,
      identity: peer.identity,
      store: peer.store,
      directory: { profile: async id => this.dht.profile(id) },
      calls: mailboxes,
      logger: peer.libp2p.logger
    })
    peer.messenger = createMessenger(
      {
        libp2p: peer.libp2p,
        identity: peer.identity,
        store: peer.store,
        directory: {
          ...this.dht,
          profile: async id => this.dht.profile(id),
          resolveName: async name => {
            const peerId = this.dht.names.get(name)
            if (peerId === undefined) throw new Error(`no claim for ${name}`)
            if (peer.store.pins.get(name) === undefined) peer.store.pins.set(name, peerId.toString())
            return { peerId, profile: this.dht.profile(peerId), keyChanged: false }
          },
          ownName: () => peer.name
        },
        notify: (method, params) => {
          peer.events.push({ method, params })
          member.contactsChanged()
        },
        mailbox: member.fallback,
        onMailboxQueues: member.onMailboxQueues
      },
      { retryMinMs: 100, retryMaxMs: 500, presenceIntervalMs: 500, profileRefreshMs: 200, mailboxAfterMs: 300 }
    )
    await peer.messenger.start()
    member.start(peer.messenger)
    members.set(peer, member)
  }

  override async stop(peer: TestPeer): Promise<void> {
    if (!peer.online) return
    await members.get(peer)?.stop()
    await super.stop(peer)
  }
}

const net = new MailboxNet()
after(() => net.close())

async function community(): Promise<string> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
}

function join(peer: TestPeer, ...communities: string[]): void {
  for (const c of communities) peer.store.communities.put({ peerId: c, addresses: [], joinedAt: Date.now() })
  members.get(peer)!.communitiesChanged()
}

/**
 * Alice and Bob, contacts, each holding the other's queues at every community, with nothing left in
 * either outbox: a hand-over stored on one side may still wait for its ack on the other, and would
 * then go to the mailboxes with the next messages (a deposit more than the test sent).
 */
async function pair(
  communities: string[]
): Promise<{ alice: TestPeer; bob: TestPeer; aliceId: string; bobId: string }> {
  const suffix = Math.random().toString(36).slice(2, 6)
  const alice = await net.peer(`alice${suffix}`)
  const bob = await net.peer(`bob${suffix}`)
  join(alice, ...communities)
  join(bob, ...communities)
  const aliceId = alice.identity.peerId.toString()
  const bobId = bob.identity.peerId.toString()
  await alice.messenger.send(bob.name, { text: 'hello' }, { wait: true, timeoutMs: 20_000, signal: signal() })
  await bob.messenger.acceptContact(aliceId, { signal: signal() })
  await eventually(
    () =>
      alice.store.mailboxes.contactQueues(bobId).length === communities.length &&
      bob.store.mailboxes.contactQueues(aliceId).length === communities.length,
    30_000
  )
  await eventually(
    () => alice.store.outbox.forPeer(bobId).length === 0 && bob.store.outbox.forPeer(aliceId).length === 0,
    30_000
  )
  return { alice, bob, aliceId, bobId }
}

function statuses(peer: TestPeer, target: string): Promise<MessageStatus[]> {
  return peer.messenger
    .history(target, { limit: 1000 })
    .then(ms => ms.filter(m => m.direction === 'out').map(m => m.status))
}

const send = { wait: false, timeoutMs: 20_000, signal: AbortSignal.timeout(600_000) }

describe('member mailboxes', () => {
  it('Bob offline, Alice sends 20 and goes offline, Bob comes online: all 20 in order once; then all delivered', async () => {
    const c = await community()
    const { alice, bob, aliceId, bobId } = await pair([c])
    await net.stop(bob)
    const sent: string[] = []
    for (let i = 0; i < 20; i++) {
      sent.push(`m${i}`)
      await alice.messenger.send(bobId, { text: `m${i}` }, send)
    }
    await eventually(async () => (await statuses(alice, bobId)).filter(s => s === 'stored').length === 20, 60_000)
    assert.ok(
      alice.events.some(e => e.method === 'message.status' && (e.params as { status: string }).status === 'stored')
    )
    await net.stop(alice)
    const began = Date.now()
    await net.start(bob)
    await eventually(async () => (await bob.messenger.history(aliceId, { limit: 100 })).length === 21, 60_000)
    console.log(`# bob had all 20 from the mailbox ${Date.now() - began} ms after starting`)
    const texts = (await bob.messenger.history(aliceId, { limit: 100 })).map(m => m.text)
    assert.deepEqual(texts, ['hello', ...sent])
    // the ack waits in alice's mailbox; bob's deposits are deleted
    await members.get(bob)!.settled()
    await eventually(() => mailboxes.count(c) >= 1 && true)
    await net.start(alice)
    await eventually(async () => (await statuses(alice, bobId)).every(s => s === 'delivered'), 60_000)
    assert.deepEqual(
      (await bob.messenger.history(aliceId, { limit: 100 })).map(m => m.text),
      ['hello', ...sent]
    )
    await eventually(() => mailboxes.count(c) === 0, 30_000)
  })

  it('one of two mailboxes down: still delivered; both up: each message once', async () => {
    const [c1, c2] = [await community(), await community()]
    const { alice, bob, aliceId, bobId } = await pair([c1, c2])
    await net.stop(bob)
    mailboxes.setUp(c2, false)
    for (let i = 0; i < 5; i++) await alice.messenger.send(bobId, { text: `x${i}` }, send)
    await eventually(async () => (await statuses(alice, bobId)).filter(s => s === 'stored').length === 5, 60_000)
    assert.equal(mailboxes.count(c1), 5)
    await net.start(bob)
    await eventually(async () => (await statuses(alice, bobId)).every(s => s === 'delivered'), 60_000)
    // both up: the same messages in both mailboxes reach bob once
    await net.stop(bob)
    mailboxes.setUp(c2, true)
    for (let i = 5; i < 10; i++) await alice.messenger.send(bobId, { text: `x${i}` }, send)
    await eventually(() => mailboxes.count(c1) === 5 && mailboxes.count(c2) === 5, 60_000)
    await net.stop(alice)
    await net.start(bob)
    await eventually(async () => (await bob.messenger.history(aliceId, { limit: 100 })).length === 11, 60_000)
    await members.get(bob)!.settled()
    assert.deepEqual(
      (await bob.messenger.history(aliceId, { limit: 100 })).map(m => m.text),
      ['hello', ...Array.from({ length: 10 }, (_, i) => `x${i}`)]
    )
    await net.start(alice)
    await eventually(async () => (await statuses(alice, bobId)).every(s => s === 'delivered'), 60_000)
  })

  it('a full mailbox: the clear error on the status, then delivery once space frees', async () => {
    const c = await community()
    const { alice, bob, aliceId, bobId } = await pair([c])
    await net.stop(bob)
    mailboxes.capacity = 3
    try {
      for (let i = 0; i < 6; i++) await alice.messenger.send(bobId, { text: `f${i}` }, send)
      const errorEvent = await eventually(() =>
        alice.events.find(
          e => e.method === 'message.status' && /mailbox is full/.test((e.params as { error?: string }).error ?? '')
        )
      )
      assert.match((errorEvent.params as { error: string }).error, new RegExp(`^${bob.name}'s mailbox is full$`))
      const history = await eventually(async () => {
        const h = await alice.messenger.history(bobId, { limit: 100 })
        return h.filter(m => /mailbox is full/.test(m.error ?? '')).length === 3 && h
      }, 30_000)
      assert.deepEqual(
        history.filter(m => m.direction === 'out').map(m => m.status),
        ['delivered', 'stored', 'stored', 'stored', 'queued', 'queued', 'queued']
      )
      assert.match(history.at(-1)!.error ?? '', /mailbox is full/)
      await net.stop(alice)
      await net.start(bob)
      await eventually(async () => (await bob.messenger.history(aliceId, { limit: 100 })).length === 4, 60_000)
      await eventually(() => mailboxes.count(c) <= 1, 30_000)
      await net.stop(bob)
      await net.start(alice)
      // space again: the rest goes in
      await eventually(async () => (await statuses(alice, bobId)).filter(s => s === 'queued').length === 0, 60_000)
      await net.start(bob)
      await eventually(async () => (await statuses(alice, bobId)).every(s => s === 'delivered'), 60_000)
      assert.deepEqual(
        (await bob.messenger.history(aliceId, { limit: 100 })).map(m => m.text),
        ['hello', 'f0', 'f1', 'f2', 'f3', 'f4', 'f5']
      )
    } finally {
      mailboxes.capacity = 1000
    }
  })

  it('a contact declined and added again: fresh queues from the side that gave them up, its own handed back', async () => {
    const c = await community()
    const { alice, bob, aliceId, bobId } = await pair([c])
    const old = bob.store.mailboxes.queueFor(c, aliceId)!
    await bob.messenger.declineContact(aliceId, { signal: signal() })
    await eventually(() => bob.store.mailboxes.queueFor(c, aliceId) === undefined, 30_000)
    assert.deepEqual(bob.store.mailboxes.contactQueues(aliceId), [])
    await bob.messenger.addContact(aliceId, { signal: signal() })
    // alice holds bob's new queue, and bob holds alice's again
    await eventually(() => {
      const held = alice.store.mailboxes.contactQueues(bobId)
      return held.length === 1 && !bytesEqual(held[0]!.queueId, old.queueId)
    }, 30_000)
    await eventually(() => bob.store.mailboxes.contactQueues(aliceId).length === 1, 30_000)
    // and they carry messages both ways while the other side is away
    await eventually(
      () => alice.store.outbox.forPeer(bobId).length === 0 && bob.store.outbox.forPeer(aliceId).length === 0,
      30_000
    )
    await net.stop(alice)
    await bob.messenger.send(aliceId, { text: 'back' }, send)
    await eventually(async () => (await statuses(bob, aliceId)).at(-1) === 'stored', 60_000)
    await net.start(alice)
    await eventually(async () => (await alice.messenger.history(bobId, { limit: 100 })).at(-1)?.text === 'back', 60_000)
    await net.stop(bob)
    await alice.messenger.send(bobId, { text: 'welcome back' }, send)
    await eventually(async () => (await statuses(alice, bobId)).at(-1) === 'stored', 60_000)
    await net.start(bob)
    await eventually(
      async () => (await bob.messenger.history(aliceId, { limit: 100 })).at(-1)?.text === 'welcome back',
      60_000
    )
  })

  it('blocked while its community is down, unblocked once it is up: the queue given up is never handed again', async () => {
    const c = await community()
    const { alice, bob, aliceId, bobId } = await pair([c])
    const old = bob.store.mailboxes.queueFor(c, aliceId)!
    mailboxes.setUp(c, false)
    try {
      await bob.messenger.blockContact(aliceId, { signal: signal() })
      await members.get(bob)!.settled()
      // the deletion failed: the queue waits for a later sweep
      assert.ok(bob.store.mailboxes.queueFor(c, aliceId) !== undefined)
    } finally {
      mailboxes.setUp(c, true)
    }
    await bob.messenger.unblockContact(aliceId, { signal: signal() })
    await eventually(() => {
      const held = alice.store.mailboxes.contactQueues(bobId)
      return held.length === 1 && !bytesEqual(held[0]!.queueId, old.queueId)
    }, 30_000)
    await eventually(() => bob.store.mailboxes.contactQueues(aliceId).length === 1, 30_000)
    assert.equal(bob.store.mailboxes.queue(old.queueId), undefined)
    assert.equal(mailboxes.nodes.get(c)!.queues.has(Buffer.from(old.queueId).toString('hex')), false)
  })

  it('junk and blobs sealed to another key are dropped by name and deleted; nothing is stored', async () => {
    const c = await community()
    const { bob, aliceId } = await pair([c])
    const queue = bob.store.mailboxes.queueFor(c, aliceId)!
    // a queue of bob's key that bob's store does not know (another client of the key): left alone
    const other = await mailboxes.createQueue(bob.libp2p, { community: c, addresses: [] })
    await mailboxes.deposit({ community: c, addresses: [], ...other }, [new Uint8Array(1024).fill(9)])
    await mailboxes.deposit({ community: c, addresses: [], queueId: queue.queueId, credential: queue.credential }, [
      new Uint8Array(1024).fill(7),
      crypto.getRandomValues(new Uint8Array(4096))
    ])
    await eventually(() => mailboxes.count(c) === 1, 30_000)
    await members.get(bob)!.settled()
    assert.equal(mailboxes.count(c), 1, 'the deposit in the unknown queue stays')
    assert.equal((await bob.messenger.history(aliceId, { limit: 100 })).length, 1)
  })
})
