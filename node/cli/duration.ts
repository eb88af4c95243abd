import { UsageError } from './output.ts'

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/** `--expires` and the like: a whole number with a unit, `30s`, `15m`, `12h`, `7d`; in ms. */
export function parseDuration(value: string, option: string): number {
  const match = /^([1-9][0-9]{0,6})([smhd])$/.exec(value)
  if (match === null) {
    throw new UsageError(`--${option} must be a whole number with a unit s, m, h or d (e.g. 7d), got "${value}"`)
  }
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
}
