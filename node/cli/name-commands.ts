/** `parley register` and `resolve`: names in the DHT. */
import type { RpcResult } from '../daemon/rpc-api.ts'
import type { Command } from './command.ts'
import { ExitCode, ExitError } from './output.ts'

/** The name commands, by name. */
export const NAME_COMMANDS: Record<string, Command> = {
  register: {
    synopsis: 'NAME',
    args: [1, 1],
    options: [],
    async run(context) {
      const client = await context.daemon()
      const stop = context.output.progress(`registering ${context.args[0]} in the DHT…`)
      try {
        const r = await client.call('names.register', {
          name: context.args[0]!
        })
        context.output.result(r, () =>
          r.stored === 0
            ? `claimed ${r.name} → ${r.peerId}, but no peer stores the claim yet (this daemon has no DHT peers); ` +
              'it keeps publishing the claim and the name resolves once peers store it'
            : `registered ${r.name} → ${r.peerId} (stored by ${r.stored} ${r.stored === 1 ? 'peer' : 'peers'})`
        )
      } finally {
        stop()
      }
    }
  },
  resolve: {
    synopsis: 'NAME',
    args: [1, 1],
    options: [],
    async run(context) {
      const client = await context.daemon()
      const stop = context.output.progress(`resolving ${context.args[0]}…`)
      let r: RpcResult<'names.resolve'>
      try {
        r = await client.call('names.resolve', { name: context.args[0]! })
      } finally {
        stop()
      }
      context.output.result(r, () =>
        [
          `${r.name} → ${r.peerId}`,
          `fingerprint: ${r.fingerprint}`,
          ...r.addresses.map(a => `  ${a}`),
          ...(r.keyChanged
            ? [`WARNING: ${r.name} now resolves to a different key than the one pinned on first use.`]
            : [])
        ].join('\n')
      )
      if (r.keyChanged) throw new ExitError(ExitCode.KeyChanged, `the key behind "${r.name}" changed`)
    }
  }
}
