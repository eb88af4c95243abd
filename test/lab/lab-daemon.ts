import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CLI, type CliResult, childEnv, collect, makeHome, readyLine, removeHome } from '../helpers/cli.ts'
import type { NatLab, Role } from './netlab.ts'

/**
 * Parley daemons inside the lab's namespaces: `ip netns exec NS node node/cli/main.ts daemon …`, a
 * separate process per daemon, as in test/helpers/cli.ts. The daemon's RPC socket is a Unix socket
 * in its home on the shared filesystem, so the one-shot CLI commands (`runCli`) run from the root
 * namespace against it.
 */

export const PROBE = join(dirname(fileURLToPath(import.meta.url)), 'probe.ts')

/**
 * The CLI the lab runs: this tree's, or PARLEY_LAB_CLI (another worktree's `node/cli/main.ts`, to
 * run the scenarios against a feature before it is merged).
 */
export const LAB_CLI = process.env.PARLEY_LAB_CLI ?? CLI

/** `parley --home HOME ARGS` from the root namespace (the RPC socket is a file in the home). */
export async function labCli(home: string, args: string[], timeoutMs = 60_000): Promise<CliResult> {
  const child = spawn(process.execPath, [LAB_CLI, '--home', home, ...args], {
    env: childEnv(),
    stdio: ['pipe', 'pipe', 'pipe']
  })
  child.stdin.end('')
  const r = await collect(child, timeoutMs)
  let json: unknown
  try {
    json = JSON.parse(r.stdout)
  } catch {}
  return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr, json }
}

export interface LabDaemonOptions {
  /** multiaddrs to listen on (default: the host's lab address, a random TCP port) */
  listen?: string[]
  bootstrap?: string[]
  /** mDNS on (default off, as in the other suites) */
  mdns?: boolean
  /** `--community` */
  community?: boolean
  announce?: string[]
  extraArgs?: string[]
  env?: Record<string, string>
}

export interface LabDaemon {
  role: Role
  home: string
  peerId: string
  addresses: string[]
  /** the whole ready line */
  ready: Record<string, unknown>
  stderr(): string
  /** runs `parley --home HOME --json ARGS` from the root namespace */
  cli(args: string[], options?: { timeoutMs?: number }): Promise<CliResult>
  /** SIGTERM and wait */
  stop(): Promise<number | null>
  /** SIGKILL and wait (a crash, or the plug pulled) */
  kill(): Promise<void>
  /** starts the daemon again on the same home, in the same namespace, with the same options */
  restart(): Promise<LabDaemon>
  running(): boolean
}

const DAEMON_READY_MS = 60_000

export async function startLabDaemon(
  lab: NatLab,
  role: Role,
  hostAddress: string,
  options: LabDaemonOptions = {},
  existingHome?: string
): Promise<LabDaemon> {
  const home = existingHome ?? (await makeHome(`parley-lab-${role}-`))
  if (existingHome === undefined) lab.onTeardown(() => removeHome(home))
  const args = [LAB_CLI, '--home', home, 'daemon', '--json']
  if (options.mdns !== true) args.push('--no-mdns')
  for (const l of options.listen ?? [`/ip4/${hostAddress}/tcp/0`]) args.push('--listen', l)
  for (const b of options.bootstrap ?? []) args.push('--bootstrap', b)
  if (options.community === true) args.push('--community')
  for (const a of options.announce ?? []) args.push('--announce', a)
  args.push(...(options.extraArgs ?? []))
  const child = spawn('ip', [...lab.prefix(role), process.execPath, ...args], {
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d
  })
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    const code = await exited
    clearTimeout(timer)
    return code
  }
  lab.onTeardown(async () => {
    await stop()
  })
  const ready = await readyLine(child, exited, {
    timeoutMs: DAEMON_READY_MS,
    what: `daemon in ${role} (${args.slice(1).join(' ')})`,
    stderr: () => stderr
  })
  const daemon: LabDaemon = {
    role,
    home,
    peerId: String(ready.peerId),
    addresses: (ready.addresses as string[] | undefined) ?? [],
    ready,
    stderr: () => stderr,
    cli: (cliArgs, o = {}) => labCli(home, ['--json', ...cliArgs], o.timeoutMs ?? 60_000),
    stop,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGKILL')
      await exited
    },
    async restart() {
      await stop()
      return await startLabDaemon(lab, role, hostAddress, options, home)
    },
    running: () => child.exitCode === null && child.signalCode === null
  }
  return daemon
}

export interface ProbeResult {
  ok: boolean
  ms: number
  error?: string
  remotePeer?: string
  addresses?: string[]
  samples?: number[]
}

/** Runs test/lab/probe.ts inside a namespace and returns its JSON line. */
export async function probe(lab: NatLab, role: Role, args: string[]): Promise<ProbeResult> {
  const r = await lab.exec(role, process.execPath, [PROBE, ...args])
  const line = r.stdout.trim().split('\n').pop() ?? ''
  try {
    return JSON.parse(line) as ProbeResult
  } catch {
    throw new Error(`probe ${args.join(' ')} in ${role} printed no result (exit ${r.code}):\n${r.stdout}\n${r.stderr}`)
  }
}

/** The TCP port of a multiaddr like /ip4/…/tcp/PORT/p2p/…. */
export function tcpPort(address: string): number {
  const m = /\/tcp\/(\d+)/.exec(address)
  if (m === null) throw new Error(`no TCP port in ${address}`)
  return Number(m[1])
}
