/**
 * Node prints an `ExperimentalWarning` when node:sqlite is loaded. The CLI and the daemon rely on
 * it on purpose (DESIGN.md: no native addon), so the warning tells a user nothing: drop exactly
 * that warning, keep every other. Must run before node:sqlite is loaded (the launcher calls it
 * before it imports the rest of the program).
 */
export function silenceSqliteWarning(): void {
  const emit = process.emitWarning
  const filtered = (warning: string | Error, ...rest: unknown[]): void => {
    const first = rest[0]
    const type =
      typeof first === 'string'
        ? first
        : typeof first === 'object' && first !== null
          ? (first as { type?: unknown }).type
          : typeof warning === 'object'
            ? warning.name
            : undefined
    const text = typeof warning === 'string' ? warning : warning.message
    if (type === 'ExperimentalWarning' && /\bSQLite\b/i.test(text)) return
    ;(emit as (...args: unknown[]) => void).call(process, warning, ...rest)
  }
  process.emitWarning = filtered as typeof process.emitWarning
}
