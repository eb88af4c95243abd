/**
 * The node's SQLite database (node:sqlite, WAL): settings, TOFU pins, contacts, ratchet sessions,
 * hash chains, messages, the outbox, invites, pending invite secrets, seen envelope ids and the
 * community tables (invites, members, joined communities). Every
 * state change that must survive a crash together runs in one `transaction`. The database handle
 * stays inside: callers see only the typed tables below.
 */
import { chmodSync, closeSync, openSync } from 'node:fs'
import { DatabaseSync, type SQLInputValue } from 'node:sqlite'
import { migrate } from './migrations.ts'
import {
  bytes,
  optional,
  type Row,
  toContact,
  toJoinedCommunity,
  toMember,
  toMessage,
  toOutbox,
  toSession
} from './rows.ts'
import type { ParleyStore } from './types.ts'

export { MIGRATIONS, type Migration, migrate } from './migrations.ts'
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
    migrate(db)
  } catch (err) {
    db.close()
    throw err
  }
  const store = createStore(db)
  databases.set(store, db)
  return store
}

function createStore(db: DatabaseSync): ParleyStore {
  const cache = new Map<string, ReturnType<DatabaseSync['prepare']>>()
  const sql = (text: string): ReturnType<DatabaseSync['prepare']> => {
    let s = cache.get(text)
    if (s === undefined) {
      s = db.prepare(text)
      cache.set(text, s)
    }
    return s
  }
  const get = (text: string, ...args: SQLInputValue[]): Row | undefined => sql(text).get(...args) as Row | undefined
  const all = (text: string, ...args: SQLInputValue[]): Row[] => sql(text).all(...args) as Row[]
  const run = (text: string, ...args: SQLInputValue[]): number => Number(sql(text).run(...args).changes)

  const transaction = <T>(fn: () => T, options?: { durable?: boolean }): T => {
    if (db.isTransaction) return fn()
    // SQLite refuses to change the safety level inside a transaction: around it, then back
    const relaxed = options?.durable === false
    if (relaxed) db.exec('PRAGMA synchronous = NORMAL')
    try {
      db.exec('BEGIN IMMEDIATE')
      try {
        const result = fn()
        if (result instanceof Promise) {
          throw new TypeError('a store transaction must be synchronous')
        }
        db.exec('COMMIT')
        return result
      } catch (err) {
        if (db.isTransaction) db.exec('ROLLBACK')
        throw err
      }
    } finally {
      if (relaxed) db.exec('PRAGMA synchronous = FULL')
    }
  }

  let savepoints = 0
  const savepoint = <T>(fn: () => T): T =>
    transaction(() => {
      const name = `sp${savepoints++}`
      db.exec(`SAVEPOINT ${name}`)
      try {
        const result = fn()
        db.exec(`RELEASE ${name}`)
        return result
      } catch (err) {
        db.exec(`ROLLBACK TO ${name}`)
        db.exec(`RELEASE ${name}`)
        throw err
      } finally {
        savepoints--
      }
    })

  return {
    transaction,
    savepoint,
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
        const r = get('SELECT * FROM contacts WHERE peer_id = ?', peerId)
        return r === undefined ? undefined : toContact(r)
      },
      byName(name) {
        const r = get('SELECT * FROM contacts WHERE name = ? ORDER BY updated_at DESC LIMIT 1', name)
        return r === undefined ? undefined : toContact(r)
      },
      list() {
        return all('SELECT * FROM contacts ORDER BY created_at, peer_id').map(toContact)
      },
      put(c) {
        run(
          `INSERT OR REPLACE INTO contacts
             (peer_id, name, announced_name, state, verified, key_changed, last_seen, addresses, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          c.peerId,
          c.name ?? null,
          c.announcedName ?? null,
          c.state,
          c.verified ? 1 : 0,
          c.keyChanged ? 1 : 0,
          c.lastSeen ?? null,
          JSON.stringify(c.addresses),
          c.createdAt,
          c.updatedAt
        )
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
            run('UPDATE sessions SET current = 0 WHERE peer_id = ? AND handshake_id != ?', peerId, handshakeId)
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
      }
    },
    messages: {
      get(id) {
        const r = get('SELECT * FROM messages WHERE id = ?', id)
        return r === undefined ? undefined : toMessage(r)
      },
      insert(m) {
        run(
          `INSERT INTO messages (id, peer_id, direction, text, snippet, sent_at, stored_at, seq, prev_hash,
             status, delivered_at, error, unread, out_of_order)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          m.id,
          m.peerId,
          m.direction,
          m.text,
          m.snippet === undefined ? null : JSON.stringify(m.snippet),
          m.sentAt,
          m.storedAt,
          m.seq,
          m.prevHash,
          m.status,
          m.deliveredAt ?? null,
          m.error ?? null,
          m.unread ? 1 : 0,
          m.outOfOrder ? 1 : 0
        )
      },
      history(peerId, { limit, before }) {
        const rows =
          before === undefined
            ? all('SELECT * FROM messages WHERE peer_id = ? ORDER BY stored_at DESC, rowid DESC LIMIT ?', peerId, limit)
            : all(
                'SELECT * FROM messages WHERE peer_id = ? AND stored_at < ? ORDER BY stored_at DESC, rowid DESC LIMIT ?',
                peerId,
                before,
                limit
              )
        return rows.map(toMessage).reverse()
      },
      update(id, patch) {
        const m = get('SELECT * FROM messages WHERE id = ?', id)
        if (m === undefined) return
        const cur = toMessage(m)
        run(
          'UPDATE messages SET status = ?, delivered_at = ?, error = ?, seq = ?, prev_hash = ? WHERE id = ?',
          patch.status ?? cur.status,
          ('deliveredAt' in patch ? patch.deliveredAt : cur.deliveredAt) ?? null,
          ('error' in patch ? patch.error : cur.error) ?? null,
          patch.seq ?? cur.seq,
          patch.prevHash ?? cur.prevHash,
          id
        )
      },
      markRead(peerId) {
        return transaction(() => {
          const ids = all(
            "SELECT id FROM messages WHERE peer_id = ? AND direction = 'in' AND unread = 1 ORDER BY rowid",
            peerId
          ).map(r => r.id as string)
          run("UPDATE messages SET unread = 0 WHERE peer_id = ? AND direction = 'in' AND unread = 1", peerId)
          return ids
        })
      },
      unread(peerId) {
        return get('SELECT COUNT(*) AS n FROM messages WHERE peer_id = ? AND unread = 1', peerId)?.n as number
      },
      last(peerId) {
        const r = get('SELECT * FROM messages WHERE peer_id = ? ORDER BY stored_at DESC, rowid DESC LIMIT 1', peerId)
        return r === undefined ? undefined : toMessage(r)
      }
    },
    outbox: {
      add(o) {
        run(
          `INSERT INTO outbox (message_id, peer_id, seq, envelope, attempts, next_attempt, kind)
           VALUES (?, ?, ?, ?, 0, ?, ?)`,
          o.messageId,
          o.peerId,
          o.seq,
          o.envelope,
          o.nextAttempt,
          o.kind
        )
      },
      get(messageId) {
        const r = get('SELECT * FROM outbox WHERE message_id = ?', messageId)
        return r === undefined ? undefined : toOutbox(r)
      },
      seal(messageId, seq, envelope) {
        run('UPDATE outbox SET seq = ?, envelope = ? WHERE message_id = ?', seq, envelope, messageId)
      },
      forPeer(peerId) {
        return all('SELECT * FROM outbox WHERE peer_id = ? ORDER BY rowid', peerId).map(toOutbox)
      },
      peers() {
        return all('SELECT peer_id, MIN(next_attempt) AS next FROM outbox GROUP BY peer_id ORDER BY next').map(r => ({
          peerId: r.peer_id as string,
          nextAttempt: r.next as number
        }))
      },
      remove(messageId) {
        return run('DELETE FROM outbox WHERE message_id = ?', messageId) > 0
      },
      failed(messageIds, error, nextAttempt) {
        transaction(() => {
          for (const id of messageIds) {
            run(
              'UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt = ? WHERE message_id = ?',
              error,
              nextAttempt,
              id
            )
          }
        })
      },
      reschedule(peerId, at) {
        // the common case (everything already due, e.g. right after enqueue) must not cost a commit
        if (get('SELECT 1 AS x FROM outbox WHERE peer_id = ? AND next_attempt > ? LIMIT 1', peerId, at) === undefined)
          return
        run('UPDATE outbox SET next_attempt = ? WHERE peer_id = ? AND next_attempt > ?', at, peerId, at)
      }
    },
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
    community: {
      createInvite(secretHash, uses, expiresAt) {
        run(
          'INSERT INTO community_invites (secret_hash, uses_left, expires_at, created_at) VALUES (?, ?, ?, ?)',
          secretHash,
          uses,
          expiresAt,
          Date.now()
        )
      },
      invite(secretHash) {
        const r = get('SELECT * FROM community_invites WHERE secret_hash = ?', secretHash)
        return r === undefined
          ? undefined
          : { usesLeft: r.uses_left as number, expiresAt: r.expires_at as number, createdAt: r.created_at as number }
      },
      useInvite(secretHash) {
        return (
          run(
            'UPDATE community_invites SET uses_left = uses_left - 1 WHERE secret_hash = ? AND uses_left > 0',
            secretHash
          ) > 0
        )
      },
      member(peerId) {
        const r = get('SELECT * FROM community_members WHERE peer_id = ?', peerId)
        return r === undefined ? undefined : toMember(r)
      },
      memberByName(name) {
        return all('SELECT * FROM community_members WHERE name = ? ORDER BY joined_at', name).map(toMember)
      },
      members() {
        return all('SELECT * FROM community_members ORDER BY joined_at, peer_id').map(toMember)
      },
      addMember(row) {
        run(
          `INSERT INTO community_members (peer_id, name, joined_at, relay_duration_ms, relay_data_bytes)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (peer_id) DO UPDATE SET name = excluded.name`,
          row.peerId,
          row.name ?? null,
          row.joinedAt,
          row.relayDurationMs ?? null,
          row.relayDataBytes ?? null
        )
      },
      removeMember(peerId) {
        return run('DELETE FROM community_members WHERE peer_id = ?', peerId) > 0
      },
      setMemberLimits(peerId, limits) {
        return (
          run(
            'UPDATE community_members SET relay_duration_ms = ?, relay_data_bytes = ? WHERE peer_id = ?',
            limits.relayDurationMs ?? null,
            limits.relayDataBytes ?? null,
            peerId
          ) > 0
        )
      }
    },
    communities: {
      list() {
        return all('SELECT * FROM communities ORDER BY joined_at, peer_id').map(toJoinedCommunity)
      },
      get(peerId) {
        const r = get('SELECT * FROM communities WHERE peer_id = ?', peerId)
        return r === undefined ? undefined : toJoinedCommunity(r)
      },
      put(row) {
        run(
          `INSERT INTO communities (peer_id, addresses, joined_at) VALUES (?, ?, ?)
           ON CONFLICT (peer_id) DO UPDATE SET addresses = excluded.addresses`,
          row.peerId,
          JSON.stringify(row.addresses),
          row.joinedAt
        )
      },
      remove(peerId) {
        return run('DELETE FROM communities WHERE peer_id = ?', peerId) > 0
      }
    },
    seen: {
      has(id) {
        return get('SELECT 1 AS x FROM seen_envelopes WHERE id = ?', id) !== undefined
      },
      add(id, peerId) {
        run('INSERT OR IGNORE INTO seen_envelopes (id, peer_id, seen_at) VALUES (?, ?, ?)', id, peerId, Date.now())
      }
    },
    close() {
      if (db.isOpen) db.close()
    }
  }
}
