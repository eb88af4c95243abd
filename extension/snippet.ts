import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { Snippet } from '../node/daemon/rpc-api.ts'
import { textLengthProblem } from '../node/messaging/text-limit.ts'

/** The selection is larger than a snippet may be. */
export class SnippetTooLargeError extends Error {
  static name = 'SnippetTooLargeError'
  name = 'SnippetTooLargeError'
}

/** An editor selection, 0-based as VS Code gives it. */
export interface SelectionInput {
  languageId: string
  /** Workspace-relative path (vscode.workspace.asRelativePath), any separator. */
  relativePath: string
  start: { line: number; character: number }
  end: { line: number; character: number }
  text: string
}

/**
 * The snippet for a selection: 1-based inclusive lines, forward slashes. A selection that ends at
 * the very start of a line (whole lines selected with the keyboard) does not include that line.
 */
export function snippetFromSelection(input: SelectionInput): Snippet {
  const startLine = input.start.line + 1
  let endLine = input.end.line + 1
  let text = input.text
  if (input.end.character === 0 && input.end.line > input.start.line) {
    endLine -= 1
    text = text.replace(/\r?\n$/, '')
  }
  // the daemon's own limit (a snippet's code is a message text): fail before the round trip
  const tooLarge = textLengthProblem(text)
  if (tooLarge !== undefined) throw new SnippetTooLargeError(`the selection is too large for a snippet: ${tooLarge}`)
  return {
    language: input.languageId,
    path: input.relativePath.split(sep).join('/').replace(/\\/g, '/'),
    startLine,
    endLine,
    text
  }
}

/**
 * Absolute paths a received snippet may refer to: its relative path under each workspace folder.
 * Absolute paths and paths that climb out of the folder (`..`) give nothing: a snippet never makes
 * the editor open a file outside the workspace.
 */
export function snippetCandidates(workspaceFolders: string[], snippetPath: string): string[] {
  if (typeof snippetPath !== 'string' || snippetPath === '' || snippetPath.includes('\0')) return []
  const path = snippetPath.replace(/\\/g, '/')
  if (isAbsolute(path) || /^[a-zA-Z]:/.test(path) || path.startsWith('/')) return []
  const out: string[] = []
  for (const folder of workspaceFolders) {
    const candidate = resolve(join(folder, ...path.split('/')))
    const rel = relative(folder, candidate)
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue
    out.push(candidate)
  }
  return out
}
