import { parseArgs } from 'node:util'
import { connectDaemon, type RpcClient } from '../daemon/client.ts'
import { homePaths, resolveHome } from '../daemon/home.ts'
import { runChat } from './chat.ts'
import type { CommandContext } from './command.ts'
import { COMMANDS } from './commands.ts'
import { createOutput, describeError, ExitCode, UsageError } from './output.ts'
import { USAGE } from './usage.ts'

/** Every option any command takes; each command says which of them it accepts. */
const OPTIONS = {
  home: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  listen: { type: 'string', multiple: true },
  bootstrap: { type: 'string', multiple: true },
  'no-mdns': { type: 'boolean' },
  wait: { type: 'boolean' },
  timeout: { type: 'string' },
  limit: { type: 'string' },
  community: { type: 'boolean' },
  announce: { type: 'string', multiple: true },
  upnp: { type: 'boolean' },
  uses: { type: 'string' },
  expires: { type: 'string' },
  duration: { type: 'string' },
  data: { type: 'string' },
  with: { type: 'string' },
  'mailbox-days': { type: 'string' },
  'mailbox-queue-deposits': { type: 'string' },
  'mailbox-queue-bytes': { type: 'string' },
  'mailbox-member-deposits': { type: 'string' },
  'mailbox-member-bytes': { type: 'string' },
  'mailbox-queues': { type: 'string' },
  'mailbox-pow': { type: 'string' },
  'mailbox-rate': { type: 'string' },
  member: { type: 'string', multiple: true }
} as const

const GLOBAL = new Set(['home', 'json', 'help'])

/** node:util's parseArgs, with its errors (unknown option, missing value, ...) as usage errors. */
function parseOptions(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true, tokens: true })
  } catch (err) {
    if ((err as { code?: unknown }).code?.toString().startsWith('ERR_PARSE_ARGS_') === true) {
      throw new UsageError((err as Error).message)
    }
    throw err
  }
}

export async function main(argv: string[]): Promise<number> {
  let json = argv.includes('--json')
  try {
    const { values, positionals, tokens } = parseOptions(argv)
    json = values.json === true
    const [name, ...args] = positionals
    if (values.help === true || name === 'help') {
      process.stdout.write(USAGE)
      return ExitCode.Ok
    }
    if (name === undefined) {
      if (json) throw new UsageError('no command given')
      process.stderr.write(USAGE)
      return ExitCode.Error
    }
    // own properties only: `parley constructor` must not find Object's constructor
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
    if (command === undefined) throw new UsageError(`unknown command "${name}"`)
    for (const token of tokens) {
      if (token.kind === 'option' && !GLOBAL.has(token.name) && !command.options.includes(token.name)) {
        throw new UsageError(`"${name}" does not take --${token.name}`)
      }
    }
    if (args.length < command.args[0] || args.length > command.args[1]) {
      throw new UsageError(`usage: parley ${name} ${command.synopsis}`)
    }

    const home = resolveHome({ home: values.home, env: process.env })
    const output = createOutput(json)
    let client: RpcClient | undefined
    const context: CommandContext = {
      home,
      args,
      values,
      output,
      async daemon() {
        client ??= await connectDaemon(homePaths(home).socket)
        return client
      }
    }
    try {
      if (name === 'chat') await runChat(context)
      else await command.run(context)
    } finally {
      client?.close()
    }
    return ExitCode.Ok
  } catch (err) {
    const { exitCode, message, code, name } = describeError(err)
    if (json) process.stderr.write(`${JSON.stringify({ error: { name, code, message } })}\n`)
    else process.stderr.write(`parley: ${message}\n`)
    return exitCode
  }
}

process.exitCode = await main(process.argv.slice(2))
