/** `parley init`, `daemon`, `status`, `whoami`, `peers`, `settings` and `events`: the node itself. */
import { type Command, rpcCommand } from './command.ts'
import { integerOption, MAILBOX_OPTIONS, mailboxOptions } from './options.ts'
import { UsageError } from './output.ts'

/** The commands of the node itself, by name. */
export const NODE_COMMANDS: Record<string, Command> = {
  init: {
    synopsis: '',
    args: [0, 0],
    options: [],
    async run(context) {
      const { initHome } = await import('../daemon/init.ts')
      const { terminalPassphrasePrompt } = await import('./prompt.ts')
      const result = await initHome(context.home, { prompt: terminalPassphrasePrompt() })
      context.output.result(
        { peerId: result.peerId },
        () => `${result.created ? 'created' : 'already initialized'}: ${result.peerId}\nhome: ${context.home}`
      )
    }
  },
  daemon: {
    synopsis:
      '[--community [--mailbox-… N]...] [--listen MULTIADDR]... [--announce MULTIADDR]... [--bootstrap MULTIADDR]... [--no-mdns] [--upnp]',
    args: [0, 0],
    options: ['listen', 'bootstrap', 'no-mdns', 'community', 'announce', 'upnp', ...MAILBOX_OPTIONS],
    async run(context) {
      const mailbox = mailboxOptions(context.values, context.values.community === true)
      const { runDaemon } = await import('../daemon/daemon.ts')
      const { terminalPassphrasePrompt } = await import('./prompt.ts')
      await runDaemon({
        home: context.home,
        prompt: terminalPassphrasePrompt(),
        listen: context.values.listen,
        bootstrap: context.values.bootstrap ?? [],
        mdns: context.values['no-mdns'] !== true,
        community: context.values.community === true,
        announce: context.values.announce,
        mailbox,
        upnp: context.values.upnp === true,
        onReady(info) {
          const community = context.values.community === true
          if (context.output.json) {
            process.stdout.write(
              `${JSON.stringify({ event: 'ready', ...info, ...(community ? { community: true } : {}) })}\n`
            )
          } else {
            process.stdout.write(
              `parley ${community ? 'community node' : 'daemon'} ready: ${info.peerId}\n${info.addresses.join('\n')}\n`
            )
          }
        }
      })
    }
  },
  status: rpcCommand(
    'node.status',
    '',
    [0, 0],
    () => ({}),
    s => {
      return [
        `peer id:       ${s.peerId}`,
        `name:          ${s.name ?? '(none)'}`,
        `connections:   ${s.connections}`,
        `routing table: ${s.routingTable}`,
        `reachability:  ${s.reachability}${s.community ? ' (community node)' : ''}`,
        'addresses:',
        ...s.addresses.map(a => `  ${a}`),
        ...(s.communities.length > 0
          ? [
              'communities:',
              ...s.communities.map(
                c => `  ${c.peerId}  ${c.connected ? 'connected' : 'offline'}${c.reserved ? ', relayed through' : ''}`
              )
            ]
          : [])
      ].join('\n')
    }
  ),
  settings: {
    synopsis: '[read-receipts on|off] [fail-after HOURS]',
    args: [0, 4],
    options: [],
    async run(context) {
      const usage = 'usage: parley settings [read-receipts on|off] [fail-after HOURS]'
      const update: { readReceipts?: boolean; failAfterHours?: number } = {}
      const args = [...context.args]
      if (args.length % 2 !== 0) throw new UsageError(usage)
      while (args.length > 0) {
        const [key, value] = args.splice(0, 2) as [string, string]
        if (key === 'read-receipts' && (value === 'on' || value === 'off')) update.readReceipts = value === 'on'
        else if (key === 'fail-after') update.failAfterHours = integerOption(value, 'fail-after', 1, 8760)
        else throw new UsageError(usage)
      }
      const client = await context.daemon()
      const result =
        Object.keys(update).length === 0
          ? await client.call('settings.get', {})
          : await client.call('settings.set', update)
      context.output.result(
        result,
        () =>
          `read receipts: ${result.readReceipts ? 'on' : 'off'}
  ` +
          `fail after: ${result.failAfterHours} hours (an undelivered message is then marked failed; \`parley retry ID\` sends it again)`
      )
    }
  },
  whoami: rpcCommand(
    'node.whoami',
    '',
    [0, 0],
    () => ({}),
    w => {
      return `${w.name ?? '(no name)'}\n${w.peerId}\nfingerprint: ${w.fingerprint}`
    }
  ),
  peers: rpcCommand(
    'peers.list',
    '',
    [0, 0],
    () => ({}),
    ({ peers }) => {
      if (peers.length === 0) return 'no connected peers'
      return peers
        .map(p => [`${p.peerId}${p.relayed ? '  (relayed)' : ''}`, ...p.addresses.map(a => `  ${a}`)].join('\n'))
        .join('\n')
    }
  ),
  events: {
    synopsis: '',
    args: [0, 0],
    options: [],
    async run(context) {
      const client = await context.daemon()
      // Subscribe first, then prove the subscription is live with a round trip.
      client.onAny((method, params) => {
        process.stdout.write(
          context.output.json
            ? `${JSON.stringify({ event: method, ...(params as object) })}\n`
            : `${method} ${JSON.stringify(params)}\n`
        )
      })
      await client.call('node.whoami', {})
      if (context.output.json) process.stdout.write(`${JSON.stringify({ event: 'subscribed' })}\n`)
      await new Promise<void>(resolve => {
        client.onClose(resolve)
        process.once('SIGINT', resolve)
        process.once('SIGTERM', resolve)
      })
    }
  }
}
