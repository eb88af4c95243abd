/**
 * The `parley` binary's entry (dist/cli.js): checks the Node.js it runs on before it loads the
 * program, which needs node:sqlite. On a Node that is too old, `--help` and the usage still work
 * and every command says what it needs and what it found, exit 1, instead of a stack trace. It
 * imports only pure modules, so it starts on any Node that runs ES modules.
 */
import { nodeVersionProblem } from './node-version.ts'
import { silenceSqliteWarning } from './sqlite-warning.ts'
import { USAGE } from './usage.ts'

/** Exit 0 with the usage on stdout, or 1 with the reason on stderr (in JSON with --json). */
function refuse(argv: readonly string[], problem: string): number {
  const words = argv.filter(a => !a.startsWith('-'))
  if (argv.includes('--help') || argv.includes('-h') || words[0] === 'help') {
    process.stdout.write(USAGE)
    process.stderr.write(`\n${problem}\n`)
    return 0
  }
  if (argv.includes('--json')) {
    process.stderr.write(`${JSON.stringify({ error: { name: 'UnsupportedNodeError', message: problem } })}\n`)
  } else {
    if (words.length === 0) process.stderr.write(USAGE)
    process.stderr.write(`${problem}\n`)
  }
  return 1
}

const problem = nodeVersionProblem(process.versions.node)
if (problem === undefined) {
  silenceSqliteWarning()
  await import('./main.ts')
} else {
  process.exitCode = refuse(process.argv.slice(2), problem)
}
