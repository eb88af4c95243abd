/**
 * The statements of one store connection: prepared once and cached, and the transaction and
 * savepoint rules every table module writes under (node/store/index.ts wires the modules).
 */
import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs'
import type { DatabaseSync, SQLInputValue } from 'node:sqlite'
import type { Row } from './rows.ts'

export interface Queries {
  get(text: string, ...args: SQLInputValue[]): Row | undefined
  all(text: string, ...args: SQLInputValue[]): Row[]
  /** rows one at a time: a caller that stops early stops the statement there */
  iterate(text: string, ...args: SQLInputValue[]): IterableIterator<Row>
  /** the number of rows changed */
  run(text: string, ...args: SQLInputValue[]): number
  transaction<T>(fn: () => T, options?: { durable?: boolean }): T
  savepoint<T>(fn: () => T): T
  sync(): Promise<void>
  /**
   * Calls `listener` after every rollback (of a transaction or to a savepoint): a cache of rows
   * written inside it may hold rows the database no longer has.
   */
  onRollback(listener: () => void): void
  /** fsyncs what no sync() covered yet and closes what sync keeps open; call before closing the connection */
  release(): void
}

/**
 * `wal`: the path of the database's write-ahead log (`<database>-wal`), which `sync` fsyncs; none for
 * an in-memory database (nothing to sync).
 */
export function queries(db: DatabaseSync, options: { wal?: string } = {}): Queries {
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
  const iterate = (text: string, ...args: SQLInputValue[]): IterableIterator<Row> =>
    sql(text).iterate(...args) as IterableIterator<Row>
  const run = (text: string, ...args: SQLInputValue[]): number => Number(sql(text).run(...args).changes)
  const rollbackListeners: Array<() => void> = []
  const rolledBack = (): void => {
    for (const listener of rollbackListeners) listener()
  }

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
        // a durable commit fsyncs the WAL, and with it every commit before it
        if (relaxed) commits++
        else synced = commits
        return result
      } catch (err) {
        if (db.isTransaction) db.exec('ROLLBACK')
        rolledBack()
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
        rolledBack()
        throw err
      } finally {
        savepoints--
      }
    })

  // sync: commits made with durable: false (counted), how many of them an fsync covered, and the
  // fsync running now (with the count it covers) and the one queued after it
  let commits = 0
  let synced = 0
  let running: { covers: number; done: Promise<void> } | undefined
  let queued: Promise<void> | undefined
  // the WAL's file descriptor, opened at the first sync and kept (SQLite keeps the file while its
  // connection is open); fdatasync on it flushes what SQLite wrote through its own descriptor
  let fd: number | undefined
  let released = false
  const fsync = async (): Promise<void> => {
    const covers = commits
    // released: release() fsync'd what was left, synchronously
    if (released) return
    if (fd === undefined) {
      try {
        fd = openSync(options.wal!, 'r+')
      } catch (err) {
        // no WAL: nothing was ever written to it (or the database is closed)
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
        throw err
      }
    }
    const { promise, resolve, reject } = Promise.withResolvers<void>()
    fdatasync(fd, err => (err ? reject(err) : resolve()))
    await promise
    synced = Math.max(synced, covers)
  }
  /** Closes the WAL's descriptor (with the connection). */
  const release = (): void => {
    released = true
    if (options.wal !== undefined && synced < commits) {
      // commits still waiting for their fsync (a sync() not run yet): done here, before closing
      try {
        const file = fd ?? openSync(options.wal, 'r+')
        fdatasyncSync(file)
        if (fd === undefined) closeSync(file)
        synced = commits
      } catch {
        // no WAL left to sync
      }
    }
    const open = fd
    fd = undefined
    if (open === undefined) return
    // never under an fdatasync still running on the thread pool (the number could be reused)
    if (running === undefined) closeSync(open)
    else void running.done.finally(() => closeSync(open)).catch(() => {})
  }
  const start = (): Promise<void> => {
    const covers = commits
    const done = fsync().finally(() => {
      if (running?.done === done) running = undefined
    })
    running = { covers, done }
    return done
  }
  /**
   * Resolves once every commit made so far is durable: the relaxed commits since the last durable
   * one are fsync'd (fdatasync of the WAL, what synchronous=FULL does inside each COMMIT) on libuv's
   * thread pool, so the event loop goes on meanwhile, and the callers that wait together share one
   * fsync (group commit). Resolves at once when nothing is waiting for an fsync.
   */
  const sync = (): Promise<void> => {
    const target = commits
    if (options.wal === undefined || synced >= target) return Promise.resolve()
    if (running !== undefined && running.covers >= target) return running.done
    if (running === undefined) return start()
    // the running fsync began before our commit: the next one covers it, shared by everyone queued meanwhile
    queued ??= running.done
      .catch(() => {})
      .then(() => {
        queued = undefined
        return synced >= commits ? undefined : start()
      })
    return queued
  }

  const onRollback = (listener: () => void): void => {
    rollbackListeners.push(listener)
  }

  return { get, all, iterate, run, transaction, savepoint, sync, release, onRollback }
}
