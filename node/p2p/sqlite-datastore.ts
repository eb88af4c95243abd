import { chmodSync, closeSync, openSync } from 'node:fs'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { NotFoundError } from '@libp2p/interface'
import { BaseDatastore } from 'datastore-core'
import { Key, type KeyQuery, type Pair, type Query } from 'interface-datastore'

interface AbortOptions {
  signal?: AbortSignal
}

/**
 * A persistent interface-datastore over node:sqlite (no native addon): libp2p keeps its peer store
 * and kad-dht keeps the records it stores for others here, so both survive a restart.
 * One table of (key TEXT PRIMARY KEY, value BLOB); WAL, file 0600. Every call is synchronous under
 * the hood (SQLite on a local file is faster than the promise round trip it would replace).
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

  close(): void {
    this.db?.close()
    this.db = undefined
    this.statements = undefined
  }

  private get s(): NonNullable<SqliteDatastore['statements']> {
    if (this.statements === undefined) throw new Error('the datastore is not open')
    return this.statements
  }

  override put(key: Key, val: Uint8Array, options?: AbortOptions): Key {
    options?.signal?.throwIfAborted()
    this.s.put.run(key.toString(), val)
    return key
  }

  override get(key: Key, options?: AbortOptions): Uint8Array {
    options?.signal?.throwIfAborted()
    const row = this.s.get.get(key.toString()) as { value: Uint8Array } | undefined
    if (row === undefined) throw new NotFoundError(`no value for ${key.toString()}`)
    return new Uint8Array(row.value)
  }

  override has(key: Key, options?: AbortOptions): boolean {
    options?.signal?.throwIfAborted()
    return this.s.has.get(key.toString()) !== undefined
  }

  override delete(key: Key, options?: AbortOptions): void {
    options?.signal?.throwIfAborted()
    this.s.del.run(key.toString())
  }

  override *_all(q: Query, options?: AbortOptions): Generator<Pair> {
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
    const rows = (
      q.prefix != null ? this.s.keysPrefix.all(q.prefix, `${q.prefix}\uffff`) : this.s.keys.all()
    ) as Array<{ key: string }>
    for (const row of rows) {
      options?.signal?.throwIfAborted()
      yield new Key(row.key, false)
    }
  }
}
