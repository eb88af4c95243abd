/** The rules of group titles, shared by the node, the RPC and the extension (pure: no I/O). */
import { MAX_TITLE_BYTES } from './constants.ts'

const encoder = new TextEncoder()

/** Why a title cannot be a group's title, or undefined when it can. */
export function titleProblem(title: unknown): string | undefined {
  if (typeof title !== 'string') return `title must be a string, got ${typeof title}`
  const length = encoder.encode(title).length
  if (title.trim().length === 0) return 'title must not be empty'
  if (length > MAX_TITLE_BYTES) return `title must be at most ${MAX_TITLE_BYTES} bytes, got ${length}`
  return undefined
}
