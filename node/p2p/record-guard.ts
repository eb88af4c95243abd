import { Record as DhtRecord } from '@libp2p/kad-dht'
import { logger } from '@libp2p/logger'
import { BaseDatastore } from 'datastore-core'
import type { Datastore, Key, KeyQuery, Pair, Query } from 'interface-datastore'
import { kadRecordPrefix } from '../names/kad-datastore.ts'
import { checkReplacement } from '../names/validators.ts'
import type { ValidationOptions } from '../names/records.ts'

const log = logger('parley:p2p:record-guard')

interface AbortOptions {
  signal?: AbortSignal
}

/**
 * Wraps libp2p's datastore and enforces the storing rule on kad-dht's records: every path that
 * writes a record (a peer's PUT_VALUE, our own put, kad-dht's "correction" after a get) ends in
 * `datastore.put(/dht/record/…)`, so this is the one place where a live name claim can never be
 * replaced by another key's claim, nor a record by an older one of the same owner
 * (checkReplacement). A refused put throws, which kad-dht turns into a failed PUT for the sender.
 */
export class RecordGuardDatastore extends BaseDatastore {
  private readonly inner: Datastore
  private readonly recordPrefix: string
  private readonly validation: ValidationOptions

  constructor(inner: Datastore, options: ValidationOptions & { datastorePrefix?: string } = {}) {
    super()
    this.inner = inner
    this.recordPrefix = kadRecordPrefix(options.datastorePrefix)
    this.validation = { now: options.now }
  }

  override async put(key: Key, val: Uint8Array, options?: AbortOptions): Promise<Key> {
    if (key.toString().startsWith(this.recordPrefix)) await this.check(key, val, options)
    return await this.inner.put(key, val, options)
  }

  private async check(key: Key, val: Uint8Array, options?: AbortOptions): Promise<void> {
    let existing: Uint8Array
    try {
      existing = await this.inner.get(key, options)
    } catch (err) {
      if ((err as Error).name === 'NotFoundError') return
      throw err
    }
    let incoming: DhtRecord
    let held: DhtRecord
    try {
      incoming = DhtRecord.deserialize(val)
      held = DhtRecord.deserialize(existing)
    } catch {
      return // not a record we understand: kad-dht's business
    }
    try {
      checkReplacement(incoming.key, held.value, incoming.value, this.validation)
    } catch (err) {
      log('refused to replace %s: %s', key.toString(), (err as Error).message)
      throw err
    }
  }

  override get(key: Key, options?: AbortOptions): Uint8Array | Promise<Uint8Array> {
    return this.inner.get(key, options)
  }

  override has(key: Key, options?: AbortOptions): boolean | Promise<boolean> {
    return this.inner.has(key, options)
  }

  override delete(key: Key, options?: AbortOptions): void | Promise<void> {
    return this.inner.delete(key, options)
  }

  override query(q: Query, options?: AbortOptions): AsyncGenerator<Pair> | Generator<Pair> {
    return this.inner.query(q, options) as AsyncGenerator<Pair> | Generator<Pair>
  }

  override queryKeys(q: KeyQuery, options?: AbortOptions): AsyncGenerator<Key> | Generator<Key> {
    return this.inner.queryKeys(q, options) as AsyncGenerator<Key> | Generator<Key>
  }
}
