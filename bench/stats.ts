/** Small statistics and timing helpers shared by the figures. */

/** The q-quantile (0..1) of `samples` by nearest rank; NaN for no samples. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) {
    return Number.NaN
  }
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank] as number
}

export interface Summary {
  n: number
  p50: number
  p99: number
  mean: number
  min: number
  max: number
}

/** p50, p99, mean, min and max of `samples`. */
export function summarize(samples: readonly number[]): Summary {
  const n = samples.length
  const mean = n === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0) / n
  return {
    n,
    p50: quantile(samples, 0.5),
    p99: quantile(samples, 0.99),
    mean,
    min: n === 0 ? Number.NaN : Math.min(...samples),
    max: n === 0 ? Number.NaN : Math.max(...samples)
  }
}

/** Milliseconds from a monotonic clock. */
export function now(): number {
  return performance.now()
}

/** Rounds to `digits` significant digits (keeps the JSON and the table readable). */
export function round(value: number, digits = 4): number {
  if (!Number.isFinite(value) || value === 0) {
    return value
  }
  return Number(value.toPrecision(digits))
}

/**
 * Runs `fn` in batches until at least `minMs` passed (and at least `minIterations` calls), and
 * returns the mean time per call in microseconds. Synchronous work only.
 */
export function timePerCall(fn: () => void, options: { minMs: number; minIterations?: number }): number {
  for (let i = 0; i < 50; i++) {
    fn()
  }
  let iterations = 0
  let batch = 16
  const start = now()
  let elapsed = 0
  while (elapsed < options.minMs || iterations < (options.minIterations ?? 1)) {
    for (let i = 0; i < batch; i++) {
      fn()
    }
    iterations += batch
    batch = Math.min(batch * 2, 4096)
    elapsed = now() - start
  }
  return (elapsed * 1000) / iterations
}

/** Same as timePerCall for async work (awaited one after the other). */
export async function timePerCallAsync(
  fn: () => Promise<void>,
  options: { minMs: number; minIterations?: number }
): Promise<number> {
  for (let i = 0; i < 20; i++) {
    await fn()
  }
  let iterations = 0
  const start = now()
  let elapsed = 0
  while (elapsed < options.minMs || iterations < (options.minIterations ?? 1)) {
    await fn()
    iterations++
    elapsed = now() - start
  }
  return (elapsed * 1000) / iterations
}
