/**
 * The Node.js the CLI and the daemon need: node:sqlite without a flag (Node 22.13; 22.5 to 22.12
 * have it only behind --experimental-sqlite) and Promise.withResolvers for libp2p 3 (Node 22).
 * Pure: the binary's launcher checks it before it loads anything that would not run.
 */
export const MINIMUM_NODE = '22.13.0'

function parts(version: string): number[] {
  return version
    .replace(/^v/, '')
    .split(/[.-]/)
    .slice(0, 3)
    .map(p => Number.parseInt(p, 10) || 0)
}

/** True iff `version` (`22.5.1`, `v20.20.2`) is at least `minimum`. */
export function nodeAtLeast(version: string, minimum: string = MINIMUM_NODE): boolean {
  const have = parts(version)
  const need = parts(minimum)
  for (let i = 0; i < 3; i++) {
    if ((have[i] ?? 0) !== (need[i] ?? 0)) return (have[i] ?? 0) > (need[i] ?? 0)
  }
  return true
}

/** What is wrong with this Node, in one line, or undefined when it will do. */
export function nodeVersionProblem(version: string): string | undefined {
  if (nodeAtLeast(version)) return undefined
  return `parley: needs Node.js ${MINIMUM_NODE} or later (node:sqlite without a flag); found Node.js ${version.replace(/^v/, '')} (${process.execPath})`
}
