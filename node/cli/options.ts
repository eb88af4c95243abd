/** Checks of the CLI's option values, with usage errors that say what was expected. */
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
