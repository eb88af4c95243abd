import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** Where the real VS Code (code-server) and Chromium are, from test/e2e/setup.sh. */
export interface CodeServerEnvironment {
  node: string
  entry: string
  chromium: string
  /** Where the values came from, for the log. */
  source: string
}

const KEYS = ['CODE_SERVER_NODE', 'CODE_SERVER_ENTRY', 'CHROMIUM_PATH'] as const

export const SETUP_HINT =
  'Install it once with test/e2e/setup.sh (about a minute, from the npm registry and Debian packages), then ' +
  '`source ~/.cache/vscode-e2e/env.sh` (or let the test find that file), and run `npm test` again.'

/** Reads `export KEY=value` lines of env.sh. */
function parseEnvFile(path: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line.trim())
    if (m !== null) out[m[1]!] = m[2]!.replace(/^['"]|['"]$/g, '')
  }
  return out
}

/**
 * The environment of the real-VS-Code suite: the three variables when set (`.ci/run` sources
 * env.sh), else the env.sh that setup.sh wrote ($VSCODE_E2E_HOME or ~/.cache/vscode-e2e).
 * Returns the reason when neither gives a usable install, so the suite fails saying why.
 */
export function codeServerEnvironment(
  env: NodeJS.ProcessEnv = process.env
): CodeServerEnvironment | { missing: string } {
  let values: Record<string, string | undefined> = Object.fromEntries(KEYS.map(k => [k, env[k]]))
  let source = 'environment variables'
  if (KEYS.some(k => values[k] === undefined || values[k] === '')) {
    const file = join(env.VSCODE_E2E_HOME ?? join(homedir(), '.cache', 'vscode-e2e'), 'env.sh')
    if (!existsSync(file)) {
      const unset = KEYS.filter(k => values[k] === undefined || values[k] === '')
      return { missing: `${unset.join(', ')} ${unset.length === 1 ? 'is' : 'are'} unset and ${file} does not exist` }
    }
    values = { ...parseEnvFile(file), ...Object.fromEntries(KEYS.filter(k => env[k]).map(k => [k, env[k]])) }
    source = file
  }
  for (const k of KEYS) {
    const v = values[k]
    if (v === undefined || v === '') return { missing: `${k} is not set (source: ${source})` }
    if (!existsSync(v)) return { missing: `${k}=${v} does not exist (source: ${source})` }
  }
  return { node: values.CODE_SERVER_NODE!, entry: values.CODE_SERVER_ENTRY!, chromium: values.CHROMIUM_PATH!, source }
}
