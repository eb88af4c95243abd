/**
 * Stores deposits (docs/PROTOCOL.md §7.1): the quotas of the queue and of its owner, the replay
 * rule (a deposit id already stored is answered OK and not stored again) and the durable commit
 * before the answer. Deposits that arrive while a commit runs wait for the next one and share it
 * (group commit: one fsync for many depositors).
 */
import type { ParleyStore } from '../store/index.ts'
import { depositId } from './deposit-id.ts'
import type { MailboxLimits } from './limits.ts'
import { MailboxResponse } from './pb/mailbox.js'

type Status = MailboxResponse.Status

interface Pending {
  queueId: Uint8Array
  blob: Uint8Array
  resolve: (status: Status) => void
  reject: (err: unknown) => void
}

export interface DepositWriterComponents {
  store: Pick<ParleyStore, 'mailbox' | 'transaction'>
  limits: Pick<MailboxLimits, 'queueMaxDeposits' | 'queueMaxBytes' | 'memberMaxDeposits' | 'memberMaxBytes'>
  now?: () => number
  /** deposits were stored in these owners' queues (after the commit) */
  onStored?: (owners: Set<string>) => void
}

export class DepositWriter {
  private readonly components: DepositWriterComponents
  private pending: Pending[] = []
  private scheduled = false

  constructor(components: DepositWriterComponents) {
    this.components = components
  }

  /** OK once the deposit is durable (or was already stored), else QUEUE_FULL, MEMBER_FULL or UNKNOWN_QUEUE. */
  write(queueId: Uint8Array, blob: Uint8Array): Promise<Status> {
    return new Promise((resolve, reject) => {
      this.pending.push({ queueId, blob, resolve, reject })
      if (!this.scheduled) {
        this.scheduled = true
        // the deposits of this turn of the event loop share one commit
        setImmediate(() => this.flush())
      }
    })
  }

  private flush(): void {
    this.scheduled = false
    const batch = this.pending
    this.pending = []
    if (batch.length === 0) return
    const { store, limits } = this.components
    const now = (this.components.now ?? Date.now)()
    const owners = new Set<string>()
    let statuses: Status[]
    try {
      statuses = store.transaction(() =>
        batch.map(({ queueId, blob }) => {
          const queue = store.mailbox.queue(queueId)
          if (queue === undefined) return MailboxResponse.Status.UNKNOWN_QUEUE
          const id = depositId(queueId, blob)
          if (store.mailbox.hasDeposit(id)) return MailboxResponse.Status.OK
          if (queue.deposits + 1 > limits.queueMaxDeposits || queue.bytes + blob.length > limits.queueMaxBytes) {
            return MailboxResponse.Status.QUEUE_FULL
          }
          const member = store.mailbox.usage(queue.owner)
          if (member.deposits + 1 > limits.memberMaxDeposits || member.bytes + blob.length > limits.memberMaxBytes) {
            return MailboxResponse.Status.MEMBER_FULL
          }
          store.mailbox.addDeposit({ depositId: id, queueId, storedAt: now, blob })
          owners.add(queue.owner)
          return MailboxResponse.Status.OK
        })
      )
    } catch (err) {
      for (const p of batch) p.reject(err)
      return
    }
    for (const [i, p] of batch.entries()) p.resolve(statuses[i] as Status)
    if (owners.size > 0) this.components.onStored?.(owners)
  }
}
