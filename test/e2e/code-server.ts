import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { CodeServerEnvironment } from './environment.ts'

const run = promisify(execFile)

export interface CodeServer {
  url: string
  log(): Promise<string>
  stop(): Promise<void>
}

/** Every file a run writes lives under `dir`: nothing lands in ~/.config. */
function isolatedEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: join(dir, 'xdg-config'),
    XDG_DATA_HOME: join(dir, 'xdg-data'),
    XDG_CACHE_HOME: join(dir, 'xdg-cache')
  }
  delete env.PARLEY_HOME
  delete env.PARLEY_PASSPHRASE
  delete env.NODE_OPTIONS
  delete env.ELECTRON_RUN_AS_NODE
  return env
}

/** Writes user settings (VS Code's quiet defaults plus `settings`). */
export async function writeUserSettings(dir: string, settings: Record<string, unknown>): Promise<void> {
  await mkdir(join(dir, 'ud', 'User'), { recursive: true })
  await writeFile(
    join(dir, 'ud', 'User', 'settings.json'),
    JSON.stringify(
      {
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'telemetry.telemetryLevel': 'off',
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'chat.disableAIFeatures': true,
        'security.workspace.trust.enabled': false,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'remote.autoForwardPorts': false,
        ...settings
      },
      null,
      2
    )
  )
}

function cli(env: CodeServerEnvironment, dir: string): string[] {
  return [env.entry, '--user-data-dir', join(dir, 'ud'), '--extensions-dir', join(dir, 'ext')]
}

export async function installExtension(env: CodeServerEnvironment, dir: string, vsix: string): Promise<string> {
  const { stdout, stderr } = await run(env.node, [...cli(env, dir), '--install-extension', vsix], {
    env: isolatedEnv(dir),
    timeout: 120_000
  })
  return stdout + stderr
}

/** Starts code-server on 127.0.0.1 (random port) as a process-group leader; resolves once it answers /healthz. */
export async function startCodeServer(env: CodeServerEnvironment, dir: string, workspace: string): Promise<CodeServer> {
  const logPath = join(dir, 'server.log')
  const { openSync, closeSync } = await import('node:fs')
  const fd = openSync(logPath, 'a')
  const child: ChildProcess = spawn(
    env.node,
    [
      ...cli(env, dir),
      '--bind-addr',
      '127.0.0.1:0',
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      workspace
    ],
    { env: isolatedEnv(dir), detached: true, stdio: ['ignore', fd, fd] }
  )
  closeSync(fd)
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.pid === undefined || child.exitCode !== null) return
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {}
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {}
    }, 5_000)
    await exited
    clearTimeout(timer)
    // The extension host is in the group too; make sure nothing of it is left.
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {}
  }
  const deadline = Date.now() + 60_000
  let url: string | undefined
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    const log = await readFile(logPath, 'utf8').catch(() => '')
    const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(log)
    if (m !== null) {
      try {
        const res = await fetch(`${m[1]}/healthz`)
        if (res.ok) {
          url = m[1]
          break
        }
      } catch {}
    }
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  if (url === undefined) {
    await stop()
    throw new Error(`code-server did not start:\n${await readFile(logPath, 'utf8').catch(() => '')}`)
  }
  return { url, log: () => readFile(logPath, 'utf8'), stop }
}
