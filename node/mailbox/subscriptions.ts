/**
 * Open subscriptions (docs/PROTOCOL.md §7.1, SUBSCRIBE): each member's stored deposits, oldest
 * first, a page at a time from the store, then each new one as it is stored. One per member: a
 * new subscription closes the one before. The stream is cut when the member does not take a
 * deposit within MESSAGE_TIMEOUT_MS.
 */
import type { Logger, Stream } from '@libp2p/interface'
import type { ParleyStore } from '../store/index.ts'
import { MESSAGE_TIMEOUT_MS, SUBSCRIBE_PAGE } from './constants.ts'
import { MailboxRequest, MailboxResponse } from './pb/mailbox.js'
import type { MailboxStream } from './wire.ts'

interface Subscription {
  /** new deposits were stored for the member */
  wake(): void
  /** a newer subscription replaces this one, or the node stops */
  end(): void
}

export class Subscriptions {
  private readonly open = new Map<string, Subscription>()
  private readonly store: Pick<ParleyStore, 'mailbox'>
  private readonly log: Logger

  constructor(components: { store: Pick<ParleyStore, 'mailbox'>; log: Logger }) {
    this.store = components.store
    this.log = components.log
  }

  /** Deposits were stored for these members. */
  notify(owners: Iterable<string>): void {
    for (const owner of owners) this.open.get(owner)?.wake()
  }

  /** Ends every subscription (the node stops). */
  endAll(): void {
    for (const s of this.open.values()) s.end()
  }

  get size(): number {
    return this.open.size
  }

  /** Serves one member's subscription on its stream until either side ends it. */
  async serve(owner: string, stream: Stream, pb: MailboxStream): Promise<void> {
    const ended = new AbortController()
    let woken = false
    let wakeUp: (() => void) | undefined
    const me: Subscription = {
      wake: () => {
        woken = true
        wakeUp?.()
      },
      end: () => ended.abort()
    }
    this.open.get(owner)?.end()
    this.open.set(owner, me)
    const onEnd = (): void => wakeUp?.()
    ended.signal.addEventListener('abort', onEnd)
    // the member ends the subscription by closing its side; anything else it sends breaks the protocol
    void pb
      .read(MailboxRequest, { signal: ended.signal })
      .catch(() => {})
      .finally(() => ended.abort())
    try {
      const deadline = (): AbortSignal => AbortSignal.any([ended.signal, AbortSignal.timeout(MESSAGE_TIMEOUT_MS)])
      await pb.write({ status: MailboxResponse.Status.OK }, MailboxResponse, { signal: deadline() })
      let cursor = 0
      while (!ended.signal.aborted) {
        woken = false
        const page = this.store.mailbox.depositsAfter(owner, cursor, SUBSCRIBE_PAGE)
        for (const d of page) {
          await pb.write(
            {
              status: MailboxResponse.Status.OK,
              deposit: {
                depositId: d.depositId as Uint8Array<ArrayBuffer>,
                queueId: d.queueId as Uint8Array<ArrayBuffer>,
                storedAt: d.storedAt,
                blob: d.blob as Uint8Array<ArrayBuffer>
              }
            },
            MailboxResponse,
            { signal: deadline() }
          )
          cursor = d.seq
        }
        if (page.length < SUBSCRIBE_PAGE && !woken && !ended.signal.aborted) {
          await new Promise<void>(resolve => {
            wakeUp = resolve
          })
          wakeUp = undefined
        }
      }
      await stream.close({ signal: AbortSignal.timeout(MESSAGE_TIMEOUT_MS) }).catch(() => {})
    } catch (err) {
      this.log('a subscription was cut: %s', (err as Error).message)
      stream.abort(err as Error)
    } finally {
      ended.abort()
      ended.signal.removeEventListener('abort', onEnd)
      if (this.open.get(owner) === me) this.open.delete(owner)
    }
  }
}
