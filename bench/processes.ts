/**
 * Real processes for figure 4: spawn, time to the `{"event":"ready"}` line, resident memory, stop.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { ROOT } from './availability.ts'
import { now } from './stats.ts'

export const CLI = join(ROOT, 'node', 'cli', 'main.ts')

export interface ReadyProcess {
  child: ChildProcess
  pid: number
  /** ms from spawn to the ready line */
  readyMs: number
  peerId: string
  addresses: string[]
  stderr(): string
  /** resident set size now, MiB */
  rssMiB(): number
  /** SIGTERM and wait for the exit */
  stop(): Promise<void>
}

/** Resident set size of `pid` in MiB (Linux /proc; ps elsewhere). */
export function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
    if (match != null) {
      return Number(match[1]) / 1024
    }
  } catch {}
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024
}

function quietEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_NO_WARNINGS: '1' }
  delete env.PARLEY_HOME
  delete env.PARLEY_PASSPHRASE
  delete env.DEBUG
  return env
}

/** Spawns `node <args>` and resolves when it prints `{"event":"ready",...}` on stdout. */
export async function spawnReady(args: string[], options: { timeoutMs?: number } = {}): Promise<ReadyProcess> {
  const start = now()
  const child = spawn(process.execPath, args, { env: quietEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d
  })
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  const lines = createInterface({ input: child.stdout! })
  try {
    const ready = await new Promise<{ peerId: string; addresses: string[]; readyMs: number }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ready line after ${options.timeoutMs ?? 60_000} ms: ${stderr}`)),
        options.timeoutMs ?? 60_000
      )
      lines.on('line', line => {
        let event: { event?: string; peerId?: string; addresses?: string[] }
        try {
          event = JSON.parse(line)
        } catch {
          return
        }
        if (event.event === 'ready') {
          clearTimeout(timer)
          resolve({ peerId: event.peerId ?? '', addresses: event.addresses ?? [], readyMs: now() - start })
        }
      })
      void exited.then(() => {
        clearTimeout(timer)
        reject(new Error(`${args.join(' ')} exited with ${child.exitCode} before ready: ${stderr}`))
      })
    })
    return {
      child,
      pid: child.pid!,
      ...ready,
      stderr: () => stderr,
      rssMiB: () => rssMiB(child.pid!),
      async stop() {
        if (child.exitCode == null && child.signalCode == null) {
          child.kill('SIGTERM')
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
          await exited
          clearTimeout(timer)
        }
      }
    }
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  }
}

/** The esbuild bundle of the CLI (what the VS Code extension starts), after `npm run build`. */
export const BUNDLED_CLI = join(ROOT, 'dist', 'cli.js')

/** `parley daemon --json` on 127.0.0.1 in `home`, without mDNS; `cli` is the TypeScript entry by default. */
export async function startParleyDaemon(home: string, bootstrap: string[] = [], cli = CLI): Promise<ReadyProcess> {
  const args = [cli, '--home', home, 'daemon', '--json', '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0']
  for (const address of bootstrap) {
    args.push('--bootstrap', address)
  }
  return await spawnReady(args)
}

/** The plain libp2p process of baseline-daemon.ts. */
export async function startBaselineProcess(bootstrap: string[] = []): Promise<ReadyProcess> {
  const args = [join(ROOT, 'bench', 'baseline-daemon.ts')]
  for (const address of bootstrap) {
    args.push('--bootstrap', address)
  }
  return await spawnReady(args)
}
