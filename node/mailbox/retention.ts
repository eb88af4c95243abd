/**
 * The sweep (docs/PROTOCOL.md §7.1): deposits older than the retention are forgotten, and so are
 * the queues of members no longer on the allowlist. At start, then every SWEEP_INTERVAL_MS.
 */
import type { Logger } from '@libp2p/interface'
import type { ParleyStore } from '../store/index.ts'
import { SWEEP_INTERVAL_MS } from './constants.ts'

export interface RetentionComponents {
  store: Pick<ParleyStore, 'mailbox' | 'transaction'>
  retentionMs: number
  isMember(peerId: string): boolean
  now?: () => number
  log: Logger
}

export class Retention {
  private readonly components: RetentionComponents
  private timer?: ReturnType<typeof setInterval>

  constructor(components: RetentionComponents) {
    this.components = components
  }

  start(): void {
    this.sweep()
    this.timer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS)
    this.timer.unref()
  }

  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  /** Sweeps now: the number of deposits expired and of queues dropped. */
  sweep(): { expired: number; queues: number } {
    const { store, retentionMs, isMember, log } = this.components
    try {
      const now = (this.components.now ?? Date.now)()
      return store.transaction(() => {
        const expired = store.mailbox.expire(now - retentionMs)
        let queues = 0
        for (const owner of store.mailbox.owners()) if (!isMember(owner)) queues += store.mailbox.deleteOwner(owner)
        if (expired > 0 || queues > 0) log('swept %d expired deposits and %d queues of former members', expired, queues)
        return { expired, queues }
      })
    } catch (err) {
      log.error('the mailbox sweep failed %e', err)
      return { expired: 0, queues: 0 }
    }
  }
}
