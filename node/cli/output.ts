import { ConnectionClosedError, DaemonNotRunningError } from '../daemon/client.ts'
import { RpcError } from '../daemon/json-rpc.ts'
import { RpcErrorCode } from '../daemon/rpc-api.ts'

/** The CLI's exit codes: a contract other tools and tests rely on (README, "CLI"). */
export const ExitCode = {
  Ok: 0,
  Error: 1,
  NotFound: 2,
  NoDaemon: 3,
  /** `resolve`: the name now points at another key than the one pinned on first use. */
  KeyChanged: 4
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** A usage mistake on the command line (exit 1, with a hint). */
export class UsageError extends Error {
  static name = 'UsageError'
  name = 'UsageError'
}

/** Ends the command with a given exit code after its output was printed. */
export class ExitError extends Error {
  static name = 'ExitError'
  name = 'ExitError'
  readonly exitCode: ExitCode
  constructor(exitCode: ExitCode, message: string) {
    super(message)
    this.exitCode = exitCode
  }
}

export interface Output {
  readonly json: boolean
  /** Prints the command's one result: the JSON document, or the human rendering. */
  result(value: unknown, human: () => string): void
  /** Progress for long operations, only on a terminal and never with --json. */
  progress(message: string): () => void
}

export function createOutput(json: boolean, stdout = process.stdout, stderr = process.stderr): Output {
  return {
    json,
    result(value, human) {
      stdout.write(json ? `${JSON.stringify(value)}\n` : `${human()}\n`)
    },
    progress(message) {
      if (json || stderr.isTTY !== true) return () => {}
      const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
      let i = 0
      const draw = (): void => {
        stderr.write(`\r${frames[i++ % frames.length]} ${message}`)
      }
      draw()
      const timer = setInterval(draw, 100)
      return () => {
        clearInterval(timer)
        stderr.write('\r\x1b[2K')
      }
    }
  }
}

/** Maps an error to the exit code and the line printed on stderr. */
export function describeError(err: unknown): {
  exitCode: ExitCode
  message: string
  code?: number
  name: string
} {
  if (err instanceof ExitError) return { exitCode: err.exitCode, message: err.message, name: err.name }
  if (err instanceof DaemonNotRunningError) {
    return {
      exitCode: ExitCode.NoDaemon,
      name: err.name,
      message: `${err.message}\nhint: start one with \`parley daemon\` (or \`npm start\`), with the same --home`
    }
  }
  if (err instanceof ConnectionClosedError)
    return {
      exitCode: ExitCode.NoDaemon,
      message: err.message,
      name: err.name
    }
  if (err instanceof RpcError) {
    return {
      exitCode:
        err.code === RpcErrorCode.NotFound || err.code === RpcErrorCode.GroupNotFound
          ? ExitCode.NotFound
          : ExitCode.Error,
      message: err.message,
      code: err.code,
      name: (err.data as { name?: string } | undefined)?.name ?? err.name
    }
  }
  if (err instanceof UsageError) {
    return {
      exitCode: ExitCode.Error,
      message: `${err.message}\nsee \`parley --help\``,
      name: err.name
    }
  }
  const name = err instanceof Error ? err.name : 'Error'
  return {
    exitCode: ExitCode.Error,
    message: err instanceof Error ? err.message : String(err),
    name
  }
}
