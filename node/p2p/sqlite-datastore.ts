import { chmodSync, closeSync, openSync } from 'node:fs'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { NotFoundError } from '@libp2p/interface'
import { BaseDatastore } from 'datastore-core'
import { Key, type KeyQuery, type Pair, type Query } from 'interface-datastore'
import { PEER_STORE_FLUSH_MS } from './constants.ts'

/** libp2p's peer store: its writes are buffered (see SqliteDatastore). */
const BUFFERED_PREFIX = '/peers/'

interface AbortOptions {
  signal?: AbortSignal
}

/**
 * A persistent interface-datastore over node:sqlite (no native addon): libp2p keeps its peer store
 * and kad-dht keeps the records it stores for others here, so both survive a restart.
 * One table of (key TEXT PRIMARY KEY, value BLOB); WAL, file 0600. Every call is synchronous under
 * the hood (SQLite on a local file is faster than the promise round trip it would replace).
 *
 * libp2p's peer store (`/peers/…`) rewrites a peer's record on every stream opened or accepted,
 * every identify and every peer a DHT response mentions; that record is a cache of what the network
 * told us and needs no durability. Its writes are kept in memory (and answered from there) and
 * written in one transaction PEER_STORE_FLUSH_MS later, on a query, and on close: one commit per
 * interval instead of one per update, and a crash loses at most that interval of peer-store updates.
 * Every other key (kad-dht's records) is written through at once.
 */
export class SqliteDatastore extends BaseDatastore {
  readonly path: string
  private db: DatabaseSync | undefined
  private statements:
    | {
        put: StatementSync
        get: StatementSync
        has: StatementSync
        del: StatementSync
        all: StatementSync
        allPrefix: StatementSync
        keys: StatementSync
        keysPrefix: StatementSync
      }
    | undefined

  /** Buffered peer-store writes: the value, or null for a delete. */
  private readonly pending = new Map<string, Uint8Array | null>()
  private flushTimer: ReturnType<typeof setTimeout> | undefined

  constructor(path: string) {
    super()
    this.path = path
  }

  /** Opens (creating 0600 if needed). Called before libp2p starts. */
  open(): void {
    if (this.db !== undefined) return
    if (this.path !== ':memory:' && process.platform !== 'win32') {
      closeSync(openSync(this.path, 'a', 0o600))
      chmodSync(this.path, 0o600)
    }
    const db = new DatabaseSync(this.path)
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000')
    db.exec('CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID')
    this.db = db
    // prefix ranges: key >= prefix AND key < prefix || U+FFFF (keys are ASCII paths)
    this.statements = {
      put: db.prepare(
        'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'
      ),
      get: db.prepare('SELECT value FROM kv WHERE key = ?'),
      has: db.prepare('SELECT 1 AS one FROM kv WHERE key = ?'),
      del: db.prepare('DELETE FROM kv WHERE key = ?'),
      all: db.prepare('SELECT key, value FROM kv ORDER BY key'),
      allPrefix: db.prepare('SELECT key, value FROM kv WHERE key >= ? AND key < ? ORDER BY key'),
      keys: db.prepare('SELECT key FROM kv ORDER BY key'),
      keysPrefix: db.prepare('SELECT key FROM kv WHERE key >= ? AND key < ? ORDER BY key')
    }
  }

  /** Writes buffered peer-store updates and closes. */
  close(): void {
    if (this.db !== undefined) this.flush()
    this.db?.close()
    this.db = undefined
    this.statements = undefined
  }

  private get s(): NonNullable<SqliteDatastore['statements']> {
    if (this.statements === undefined) throw new Error('the datastore is not open')
    return this.statements
  }

  /** Writes the buffered peer-store updates in one transaction. */
  flush(): void {
    clearTimeout(this.flushTimer)
    this.flushTimer = undefined
    if (this.pending.size === 0) return
    const s = this.s
    const db = this.db as DatabaseSync
    db.exec('BEGIN')
    try {
      for (const [key, value] of this.pending) {
        if (value === null) s.del.run(key)
        else s.put.run(key, value)
      }
      db.exec('COMMIT')
    } catch (err) {
      db.exec('ROLLBACK')
      throw err
    }
    this.pending.clear()
  }

  private buffer(key: string, value: Uint8Array | null): void {
    if (this.db === undefined) throw new Error('the datastore is not open')
    this.pending.set(key, value)
    if (this.flushTimer === undefined) {
      this.flushTimer = setTimeout(() => {
        try {
          this.flush()
        } catch {
          // closed meanwhile, or the disk failed: the next flush (or close) tries again
        }
      }, PEER_STORE_FLUSH_MS)
      this.flushTimer.unref?.()
    }
  }

  override put(key: Key, val: Uint8Array, options?: AbortOptions): Key {
    options?.signal?.throwIfAborted()
    const k = key.toString()
    if (k.startsWith(BUFFERED_PREFIX)) this.buffer(k, val.slice())
    else this.s.put.run(k, val)
    return key
  }

  override get(key: Key, options?: AbortOptions): Uint8Array {
    options?.signal?.throwIfAborted()
    const buffered = this.pending.get(key.toString())
    if (buffered === null) throw new NotFoundError(`no value for ${key.toString()}`)
    if (buffered !== undefined) return buffered.slice()
    const row = this.s.get.get(key.toString()) as { value: Uint8Array } | undefined
    if (row === undefined) throw new NotFoundError(`no value for ${key.toString()}`)
    return new Uint8Array(row.value)
  }

  override has(key: Key, options?: AbortOptions): boolean {
    options?.signal?.throwIfAborted()
    const buffered = this.pending.get(key.toString())
    if (buffered !== undefined) return buffered !== null
    return this.s.has.get(key.toString()) !== undefined
  }

  override delete(key: Key, options?: AbortOptions): void {
    options?.signal?.throwIfAborted()
    const k = key.toString()
    if (k.startsWith(BUFFERED_PREFIX)) this.buffer(k, null)
    else this.s.del.run(k)
  }

  override *_all(q: Query, options?: AbortOptions): Generator<Pair> {
    this.flush()
    const rows = (q.prefix != null ? this.s.allPrefix.all(q.prefix, `${q.prefix}\uffff`) : this.s.all.all()) as Array<{
      key: string
      value: Uint8Array
    }>
    for (const row of rows) {
      options?.signal?.throwIfAborted()
      yield { key: new Key(row.key, false), value: new Uint8Array(row.value) }
    }
  }

  override *_allKeys(q: KeyQuery, options?: AbortOptions): Generator<Key> {
    this.flush()
    const rows = (
      q.prefix != null ? this.s.keysPrefix.all(q.prefix, `${q.prefix}\uffff`) : this.s.keys.all()
    ) as Array<{ key: string }>
    for (const row of rows) {
      options?.signal?.throwIfAborted()
      yield new Key(row.key, false)
    }
  }
}
