/**
 * Typed settings, invite secrets in their own table, savepoints through the store, and migration 3
 * on a database built at the version 2 schema (a home from before it).
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { after, before, describe, it } from 'node:test'
import { MIGRATIONS, migrate, openStore } from '../../node/store/index.ts'

let dir: string
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-store-settings-'))
})
after(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('store: settings, invite secrets, savepoints', () => {
  it('settings are typed and survive a reopen', () => {
    const path = join(dir, 'settings.sqlite')
    const store = openStore(path)
    assert.equal(store.settings.readReceipts(), false, 'read receipts are off by default')
    assert.equal(store.settings.ownName(), undefined)
    store.settings.setReadReceipts(true)
    store.settings.setOwnName('alice')
    store.close()
    const again = openStore(path)
    assert.equal(again.settings.readReceipts(), true)
    assert.equal(again.settings.ownName(), 'alice')
    again.settings.setOwnName(undefined)
    again.settings.setReadReceipts(false)
    assert.equal(again.settings.ownName(), undefined)
    assert.equal(again.settings.readReceipts(), false)
    again.close()
  })

  it('keeps one invite secret per peer until deleted', () => {
    const store = openStore(':memory:')
    store.inviteSecrets.set('peerA', 's1')
    store.inviteSecrets.set('peerA', 's2')
    store.inviteSecrets.set('peerB', 's3')
    assert.equal(store.inviteSecrets.get('peerA'), 's2')
    store.inviteSecrets.delete('peerA')
    assert.equal(store.inviteSecrets.get('peerA'), undefined)
    assert.equal(store.inviteSecrets.get('peerB'), 's3')
    store.close()
  })

  it('a savepoint undoes only its own writes when it throws; the transaction goes on', () => {
    const store = openStore(':memory:')
    store.transaction(() => {
      store.pins.set('a', 'peerA')
      assert.throws(
        () =>
          store.savepoint(() => {
            store.pins.set('b', 'peerB')
            throw new Error('boom')
          }),
        /boom/
      )
      assert.equal(
        store.savepoint(() => {
          store.pins.set('c', 'peerC')
          // nested savepoints roll back to their own start
          assert.throws(() =>
            store.savepoint(() => {
              store.pins.set('d', 'peerD')
              throw new Error('inner')
            })
          )
          return 7
        }),
        7
      )
    })
    assert.equal(store.pins.get('a')?.peerId, 'peerA')
    assert.equal(store.pins.get('b'), undefined)
    assert.equal(store.pins.get('c')?.peerId, 'peerC')
    assert.equal(store.pins.get('d'), undefined)
    // outside a transaction a savepoint is a transaction of its own
    assert.throws(() =>
      store.savepoint(() => {
        store.pins.set('e', 'peerE')
        throw new Error('boom')
      })
    )
    assert.equal(store.pins.get('e'), undefined)
    store.close()
  })

  it('migration 3 moves settings and pending invite secrets of a version 2 home into their tables', () => {
    const path = join(dir, 'v2.sqlite')
    const db = new DatabaseSync(path)
    migrate(
      db,
      MIGRATIONS.filter(m => m.version <= 2)
    )
    const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)')
    put.run('name', 'alice')
    put.run('readReceipts', 'true')
    put.run('inviteSecret:peerA', 'c2VjcmV0QQ')
    // '' was how a used secret was kept: nothing to move
    put.run('inviteSecret:peerB', '')
    db.prepare(
      "INSERT INTO contacts (peer_id, name, state, created_at, updated_at) VALUES ('peerA', 'a', 'contact', 1, 1)"
    ).run()
    db.close()

    const store = openStore(path)
    assert.equal(store.settings.ownName(), 'alice')
    assert.equal(store.settings.readReceipts(), true)
    assert.equal(store.inviteSecrets.get('peerA'), 'c2VjcmV0QQ')
    assert.equal(store.inviteSecrets.get('peerB'), undefined)
    assert.equal(store.contacts.get('peerA')?.name, 'a', 'other tables are untouched')
    store.close()

    const check = new DatabaseSync(path)
    const tables = (
      check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
    ).map(r => r.name)
    assert.ok(!tables.includes('settings'), 'the key/value table is gone')
    // migrating again changes nothing: the database is at the newest version
    assert.equal(migrate(check), MIGRATIONS.at(-1)!.version)
    check.close()
  })

  it('a migration missing below the newest recorded one is applied, not skipped', () => {
    const path = join(dir, 'gap.sqlite')
    const db = new DatabaseSync(path)
    // a home opened by a build that had migration 10 but not 7-9 (branches merged later)
    migrate(
      db,
      MIGRATIONS.filter(m => m.version <= 6 || m.version === 10)
    )
    assert.equal(migrate(db), MIGRATIONS.at(-1)!.version)
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
    ).map(r => r.name)
    for (const table of ['mailbox_deposits', 'member_queues', 'group_outgoing']) {
      assert.ok(tables.includes(table), `${table} is there`)
    }
    const versions = (db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map(
      r => r.version
    )
    assert.deepEqual(
      versions.sort((a, b) => a - b),
      MIGRATIONS.map(m => m.version).sort((a, b) => a - b)
    )
    db.close()
  })

  it('migration 4 adds the community tables to a version 3 home and leaves the rest as it was', () => {
    const path = join(dir, 'v3.sqlite')
    const db = new DatabaseSync(path)
    migrate(
      db,
      MIGRATIONS.filter(m => m.version <= 3)
    )
    db.prepare("UPDATE preferences SET own_name = 'alice' WHERE id = 1").run()
    db.close()
    const store = openStore(path)
    assert.equal(store.settings.ownName(), 'alice')
    assert.deepEqual(store.community.members(), [])
    assert.deepEqual(store.communities.list(), [])
    const hash = new Uint8Array(32).fill(3)
    store.community.createInvite(hash, 1, 10)
    assert.equal(store.community.useInvite(hash), true)
    assert.equal(store.community.useInvite(hash), false, 'no use left')
    store.community.addMember({ peerId: 'peerM', name: 'm', joinedAt: 5 })
    store.communities.put({ peerId: 'peerC', addresses: ['/ip4/127.0.0.1/tcp/1'], joinedAt: 6 })
    store.close()
    const again = openStore(path)
    assert.deepEqual(again.community.members(), [
      { peerId: 'peerM', name: 'm', joinedAt: 5, relayDurationMs: undefined, relayDataBytes: undefined }
    ])
    assert.deepEqual(again.communities.list(), [{ peerId: 'peerC', addresses: ['/ip4/127.0.0.1/tcp/1'], joinedAt: 6 }])
    again.close()
  })

  it('migration 6 on a version 5 home: fail after 7 days, no prekeys yet, contacts and outbox rows kept', () => {
    const path = join(dir, 'v5.sqlite')
    const db = new DatabaseSync(path)
    migrate(
      db,
      MIGRATIONS.filter(m => m.version <= 5)
    )
    db.prepare(
      "INSERT INTO contacts (peer_id, name, state, created_at, updated_at) VALUES ('peerA', 'a', 'contact', 1, 1)"
    ).run()
    db.prepare(
      "INSERT INTO outbox (message_id, peer_id, seq, envelope, next_attempt) VALUES ('m1', 'peerA', 1, x'01', 5)"
    ).run()
    db.close()
    const store = openStore(path)
    assert.equal(store.settings.failAfterMs(), 7 * 24 * 3600_000)
    assert.equal(store.prekeys.current(), undefined)
    assert.equal(store.contacts.get('peerA')?.sessionRestartedAt, undefined)
    assert.equal(store.outbox.get('m1')?.nextAttempt, 5)
    store.close()
  })

  it('migration 3 on a version 2 home without settings: read receipts off, no name', () => {
    const path = join(dir, 'v2-empty.sqlite')
    const db = new DatabaseSync(path)
    migrate(
      db,
      MIGRATIONS.filter(m => m.version <= 2)
    )
    db.prepare("INSERT INTO settings (key, value) VALUES ('readReceipts', 'false'), ('name', '')").run()
    db.close()
    const store = openStore(path)
    assert.equal(store.settings.readReceipts(), false)
    assert.equal(store.settings.ownName(), undefined)
    store.close()
  })
})
