/** What a community node allows each queue, member and address (docs/PROTOCOL.md §7.1, COMMUNITY.md). */
import {
  DEFAULT_DEPOSIT_BURST,
  DEFAULT_DEPOSIT_RATE_PER_SECOND,
  DEFAULT_MEMBER_MAX_BYTES,
  DEFAULT_MEMBER_MAX_DEPOSITS,
  DEFAULT_MEMBER_MAX_QUEUES,
  DEFAULT_MEMBER_REQUEST_BURST,
  DEFAULT_MEMBER_REQUEST_RATE_PER_SECOND,
  DEFAULT_POW_DIFFICULTY,
  DEFAULT_QUEUE_MAX_BYTES,
  DEFAULT_QUEUE_MAX_DEPOSITS,
  DEFAULT_RETENTION_MS
} from './constants.ts'

export interface MailboxLimits {
  /** @default 30 days */
  retentionMs: number
  /** @default 1,000 */
  queueMaxDeposits: number
  /** @default 16 MiB */
  queueMaxBytes: number
  /** @default 10,000 */
  memberMaxDeposits: number
  /** @default 256 MiB */
  memberMaxBytes: number
  /** @default 1,000 */
  memberMaxQueues: number
  /** leading zero bits a deposit in a public queue must show; @default 18 */
  powDifficulty: number
  /** deposits per second per remote IP address; @default 50 */
  depositRate: number
  /** @default 200 */
  depositBurst: number
  /** a member's own requests (QUEUE_CREATE, SUBSCRIBE, DELETE, QUEUE_DELETE) per second per member peer id; @default 20 */
  memberRequestRate: number
  /** @default 200 */
  memberRequestBurst: number
}

export const DEFAULT_MAILBOX_LIMITS: Readonly<MailboxLimits> = Object.freeze({
  retentionMs: DEFAULT_RETENTION_MS,
  queueMaxDeposits: DEFAULT_QUEUE_MAX_DEPOSITS,
  queueMaxBytes: DEFAULT_QUEUE_MAX_BYTES,
  memberMaxDeposits: DEFAULT_MEMBER_MAX_DEPOSITS,
  memberMaxBytes: DEFAULT_MEMBER_MAX_BYTES,
  memberMaxQueues: DEFAULT_MEMBER_MAX_QUEUES,
  powDifficulty: DEFAULT_POW_DIFFICULTY,
  depositRate: DEFAULT_DEPOSIT_RATE_PER_SECOND,
  depositBurst: DEFAULT_DEPOSIT_BURST,
  memberRequestRate: DEFAULT_MEMBER_REQUEST_RATE_PER_SECOND,
  memberRequestBurst: DEFAULT_MEMBER_REQUEST_BURST
})

/** The defaults with the given ones over them; each must be a positive integer (the difficulty: 0..32). */
export function mailboxLimits(given: Partial<MailboxLimits> = {}): MailboxLimits {
  const limits = { ...DEFAULT_MAILBOX_LIMITS }
  for (const [key, value] of Object.entries(given) as Array<[keyof MailboxLimits, number | undefined]>) {
    if (value === undefined) continue
    if (!(key in DEFAULT_MAILBOX_LIMITS)) throw new TypeError(`unknown mailbox limit ${key}`)
    const min = key === 'powDifficulty' ? 0 : 1
    const max = key === 'powDifficulty' ? 32 : Number.MAX_SAFE_INTEGER
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new RangeError(`mailbox limit ${key} must be an integer ${min}..${max}, got ${value}`)
    }
    limits[key] = value
  }
  return limits
}
