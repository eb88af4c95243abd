/**
 * Token buckets by key (docs/PROTOCOL.md §7.1), `rate` per second up to `burst`: deposits per
 * remote IP address (depositors change peer ids at will, addresses they cannot), a member's own
 * requests per member peer id. At most MAX_RATE_BUCKETS keys are remembered: the longest unused
 * ones are forgotten first (a full bucket again), so a flood of keys cannot grow memory.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import { MAX_RATE_BUCKETS } from './constants.ts'

interface Bucket {
  tokens: number
  at: number
}

export class AddressRateLimit {
  private readonly buckets = new Map<string, Bucket>()
  private readonly rate: number
  private readonly burst: number
  private readonly now: () => number

  constructor(init: { rate: number; burst: number; now?: () => number }) {
    this.rate = init.rate
    this.burst = init.burst
    this.now = init.now ?? Date.now
  }

  /** Takes one token for this address; false when it has none left. */
  take(address: string): boolean {
    const now = this.now()
    let bucket = this.buckets.get(address)
    if (bucket === undefined) {
      bucket = { tokens: this.burst, at: now }
      if (this.buckets.size >= MAX_RATE_BUCKETS) {
        const oldest = this.buckets.keys().next().value as string
        this.buckets.delete(oldest)
      }
    } else {
      this.buckets.delete(address) // moved to the end: the most recently used
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate)
      bucket.at = now
    }
    this.buckets.set(address, bucket)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  get size(): number {
    return this.buckets.size
  }
}

/** The IP address of a remote multiaddr (the whole address when it has none, e.g. a relayed one). */
export function remoteHost(addr: Multiaddr): string {
  const ip = addr.getComponents().find(c => c.name === 'ip4' || c.name === 'ip6')
  return ip?.value ?? addr.toString()
}
