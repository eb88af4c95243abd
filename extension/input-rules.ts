/** Checks on what the user types into the extension's input boxes (pure, unit-tested). */
import { NAME_MAX_LENGTH, NAME_MIN_LENGTH } from '../node/names/constants.ts'

/** A hint while typing; the daemon enforces the name rules (the message it returns is shown). */
export function nameInputProblem(value: string): string | undefined {
  const name = value.normalize('NFKC').toLowerCase().trim()
  if (name.length < NAME_MIN_LENGTH || name.length > NAME_MAX_LENGTH) {
    return `A name has ${NAME_MIN_LENGTH} to ${NAME_MAX_LENGTH} characters.`
  }
  if (!/^[a-z0-9._-]+$/.test(name)) return 'Use letters a-z, digits and . _ - only.'
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'Start and end with a letter or a digit.'
  return undefined
}

export function isInviteLink(value: string): boolean {
  return /^parley:\/\/invite\?\S+$/.test(value.trim())
}
