/**
 * The durability floor of this machine, for figures 1 and 2: how long one durable SQLite commit
 * takes here (node:sqlite, WAL, synchronous=FULL, as node/store opens its database: every commit
 * waits for an fsync), and how many durable commits the real code makes per message.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync, StatementSync } from 'node:sqlite'
import { now, type Summary, summarize } from './stats.ts'

export interface CommitBaseline {
  /** one-row BEGIN IMMEDIATE … COMMIT transactions per second, one after the other */
  commitsPerSecond: number
  /** ms per commit */
  latency: Summary
}

/** Times single-row durable transactions in a temporary database for about `ms`. */
export function measureCommits(options: { ms: number; rowBytes?: number }): CommitBaseline {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-commit-'))
  const db = new DatabaseSync(join(dir, 'commit.db'))
  try {
    db.exec('PRAGMA journal_mode = WAL')
    db.exec('PRAGMA synchronous = FULL')
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)')
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)')
    const row = new Uint8Array(options.rowBytes ?? 1200)
    const samples: number[] = []
    const start = now()
    while (now() - start < options.ms || samples.length < 20) {
      const t = now()
      db.exec('BEGIN IMMEDIATE')
      insert.run(row)
      db.exec('COMMIT')
      samples.push(now() - t)
    }
    return { commitsPerSecond: (samples.length * 1000) / (now() - start), latency: summarize(samples) }
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * A one-row durable commit to time now and then, between the samples of a figure, so that the
 * disk is sampled at the moments the figure runs (its fsync time moves by 10-50x within minutes on
 * a shared machine). commit() returns ms; close() removes the database.
 */
export function commitProbe(options: { rowBytes?: number } = {}): { commit(): number; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-probe-'))
  const db = new DatabaseSync(join(dir, 'probe.db'))
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA synchronous = FULL')
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)')
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)')
  const row = new Uint8Array(options.rowBytes ?? 1200)
  return {
    commit() {
      const t = now()
      db.exec('BEGIN IMMEDIATE')
      insert.run(row)
      db.exec('COMMIT')
      return now() - t
    },
    close() {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

let commits = 0
let installed = false

/**
 * Starts counting the durable commits of every node:sqlite database of this process opened from now
 * on (explicit COMMITs, plus write statements run outside a transaction: each is its own commit),
 * and returns the running count. Call it before the nodes open their stores. Idempotent.
 */
export function countCommits(): () => number {
  if (!installed) {
    installed = true
    const databases = new WeakMap<StatementSync, DatabaseSync>()
    const exec = DatabaseSync.prototype.exec
    const prepare = DatabaseSync.prototype.prepare
    const run = StatementSync.prototype.run
    DatabaseSync.prototype.exec = function (this: DatabaseSync, sql: string) {
      if (/^\s*(COMMIT|END)\b/i.test(sql)) {
        commits++
      }
      return exec.call(this, sql)
    }
    DatabaseSync.prototype.prepare = function (this: DatabaseSync, ...args: unknown[]) {
      const statement = (prepare as (...a: unknown[]) => StatementSync).apply(this, args)
      databases.set(statement, this)
      return statement
    }
    StatementSync.prototype.run = function (this: StatementSync, ...args: unknown[]) {
      const db = databases.get(this)
      if (db != null && !db.isTransaction && /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(this.sourceSQL)) {
        commits++
      }
      return (run as (...a: unknown[]) => ReturnType<StatementSync['run']>).apply(this, args)
    } as StatementSync['run']
  }
  return () => commits
}
