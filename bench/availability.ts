/**
 * Which parts of the node exist on this checkout. Figures 1–4 need the node (ParleyNode, Messenger,
 * names registry, daemon); until they are merged, those figures report `unavailable` with the
 * missing files instead of a number.
 */
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The files a figure needs that are missing (relative to the repository root). */
export function missing(files: string[]): string[] {
  return files.filter(file => !existsSync(join(ROOT, file)))
}
