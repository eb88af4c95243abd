/**
 * The name rules, in one place: the daemon, the CLI and the extension (input boxes, contact lookup,
 * @mentions) import them. Pure (no node:* builtins, no `vscode`): the webview bundle may import it.
 */
import { NAME_MAX_LENGTH, NAME_MIN_LENGTH } from './constants.ts'
import { InvalidNameError } from './errors.ts'

const ALLOWED = /^[a-z0-9._-]+$/
const ALNUM = /^[a-z0-9]$/

/**
 * The form in which names are compared: Unicode NFKC, then lower case. No validation: for looking a
 * name up among known ones (contacts, pins, mentions), where an invalid name simply matches nothing.
 */
export function foldName(input: string): string {
  return input.normalize('NFKC').toLowerCase()
}

/** Which name rule an input breaks: surfaces word their hints by it (extension/input-rules.ts). */
export type NameRule = 'type' | 'length' | 'characters' | 'ends'

export interface NameProblem {
  rule: NameRule
  /** what was expected and what came, as the daemon reports it */
  message: string
}

/**
 * The rule `input` breaks, or undefined when it is a valid name. The rules: after {@link foldName},
 * only `a-z 0-9 . _ -`, 3 to 32 characters, first and last a letter or digit.
 */
export function nameProblem(input: string): NameProblem | undefined {
  if (typeof input !== 'string') return { rule: 'type', message: `a name must be a string, got ${typeof input}` }
  // bound the work before normalizing: NFKC can expand, but never a valid name from a long input
  if (input.length > NAME_MAX_LENGTH * 4) {
    return { rule: 'length', message: `a name has at most ${NAME_MAX_LENGTH} characters, got ${input.length}` }
  }
  const name = foldName(input)
  if (name.length < NAME_MIN_LENGTH) {
    return { rule: 'length', message: `a name has at least ${NAME_MIN_LENGTH} characters, got ${name.length}` }
  }
  if (name.length > NAME_MAX_LENGTH) {
    return { rule: 'length', message: `a name has at most ${NAME_MAX_LENGTH} characters, got ${name.length}` }
  }
  if (!ALLOWED.test(name)) {
    const bad = [...name].find(c => !/[a-z0-9._-]/.test(c))
    return {
      rule: 'characters',
      message: `a name may contain only a-z, 0-9, ".", "_" and "-" (after NFKC and lower-casing); ${JSON.stringify(bad)} is not allowed`
    }
  }
  if (!ALNUM.test(name[0]!) || !ALNUM.test(name[name.length - 1]!)) {
    return { rule: 'ends', message: `a name must start and end with a letter or a digit, got "${name}"` }
  }
  return undefined
}

/**
 * The normalized form of a name ({@link foldName}). Throws InvalidNameError naming the rule that
 * fails ({@link nameProblem}).
 */
export function normalizeName(input: string): string {
  const problem = nameProblem(input)
  if (problem !== undefined) throw new InvalidNameError(problem.message)
  return foldName(input)
}
