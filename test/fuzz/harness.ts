/**
 * Shared pieces of the reliability suite (not a test file itself): the short/long budget, fast-check
 * parameters, a heap check that compares heap sizes after full GCs (a ratio, never time), a guard
 * that turns unhandled rejections into failures, and byte mutators for "valid input, then damaged".
 *
 * Short mode (the default, inside `npm test`): a few thousand inputs, seconds. Long mode
 * (`PARLEY_LONG=1`, `npm run test:long`): at least 1,000,000 inputs across the fuzz files.
 * `PARLEY_FUZZ_SEED=<n>` replays a fast-check failure with the seed it printed.
 */
import assert from 'node:assert/strict'
import v8 from 'node:v8'
import vm from 'node:vm'
import fc from 'fast-check'

/** True under `PARLEY_LONG=1` (npm run test:long). */
export const LONG = process.env.PARLEY_LONG === '1'

/** The number of inputs (or trials) for this mode. */
export function budget(short: number, long: number): number {
  return LONG ? long : short
}

/** fast-check parameters: the run count, and the seed from PARLEY_FUZZ_SEED when replaying. */
export function fuzzParameters<T>(numRuns: number): fc.Parameters<T> {
  const seed = process.env.PARLEY_FUZZ_SEED
  return { numRuns, ...(seed !== undefined && seed !== '' ? { seed: Number(seed) } : {}) }
}

let gcFunction: (() => void) | undefined

/** Runs a full garbage collection (exposes V8's gc without a command-line flag). */
export function collectGarbage(): void {
  if (gcFunction === undefined) {
    v8.setFlagsFromString('--expose-gc')
    gcFunction = vm.runInNewContext('gc') as () => void
  }
  gcFunction()
}

/**
 * heapUsed after full GCs with event-loop turns between them: some memory is only released by
 * finalizers that run after a GC (AbortSignal.timeout/any clean up through a FinalizationRegistry),
 * so a synchronous GC alone overstates what is retained.
 */
export async function heapUsedAfterGc(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    collectGarbage()
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  collectGarbage()
  return process.memoryUsage().heapUsed
}

/**
 * The smallest heap a ratio is taken of. A long run adds several MiB that are not leaks: optimized
 * code, feedback vectors and the runtime's own arrays (a heap-snapshot diff of the 250,000-line RPC
 * fuzz after a passing run: 2.1 MiB of internal arrays and 1.2 MiB of code, no growth in sockets,
 * closures or objects); on a 10.9 MiB starting heap that alone broke a 1.5× limit.
 */
const HEAP_FLOOR = 16 * 1024 * 1024

/**
 * Memory stays flat: the heap after the work (after GC) is at most `ratio` times the heap before
 * it (after GC, with the code under test already loaded and warmed up), taken of at least
 * HEAP_FLOOR so that a tiny starting heap does not make the ratio meaningless.
 */
export class HeapWatch {
  readonly baseline: number

  private constructor(baseline: number) {
    this.baseline = baseline
  }

  static async start(): Promise<HeapWatch> {
    return new HeapWatch(await heapUsedAfterGc())
  }

  async assertFlat(ratio = 1.5): Promise<{ before: number; after: number }> {
    const after = await heapUsedAfterGc()
    const limit = Math.max(this.baseline, HEAP_FLOOR) * ratio
    assert.ok(
      after <= limit,
      `heap grew from ${mib(this.baseline)} to ${mib(after)} MiB (limit ${ratio}× = ${mib(limit)} MiB)`
    )
    return { before: this.baseline, after }
  }
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1)
}

/**
 * Records every unhandled rejection and uncaught exception from now on; `assertNone()` fails the
 * test with the first one. Call `dispose()` in an `after` hook.
 */
export function watchUnhandled(): { assertNone: () => void; dispose: () => void } {
  const seen: unknown[] = []
  const onRejection = (reason: unknown): void => {
    seen.push(reason)
  }
  const onException = (err: unknown): void => {
    seen.push(err)
  }
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)
  return {
    assertNone() {
      assert.equal(seen.length, 0, `unhandled: ${seen.map(e => (e instanceof Error ? e.stack : String(e))).join('\n')}`)
    },
    dispose() {
      process.off('unhandledRejection', onRejection)
      process.off('uncaughtException', onException)
    }
  }
}

/** Asserts that `err` is an Error whose name is one of `names` (the documented error classes). */
export function assertErrorName(err: unknown, names: readonly string[], input?: Uint8Array | string): void {
  if (!(err instanceof Error) || !names.includes(err.name)) {
    const shown = input instanceof Uint8Array ? Buffer.from(input).toString('hex').slice(0, 400) : input?.slice(0, 400)
    assert.fail(
      `expected one of ${names.join(', ')}, got ${err instanceof Error ? `${err.name}: ${err.message}\n${err.stack}` : String(err)}` +
        (shown !== undefined ? `\ninput: ${shown}` : '')
    )
  }
}

type Mutation = (bytes: Uint8Array, other: Uint8Array) => Uint8Array

function position(bytes: Uint8Array, at: number): number {
  return bytes.length === 0 ? 0 : at % (bytes.length + 1)
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // flip one bit
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })).map(
    ([at, bit]): Mutation =>
      bytes => {
        if (bytes.length === 0) return bytes
        const out = bytes.slice()
        out[at % out.length] = (out[at % out.length] as number) ^ (1 << bit)
        return out
      }
  ),
  // overwrite one byte with an interesting value
  fc.tuple(fc.nat(), fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x12, 0x1a, 0x22)).map(
    ([at, value]): Mutation =>
      bytes => {
        if (bytes.length === 0) return bytes
        const out = bytes.slice()
        out[at % out.length] = value
        return out
      }
  ),
  // truncate
  fc.nat().map(
    (at): Mutation =>
      bytes =>
        bytes.slice(0, position(bytes, at))
  ),
  // drop a range
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 64 })).map(
    ([at, length]): Mutation =>
      bytes => {
        const from = position(bytes, at)
        return Uint8Array.from([...bytes.subarray(0, from), ...bytes.subarray(from + length)])
      }
  ),
  // insert random bytes (including varints that claim huge lengths)
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(
    ([at, insert]): Mutation =>
      bytes => {
        const from = position(bytes, at)
        return Uint8Array.from([...bytes.subarray(0, from), ...insert, ...bytes.subarray(from)])
      }
  ),
  // duplicate a range (repeated fields, doubled messages)
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 256 })).map(
    ([at, length]): Mutation =>
      bytes => {
        const from = position(bytes, at)
        const range = bytes.subarray(from, from + length)
        return Uint8Array.from([...bytes.subarray(0, from), ...range, ...range, ...bytes.subarray(from + range.length)])
      }
  ),
  // splice: our head, another valid input's tail
  fc.tuple(fc.nat(), fc.nat()).map(
    ([a, b]): Mutation =>
      (bytes, other) => {
        return Uint8Array.from([...bytes.subarray(0, position(bytes, a)), ...other.subarray(position(other, b))])
      }
  ),
  // append garbage after a valid message (unknown fields, trailing bytes)
  fc.uint8Array({ minLength: 1, maxLength: 32 }).map(
    (tail): Mutation =>
      bytes =>
        Uint8Array.from([...bytes, ...tail])
  )
)

/** Valid samples, damaged by 1 to `max` random mutations. */
export function mutated(samples: readonly Uint8Array[], max = 3): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      fc.constantFrom(...samples),
      fc.constantFrom(...samples),
      fc.array(mutation, { minLength: 1, maxLength: max })
    )
    .map(([sample, other, mutations]) => mutations.reduce((bytes, m) => m(bytes, other), sample))
}

/** Random bytes, biased to small sizes, sometimes huge. */
export const randomBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 8, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  { weight: 3, arbitrary: fc.uint8Array({ maxLength: 2048 }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 64 * 1024 - 8, max: 64 * 1024 + 8 }).map(n => new Uint8Array(n).fill(0x0a))
  }
)

/**
 * Any code points, lone surrogates included, biased to ASCII. (fast-check's `unit: 'binary'` builds a
 * table of ~80 MiB on first use, which would swamp the heap check.)
 */
export function anyString(maxLength: number): fc.Arbitrary<string> {
  const unit = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map(c => String.fromCharCode(c)) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x1f }).map(c => String.fromCharCode(c)) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map(c => String.fromCodePoint(c)) }
  )
  return fc.string({ unit, maxLength })
}

/** Counts what the inputs led to (ok or an error name), so a test can show it reached the deep checks. */
export class Outcomes {
  readonly counts = new Map<string, number>()

  ok(): void {
    this.add('ok')
  }

  error(err: unknown): void {
    this.add(err instanceof Error ? err.name : typeof err)
  }

  add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
  }

  get total(): number {
    let sum = 0
    for (const n of this.counts.values()) sum += n
    return sum
  }

  /** Fails unless every named outcome happened at least once. */
  assertSeen(keys: readonly string[]): void {
    const missing = keys.filter(k => (this.counts.get(k) ?? 0) === 0)
    assert.deepEqual(missing, [], `the fuzzer never reached: ${missing.join(', ')} (saw ${this.toString()})`)
  }

  toString(): string {
    return [...this.counts].map(([k, n]) => `${k}=${n}`).join(' ')
  }
}

/** Inputs around the 64 KiB frame cap, just under and over it. */
export const oversize: fc.Arbitrary<Uint8Array> = fc
  .tuple(fc.integer({ min: 64 * 1024 - 4, max: 64 * 1024 + 64 }), fc.integer({ min: 0, max: 255 }))
  .map(([n, fill]) => new Uint8Array(n).fill(fill))
