import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { homePaths } from '../node/daemon/home.ts'

/** What the extension needs to start a daemon for its home (from the `parley.*` settings). */
export interface DaemonLaunch {
  /** The daemon's home folder. */
  home: string
  /** dist/cli.js inside the extension. */
  cliPath: string
  /** `parley.nodePath`; empty runs the CLI on the extension host's own runtime. */
  nodePath: string
  bootstrap: string[]
  listen: string[]
  mdns: boolean
}

export interface SpawnPlan {
  command: string
  args: string[]
  env: NodeJS.ProcessEnv
}

/**
 * How to run the CLI: the configured Node, or the extension host's own executable with
 * ELECTRON_RUN_AS_NODE=1 (Electron then behaves as plain Node; on code-server it is Node already).
 */
export function cliSpawnPlan(
  launch: Pick<DaemonLaunch, 'home' | 'cliPath' | 'nodePath'>,
  args: string[],
  runtime: { execPath: string; env: NodeJS.ProcessEnv } = { execPath: process.execPath, env: process.env }
): SpawnPlan {
  const env: NodeJS.ProcessEnv = { ...runtime.env, ELECTRON_RUN_AS_NODE: '1', NODE_NO_WARNINGS: '1' }
  // The home is always passed explicitly; an inherited PARLEY_HOME must not win over the setting.
  delete env.PARLEY_HOME
  const command = launch.nodePath.trim() !== '' ? launch.nodePath.trim() : runtime.execPath
  return { command, args: [launch.cliPath, '--home', launch.home, ...args], env }
}

/** `parley daemon` arguments for the settings. */
export function daemonArgs(launch: DaemonLaunch): string[] {
  const args = ['daemon', '--json']
  for (const addr of launch.listen) args.push('--listen', addr)
  for (const addr of launch.bootstrap) args.push('--bootstrap', addr)
  if (!launch.mdns) args.push('--no-mdns')
  return args
}

/**
 * Starts the daemon detached, so it outlives this window and other windows can share it. Its
 * output is appended to the home's daemon.log (a pipe would die with the window).
 */
export function spawnDetachedDaemon(launch: DaemonLaunch): ChildProcess {
  const plan = cliSpawnPlan(launch, daemonArgs(launch))
  const log = openSync(homePaths(launch.home).log, 'a', 0o600)
  try {
    const child = spawn(plan.command, plan.args, {
      env: plan.env,
      detached: true,
      stdio: ['ignore', log, log],
      windowsHide: true
    })
    child.unref()
    return child
  } finally {
    closeSync(log)
  }
}

/** Runs a one-shot CLI command (e.g. `init --json`) and returns its parsed JSON output. */
export async function runCliJson(
  launch: Pick<DaemonLaunch, 'home' | 'cliPath' | 'nodePath'>,
  args: string[],
  options: { signal?: AbortSignal } = {}
): Promise<unknown> {
  const plan = cliSpawnPlan(launch, [...args, '--json'])
  const child = spawn(plan.command, plan.args, {
    env: plan.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
    signal: options.signal
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d
  })
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', c => resolve(c ?? -1))
  })
  if (code !== 0) {
    let message = stderr.trim()
    try {
      message = JSON.parse(message).error.message
    } catch {}
    throw new CliFailedError(`parley ${args.join(' ')} exited with ${code}: ${message}`)
  }
  return JSON.parse(stdout)
}

/** A one-shot CLI command failed (the message carries its error output). */
export class CliFailedError extends Error {
  static name = 'CliFailedError'
  name = 'CliFailedError'
}
