/**
 * Checks on what the user types into the extension's input boxes (pure, unit-tested). The rules are
 * the node's own (node/names/name-rules.ts, node/messaging/invite-link-syntax.ts): an input box
 * accepts exactly what the daemon accepts; only the wording of the hint is the extension's.
 */
import { NAME_MAX_LENGTH, NAME_MIN_LENGTH } from '../node/names/constants.ts'
import { type NameRule, nameProblem } from '../node/names/name-rules.ts'

export { isInviteLink } from '../node/messaging/invite-link-syntax.ts'

const NAME_HINTS: Record<NameRule, string> = {
  type: 'Type a name.',
  length: `A name has ${NAME_MIN_LENGTH} to ${NAME_MAX_LENGTH} characters.`,
  characters: 'Use letters a-z, digits and . _ - only.',
  ends: 'Start and end with a letter or a digit.'
}

/** A hint while typing a name, or undefined when the daemon will accept it. */
export function nameInputProblem(value: string): string | undefined {
  const problem = nameProblem(value)
  return problem === undefined ? undefined : NAME_HINTS[problem.rule]
}
