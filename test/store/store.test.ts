import assert from 'node:assert/strict'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { after, before, describe, it } from 'node:test'
import { databaseForTests, MIGRATIONS, migrate, openStore, type ParleyStore } from '../../node/store/index.ts'
import { type Row, toContact } from '../../node/store/rows.ts'

let dir: string
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-store-'))
})
after(async () => {
  await rm(dir, { recursive: true, force: true })
})

let n = 0
const file = (): string => join(dir, `db-${n++}.sqlite`)

function message(store: ParleyStore, id: string, storedAt: number, peerId = 'peerA'): void {
  store.messages.insert({
    id,
    peerId,
    direction: 'in',
    text: `text ${id}`,
    sentAt: storedAt - 1,
    storedAt,
    seq: 1,
    prevHash: new Uint8Array(0),
    status: 'received',
    unread: true,
    outOfOrder: false
  })
}

describe('store', () => {
  it('creates the file 0600 in WAL mode and survives a reopen', async () => {
    const path = file()
    const store = openStore(path)
    store.pins.set('alice', 'peerA')
    store.settings.setOwnName('bob')
    const mode = (databaseForTests(store).prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode
    assert.equal(mode, 'wal')
    store.close()
    assert.equal((await stat(path)).mode & 0o777, 0o600)

    const again = openStore(path)
    assert.equal(again.pins.get('alice')?.peerId, 'peerA')
    assert.equal(again.settings.ownName(), 'bob')
    assert.equal(again.settings.readReceipts(), false)
    again.close()
  })

  it('applies migrations once (reopening is idempotent)', () => {
    const path = file()
    openStore(path).close()
    openStore(path).close()
    const db = new DatabaseSync(path)
    const rows = db.prepare('SELECT version FROM schema_migrations').all()
    assert.equal(rows.length, MIGRATIONS.length)
    assert.equal(migrate(db), MIGRATIONS.at(-1)!.version)
    assert.equal(db.prepare('SELECT version FROM schema_migrations').all().length, MIGRATIONS.length)
    db.close()
  })

  it('upgrades a version 1 database and keeps its rows', () => {
    const path = file()
    const db = new DatabaseSync(path)
    migrate(db, MIGRATIONS.slice(0, 1))
    db.exec(
      "INSERT INTO contacts (peer_id, name, state, created_at, updated_at) VALUES ('peerA', 'alice', 'contact', 1, 1)"
    )
    db.close()
    const store = openStore(path)
    assert.equal(store.contacts.get('peerA')?.name, 'alice')
    assert.equal(store.contacts.get('peerA')?.announcedName, undefined)
    store.contacts.put({ ...store.contacts.get('peerA')!, announcedName: 'al' })
    assert.equal(store.contacts.get('peerA')?.announcedName, 'al')
    store.close()
  })

  it('a failing migration leaves no trace', () => {
    const path = file()
    openStore(path).close()
    const db = new DatabaseSync(path)
    const broken = [
      ...MIGRATIONS,
      { version: 99, description: 'broken', sql: 'CREATE TABLE x (a INTEGER); INSERT INTO nope VALUES (1);' }
    ]
    assert.throws(() => migrate(db, broken))
    assert.equal(db.prepare("SELECT name FROM sqlite_master WHERE name = 'x'").get(), undefined)
    assert.equal(migrate(db), MIGRATIONS.at(-1)!.version)
    db.close()
  })

  it('rolls a transaction back on throw, and nested transactions join the outer one', () => {
    const store = openStore(file())
    assert.throws(
      () =>
        store.transaction(() => {
          store.pins.set('carol', 'peerC')
          store.transaction(() => store.settings.setReadReceipts(true))
          throw new Error('boom')
        }),
      /boom/
    )
    assert.equal(store.pins.get('carol'), undefined)
    assert.equal(store.settings.readReceipts(), false)
    store.transaction(() => store.pins.set('carol', 'peerC'))
    assert.equal(store.pins.get('carol')?.peerId, 'peerC')
    assert.throws(() => store.transaction(() => Promise.resolve(1)), TypeError)
    store.close()
  })

  it('contact rows read from memory match the database after writes, changes by callers and rollbacks', () => {
    const store = openStore(file())
    const alice = {
      peerId: 'peerA',
      name: 'alice',
      state: 'contact' as const,
      verified: false,
      keyChanged: false,
      addresses: ['/ip4/127.0.0.1/tcp/1'],
      createdAt: 1,
      updatedAt: 1
    }
    assert.equal(store.contacts.get('peerA'), undefined)
    store.contacts.put(alice)
    // a caller changing what it put or what it read changes neither the row nor the next read
    alice.addresses.push('/ip4/127.0.0.1/tcp/2')
    store.contacts.get('peerA')!.addresses.push('/ip4/127.0.0.1/tcp/3')
    assert.deepEqual(store.contacts.get('peerA')?.addresses, ['/ip4/127.0.0.1/tcp/1'])
    // a put undone by a transaction's rollback, and one undone by a savepoint's
    assert.throws(() =>
      store.transaction(() => {
        store.contacts.put({ ...store.contacts.get('peerA')!, state: 'blocked' })
        assert.equal(store.contacts.get('peerA')?.state, 'blocked')
        throw new Error('boom')
      })
    )
    assert.equal(store.contacts.get('peerA')?.state, 'contact')
    store.transaction(() => {
      assert.throws(() =>
        store.savepoint(() => {
          store.contacts.put({ ...store.contacts.get('peerA')!, name: 'mallory' })
          throw new Error('boom')
        })
      )
      assert.equal(store.contacts.get('peerA')?.name, 'alice')
    })
    assert.deepEqual(
      store.contacts.get('peerA'),
      toContact(databaseForTests(store).prepare("SELECT * FROM contacts WHERE peer_id = 'peerA'").get() as Row)
    )
    store.close()
  })

  it('a non-durable transaction commits with synchronous=NORMAL and restores FULL, also after a throw', () => {
    const store = openStore(file())
    const level = (): unknown =>
      (databaseForTests(store).prepare('PRAGMA synchronous').get() as { synchronous: number }).synchronous
    assert.equal(level(), 2)
    let inside: unknown
    store.transaction(
      () => {
        inside = level()
        store.pins.set('dave', 'peerD')
      },
      { durable: false }
    )
    assert.equal(inside, 1)
    assert.equal(level(), 2)
    assert.equal(store.pins.get('dave')?.peerId, 'peerD')
    assert.throws(
      () =>
        store.transaction(
          () => {
            store.pins.set('erin', 'peerE')
            throw new Error('boom')
          },
          { durable: false }
        ),
      /boom/
    )
    assert.equal(store.pins.get('erin'), undefined)
    assert.equal(level(), 2)
    store.close()
  })

  it('sync makes non-durable commits durable off the thread, keeps one WAL descriptor and closes it with the store', async () => {
    const path = file()
    const walDescriptors = async (): Promise<number> => {
      const { readdir, readlink } = await import('node:fs/promises')
      let n = 0
      for (const fd of await readdir('/proc/self/fd')) {
        const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '')
        if (target === `${path}-wal`) n++
      }
      return n
    }
    const store = openStore(path)
    const before = await walDescriptors()
    await store.sync() // nothing to sync: resolves at once, opens nothing
    assert.equal(await walDescriptors(), before)
    const waits: Promise<void>[] = []
    for (let i = 0; i < 20; i++) {
      store.transaction(() => message(store, `m${i}`, 1000 + i), { durable: false })
      waits.push(store.sync())
    }
    await Promise.all(waits)
    assert.equal(await walDescriptors(), before + 1, 'the WAL is opened once for sync, not per call')
    store.transaction(() => message(store, 'durable', 2000))
    await store.sync()
    // a commit whose sync() never ran: close fsyncs it before closing the connection
    store.transaction(() => message(store, 'unsynced', 3000), { durable: false })
    const late = store.sync()
    store.close()
    await late
    assert.equal(await walDescriptors(), 0, 'closed with the store')
    const again = openStore(path)
    assert.equal(again.messages.history('peerA', { limit: 100 }).length, 22)
    again.close()
  })

  it('reschedules only entries due later, and writes nothing when all are due', () => {
    const store = openStore(file())
    store.outbox.add({
      messageId: 'm1',
      peerId: 'peerA',
      seq: 1,
      envelope: new Uint8Array([1]),
      nextAttempt: 100,
      kind: 'message'
    })
    const changes = (): number =>
      (databaseForTests(store).prepare('SELECT total_changes() AS n').get() as { n: number }).n
    const before = changes()
    store.outbox.reschedule('peerA', 200)
    assert.equal(changes(), before)
    assert.equal(store.outbox.get('m1')?.nextAttempt, 100)
    store.outbox.reschedule('peerA', 50)
    assert.equal(store.outbox.get('m1')?.nextAttempt, 50)
    store.close()
  })

  it('stores contacts, sessions with one current per peer, and chains', () => {
    const path = file()
    const store = openStore(path)
    store.contacts.put({
      peerId: 'peerA',
      name: 'alice',
      state: 'request',
      verified: false,
      keyChanged: false,
      addresses: ['/ip4/127.0.0.1/tcp/1'],
      createdAt: 1,
      updatedAt: 1
    })
    store.sessions.put('peerA', Uint8Array.of(1), Uint8Array.of(10), true)
    store.sessions.put('peerA', Uint8Array.of(2), Uint8Array.of(20), true)
    store.sessions.put('peerA', Uint8Array.of(1), Uint8Array.of(11), false)
    store.chains.set('peerA', 'out', { seq: 3, hash: Uint8Array.of(7) })
    store.close()

    const again = openStore(path)
    assert.deepEqual(again.contacts.get('peerA')?.addresses, ['/ip4/127.0.0.1/tcp/1'])
    assert.equal(again.contacts.byName('alice')?.state, 'request')
    const current = again.sessions.current('peerA')
    assert.deepEqual(current?.handshakeId, Uint8Array.of(2))
    assert.deepEqual(current?.state, Uint8Array.of(20))
    assert.deepEqual(again.sessions.get('peerA', Uint8Array.of(1))?.state, Uint8Array.of(11))
    assert.equal(again.sessions.get('peerA', Uint8Array.of(1))?.current, false)
    assert.deepEqual(
      again.sessions.all('peerA').map(s => s.handshakeId[0]),
      [2, 1]
    )
    assert.deepEqual(again.chains.get('peerA', 'out'), { seq: 3, hash: Uint8Array.of(7) })
    assert.equal(again.chains.get('peerA', 'in'), undefined)
    again.close()
  })

  it("tells when a contact's queues want ours: the first set, or one that renews a queue (not one that adds a community)", () => {
    const store = openStore(file())
    const q = (community: string, id: number) => ({
      community,
      addresses: [],
      queueId: new Uint8Array(16).fill(id),
      credential: new Uint8Array(32)
    })
    assert.equal(store.mailboxes.setContactQueues('peerA', [q('c1', 1)]), true)
    assert.equal(store.mailboxes.setContactQueues('peerA', [q('c1', 1)]), false)
    // a community joined (its address changed, one left): the contact still has ours
    assert.equal(store.mailboxes.setContactQueues('peerA', [q('c1', 1), q('c2', 2)]), false)
    assert.equal(store.mailboxes.setContactQueues('peerA', [q('c2', 2)]), false)
    // a new queue where it had one: it gave ours up and became a contact again
    assert.equal(store.mailboxes.setContactQueues('peerA', [q('c2', 3)]), true)
    // we handed ours first: its first set is no request for them
    store.mailboxes.setQueuesSentAt('peerB', 1)
    assert.equal(store.mailboxes.setContactQueues('peerB', [q('c1', 4)]), false)
    store.close()
  })

  it('counts and clears unread messages through the unread index, not by reading the conversation', () => {
    const path = file()
    openStore(path).close()
    const db = new DatabaseSync(path)
    const plan = (sql: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('peerA') as Array<{ detail: string }>).map(r => r.detail).join('; ')
    // the store's own queries (messages-table.ts unread, markRead)
    assert.match(plan('SELECT COUNT(*) AS n FROM messages WHERE peer_id = ? AND unread = 1'), /messages_unread/)
    assert.match(
      plan("SELECT id FROM messages WHERE peer_id = ? AND direction = 'in' AND unread = 1 ORDER BY rowid"),
      /messages_unread/
    )
    db.close()
  })

  it('pages history oldest first and counts unread', () => {
    const store = openStore(file())
    for (let i = 1; i <= 5; i++) message(store, `m${i}`, i * 10)
    message(store, 'other', 25, 'peerB')
    assert.deepEqual(
      store.messages.history('peerA', { limit: 2 }).map(m => m.id),
      ['m4', 'm5']
    )
    assert.deepEqual(
      store.messages.history('peerA', { limit: 2, before: 40 }).map(m => m.id),
      ['m2', 'm3']
    )
    assert.equal(store.messages.unread('peerA'), 5)
    assert.deepEqual(store.messages.markRead('peerA'), ['m1', 'm2', 'm3', 'm4', 'm5'])
    assert.equal(store.messages.unread('peerA'), 0)
    assert.equal(store.messages.unread('peerB'), 1)
    assert.throws(() => message(store, 'm1', 99), /UNIQUE/)
    store.messages.update('m1', { status: 'read' })
    assert.equal(store.messages.get('m1')?.status, 'read')
    assert.equal(store.messages.last('peerA')?.id, 'm5')
    store.close()
  })

  it('marks an acked message delivered in one statement; a read one stays read', () => {
    const store = openStore(file())
    message(store, 'm1', 10)
    message(store, 'm2', 20)
    store.messages.update('m1', { status: 'failed', error: 'unreachable' })
    store.messages.update('m2', { status: 'read' })
    assert.equal(store.messages.markDelivered('m1', 99), 'delivered')
    const m1 = store.messages.get('m1')!
    assert.deepEqual([m1.status, m1.deliveredAt, m1.error], ['delivered', 99, undefined])
    assert.equal(store.messages.markDelivered('m2', 100), 'read')
    assert.deepEqual([store.messages.get('m2')?.status, store.messages.get('m2')?.deliveredAt], ['read', 100])
    assert.equal(store.messages.markDelivered('missing', 1), undefined)
    store.close()
  })

  it('updates only the fields a patch names, without reading the message first', () => {
    const store = openStore(file())
    message(store, 'm1', 10)
    const before = store.messages.get('m1')!
    store.messages.update('m1', { seq: 7, prevHash: Uint8Array.of(1, 2) })
    store.messages.update('m1', { status: 'failed', error: 'unreachable' })
    let m = store.messages.get('m1')!
    assert.deepEqual([m.status, m.error, m.seq, m.deliveredAt], ['failed', 'unreachable', 7, before.deliveredAt])
    assert.deepEqual(m.prevHash, Uint8Array.of(1, 2))
    // undefined for status, seq or prevHash keeps the stored value; for error or deliveredAt it clears it
    store.messages.update('m1', { status: undefined, deliveredAt: 99, error: undefined, seq: undefined })
    m = store.messages.get('m1')!
    assert.deepEqual([m.status, m.error, m.seq, m.deliveredAt], ['failed', undefined, 7, 99])
    store.messages.update('m1', { status: 'delivered', deliveredAt: undefined })
    m = store.messages.get('m1')!
    assert.deepEqual([m.status, m.deliveredAt], ['delivered', undefined])
    store.messages.update('missing', { status: 'read' })
    assert.equal(store.messages.get('missing'), undefined)
    store.close()
  })

  it('keeps the outbox in seq order and schedules retries', () => {
    const store = openStore(file())
    const empty = new Uint8Array(0)
    store.outbox.add({ messageId: 'a', peerId: 'p', seq: 0, envelope: empty, nextAttempt: 0, kind: 'message' })
    store.outbox.add({ messageId: 'b', peerId: 'p', seq: 0, envelope: empty, nextAttempt: 0, kind: 'message' })
    store.outbox.seal('b', 2, Uint8Array.of(2))
    store.outbox.seal('a', 1, Uint8Array.of(1))
    assert.deepEqual(store.outbox.get('a')?.envelope, Uint8Array.of(1))
    assert.deepEqual(
      store.outbox.forPeer('p').map(o => o.messageId),
      ['a', 'b']
    )
    store.outbox.failed(['a', 'b'], 'unreachable', 500)
    assert.deepEqual(store.outbox.peers(), [{ peerId: 'p', nextAttempt: 500 }])
    assert.equal(store.outbox.get('a')?.attempts, 1)
    assert.equal(store.outbox.get('a')?.lastError, 'unreachable')
    store.outbox.reschedule('p', 100)
    assert.equal(store.outbox.get('b')?.nextAttempt, 100)
    assert.equal(store.outbox.remove('a'), true)
    assert.equal(store.outbox.remove('a'), false)
    store.close()
  })

  it('outbox: unsealed tells whether a peer has an entry without an envelope; take removes and names its kind', () => {
    const store = openStore(file())
    store.outbox.add({
      messageId: 'a',
      peerId: 'p',
      seq: 0,
      envelope: new Uint8Array(0),
      nextAttempt: 0,
      kind: 'receipt'
    })
    store.outbox.add({ messageId: 'b', peerId: 'q', seq: 1, envelope: Uint8Array.of(1), nextAttempt: 0, kind: 'group' })
    assert.equal(store.outbox.unsealed('p'), true)
    assert.equal(store.outbox.unsealed('q'), false)
    assert.equal(store.outbox.unsealed('nobody'), false)
    store.outbox.seal('a', 1, Uint8Array.of(1))
    assert.equal(store.outbox.unsealed('p'), false)
    assert.equal(store.outbox.take('a'), 'receipt')
    assert.equal(store.outbox.take('a'), undefined, 'taken once')
    assert.equal(store.outbox.take('b'), 'group')
    assert.deepEqual(store.outbox.peers(), [])
    store.close()
  })

  it('uses an invite once and remembers seen envelopes', () => {
    const store = openStore(file())
    store.invites.create('s3cret')
    assert.equal(store.invites.use('unknown', 'p'), false)
    assert.equal(store.invites.use('s3cret', 'p'), true)
    assert.equal(store.invites.use('s3cret', 'q'), false)
    assert.equal(store.invites.get('s3cret')?.usedBy, 'p')
    assert.equal(store.seen.has('x'), false)
    store.seen.add('x', 'p')
    store.seen.add('x', 'p')
    assert.equal(store.seen.has('x'), true)
    store.close()
  })
})
