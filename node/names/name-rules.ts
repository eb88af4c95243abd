import { NAME_MAX_LENGTH, NAME_MIN_LENGTH } from './constants.ts'
import { InvalidNameError } from './errors.ts'

const ALLOWED = /^[a-z0-9._-]+$/
const ALNUM = /^[a-z0-9]$/

/**
 * The normalized form of a name: Unicode NFKC, then lower case. Throws InvalidNameError naming the
 * rule that fails: only `a-z 0-9 . _ -`, 3 to 32 characters, first and last a letter or digit.
 */
export function normalizeName(input: string): string {
  if (typeof input !== 'string') throw new InvalidNameError(`a name must be a string, got ${typeof input}`)
  // bound the work before normalizing: NFKC can expand, but never a valid name from a long input
  if (input.length > NAME_MAX_LENGTH * 4) {
    throw new InvalidNameError(`a name has at most ${NAME_MAX_LENGTH} characters, got ${input.length}`)
  }
  const name = input.normalize('NFKC').toLowerCase()
  if (name.length < NAME_MIN_LENGTH) {
    throw new InvalidNameError(`a name has at least ${NAME_MIN_LENGTH} characters, got ${name.length}`)
  }
  if (name.length > NAME_MAX_LENGTH) {
    throw new InvalidNameError(`a name has at most ${NAME_MAX_LENGTH} characters, got ${name.length}`)
  }
  if (!ALLOWED.test(name)) {
    const bad = [...name].find(c => !/[a-z0-9._-]/.test(c))
    throw new InvalidNameError(
      `a name may contain only a-z, 0-9, ".", "_" and "-" (after NFKC and lower-casing); ${JSON.stringify(bad)} is not allowed`
    )
  }
  if (!ALNUM.test(name[0]!) || !ALNUM.test(name[name.length - 1]!)) {
    throw new InvalidNameError(`a name must start and end with a letter or a digit, got "${name}"`)
  }
  return name
}

/** True when `name` is already in normalized form and follows every rule. */
export function isNormalizedName(name: string): boolean {
  try {
    return normalizeName(name) === name
  } catch {
    return false
  }
}
