import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Ed25519PrivateKey, PeerId } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import type {
  AbortOptions,
  Gathered,
  GatherOptions,
  PutResult,
  QueryTrace,
  Reach,
  RecordQuery
} from '../../node/names/dht-query.ts'
import { createNameClaim } from '../../node/names/records.ts'

/** One peer's answer to a GET: the record value it holds. */
export interface Answer {
  from: PeerId
  value: Uint8Array
}

/** What one GET sees: the answers in order; those from `holdAfter` on wait for release(). */
export interface Script {
  answers: Answer[]
  /** peers that failed (timeouts, refused dials) */
  failed?: number
  holdAfter?: number
}

/** Every gather still running, of every FakeQuery, and whether it waits for release(): settle() waits for the others. */
const running = new Map<Promise<unknown>, { held: boolean }>()

/**
 * A RecordQuery without a DHT: each gather plays the next script (the last one repeats), parsing
 * answers in order and settling `first` as the real one does; puts are recorded.
 */
export class FakeQuery implements RecordQuery {
  peers = 20
  scripts: Script[] = []
  readonly local = new Map<string, Uint8Array>()
  readonly puts: Array<{ key: Uint8Array; value: Uint8Array; signal?: AbortSignal }> = []
  gathers = 0
  /** answers parsed, by every gather */
  parsed = 0
  putResult: PutResult | ((value: Uint8Array) => PutResult) = { stored: 20, refused: 0 }
  private held = Promise.withResolvers<void>()

  /** Lets the held part of every running script through. */
  release(): void {
    this.held.resolve()
    this.held = Promise.withResolvers<void>()
  }

  storeLocal(key: Uint8Array, value: Uint8Array): void {
    this.local.set(uint8ArrayToString(key, 'base16'), value)
  }

  routingTableSize(): number {
    return this.peers
  }

  async localValue(key: Uint8Array): Promise<Uint8Array | undefined> {
    return this.local.get(uint8ArrayToString(key, 'base16'))
  }

  gather<T>(
    _key: Uint8Array,
    parse: (from: PeerId, value: Uint8Array) => Promise<T | undefined>,
    options: GatherOptions<T>
  ): Gathered<T> {
    const script = this.scripts[Math.min(this.gathers, this.scripts.length - 1)] ?? { answers: [] }
    this.gathers++
    const reach: Reach = { peers: this.peers, answered: 0, failed: script.failed ?? 0 }
    const trace: QueryTrace = { asked: script.failed ?? 0, maxHops: 1 }
    const out = new Map<string, T>()
    const first = Promise.withResolvers<T[]>()
    let settled = false
    const held = this.held.promise
    const state = { held: false }
    const all = (async (): Promise<T[]> => {
      for (const [i, answer] of script.answers.entries()) {
        if (i === script.holdAfter) {
          state.held = true
          await held
          state.held = false
        }
        reach.answered++
        trace.asked++
        this.parsed++
        const item = await parse(answer.from, answer.value)
        if (item === undefined) continue
        out.set(answer.from.toString(), item)
        if (!settled && options.enough?.([...out.values()]) === true) {
          settled = true
          first.resolve([...out.values()])
        }
        if (settled && options.drain === false && (options.stop ?? options.enough)?.([...out.values()]) === true) break
      }
      return [...out.values()]
    })()
    running.set(all, state)
    void all.finally(() => running.delete(all)).catch(() => {})
    void all.then(values => {
      if (!settled) {
        settled = true
        first.resolve(values)
      }
    })
    return { first: first.promise, all, reach, trace }
  }

  async put(key: Uint8Array, value: Uint8Array, options: AbortOptions): Promise<PutResult> {
    this.puts.push({ key, value, signal: options.signal })
    return typeof this.putResult === 'function' ? this.putResult(value) : this.putResult
  }
}

export interface Keyed {
  key: Ed25519PrivateKey
  peerId: PeerId
}

export async function keyed(): Promise<Keyed> {
  const key = await generateKeyPair('Ed25519')
  return { key, peerId: peerIdFromPrivateKey(key) }
}

export async function peers(n: number): Promise<PeerId[]> {
  return await Promise.all(Array.from({ length: n }, async () => (await keyed()).peerId))
}

/** A live claim of `owner` for `name`. */
export async function claim(
  owner: Keyed,
  name: string,
  init: { sequence?: bigint; claimedAt?: number; expiresAt?: number } = {}
): Promise<Uint8Array> {
  return await createNameClaim(owner.key, {
    name,
    claimedAt: init.claimedAt ?? 1,
    sequence: init.sequence ?? 1n,
    expiresAt: init.expiresAt ?? Date.now() + 3_600_000
  })
}

/** The same value answered by each of `from`. */
export function held(from: PeerId[], value: Uint8Array): Answer[] {
  return from.map(peer => ({ from: peer, value }))
}

/**
 * Lets pending work run: every gather not held back by its script ends (signatures are verified on
 * the thread pool, so its answers take more than a turn of the event loop), then what follows it.
 */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    while ([...running.values()].some(g => !g.held)) await new Promise(resolve => setTimeout(resolve, 1))
    await new Promise(resolve => setImmediate(resolve))
  }
}
