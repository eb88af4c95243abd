/** Checks of the CLI's option values, with usage errors that say what was expected. */
import type { MailboxLimits } from '../mailbox/index.ts'
import { UsageError } from './output.ts'

/** `--name N`: a whole number in [min, max], or undefined when not given. */
export function integerOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`)
  }
  return n
}

/** `daemon --community`'s mailbox options (COMMUNITY.md "Mailboxes"), each a whole number. */
const MAILBOX_LIMIT_OPTIONS = {
  'mailbox-days': { limit: 'retentionMs', min: 1, max: 365, scale: 24 * 60 * 60 * 1000 },
  'mailbox-queue-deposits': { limit: 'queueMaxDeposits', min: 1, max: 1_000_000, scale: 1 },
  'mailbox-queue-bytes': { limit: 'queueMaxBytes', min: 65_536, max: 2 ** 40, scale: 1 },
  'mailbox-member-deposits': { limit: 'memberMaxDeposits', min: 1, max: 10_000_000, scale: 1 },
  'mailbox-member-bytes': { limit: 'memberMaxBytes', min: 65_536, max: 2 ** 44, scale: 1 },
  'mailbox-queues': { limit: 'memberMaxQueues', min: 1, max: 100_000, scale: 1 },
  'mailbox-pow': { limit: 'powDifficulty', min: 0, max: 24, scale: 1 },
  'mailbox-rate': { limit: 'depositRate', min: 1, max: 100_000, scale: 1 }
} as const satisfies Record<string, { limit: keyof MailboxLimits; min: number; max: number; scale: number }>

export type MailboxOptionValues = { [K in keyof typeof MAILBOX_LIMIT_OPTIONS]?: string }

export const MAILBOX_OPTIONS = Object.keys(MAILBOX_LIMIT_OPTIONS)

/** The mailbox limits given on the command line (only with --community); the rest keep their defaults. */
export function mailboxOptions(values: MailboxOptionValues, community: boolean): Partial<MailboxLimits> {
  const limits: Partial<MailboxLimits> = {}
  for (const [name, o] of Object.entries(MAILBOX_LIMIT_OPTIONS)) {
    const n = integerOption(values[name as keyof MailboxOptionValues], name, o.min, o.max)
    if (n === undefined) continue
    if (!community) throw new UsageError(`--${name} goes with --community (mailboxes are kept by community nodes)`)
    limits[o.limit] = n * o.scale
  }
  // the burst follows the rate: four seconds' worth, as the defaults (50/s, 200)
  if (limits.depositRate !== undefined) limits.depositBurst = limits.depositRate * 4
  return limits
}
