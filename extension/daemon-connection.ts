import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { connectDaemon, DaemonNotRunningError, type RpcClient } from '../node/daemon/client.ts'
import { homePaths } from '../node/daemon/home.ts'
import {
  CONNECT_BACKOFF_MAX_MS,
  CONNECT_BACKOFF_MIN_MS,
  DAEMON_START_TIMEOUT_MS,
  RESPAWN_AFTER_MS
} from './constants.ts'
import { type DaemonLaunch, spawnDetachedDaemon } from './daemon-launch.ts'

/**
 * - `noIdentity`: the home has no identity yet; nothing is started until the user creates one.
 * - `starting`: connecting to the home's daemon, or starting it and waiting for its socket.
 * - `ready`: connected.
 * - `reconnecting`: the connection dropped (the daemon restarts or died); retrying with backoff.
 * - `error`: the daemon could not be reached or started in time; still retrying in the background.
 */
export type ConnectionState = 'noIdentity' | 'starting' | 'ready' | 'reconnecting' | 'error' | 'stopped'

export interface DaemonConnectionInit {
  /** The home's socket and identity file (node/daemon/home.ts). */
  paths: { socket: string; identity: string }
  /** Read when a daemon has to be started, so the current settings apply. */
  launch(): DaemonLaunch
  log(line: string): void
  /** @default connectDaemon */
  connect?: (socketPath: string, options?: { signal?: AbortSignal }) => Promise<RpcClient>
  /** @default spawnDetachedDaemon */
  spawn?: (launch: DaemonLaunch) => ChildProcess | undefined
  /** @default DAEMON_START_TIMEOUT_MS */
  startTimeoutMs?: number
}

/** Smallest delay first, doubling up to the cap: a restarting daemon is back within a second. */
export function backoffDelay(attempt: number): number {
  return Math.min(CONNECT_BACKOFF_MAX_MS, CONNECT_BACKOFF_MIN_MS * 2 ** Math.min(attempt, 16))
}

/**
 * The extension's link to the daemon of its home: finds it (connects to its socket) or starts it
 * detached, and reconnects when it goes away. Several windows share one daemon; when the daemon
 * dies every window retries and the first one to respawn it wins the home's lock.
 */
export class DaemonConnection {
  private readonly init: DaemonConnectionInit
  private readonly stateHandlers = new Set<(state: ConnectionState) => void>()
  private readonly clientHandlers = new Set<(client: RpcClient) => void>()
  private current: RpcClient | undefined
  private loop: AbortController | undefined
  private disposed = false
  state: ConnectionState = 'stopped'
  /** Why the last attempt failed, for the `error` state. */
  lastError: string | undefined

  constructor(init: DaemonConnectionInit) {
    this.init = init
  }

  get client(): RpcClient | undefined {
    return this.current?.closed === false ? this.current : undefined
  }

  hasIdentity(): boolean {
    return existsSync(this.init.paths.identity)
  }

  onState(handler: (state: ConnectionState) => void): () => void {
    this.stateHandlers.add(handler)
    return () => this.stateHandlers.delete(handler)
  }

  /** Called with every new connection (first connect and each reconnect). */
  onClient(handler: (client: RpcClient) => void): () => void {
    this.clientHandlers.add(handler)
    return () => this.clientHandlers.delete(handler)
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return
    this.state = state
    this.init.log(`connection: ${state}${state === 'error' && this.lastError ? ` (${this.lastError})` : ''}`)
    for (const handler of this.stateHandlers) handler(state)
  }

  /**
   * Connects, starting the daemon when none runs. Without an identity in the home it stops at
   * `noIdentity` (the welcome view offers to create one) unless a daemon already runs there.
   * Returns once connected or once the state settled on `noIdentity` / `error`.
   */
  async start(): Promise<void> {
    if (this.disposed || this.client !== undefined) return
    this.loop?.abort()
    const loop = new AbortController()
    this.loop = loop
    this.setState('starting')
    await this.run(loop.signal, false)
  }

  /** Stops the daemon (`node.stop`) and starts a fresh one. */
  async restart(): Promise<void> {
    const client = this.client
    this.loop?.abort()
    this.loop = undefined
    if (client !== undefined) {
      const closed = new Promise<void>(resolve => client.onClose(resolve))
      try {
        await client.call('node.stop', {}, { signal: AbortSignal.timeout(5_000) })
      } catch (err) {
        this.init.log(`node.stop failed: ${(err as Error).message}`)
      }
      await Promise.race([closed, new Promise(resolve => setTimeout(resolve, 5_000))])
      client.close()
    }
    this.current = undefined
    await this.waitForSocketRelease()
    await this.start()
  }

  /** The old daemon removes its socket while it stops; wait a little for it. */
  private async waitForSocketRelease(): Promise<void> {
    const deadline = Date.now() + 10_000
    while (existsSync(this.init.paths.socket) && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }

  private async run(signal: AbortSignal, reconnecting: boolean): Promise<void> {
    const connect = this.init.connect ?? connectDaemon
    const spawn = this.init.spawn ?? spawnDetachedDaemon
    const timeout = this.init.startTimeoutMs ?? DAEMON_START_TIMEOUT_MS
    const began = Date.now()
    let spawnedExit: string | undefined
    let spawnedOnce = false
    for (let attempt = 0; !signal.aborted && !this.disposed; attempt++) {
      try {
        const client = await connect(this.init.paths.socket, { signal: AbortSignal.timeout(5_000) })
        if (signal.aborted || this.disposed) {
          client.close()
          return
        }
        this.adopt(client)
        return
      } catch (err) {
        if (!(err instanceof DaemonNotRunningError)) this.lastError = (err as Error).message
      }
      if (!this.hasIdentity()) {
        this.lastError = undefined
        this.setState('noIdentity')
        return
      }
      const waited = Date.now() - began
      // A fresh start spawns at once; after a drop give the restarting daemon a moment first.
      if (!spawnedOnce && (!reconnecting || waited >= RESPAWN_AFTER_MS)) {
        spawnedOnce = true
        const launch = this.init.launch()
        const logPath = homePaths(launch.home).log
        this.init.log(`starting the daemon: home ${launch.home}, log ${logPath}`)
        try {
          const child = spawn(launch)
          child?.once('exit', code => {
            spawnedExit = `the daemon exited with code ${code}: ${logTail(logPath)}`
          })
          child?.once('error', err => {
            spawnedExit = `the daemon could not be started: ${err.message}`
          })
        } catch (err) {
          spawnedExit = `the daemon could not be started: ${(err as Error).message}`
        }
      }
      if (spawnedExit !== undefined) {
        // Another window's daemon may have won the lock in the meantime: try it once more.
        this.lastError = spawnedExit
        spawnedExit = undefined
        spawnedOnce = false
      }
      if (Date.now() - began > timeout && this.state !== 'error') {
        this.lastError ??= `no daemon answered on ${this.init.paths.socket} within ${Math.round(timeout / 1000)} s`
        this.setState('error')
      }
      await sleep(backoffDelay(attempt), signal)
    }
  }

  private adopt(client: RpcClient): void {
    this.current = client
    this.lastError = undefined
    client.onClose(() => {
      if (this.current !== client) return
      this.current = undefined
      if (this.disposed || this.loop === undefined) return
      this.init.log('the daemon closed the connection; reconnecting')
      this.setState('reconnecting')
      const loop = new AbortController()
      this.loop.abort()
      this.loop = loop
      void this.run(loop.signal, true)
    })
    this.setState('ready')
    for (const handler of this.clientHandlers) handler(client)
  }

  dispose(): void {
    this.disposed = true
    this.loop?.abort()
    this.loop = undefined
    this.current?.close()
    this.current = undefined
    this.setState('stopped')
  }
}

function logTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-5).join('\n')
  } catch {
    return '(no daemon.log)'
  }
}

async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  await new Promise<void>(resolve => {
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
