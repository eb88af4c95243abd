/**
 * Fuzzing the `parley` CLI's arguments: the real CLI (node/cli/main.ts runs main() at import, so
 * each case is a process) against a real RPC server on the home's socket with the real method
 * table over a recording stub node. Every invocation ends by itself with a documented exit code
 * (0 ok, 1 error/usage, 2 not found, 3 no daemon, 4 key changed), never with a stack trace or an
 * internal error; with --json a failure is one JSON error document on stderr and a success one
 * JSON document on stdout. The daemon answers a normal `status` afterwards.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { homePaths } from '../../node/daemon/home.ts'
import { rpcHandlers } from '../../node/daemon/methods.ts'
import { type RpcServer, startRpcServer } from '../../node/daemon/server.ts'
import { CLI, childEnv, collect, type ProcessResult } from '../helpers/cli.ts'
import { anyString, budget, Outcomes, watchUnhandled } from './harness.ts'
import { recordingService } from './rpc-spec.ts'

/** Each case is a Node process (~0.1–0.3 s): a few dozen in short mode. */
const CASES = budget(24, 3000)
/** A case that has not ended by then is a hang (generous: two shared cores under load). */
const HANG_MS = 30_000

/** Commands that run until interrupted or start a node are left out: `daemon`, `events`, `init`. */
const COMMANDS = [
  'status',
  'whoami',
  'register',
  'resolve',
  'peers',
  'safety-number',
  'send',
  'history',
  'contacts',
  'contact',
  'invite',
  'chat',
  'help'
]
const OPTIONS = ['--json', '--help', '-h', '--wait', '--timeout', '--limit', '--listen', '--bootstrap', '--no-mdns']

const GENERIC_ERRORS = ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError']

async function runCli(args: string[]): Promise<ProcessResult> {
  const child = spawn(process.execPath, [CLI, ...args], { env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] })
  child.stdin.end('')
  return await collect(child, HANG_MS)
}

/** argv words: command-line-shaped, hostile, or anything (no NUL: argv cannot carry it). */
const word = fc
  .oneof(
    { weight: 3, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/) },
    fc.constantFrom('--', '-', '---', '--json=1', '--home', '--limit=-1', '--timeout=1e9', '-hx', 'add', 'accept-key'),
    fc.integer({ min: -5, max: 100_000 }).map(String),
    anyString(40),
    fc.integer({ min: 200, max: 5000 }).map(n => 'w'.repeat(n)),
    fc.constantFrom('12D3KooWfake', 'parley://invite/xyz', '../../etc/passwd', '$(id)', '`id`', '%s%n', '\u202e')
  )
  .map(w => w.replaceAll('\u0000', ''))

const option = fc.oneof(
  fc.constantFrom(...OPTIONS).map(o => [o]),
  fc.tuple(fc.constantFrom('--timeout', '--limit', '--listen', '--bootstrap'), word).map(([o, v]) => [o, v]),
  word.map(w => [`--${w}`])
)

describe('fuzz: CLI arguments (processes against a stub daemon)', () => {
  let dir: string
  let home: string
  let server: RpcServer
  const unhandled = watchUnhandled()

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-fuzz-cli-'))
    home = join(dir, 'home')
    const { service } = recordingService()
    await mkdir(home, { mode: 0o700 })
    server = await startRpcServer(homePaths(home).socket, rpcHandlers(service))
  })

  after(async () => {
    await server.close()
    await rm(dir, { recursive: true, force: true })
    unhandled.assertNone()
    unhandled.dispose()
  })

  it('every invocation ends with a documented exit code and a clean message', async t => {
    const argv = fc
      .record({
        command: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...COMMANDS) }, word),
        args: fc.array(word, { maxLength: 3 }),
        options: fc.array(option, { maxLength: 3 }),
        json: fc.boolean(),
        order: fc.nat()
      })
      .map(({ command, args, options, json, order }) => {
        const words = [command, ...args]
        const flat = options.flat()
        const at = order % (words.length + 1)
        return [...(json ? ['--json'] : []), '--home', home, ...words.slice(0, at), ...flat, ...words.slice(at)]
      })
    // always: `chat` with stdin already at its end (it once waited forever when stdin closed while the
    // history was loading), and the commands in their plain form
    const fixed = [
      ['--home', home, 'chat', 'bob'],
      ['--json', '--home', home, 'chat', 'bob'],
      ...COMMANDS.map(c => ['--json', '--home', home, c])
    ]
    const cases = [...fixed, ...fc.sample(argv, CASES)]
    const outcomes = new Outcomes()
    const check = async (args: string[]): Promise<void> => {
      const run = await runCli(args)
      const shown = `parley ${JSON.stringify(args.slice(0, 12)).slice(0, 300)}\nstdout: ${run.stdout.slice(0, 300)}\nstderr: ${run.stderr.slice(0, 600)}`
      assert.equal(run.signal, null, `hung or crashed: ${shown}`)
      assert.ok([0, 1, 2, 3, 4].includes(run.code as number), `exit code ${run.code}: ${shown}`)
      assert.doesNotMatch(run.stderr, /^\s+at .+:\d+:\d+\)?$/m, `stack trace: ${shown}`)
      assert.doesNotMatch(run.stderr, /Internal error/i, `internal error: ${shown}`)
      // options are what comes before a bare "--" (after it, "--json" is a positional word)
      const end = args.indexOf('--')
      const options = end === -1 ? args : args.slice(0, end)
      const json = options.includes('--json') && !options.includes('--help') && !options.includes('-h')
      if (json && run.code !== 0) {
        const last = run.stderr.trim().split('\n').at(-1) ?? ''
        let doc: { error?: { name?: unknown; message?: unknown } } = {}
        try {
          doc = JSON.parse(last)
        } catch {
          assert.fail(`with --json, a failure is one JSON error document on stderr: ${shown}`)
        }
        assert.equal(typeof doc.error?.name, 'string', shown)
        assert.equal(typeof doc.error?.message, 'string', shown)
        // a generic JS error name means an unexpected path (argument errors are UsageError)
        assert.ok(!GENERIC_ERRORS.includes(doc.error?.name as string), shown)
        outcomes.add(`exit ${run.code} ${String(doc.error?.name)}`)
      } else {
        outcomes.add(`exit ${run.code}`)
      }
      if (json && run.code === 0 && options.includes('status')) JSON.parse(run.stdout)
    }
    // two at a time: the machine has two cores
    const queue = [...cases]
    await Promise.all(
      [0, 1].map(async () => {
        for (let args = queue.shift(); args !== undefined; args = queue.shift()) await check(args)
      })
    )
    t.diagnostic(`${cases.length} invocations: ${outcomes.toString()}`)
    // the daemon still serves a normal command
    const status = await runCli(['--json', '--home', home, 'status'])
    assert.equal(status.code, 0, status.stderr)
    assert.equal(JSON.parse(status.stdout).peerId, 'p')
  })
})
