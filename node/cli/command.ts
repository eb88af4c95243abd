/** What a CLI command is: its context (home, arguments, options, output, the daemon), its shape, and a one-call command. */
import type { RpcClient } from '../daemon/client.ts'
import type { RpcMethod, RpcParams, RpcResult } from '../daemon/rpc-api.ts'
import type { MailboxOptionValues } from './options.ts'
import type { Output } from './output.ts'

export interface CommandContext {
  home: string
  args: string[]
  values: {
    listen?: string[]
    bootstrap?: string[]
    'no-mdns'?: boolean
    wait?: boolean
    timeout?: string
    limit?: string
    with?: string
    json?: boolean
    community?: boolean
    announce?: string[]
    upnp?: boolean
    uses?: string
    expires?: string
    duration?: string
    data?: string
    member?: string[]
  } & MailboxOptionValues
  output: Output
  daemon(): Promise<RpcClient>
}

export interface Command {
  synopsis: string
  /** Minimum and maximum number of positional arguments. */
  args: [number, number]
  options: string[]
  run(context: CommandContext): Promise<void>
}

/** A command that makes one RPC call and prints its result. */
export function rpcCommand<M extends RpcMethod>(
  method: M,
  synopsis: string,
  args: [number, number],
  params: (context: CommandContext) => RpcParams<M>,
  human: (result: RpcResult<M>) => string
): Command {
  return {
    synopsis,
    args,
    options: [],
    async run(context) {
      const client = await context.daemon()
      const result = await client.call(method, params(context))
      context.output.result(result, () => human(result))
    }
  }
}
