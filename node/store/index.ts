/**
 * The node's SQLite database (node:sqlite, WAL): settings, TOFU pins, contacts, ratchet sessions,
 * hash chains, messages, the outbox, invites, pending invite secrets, seen envelope ids, the
 * community tables (invites, members, joined communities) and a community node's mailboxes. Every
 * state change that must survive a crash together runs in one `transaction`. The database handle
 * stays inside: callers see only the typed tables, here and in messages-table.ts, outbox-table.ts,
 * community-tables.ts and mailbox-tables.ts, all over the cached statements of queries.ts.
 */
import { chmodSync, closeSync, openSync } from 'node:fs'
import { resolve } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { communityTables } from './community-tables.ts'
import { mailboxTables } from './mailbox-tables.ts'
import { memberMailboxTables } from './member-mailbox-tables.ts'
import { groupTables } from './group-tables.ts'
import { messagesTable } from './messages-table.ts'
import { migrate } from './migrations.ts'
import { outboxTable } from './outbox-table.ts'
import { queries } from './queries.ts'
import { bytes, optional, toContact, toPrekey, toSession } from './rows.ts'
import type { ContactRow } from './contact-types.ts'
import type { ParleyStore } from './types.ts'

export { MIGRATIONS, type Migration, migrate } from './migrations.ts'
export { HELD } from './outbox-table.ts'
export type * from './community-types.ts'
export type * from './contact-types.ts'
export type * from './group-types.ts'
export type * from './mailbox-types.ts'
export type * from './message-types.ts'
export type * from './states.ts'
export type * from './types.ts'

/** How long a writer waits for another connection's lock before SQLITE_BUSY (CLI tools, backups). */
export const BUSY_TIMEOUT_MS = 5000

/** Each store's connection, reachable only through databaseForTests. */
const databases = new WeakMap<ParleyStore, DatabaseSync>()

/**
 * The connection behind a store, for tests that check connection state (PRAGMAs, change counters,
 * commits). Never for node code: it goes through the typed API above.
 */
export function databaseForTests(store: ParleyStore): DatabaseSync {
  const db = databases.get(store)
  if (db === undefined) throw new TypeError('not a store opened by openStore')
  return db
}

/** Opens (creating if needed, mode 0600) and migrates the database at `path`. */
export function openStore(path: string): ParleyStore {
  if (path !== ':memory:') {
    // create it 0600 before SQLite does (SQLite gives its -wal and -shm files the same mode)
    closeSync(openSync(path, 'a', 0o600))
    chmodSync(path, 0o600)
  }
  const db = new DatabaseSync(path)
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`)
    db.exec('PRAGMA journal_mode = WAL')
    // an acked message must survive power loss too, not only a crash of the process
    db.exec('PRAGMA synchronous = FULL')
    db.exec('PRAGMA foreign_keys = ON')
    // savepoints (one per received envelope) journal to a temporary file by default: keep it in memory
    db.exec('PRAGMA temp_store = MEMORY')
    migrate(db)
  } catch (err) {
    db.close()
    throw err
  }
  const store = createStore(db, path === ':memory:' ? undefined : `${resolve(path)}-wal`)
  databases.set(store, db)
  return store
}

/** A copy callers may change without changing the cached row. */
function copyContact(c: ContactRow): ContactRow {
  return { ...c, addresses: [...c.addresses] }
}

function createStore(db: DatabaseSync, wal: string | undefined): ParleyStore {
  const q = queries(db, { wal })
  const { get, all, run, transaction, savepoint, sync, release } = q
  // contact rows by peer id, read on every message: written through by contacts.put, the one
  // writer, and dropped on any rollback (a put inside it may be undone). Only rows that exist, so
  // the map is no bigger than the table: lookups of unknown peer ids (anyone can make up one) are not kept
  const contactCache = new Map<string, ContactRow>()
  q.onRollback(() => contactCache.clear())

  return {
    transaction,
    savepoint,
    sync,
    pins: {
      get(name) {
        const r = get('SELECT peer_id, pinned_at FROM pins WHERE name = ?', name)
        return r === undefined ? undefined : { peerId: r.peer_id as string, pinnedAt: r.pinned_at as number }
      },
      set(name, peerId) {
        run(
          `INSERT INTO pins (name, peer_id, pinned_at) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET peer_id = excluded.peer_id, pinned_at = excluded.pinned_at`,
          name,
          peerId,
          Date.now()
        )
      }
    },
    settings: {
      readReceipts() {
        return get('SELECT read_receipts FROM preferences WHERE id = 1')?.read_receipts === 1
      },
      setReadReceipts(on) {
        run('UPDATE preferences SET read_receipts = ? WHERE id = 1', on ? 1 : 0)
      },
      ownName() {
        return optional(get('SELECT own_name FROM preferences WHERE id = 1')?.own_name as string | null | undefined)
      },
      setOwnName(name) {
        run('UPDATE preferences SET own_name = ? WHERE id = 1', name ?? null)
      },
      failAfterMs() {
        return get('SELECT fail_after_ms FROM preferences WHERE id = 1')?.fail_after_ms as number
      },
      setFailAfterMs(ms) {
        run('UPDATE preferences SET fail_after_ms = ? WHERE id = 1', ms)
      }
    },
    prekeys: {
      current() {
        const r = get('SELECT * FROM prekeys WHERE retired_at IS NULL ORDER BY created_at DESC, rowid DESC LIMIT 1')
        return r === undefined ? undefined : toPrekey(r)
      },
      get(id) {
        const r = get('SELECT * FROM prekeys WHERE id = ?', id)
        return r === undefined ? undefined : toPrekey(r)
      },
      add(p) {
        run(
          'INSERT INTO prekeys (id, private_key, signature, created_at) VALUES (?, ?, ?, ?)',
          p.id,
          p.privateKey,
          p.signature,
          p.createdAt
        )
      },
      retireAllBut(keep, at) {
        run('UPDATE prekeys SET retired_at = ? WHERE id != ? AND retired_at IS NULL', at, keep)
      },
      prune(before) {
        return run('DELETE FROM prekeys WHERE retired_at IS NOT NULL AND retired_at <= ?', before)
      }
    },
    inviteSecrets: {
      get(peerId) {
        return get('SELECT secret FROM invite_secrets WHERE peer_id = ?', peerId)?.secret as string | undefined
      },
      set(peerId, secret) {
        run(
          `INSERT INTO invite_secrets (peer_id, secret) VALUES (?, ?)
           ON CONFLICT (peer_id) DO UPDATE SET secret = excluded.secret`,
          peerId,
          secret
        )
      },
      delete(peerId) {
        run('DELETE FROM invite_secrets WHERE peer_id = ?', peerId)
      }
    },
    contacts: {
      get(peerId) {
        let c = contactCache.get(peerId)
        if (c === undefined) {
          const r = get('SELECT * FROM contacts WHERE peer_id = ?', peerId)
          if (r === undefined) return undefined
          c = toContact(r)
          contactCache.set(peerId, c)
        }
        return copyContact(c)
      },
      byName(name) {
        const r = get('SELECT * FROM contacts WHERE name = ? ORDER BY updated_at DESC LIMIT 1', name)
        return r === undefined ? undefined : toContact(r)
      },
      list() {
        return all('SELECT * FROM contacts ORDER BY created_at, peer_id').map(toContact)
      },
      count(state) {
        return get('SELECT COUNT(*) AS n FROM contacts WHERE state = ?', state)?.n as number
      },
      put(c) {
        run(
          `INSERT OR REPLACE INTO contacts
             (peer_id, name, announced_name, state, verified, key_changed, last_seen, addresses,
              session_restarted_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          c.peerId,
          c.name ?? null,
          c.announcedName ?? null,
          c.state,
          c.verified ? 1 : 0,
          c.keyChanged ? 1 : 0,
          c.lastSeen ?? null,
          JSON.stringify(c.addresses),
          c.sessionRestartedAt ?? null,
          c.createdAt,
          c.updatedAt
        )
        contactCache.set(c.peerId, copyContact(c))
      }
    },
    sessions: {
      current(peerId) {
        const r = get('SELECT * FROM sessions WHERE peer_id = ? AND current = 1', peerId)
        return r === undefined ? undefined : toSession(r)
      },
      get(peerId, handshakeId) {
        const r = get('SELECT * FROM sessions WHERE peer_id = ? AND handshake_id = ?', peerId, handshakeId)
        return r === undefined ? undefined : toSession(r)
      },
      all(peerId) {
        return all(
          'SELECT * FROM sessions WHERE peer_id = ? ORDER BY current DESC, updated_at DESC, rowid DESC',
          peerId
        ).map(toSession)
      },
      put(peerId, handshakeId, state, current) {
        transaction(() => {
          if (current)
            run(
              'UPDATE sessions SET current = 0 WHERE peer_id = ? AND handshake_id != ? AND current = 1',
              peerId,
              handshakeId
            )
          run(
            `INSERT INTO sessions (peer_id, handshake_id, state, current, updated_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (peer_id, handshake_id) DO UPDATE SET state = excluded.state,
               current = MAX(excluded.current, sessions.current), updated_at = excluded.updated_at`,
            peerId,
            handshakeId,
            state,
            current ? 1 : 0,
            Date.now()
          )
        })
      },
      retire(peerId) {
        run('UPDATE sessions SET current = 0 WHERE peer_id = ?', peerId)
      }
    },
    chains: {
      get(peerId, direction) {
        const r = get('SELECT seq, hash FROM chains WHERE peer_id = ? AND direction = ?', peerId, direction)
        return r === undefined ? undefined : { seq: r.seq as number, hash: bytes(r.hash) }
      },
      set(peerId, direction, chain) {
        run(
          `INSERT INTO chains (peer_id, direction, seq, hash) VALUES (?, ?, ?, ?)
           ON CONFLICT (peer_id, direction) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
          peerId,
          direction,
          chain.seq,
          chain.hash
        )
      },
      delete(peerId, direction) {
        run('DELETE FROM chains WHERE peer_id = ? AND direction = ?', peerId, direction)
      }
    },
    messages: messagesTable(q),
    outbox: outboxTable(q),
    invites: {
      create(secret) {
        run('INSERT INTO invites (secret, created_at) VALUES (?, ?)', secret, Date.now())
      },
      get(secret) {
        const r = get('SELECT * FROM invites WHERE secret = ?', secret)
        return r === undefined
          ? undefined
          : {
              secret: r.secret as string,
              createdAt: r.created_at as number,
              usedAt: optional(r.used_at as number | null),
              usedBy: optional(r.used_by as string | null)
            }
      },
      use(secret, peerId) {
        return (
          run(
            'UPDATE invites SET used_at = ?, used_by = ? WHERE secret = ? AND used_at IS NULL',
            Date.now(),
            peerId,
            secret
          ) > 0
        )
      }
    },
    ...communityTables(q),
    ...mailboxTables(q),
    mailboxes: memberMailboxTables(q),
    seen: {
      has(id) {
        return get('SELECT 1 AS x FROM seen_envelopes WHERE id = ?', id) !== undefined
      },
      add(id, peerId) {
        run('INSERT OR IGNORE INTO seen_envelopes (id, peer_id, seen_at) VALUES (?, ?, ?)', id, peerId, Date.now())
      }
    },
    groups: groupTables(q),
    close() {
      release()
      if (db.isOpen) db.close()
    }
  }
}
