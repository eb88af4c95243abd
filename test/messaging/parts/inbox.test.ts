/**
 * The inbox alone: envelopes sealed by a real outbox are stored in one transaction and acked, a
 * refused one keeps those before it (savepoints), duplicates are acked again, blocked senders
 * refused, and what changed is emitted. Two `:memory:` stores, no network.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import type { Identity } from '../../../node/identity/index.ts'
import { openAck } from '../../../node/messaging/envelope.ts'
import { Inbox } from '../../../node/messaging/inbox.ts'
import { Outbox } from '../../../node/messaging/outbox.ts'
import { databaseForTests, type ParleyStore } from '../../../node/store/index.ts'
import {
  ackedCount,
  FakeDirectory,
  fakePresence,
  identity,
  logger,
  memoryStore,
  PeerLocks,
  type Recorded,
  recorder,
  sealerFor,
  until
} from './fakes.ts'

async function setup(): Promise<{
  alice: Identity
  bob: Identity
  aliceId: string
  bobStore: ParleyStore
  inbox: Inbox
  recorded: Recorded[]
  envelopes: (n: number) => Promise<Uint8Array[]>
}> {
  const alice = await identity()
  const bob = await identity()
  const aliceStore = memoryStore()
  const directory = new FakeDirectory(aliceStore)
  directory.publish(bob)
  directory.own = 'alice'
  const outbox = new Outbox({
    store: aliceStore,
    locks: new PeerLocks(),
    sealer: sealerFor(aliceStore, alice, directory),
    logger
  })
  const bobStore = memoryStore()
  const { notify, events: recorded } = recorder()
  const inbox = new Inbox({
    libp2p: { handle: async () => {}, unhandle: async () => {} },
    identity: bob,
    store: bobStore,
    locks: new PeerLocks(),
    presence: fakePresence(),
    notify,
    logger
  })
  const bobId = bob.peerId.toString()
  let sent = 0
  const envelopes = async (n: number): Promise<Uint8Array[]> => {
    await Promise.all(
      Array.from({ length: n }, () =>
        outbox.enqueue(bobId, randomBytes(16).toString('hex'), { type: 'text', markdown: `m${sent++}` }, 'message')
      )
    )
    return aliceStore.outbox
      .forPeer(bobId)
      .slice(-n)
      .map(e => e.envelope)
  }
  return { alice, bob, aliceId: alice.peerId.toString(), bobStore, inbox, recorded, envelopes }
}

const texts = (store: ParleyStore, peerId: string): string[] =>
  store.messages.history(peerId, { limit: 100 }).map(m => m.text)

describe('inbox', () => {
  it('stores a batch in one commit, acks it with one ack naming each envelope in order, and reports a stranger as a request', async () => {
    const { alice, bob, aliceId, bobStore, inbox, recorded, envelopes } = await setup()
    const batch = await envelopes(3)
    let commits = 0
    const db = databaseForTests(bobStore)
    const exec = db.exec.bind(db)
    db.exec = (sql: string) => {
      if (/^\s*COMMIT\b/i.test(sql)) commits++
      return exec(sql)
    }
    const { acks, error } = await inbox.receiveBatch(batch, aliceId)
    assert.equal(error, undefined)
    assert.equal(commits, 1)
    assert.equal(acks.length, 1, 'one ack for the batch')
    const opened = await openAck(acks[0]!, { localPeerId: alice.peerId, expectedReceiver: bob.peerId })
    assert.deepEqual(
      opened.messageIds.map(id => Buffer.from(id).toString('hex')),
      bobStore.messages.history(aliceId, { limit: 10 }).map(m => m.id),
      'naming the three envelopes, in order'
    )
    assert.deepEqual(texts(bobStore, aliceId), ['m0', 'm1', 'm2'])
    assert.equal(bobStore.contacts.get(aliceId)?.state, 'request')
    assert.equal(bobStore.contacts.get(aliceId)?.announcedName, 'alice')
    assert.deepEqual(
      recorded.map(r => r.event),
      ['contact.request', 'message.received', 'message.received', 'message.received']
    )
  })

  it('announces and acks a batch only once its commit is durable (store.sync)', async () => {
    const { aliceId, bobStore, inbox, recorded, envelopes } = await setup()
    const batch = await envelopes(2)
    const fsync = Promise.withResolvers<void>()
    let syncs = 0
    bobStore.sync = async () => {
      syncs++
      await fsync.promise
    }
    let answered = false
    const received = inbox.receiveBatch(batch, aliceId).then(r => {
      answered = true
      return r
    })
    await until(() => syncs > 0)
    assert.deepEqual(texts(bobStore, aliceId), ['m0', 'm1'], 'committed')
    await new Promise(resolve => setTimeout(resolve, 50))
    assert.equal(answered, false, 'no ack before the fsync')
    assert.equal(recorded.length, 0, 'nothing announced before the fsync')
    fsync.resolve()
    const { acks, error } = await received
    assert.equal(error, undefined)
    assert.ok(acks.length > 0)
    assert.equal(recorded.filter(r => r.event === 'message.received').length, 2)
  })

  it('a refused envelope ends the batch: those before it are stored and acked, its own writes undone', async () => {
    const { aliceId, bobStore, inbox, envelopes } = await setup()
    const batch = await envelopes(4)
    const tampered = new Uint8Array(batch[2]!)
    tampered[tampered.length - 1]! ^= 1
    const first = await inbox.receiveBatch([batch[0]!, batch[1]!, tampered, batch[3]!], aliceId)
    assert.equal(first.error?.name, 'InvalidSignatureError')
    assert.equal(ackedCount(first.acks), 2)
    assert.deepEqual(texts(bobStore, aliceId), ['m0', 'm1'])
    // the rest, with a duplicate: stored once, acked again
    const rest = await inbox.receiveBatch([batch[1]!, batch[2]!, batch[3]!], aliceId)
    assert.equal(rest.error, undefined)
    assert.equal(ackedCount(rest.acks), 3)
    assert.deepEqual(texts(bobStore, aliceId), ['m0', 'm1', 'm2', 'm3'])
  })

  it('an envelope that fails to store is rolled back to its savepoint; the ones before it stay', async () => {
    const { aliceId, bobStore, inbox, envelopes } = await setup()
    const batch = await envelopes(2)
    await inbox.receiveBatch([batch[0]!], aliceId)
    const [second] = await envelopes(1)
    // the third message's row cannot be inserted: its session, chain and seen id must go with it
    const db = databaseForTests(bobStore)
    db.exec(
      "CREATE TEMP TRIGGER refuse BEFORE INSERT ON messages WHEN NEW.text = 'm2' BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    const r = await inbox.receiveBatch([batch[1]!, second!], aliceId)
    assert.match(r.error?.message ?? '', /refused/)
    assert.equal(ackedCount(r.acks), 1)
    assert.deepEqual(texts(bobStore, aliceId), ['m0', 'm1'])
    assert.equal(bobStore.chains.get(aliceId, 'in')?.seq, 2, 'the refused envelope left no chain advance')
    assert.equal(bobStore.seen.has(bobStore.messages.history(aliceId, { limit: 1 })[0]!.id), true)
  })

  it('writes session, chain and contact once per batch, and those of the last envelope stored when one fails', async () => {
    const { aliceId, bobStore, inbox, envelopes } = await setup()
    await inbox.receiveBatch(await envelopes(1), aliceId)
    const db = databaseForTests(bobStore)
    db.exec(`CREATE TEMP TABLE writes (what TEXT);
      CREATE TEMP TRIGGER s1 AFTER INSERT ON sessions BEGIN INSERT INTO writes VALUES ('session'); END;
      CREATE TEMP TRIGGER s2 AFTER UPDATE ON sessions BEGIN INSERT INTO writes VALUES ('session'); END;
      CREATE TEMP TRIGGER c1 AFTER UPDATE ON chains BEGIN INSERT INTO writes VALUES ('chain'); END;
      CREATE TEMP TRIGGER k1 AFTER INSERT ON contacts BEGIN INSERT INTO writes VALUES ('contact'); END`)
    const writes = (): Record<string, number> => {
      const counts: Record<string, number> = {}
      for (const r of db.prepare('SELECT what FROM writes').all())
        counts[r.what as string] = (counts[r.what as string] ?? 0) + 1
      db.exec('DELETE FROM writes')
      return counts
    }
    const ok = await inbox.receiveBatch(await envelopes(5), aliceId)
    assert.equal(ok.error, undefined)
    assert.deepEqual(
      writes(),
      { session: 2, chain: 2, contact: 2 },
      'the first envelope of a batch, then once for the other four'
    )
    assert.equal(bobStore.chains.get(aliceId, 'in')?.seq, 6)
    // the fourth of a batch of four cannot be stored: the first three's state is written, the fourth's is not
    const batch = await envelopes(4)
    db.exec(
      "CREATE TEMP TRIGGER refuse BEFORE INSERT ON messages WHEN NEW.text = 'm9' BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    const r = await inbox.receiveBatch(batch, aliceId)
    assert.match(r.error?.message ?? '', /refused/)
    assert.equal(ackedCount(r.acks), 3)
    assert.equal(bobStore.chains.get(aliceId, 'in')?.seq, 9, 'the chain of the third')
    db.exec('DROP TRIGGER refuse')
    // the session stored is the one after the third: the fourth and the next ones decrypt with it
    const rest = await inbox.receiveBatch([batch[3]!, ...(await envelopes(2))], aliceId)
    assert.equal(rest.error, undefined)
    assert.equal(ackedCount(rest.acks), 3)
    assert.deepEqual(
      texts(bobStore, aliceId),
      Array.from({ length: 12 }, (_, i) => `m${i}`)
    )
    assert.equal(bobStore.chains.get(aliceId, 'in')?.seq, 12)
  })

  it('a blocked sender is refused and nothing is stored; an envelope of another sender is refused', async () => {
    const { aliceId, bobStore, inbox, envelopes } = await setup()
    const batch = await envelopes(1)
    const mallory = await identity()
    const relayed = await inbox.receiveBatch(batch, mallory.peerId.toString())
    assert.equal(relayed.error?.name, 'BlockedError')
    assert.equal(relayed.acks.length, 0)
    bobStore.contacts.put({
      peerId: aliceId,
      state: 'blocked',
      verified: false,
      keyChanged: false,
      addresses: [],
      createdAt: 1,
      updatedAt: 1
    })
    const blocked = await inbox.receiveBatch(batch, aliceId)
    assert.equal(blocked.error?.name, 'BlockedError')
    assert.deepEqual(texts(bobStore, aliceId), [])
  })
})
