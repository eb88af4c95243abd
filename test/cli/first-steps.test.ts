import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, before, describe, test } from 'node:test'
import { cliSpawnPlan, daemonArgs } from '../../extension/daemon-launch.ts'
import { MINIMUM_NODE, nodeAtLeast, nodeVersionProblem } from '../../node/cli/node-version.ts'
import { CLI, collect, makeHome, ROOT, removeHome } from '../helpers/cli.ts'

/**
 * A newcomer's first steps with the `parley` binary (dist/cli.js): an old system Node gets a
 * clear answer instead of a stack trace, no command prints node:sqlite's ExperimentalWarning, and
 * `register` on a daemon without peers says what is true.
 */

const BIN = join(ROOT, 'dist', 'cli.js')

/** The machine's own Node (outside node_modules, which holds the pinned one npm scripts use). */
function systemNode(): { path: string; version: string } | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(d => d !== '' && !d.includes('node_modules'))
  for (const path of [...dirs.map(d => join(d, 'node')), '/usr/bin/node', '/usr/local/bin/node']) {
    if (!existsSync(path)) continue
    try {
      return { path, version: execFileSync(path, ['--version'], { encoding: 'utf8' }).trim() }
    } catch {}
  }
  return undefined
}

/** The environment of a user's shell: nothing that hides warnings. */
function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env.NODE_NO_WARNINGS
  delete env.NODE_OPTIONS
  delete env.PARLEY_HOME
  return env
}

async function run(node: string, args: string[], env = plainEnv()) {
  const child = spawn(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const r = await collect(child, 60_000)
  return { ...r, code: r.code ?? -1 }
}

describe('the Node version check', () => {
  test('compares versions part by part', () => {
    assert.equal(nodeAtLeast('22.13.0'), true)
    assert.equal(nodeAtLeast('v22.23.3'), true)
    assert.equal(nodeAtLeast('24.0.0'), true)
    assert.equal(nodeAtLeast('22.12.9'), false)
    assert.equal(nodeAtLeast('22.5.1'), false)
    assert.equal(nodeAtLeast('v20.20.2'), false)
    assert.equal(nodeVersionProblem('22.13.0'), undefined)
    assert.match(
      nodeVersionProblem('20.20.2') ?? '',
      new RegExp(`needs Node.js ${MINIMUM_NODE}.*found Node.js 20.20.2`)
    )
  })
})

describe('dist/cli.js on an old system Node', () => {
  const sys = systemNode()
  const old = sys !== undefined && !nodeAtLeast(sys.version)
  const skip = old ? false : `no system Node older than ${MINIMUM_NODE} here (${sys?.version ?? 'none'})`
  let home: string
  before(async () => {
    assert.ok(existsSync(BIN), 'dist/cli.js is missing: `npm run build` first (npm test does)')
    home = await makeHome('parley-old-node-')
  })
  after(async () => await removeHome(home))

  test('--help, help and -h print the usage and exit 0', { skip }, async () => {
    for (const args of [['--help'], ['help'], ['-h'], ['status', '--help']]) {
      const r = await run(sys!.path, [BIN, ...args])
      assert.equal(r.code, 0, `${args}: ${r.stderr}`)
      assert.match(r.stdout, /^parley: decentralized, end-to-end encrypted chat/)
      assert.match(r.stdout, /Exit codes:/)
    }
  })

  test('every command says what Node it needs and what it found, exit 1, no stack trace', { skip }, async () => {
    const version = sys!.version.replace(/^v/, '')
    for (const args of [['init'], ['daemon'], ['status'], ['send', 'bob', 'hi'], ['nonsense'], []]) {
      const r = await run(sys!.path, [BIN, '--home', home, ...args])
      assert.equal(r.code, 1, `${args}: ${r.stderr}`)
      assert.equal(r.stdout, '')
      assert.match(r.stderr, new RegExp(`needs Node.js ${MINIMUM_NODE} or later`))
      assert.ok(r.stderr.includes(`found Node.js ${version}`), r.stderr)
      assert.doesNotMatch(r.stderr, /ERR_UNKNOWN_BUILTIN_MODULE|\n\s+at /)
    }
    const json = await run(sys!.path, [BIN, '--home', home, 'whoami', '--json'])
    assert.equal(json.code, 1)
    assert.equal(JSON.parse(json.stderr).error.name, 'UnsupportedNodeError')
  })
})

describe('no command prints the SQLite ExperimentalWarning', () => {
  let home: string
  before(async () => {
    assert.ok(existsSync(BIN), 'dist/cli.js is missing: `npm run build` first (npm test does)')
    home = await makeHome('parley-warning-')
  })
  after(async () => await removeHome(home))

  test('the npm scripts run the checked entry, not main.ts with a flag', () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts
    assert.equal(scripts.parley, 'node node/cli/bin.ts')
    assert.equal(scripts.start, 'node node/cli/bin.ts daemon')
  })

  test('the binary, the sources and the daemon the extension starts, with nothing hiding warnings', async () => {
    // what the extension runs (its plan), minus the NODE_NO_WARNINGS it sets: the binary itself is quiet
    const plan = cliSpawnPlan({ home, cliPath: BIN, nodePath: '' }, [
      ...daemonArgs({ home, cliPath: BIN, nodePath: '', bootstrap: [], listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false })
    ])
    const env = { ...plan.env }
    delete env.NODE_NO_WARNINGS
    delete env.ELECTRON_RUN_AS_NODE
    const daemon = spawn(plan.command, plan.args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let daemonErr = ''
    daemon.stderr.setEncoding('utf8').on('data', (d: string) => {
      daemonErr += d
    })
    const exited = new Promise(resolve => daemon.on('exit', resolve))
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: daemon.stdout }).on('line', line => {
        if (line.includes('"ready"')) resolve()
      })
      void exited.then(() => reject(new Error(`daemon exited: ${daemonErr}`)))
    })
    try {
      for (const entry of [BIN, CLI]) {
        for (const args of [['status'], ['whoami', '--json'], ['contacts'], ['history', 'nobody-here']]) {
          const r = await run(process.execPath, [entry, '--home', home, ...args])
          assert.doesNotMatch(r.stderr, /ExperimentalWarning|SQLite is an experimental/, `${entry} ${args}`)
        }
      }
    } finally {
      daemon.kill('SIGTERM')
      await exited
    }
    assert.ok(daemonErr.length >= 0)
    assert.doesNotMatch(daemonErr, /ExperimentalWarning|SQLite/)
  })

  test('`register` on a daemon with no peers says nothing stored the claim yet; --json is unchanged', async () => {
    const daemon = spawn(
      process.execPath,
      [
        BIN,
        '--home',
        home,
        ...daemonArgs({
          home,
          cliPath: BIN,
          nodePath: '',
          bootstrap: [],
          listen: ['/ip4/127.0.0.1/tcp/0'],
          mdns: false
        })
      ],
      {
        env: plainEnv(),
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    const exited = new Promise(resolve => daemon.on('exit', resolve))
    await new Promise<void>(resolve => {
      createInterface({ input: daemon.stdout }).on('line', line => {
        if (line.includes('"ready"')) resolve()
      })
    })
    try {
      const human = await run(process.execPath, [BIN, '--home', home, 'register', 'loner'])
      assert.equal(human.code, 0, human.stderr)
      assert.doesNotMatch(human.stdout, /registered|stored by 0/)
      assert.match(human.stdout, /no peer stores the claim yet/)
      assert.match(human.stdout, /keeps publishing/)
      const json = await run(process.execPath, [BIN, '--home', home, 'register', 'loner', '--json'])
      assert.equal(json.code, 0, json.stderr)
      const r = JSON.parse(json.stdout)
      assert.deepEqual(Object.keys(r).sort(), ['name', 'peerId', 'stored'])
      assert.equal(r.name, 'loner')
      assert.equal(r.stored, 0)
    } finally {
      daemon.kill('SIGTERM')
      await exited
    }
  })
})
