import type { ComponentLogger, Logger, PeerId } from '@libp2p/interface'
import { Record as DhtRecord, type KadDHT, type SingleKadDHT } from '@libp2p/kad-dht'
import type { Datastore } from 'interface-datastore'
import { equals as uint8ArrayEquals } from 'uint8arrays/equals'
import { DHT_QUERY_TIMEOUT_MS } from './constants.ts'
import { createPutRecord } from './dht-record.ts'
import { LookupFailedError } from './errors.ts'
import { kadRecordKey } from './kad-datastore.ts'
import { checkReplacement } from './validators.ts'

export interface AbortOptions {
  signal?: AbortSignal
}

/** How a DHT query went: routing-table peers at its start, peers that answered, peers that failed. */
export interface Reach {
  peers: number
  answered: number
  failed: number
}

export interface GatherOptions<T> extends AbortOptions {
  /** the responses so far answer the question: `first` settles (and, with `drain: false`, the query stops) */
  enough?: (items: T[]) => boolean
  /**
   * with `drain: false`, the query stops (and `all` settles) once this is met instead of `enough`:
   * `first` answers early and the query goes on a little in the background
   */
  stop?: (items: T[]) => boolean
  /** @default true: the query keeps running in the background for `all` once `first` settled */
  drain?: boolean
}

/**
 * Where a query's time went, filled in as it runs (ms from the query's start): what a resolve's
 * breakdown is made of (docs/PERFORMANCE.md, "Where a resolve's time goes").
 */
export interface QueryTrace {
  /** the first peer answered (with a record or only closer peers) */
  firstAnswerMs?: number
  /** the first item `parse` accepted (our own copy counts) */
  firstItemMs?: number
  /** `enough` was met */
  enoughMs?: number
  /** the query ended */
  endMs?: number
  /** requests sent to peers so far */
  asked: number
  /** requests sent when `enough` was met */
  askedAtEnough?: number
  /**
   * hops to the farthest peer whose item counted when `enough` was met (our own copy 0, a peer of
   * our routing table 1, a peer it named 2, …)
   */
  hopsAtEnough?: number
  /** most hops of any peer that answered */
  maxHops: number
}

export interface Gathered<T> {
  /** settles once `enough` is met, or when the query ends */
  first: Promise<T[]>
  /** settles when the query ends */
  all: Promise<T[]>
  /** final once `all` settles */
  reach: Reach
  /** final once `all` settles */
  trace: QueryTrace
}

export interface PutResult {
  /** peers that stored exactly this value */
  stored: number
  /** peers that refused it (or failed) */
  refused: number
}

/** What resolution and publishing need from the DHT: the seam where tests put a fake. */
export interface RecordQuery {
  /** peers in the DHT routing table (0 means no query can run) */
  routingTableSize(): number
  /** our own stored copy of a record, if any */
  localValue(key: Uint8Array): Promise<Uint8Array | undefined>
  gather<T>(
    key: Uint8Array,
    parse: (from: PeerId, value: Uint8Array) => Promise<T | undefined>,
    options: GatherOptions<T>
  ): Gathered<T>
  put(key: Uint8Array, value: Uint8Array, options: AbortOptions): Promise<PutResult>
}

/**
 * Why a query that found nothing says nothing (LookupFailedError), or undefined when its empty
 * result is an answer: it reached the DHT and no more of the peers it asked failed than answered.
 */
export function unanswered(reach: Reach, what: string): LookupFailedError | undefined {
  if (reach.peers === 0) return new LookupFailedError(`cannot look up ${what}: not connected to any DHT peer`)
  if (reach.failed <= reach.answered) return undefined
  const asked = reach.failed + reach.answered
  return new LookupFailedError(
    `cannot look up ${what}: ${reach.failed} of the ${asked} peers asked did not answer; try again`
  )
}

/**
 * The DHT as the query mechanics use it: kad-dht's public `KadDHT` interface. `kadDHT()` is typed as
 * returning a `KadDHT`, but what it builds is a `SingleKadDHT` (one routing table), whose public
 * `routingTable.size` says whether a query can run.
 */
export type QueryableDht = Pick<KadDHT, 'get' | 'put'> & Partial<Pick<SingleKadDHT, 'routingTable'>>

/** Peers in kad-dht's routing table (0 when the DHT has none, or no single routing table). */
export function routingTableSize(dht: QueryableDht): number {
  return dht.routingTable?.size ?? 0
}

export interface DhtQueryComponents {
  /** libp2p.services.dht */
  dht: QueryableDht
  peerId: PeerId
  logger: ComponentLogger
  /** the datastore given to libp2p, where kad-dht keeps the records this node stores */
  datastore?: Datastore
}

export interface DhtQueryInit {
  /** @default Date.now */
  now?: () => number
  /** aborted when the registry stops: ends the queries left running in the background */
  signal?: AbortSignal
  /** @default DHT_QUERY_TIMEOUT_MS */
  timeoutMs?: number
}

/**
 * The query mechanics over kad-dht: a GET that parses every peer's record as it arrives and can
 * answer early, a PUT that counts the peers that stored exactly our value, and our own stored copy.
 */
export class DhtQuery implements RecordQuery {
  private readonly dht: QueryableDht
  private readonly peerId: PeerId
  private readonly datastore?: Datastore
  private readonly log: Logger
  private readonly now: () => number
  private readonly lifetime: AbortSignal
  private readonly timeoutMs: number

  constructor(components: DhtQueryComponents, init: DhtQueryInit = {}) {
    this.dht = components.dht
    this.peerId = components.peerId
    this.datastore = components.datastore
    this.log = components.logger.forComponent('parley:names:query')
    this.now = init.now ?? Date.now
    this.lifetime = init.signal ?? new AbortController().signal
    this.timeoutMs = init.timeoutMs ?? DHT_QUERY_TIMEOUT_MS
  }

  routingTableSize(): number {
    return routingTableSize(this.dht)
  }

  private querySignal(signal?: AbortSignal): AbortSignal {
    const timeout = AbortSignal.timeout(this.timeoutMs)
    return signal === undefined ? timeout : AbortSignal.any([signal, timeout])
  }

  async localValue(key: Uint8Array): Promise<Uint8Array | undefined> {
    if (this.datastore === undefined) return undefined
    try {
      const raw = await this.datastore.get(kadRecordKey(key))
      return DhtRecord.deserialize(raw).value
    } catch {
      return undefined
    }
  }

  /**
   * Runs a kad-dht GET for `key` and parses every record value peers return (ours first), one per
   * peer. `first` settles as soon as `enough` says the responses so far answer the question (or
   * when the query ends); `all` settles when the query ends. With `drain: false` the query is
   * cancelled once `stop` (by default `enough`) is met; otherwise it keeps running in the background
   * for `all`.
   * `reach` counts the peers that answered the query and those that failed (final once `all` settles).
   */
  gather<T>(
    key: Uint8Array,
    parse: (from: PeerId, value: Uint8Array) => Promise<T | undefined>,
    options: GatherOptions<T>
  ): Gathered<T> {
    const out = new Map<string, T>()
    const reach: Reach = { peers: this.routingTableSize(), answered: 0, failed: 0 }
    const started = performance.now()
    const elapsed = (): number => performance.now() - started
    const trace: QueryTrace = { asked: 0, maxHops: 0 }
    // hops per peer: the peers of our routing table are 1, a peer first named by a peer of hop h is h + 1
    const hops = new Map<string, number>([[this.peerId.toString(), 0]])
    const hopsOf = (peer: PeerId): number => hops.get(peer.toString()) ?? 1
    const first = Promise.withResolvers<T[]>()
    let answered = false
    const answer = (): void => {
      if (answered) return
      answered = true
      first.resolve([...out.values()])
    }
    const stop = options.stop ?? options.enough
    /** parses a value; true when a query without drain should stop */
    const add = async (from: PeerId, value: Uint8Array): Promise<boolean> => {
      const item = await parse(from, value)
      if (item === undefined) return false
      out.set(from.toString(), item)
      trace.firstItemMs ??= elapsed()
      const items = [...out.values()]
      if (options.enough?.(items) === true) {
        if (!answered) {
          trace.enoughMs = elapsed()
          trace.askedAtEnough = trace.asked
          trace.hopsAtEnough = Math.max(...[...out.keys()].map(p => hops.get(p) ?? 1))
        }
        answer()
      }
      return answered && stop?.(items) === true
    }
    const all = (async (): Promise<T[]> => {
      const local = await this.localValue(key)
      if (local !== undefined && (await add(this.peerId, local)) && options.drain === false) {
        return [...out.values()]
      }
      if (this.routingTableSize() === 0) return [...out.values()]
      // the background part of a drained query outlives the caller's wait, not the registry
      const signal = this.querySignal(
        options.signal === undefined ? this.lifetime : AbortSignal.any([options.signal, this.lifetime])
      )
      try {
        for await (const event of this.dht.get(key, { signal })) {
          if (event.name === 'SEND_QUERY') {
            trace.asked++
            // a peer asked before any peer named it came from our routing table
            if (!hops.has(event.to.toString())) hops.set(event.to.toString(), 1)
          }
          if (event.name === 'PEER_RESPONSE') {
            reach.answered++
            trace.firstAnswerMs ??= elapsed()
            const hop = hopsOf(event.from)
            trace.maxHops = Math.max(trace.maxHops, hop)
            for (const closer of event.closer) {
              if (!hops.has(closer.id.toString())) hops.set(closer.id.toString(), hop + 1)
            }
          }
          // kad-dht reports a peer that answered with a record our validators refuse (an expired
          // claim, a forgery) as a QueryError: that peer answered; anything else is a peer we lost
          else if (event.name === 'QUERY_ERROR') {
            if (event.error.name === 'QueryError') reach.answered++
            else reach.failed++
          }
          if (event.name === 'PEER_RESPONSE' && event.record != null) {
            // leaving the loop cancels kad-dht's query and its in-flight requests
            if ((await add(event.from, event.record.value)) && options.drain === false) break
          }
        }
      } catch (err) {
        if (!answered) options.signal?.throwIfAborted()
        // kad-dht's own "correction" throws when a peer refuses it (it holds another key's live
        // claim): the responses we collected are what counts
        this.log('get finished with %s', (err as Error).message)
      }
      this.log('get of %b: %d valid records, %d peers answered, %d failed', key, out.size, reach.answered, reach.failed)
      return [...out.values()]
    })()
    all.then(
      () => {
        trace.endMs = elapsed()
        answer()
      },
      err => {
        if (!answered) {
          answered = true
          first.reject(err)
        }
      }
    )
    // a caller that waits for `all` only never reads `first`: its rejection (the registry stopping
    // before any answer) must not surface as an unhandled rejection; callers of `first` still get it
    first.promise.catch(() => {})
    return { first: first.promise, all, reach, trace }
  }

  /** Puts a record to the closest peers; returns how many stored exactly this value. */
  async put(key: Uint8Array, value: Uint8Array, options: AbortOptions): Promise<PutResult> {
    const stored = new Set<string>()
    let refused = 0
    if (this.routingTableSize() === 0) {
      await this.storeLocally(key, value)
      return { stored: 0, refused: 0 }
    }
    try {
      for await (const event of this.dht.put(key, value, { signal: this.querySignal(options.signal) })) {
        if (event.name === 'PEER_RESPONSE' && event.messageName === 'PUT_VALUE') {
          if (event.record != null && uint8ArrayEquals(event.record.value, value)) stored.add(event.from.toString())
        } else if (event.name === 'QUERY_ERROR') {
          refused++
        }
      }
    } catch (err) {
      if ((err as Error).name === 'NameTakenError' || (err as Error).name === 'StaleRecordError') throw err
      options.signal?.throwIfAborted()
      this.log('put finished with %s', (err as Error).message)
    }
    return { stored: stored.size, refused }
  }

  /** With no peers, kad-dht's put would wait for one: keep the record locally meanwhile. */
  private async storeLocally(key: Uint8Array, value: Uint8Array): Promise<void> {
    if (this.datastore === undefined) return
    const existing = await this.localValue(key)
    // the storing rule holds for our own writes too
    if (existing !== undefined) checkReplacement(key, existing, value, { now: this.now })
    await this.datastore.put(kadRecordKey(key), createPutRecord(key, value))
  }
}
