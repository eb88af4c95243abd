/**
 * The statements of one store connection: prepared once and cached, and the transaction and
 * savepoint rules every table module writes under (node/store/index.ts wires the modules).
 */
import type { DatabaseSync, SQLInputValue } from 'node:sqlite'
import type { Row } from './rows.ts'

export interface Queries {
  get(text: string, ...args: SQLInputValue[]): Row | undefined
  all(text: string, ...args: SQLInputValue[]): Row[]
  /** the number of rows changed */
  run(text: string, ...args: SQLInputValue[]): number
  transaction<T>(fn: () => T, options?: { durable?: boolean }): T
  savepoint<T>(fn: () => T): T
}

export function queries(db: DatabaseSync): Queries {
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

  return { get, all, run, transaction, savepoint }
}
