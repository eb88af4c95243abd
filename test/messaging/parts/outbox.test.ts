/**
 * The outbox alone: group commit, sealing order and the hash chain, unsealed entries, and what one
 * failing send or one failing transaction does to the others. `:memory:` store, fake directory.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import type { Identity } from '../../../node/identity/index.ts'
import { Outbox } from '../../../node/messaging/outbox.ts'
import type { Sealer } from '../../../node/messaging/seal.ts'
import { databaseForTests, type ParleyStore } from '../../../node/store/index.ts'
import { bytesEqual } from '../../../node/crypto/primitives.ts'
import { FakeDirectory, identity, logger, memoryStore, PeerLocks, sealerFor, until } from './fakes.ts'

const newId = (): string => randomBytes(16).toString('hex')
const text = (markdown: string) => ({ type: 'text' as const, markdown })

async function setup(options: { published?: boolean; sealer?: (s: Sealer) => Sealer } = {}): Promise<{
  store: ParleyStore
  outbox: Outbox
  directory: FakeDirectory
  bob: Identity
  bobId: string
  commits: () => number
}> {
  const alice = await identity()
  const bob = await identity()
  const store = memoryStore()
  const directory = new FakeDirectory(store)
  if (options.published !== false) directory.publish(bob, 'bob')
  const real = sealerFor(store, alice, directory)
  const outbox = new Outbox({ store, locks: new PeerLocks(), sealer: options.sealer?.(real) ?? real, logger })
  let commits = 0
  const db = databaseForTests(store)
  const exec = db.exec.bind(db)
  db.exec = (sql: string) => {
    if (/^\s*COMMIT\b/i.test(sql)) commits++
    return exec(sql)
  }
  return { store, outbox, directory, bob, bobId: bob.peerId.toString(), commits: () => commits }
}

describe('outbox', () => {
  it('a lone send is sealed and committed at once: message, entry, session and chain', async () => {
    const { store, outbox, bobId, commits } = await setup()
    const id = newId()
    assert.equal(await outbox.enqueue(bobId, id, text('hello'), 'message'), 'queued')
    assert.equal(commits(), 1)
    const [entry] = store.outbox.forPeer(bobId)
    assert.equal(entry?.messageId, id)
    assert.equal(entry?.seq, 1)
    assert.ok(entry!.envelope.length > 0, 'sealed')
    assert.equal(store.messages.get(id)?.status, 'queued')
    assert.equal(store.messages.get(id)?.text, 'hello')
    assert.equal(store.chains.get(bobId, 'out')?.seq, 1)
    assert.ok(store.sessions.current(bobId) !== undefined, 'the session started is stored')
  })

  it('sends that arrive together share one commit, sealed in call order on one chain', async () => {
    const { store, outbox, bobId, commits } = await setup()
    const ids = Array.from({ length: 10 }, newId)
    const statuses = await Promise.all(ids.map((id, i) => outbox.enqueue(bobId, id, text(`m${i}`), 'message')))
    assert.deepEqual(
      statuses,
      ids.map(() => 'queued')
    )
    assert.equal(commits(), 1, 'one transaction for the turn')
    const entries = store.outbox.forPeer(bobId)
    assert.deepEqual(
      entries.map(e => e.messageId),
      ids
    )
    assert.deepEqual(
      entries.map(e => e.seq),
      ids.map((_, i) => i + 1)
    )
    // each message's prev_hash is the hash chain continued from the one before (not the stored state)
    const prevHashes = ids.map(id => store.messages.get(id)!.prevHash)
    assert.equal(prevHashes[0]!.length, 0)
    for (let i = 1; i < ids.length; i++) {
      assert.ok(prevHashes[i]!.length > 0)
      assert.ok(!bytesEqual(prevHashes[i]!, prevHashes[i - 1]!), `message ${i} continues the chain`)
    }
    assert.equal(store.chains.get(bobId, 'out')?.seq, 10)
  })

  it('a receipt goes through the outbox without a message row', async () => {
    const { store, outbox, bobId } = await setup()
    const id = newId()
    await outbox.enqueue(bobId, id, { type: 'read-receipt', messageIds: [randomBytes(16)] }, 'receipt')
    assert.equal(store.outbox.get(id)?.kind, 'receipt')
    assert.equal(store.messages.get(id), undefined)
  })

  it('without a profile, sends wait unsealed in order; sealPending seals them once it appears', async () => {
    const { store, outbox, directory, bob, bobId } = await setup({ published: false })
    const first = newId()
    const second = newId()
    await outbox.enqueue(bobId, first, text('one'), 'message')
    await outbox.enqueue(bobId, second, text('two'), 'message')
    assert.deepEqual(
      store.outbox.forPeer(bobId).map(e => e.envelope.length),
      [0, 0]
    )
    await outbox.sealPending(bobId)
    assert.deepEqual(
      store.outbox.forPeer(bobId).map(e => e.envelope.length),
      [0, 0],
      'still no profile: nothing sealed'
    )
    directory.publish(bob)
    await outbox.sealPending(bobId)
    const entries = store.outbox.forPeer(bobId)
    assert.ok(entries.every(e => e.envelope.length > 0))
    assert.deepEqual(
      entries.map(e => [e.messageId, e.seq]),
      [
        [first, 1],
        [second, 2]
      ]
    )
    assert.equal(store.messages.get(second)?.seq, 2)
    assert.equal(store.chains.get(bobId, 'out')?.seq, 2)
  })

  it('neither a send nor sealPending reads the pending envelopes when all are sealed', async () => {
    const { store, outbox, bobId } = await setup()
    let read = 0
    const { forPeer } = store.outbox
    store.outbox.forPeer = peerId => {
      read++
      return forPeer(peerId)
    }
    for (let i = 0; i < 3; i++) await outbox.enqueue(bobId, newId(), text(`m${i}`), 'message')
    await outbox.sealPending(bobId)
    assert.equal(read, 0)
    assert.equal(forPeer(bobId).length, 3)
  })

  it('a send whose seal throws fails alone; the chain goes on from the last one sealed', async () => {
    const bad = newId()
    const { store, outbox, bobId } = await setup({
      sealer: real => ({
        seal: async (message, options) => {
          if (message.id === bad) throw Object.assign(new Error('too large'), { name: 'RangeError' })
          return await real.seal(message, options)
        },
        commit: (peerId, sealed) => real.commit(peerId, sealed)
      })
    })
    const ok1 = newId()
    const ok2 = newId()
    const results = await Promise.allSettled([
      outbox.enqueue(bobId, ok1, text('a'), 'message'),
      outbox.enqueue(bobId, bad, text('b'), 'message'),
      outbox.enqueue(bobId, ok2, text('c'), 'message')
    ])
    assert.deepEqual(
      results.map(r => r.status),
      ['fulfilled', 'rejected', 'fulfilled']
    )
    assert.equal((results[1] as PromiseRejectedResult).reason.name, 'RangeError')
    assert.deepEqual(
      store.outbox.forPeer(bobId).map(e => [e.messageId, e.seq]),
      [
        [ok1, 1],
        [ok2, 2]
      ]
    )
    assert.equal(store.messages.get(bad), undefined)
  })

  it('a turn whose transaction fails stores none of its sends and rejects them all', async () => {
    const { store, outbox, bobId } = await setup()
    const first = newId()
    await outbox.enqueue(bobId, first, text('one'), 'message')
    const other = newId()
    // the same id again breaks the messages primary key inside the turn's transaction
    const results = await Promise.allSettled([
      outbox.enqueue(bobId, other, text('two'), 'message'),
      outbox.enqueue(bobId, first, text('dup'), 'message')
    ])
    assert.deepEqual(
      results.map(r => r.status),
      ['rejected', 'rejected']
    )
    assert.equal(store.messages.get(other), undefined)
    assert.deepEqual(
      store.outbox.forPeer(bobId).map(e => e.messageId),
      [first]
    )
    assert.equal(store.chains.get(bobId, 'out')?.seq, 1, 'the chain did not advance')
    // the queue is usable afterwards
    assert.equal(await outbox.enqueue(bobId, newId(), text('three'), 'message'), 'queued')
    assert.equal(store.chains.get(bobId, 'out')?.seq, 2)
  })

  it('a send is answered only once its commit is durable (store.sync); a failed fsync fails it', async () => {
    const { store, outbox, bobId, commits } = await setup()
    let fsync = Promise.withResolvers<void>()
    store.sync = async () => await fsync.promise
    let answered: string | undefined
    const sent = outbox.enqueue(bobId, newId(), text('hello'), 'message').then(status => {
      answered = status
    })
    await until(() => commits() === 1)
    assert.equal(store.outbox.forPeer(bobId).length, 1, 'committed')
    await new Promise(resolve => setTimeout(resolve, 50))
    assert.equal(answered, undefined, 'not answered before the fsync')
    fsync.resolve()
    await sent
    assert.equal(answered, 'queued')

    fsync = Promise.withResolvers<void>()
    const failing = outbox.enqueue(bobId, newId(), text('again'), 'message')
    fsync.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }))
    await assert.rejects(failing, /EIO/)
  })

  it('synced() waits for the fsync of every outbox commit, and not for later commits that need none', async () => {
    const { store, outbox, bobId } = await setup()
    const fsync = Promise.withResolvers<void>()
    let syncs = 0
    store.sync = async () => {
      syncs++
      await fsync.promise
    }
    const sent = outbox.enqueue(bobId, newId(), text('one'), 'message')
    await until(() => syncs > 0)
    let synced = false
    const waiting = outbox.synced().then(() => {
      synced = true
    })
    await new Promise(resolve => setTimeout(resolve, 50))
    assert.equal(synced, false, 'not before the outbox commit is durable')
    fsync.resolve()
    await waiting
    assert.equal(await sent, 'queued')
    // a commit that needs no fsync (as delivery's "delivered" one): synced() does not start one for it
    store.transaction(() => store.messages.update('none', { status: 'read' }), { durable: false })
    const before = syncs
    store.sync = async () => {
      syncs++
      await new Promise(() => {})
    }
    await outbox.synced()
    assert.equal(syncs, before)
  })

  it('the sends of one turn write the session and chain once: those the last one left', async () => {
    const { store, outbox, bobId } = await setup()
    const db = databaseForTests(store)
    db.exec(`CREATE TEMP TABLE writes (what TEXT);
      CREATE TEMP TRIGGER s1 AFTER INSERT ON sessions BEGIN INSERT INTO writes VALUES ('session'); END;
      CREATE TEMP TRIGGER s2 AFTER UPDATE ON sessions BEGIN INSERT INTO writes VALUES ('session'); END;
      CREATE TEMP TRIGGER c1 AFTER INSERT ON chains BEGIN INSERT INTO writes VALUES ('chain'); END;
      CREATE TEMP TRIGGER c2 AFTER UPDATE ON chains BEGIN INSERT INTO writes VALUES ('chain'); END`)
    await outbox.enqueue(bobId, newId(), text('first'), 'message')
    db.exec('DELETE FROM writes')
    await Promise.all(Array.from({ length: 5 }, (_, i) => outbox.enqueue(bobId, newId(), text(`m${i}`), 'message')))
    const writes = db.prepare('SELECT what, COUNT(*) AS n FROM writes GROUP BY what ORDER BY what').all()
    assert.deepEqual(
      writes.map(r => [r.what, r.n]),
      [
        ['chain', 1],
        ['session', 1]
      ],
      'five sends in one turn: the session and chain of the last one, written once'
    )
    assert.equal(store.chains.get(bobId, 'out')?.seq, 6)
  })

  it('queues of different peers do not wait for each other and keep their own chains', async () => {
    const { store, outbox, bobId } = await setup()
    const carol = await identity()
    const carolId = carol.peerId.toString()
    // carol has no profile: her send waits unsealed, bob's is sealed
    await Promise.all([
      outbox.enqueue(bobId, newId(), text('to bob'), 'message'),
      outbox.enqueue(carolId, newId(), text('to carol'), 'message')
    ])
    assert.ok(store.outbox.forPeer(bobId)[0]!.envelope.length > 0)
    assert.equal(store.outbox.forPeer(carolId)[0]!.envelope.length, 0)
    await outbox.settled()
  })

  it('a fan-out to several peers is one commit; a peer whose send loop runs keeps its call order', async () => {
    const { store, outbox, directory, bobId, commits } = await setup()
    const carol = await identity()
    const carolId = carol.peerId.toString()
    directory.publish(carol, 'carol')
    const dave = await identity()
    const daveId = dave.peerId.toString()
    directory.publish(dave, 'dave')
    // bob and carol have sessions (a first send each); dave has none yet
    await outbox.enqueue(bobId, newId(), text('hi'), 'message')
    await outbox.enqueue(carolId, newId(), text('hi'), 'message')
    // their send loops have ended (a running one would take the fan-out's sends to its peer)
    await outbox.settled()
    const before = commits()
    const ids = [newId(), newId(), newId(), newId()]
    await outbox.enqueueMany([
      { peerId: bobId, id: ids[0]!, content: text('key'), kind: 'receipt' },
      { peerId: bobId, id: ids[1]!, content: text('one'), kind: 'message' },
      { peerId: carolId, id: ids[2]!, content: text('one'), kind: 'message' },
      { peerId: daveId, id: ids[3]!, content: text('one'), kind: 'message' }
    ])
    assert.equal(commits() - before, 1)
    // sealed in order on each peer's chain
    assert.deepEqual(
      store.outbox
        .forPeer(bobId)
        .slice(1)
        .map(e => [e.messageId, e.seq]),
      [
        [ids[0], 2],
        [ids[1], 3]
      ]
    )
    assert.equal(store.outbox.forPeer(carolId)[1]!.seq, 2)
    assert.ok(store.outbox.forPeer(carolId)[1]!.envelope.length > 0)
    // dave's profile is not looked up while every lock is held: sealed lazily, before his delivery
    assert.equal(store.outbox.forPeer(daveId)[0]!.envelope.length, 0)
    await outbox.sealPending(daveId)
    assert.equal(store.outbox.forPeer(daveId)[0]!.seq, 1)
    assert.ok(store.outbox.forPeer(daveId)[0]!.envelope.length > 0)
    // bob's loop is busy with earlier sends: the fan-out's entry to bob comes after them
    const first = newId()
    const second = newId()
    const fanned = newId()
    const busy = [
      outbox.enqueue(bobId, first, text('a'), 'message'),
      outbox.enqueue(bobId, second, text('b'), 'message')
    ]
    await outbox.enqueueMany([{ peerId: bobId, id: fanned, content: text('c'), kind: 'message' }])
    await Promise.all(busy)
    assert.deepEqual(
      store.outbox
        .forPeer(bobId)
        .slice(-3)
        .map(e => e.messageId),
      [first, second, fanned]
    )
    await outbox.settled()
  })
})
