import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'

/**
 * Runs the real `parley` CLI (the TypeScript sources, on this Node) as separate processes: daemons
 * in temporary homes on 127.0.0.1, and one-shot commands against them.
 */

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** The binary's entry (node/cli/bin.ts checks the Node version, then loads main.ts). */
export const CLI = join(ROOT, 'node', 'cli', 'bin.ts')

/** Quiet environment for child processes: no mDNS, no inherited home or passphrase. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra }
  delete env.PARLEY_HOME
  if (extra.PARLEY_PASSPHRASE === undefined) delete env.PARLEY_PASSPHRASE
  env.NODE_NO_WARNINGS = '1'
  return env
}

export interface CliResult {
  code: number
  stdout: string
  stderr: string
  /** stdout parsed as one JSON document (undefined when it is not JSON). */
  json: any
}

export interface ProcessResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Collects a child's stdout and stderr until it closes; SIGKILLs it after `timeoutMs`. */
export async function collect(
  child: ChildProcess & { stdout: Readable; stderr: Readable },
  timeoutMs: number
): Promise<ProcessResult> {
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve =>
    child.on('close', (c, s) => resolve([c, s]))
  )
  clearTimeout(timer)
  return { code, signal, stdout, stderr }
}

export async function runCli(
  home: string,
  args: string[],
  options: {
    env?: Record<string, string>
    input?: string
    timeoutMs?: number
  } = {}
): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, '--home', home, ...args], {
    env: childEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe']
  })
  child.stdin.end(options.input ?? '')
  const run = await collect(child, options.timeoutMs ?? 60_000)
  const { stdout, stderr } = run
  const code = run.code ?? -1
  let json: unknown
  try {
    json = JSON.parse(stdout)
  } catch {}
  return { code, stdout, stderr, json }
}

export interface DaemonProcess {
  home: string
  peerId: string
  /** Full multiaddrs with /p2p/. */
  addresses: string[]
  /** the whole ready line */
  ready: Record<string, unknown>
  child: ChildProcess
  stderr(): string
  /** SIGTERM, then wait for exit; returns the exit code. */
  stop(): Promise<number | null>
  /** SIGKILL, no cleanup at all (crash). */
  kill(): Promise<void>
}

export async function makeHome(prefix = 'parley-test-'): Promise<string> {
  return await mkdtemp(join(tmpdir(), prefix))
}

export async function removeHome(home: string): Promise<void> {
  await rm(home, { recursive: true, force: true })
}

/** Starts `parley daemon --json` and resolves once it printed its ready line. */
export async function startDaemon(
  home: string,
  options: {
    bootstrap?: string[]
    env?: Record<string, string>
    extraArgs?: string[]
  } = {}
): Promise<DaemonProcess> {
  const args = [CLI, '--home', home, 'daemon', '--json', '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0']
  for (const b of options.bootstrap ?? []) args.push('--bootstrap', b)
  args.push(...(options.extraArgs ?? []))
  const child = spawn(process.execPath, args, {
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d
  })
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
  const ready = (await readyLine(child, exited, { timeoutMs: 60_000, what: 'daemon', stderr: () => stderr })) as {
    peerId: string
    addresses: string[]
  }
  return {
    home,
    peerId: ready.peerId,
    addresses: ready.addresses,
    ready,
    child,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return child.exitCode
      child.kill('SIGTERM')
      return await exited
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGKILL')
      await exited
    }
  }
}

/**
 * The `{"event":"ready",…}` line a `daemon --json` child prints once it listens; rejects when the
 * child exits first or stays silent for `timeoutMs` (killing it then), with its stderr.
 */
export async function readyLine(
  child: ChildProcess,
  exited: Promise<number | null>,
  options: { timeoutMs: number; what: string; stderr: () => string }
): Promise<Record<string, unknown>> {
  const lines = createInterface({ input: child.stdout! })
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${options.what} did not become ready in ${options.timeoutMs} ms:\n${options.stderr()}`))
    }, options.timeoutMs)
    lines.on('line', line => {
      try {
        const event = JSON.parse(line)
        if (event.event === 'ready') {
          clearTimeout(timer)
          resolve(event)
        }
      } catch {}
    })
    void exited.then(code => {
      clearTimeout(timer)
      reject(new Error(`${options.what} exited with ${code} before ready:\n${options.stderr()}`))
    })
  })
}

/** Polls `check` until it returns a truthy value (for conditions that settle over the network). */
export async function eventually<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined && value !== false) return value
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms${last !== undefined ? `: ${last}` : ''}`)
    await new Promise(resolve => setTimeout(resolve, 200))
  }
}

/**
 * A free port below the kernel's ephemeral range (32768+ on Linux): a daemon restarts on the port it
 * had, and a port from the ephemeral range can meanwhile be taken by any outgoing connection on the
 * machine (EADDRINUSE on restart, seen beside the 100-node churn test).
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000)
    const server = net.createServer()
    const ok = await new Promise<boolean>(resolve => {
      server.once('error', () => resolve(false))
      server.listen(port, '127.0.0.1', () => resolve(true))
    })
    if (ok) {
      await new Promise(resolve => server.close(resolve))
      return port
    }
  }
}
