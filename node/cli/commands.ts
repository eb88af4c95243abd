import type { RpcClient } from '../daemon/client.ts'
import type { ContactView, MessageMatch, MessageView, RpcMethod, RpcParams, RpcResult } from '../daemon/rpc-api.ts'
import { runCommunity } from './community.ts'
import { runGroup, runGroups } from './group.ts'
import { integerOption, MAILBOX_OPTIONS, type MailboxOptionValues, mailboxOptions } from './options.ts'
import { compactTime as formatTime } from './compact-time.ts'
import { ExitCode, ExitError, type Output, UsageError } from './output.ts'
import { contactLabel, shortPeerId } from '../text/contact-label.ts'
import { peerText } from '../text/peer-text.ts'

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

function formatContact(c: ContactView): string {
  const flags = [
    c.state !== 'contact' ? c.state : '',
    c.verified ? 'verified' : '',
    c.keyChanged ? 'KEY CHANGED' : '',
    c.sessionRestartedAt !== undefined ? `session restarted ${formatTime(c.sessionRestartedAt)}` : ''
  ]
    .filter(Boolean)
    .join(', ')
  const seen =
    c.presence === 'online' ? 'online' : c.lastSeen !== undefined ? `seen ${formatTime(c.lastSeen)}` : 'offline'
  const unread = c.unread > 0 ? ` (${c.unread} unread)` : ''
  return `${contactLabel(c)}  ${seen}${unread}${flags !== '' ? `  [${flags}]` : ''}\n    ${c.peerId}`
}

/** A search match on a terminal: when, who, and the excerpt with the matching words in «». */
function formatMatch({ message: m, excerpt, highlights, group }: MessageMatch): string {
  let marked = ''
  let at = 0
  for (const [start, end] of highlights) {
    marked += `${excerpt.slice(at, start)}«${excerpt.slice(start, end)}»`
    at = end
  }
  marked += excerpt.slice(at)
  const to = group !== undefined ? `#${peerText(group.title, 'log')}` : m.to.slice(-8)
  const who =
    m.direction === 'out' ? `me → ${to}` : group !== undefined ? `${m.from.slice(-8)} in ${to}` : m.from.slice(-8)
  return `[${formatTime(m.sentAt)}] ${who}: ${peerText(marked, 'log')}`
}

/** The status shown after an outgoing message: nothing once delivered or read. */
export function statusSuffix(m: Pick<MessageView, 'direction' | 'status' | 'error'>): string {
  if (m.direction !== 'out' || m.status === 'delivered' || m.status === 'read') return ''
  if (m.status === 'failed') return ` (failed${m.error !== undefined ? `: ${peerText(m.error, 'terminal')}` : ''})`
  // queued behind a full or unreachable mailbox: say why
  if (m.status === 'queued' && m.error !== undefined && /mailbox/.test(m.error)) {
    return ` (queued: ${peerText(m.error, 'terminal')})`
  }
  return ` (${m.status})`
}

export function formatMessage(
  m: MessageView,
  names: Map<string, string> = new Map(),
  now: number = Date.now()
): string {
  const who = m.direction === 'out' ? 'me' : (names.get(m.from) ?? shortPeerId(m.from))
  // a peer's text on a terminal: no escape sequence, bidi control or hidden character gets through
  const body = peerText(
    m.snippet !== undefined
      ? `[${m.snippet.language}] ${m.snippet.path}:${m.snippet.startLine}-${m.snippet.endLine}\n${m.snippet.text}`
      : m.text,
    'terminal'
  )
  return `[${formatTime(m.sentAt, now)}] ${who}: ${body}${statusSuffix(m)}`
}

/** A command that makes one RPC call and prints its result. */
function rpcCommand<M extends RpcMethod>(
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

const contactAction = (
  method:
    | 'contacts.add'
    | 'contacts.accept'
    | 'contacts.decline'
    | 'contacts.block'
    | 'contacts.unblock'
    | 'contacts.verify'
    | 'contacts.acceptKey'
) =>
  async function run(context: CommandContext, target: string): Promise<void> {
    const client = await context.daemon()
    const stop = method === 'contacts.add' ? context.output.progress(`looking up ${target}…`) : () => {}
    try {
      const result = await client.call(method, { target })
      context.output.result(result, () => formatContact(result.contact))
    } finally {
      stop()
    }
  }

const CONTACT_ACTIONS = {
  add: contactAction('contacts.add'),
  accept: contactAction('contacts.accept'),
  decline: contactAction('contacts.decline'),
  block: contactAction('contacts.block'),
  unblock: contactAction('contacts.unblock'),
  verify: contactAction('contacts.verify'),
  'accept-key': contactAction('contacts.acceptKey')
} as const

export const COMMANDS: Record<string, Command> = {
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
  retry: {
    synopsis: 'ID',
    args: [1, 1],
    options: [],
    async run(context) {
      const client = await context.daemon()
      const r = await client.call('messages.retry', { id: context.args[0]! })
      context.output.result(r, () => `message ${r.id}: ${r.status}`)
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
  },
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
  'safety-number': rpcCommand(
    'safety.number',
    'NAME|PEERID',
    [1, 1],
    c => ({ target: c.args[0]! }),
    s => {
      return `safety number with ${s.name ?? s.peerId}:\n\n  ${s.safetyNumber}\n\nCompare it with theirs in person or on a call.`
    }
  ),
  send: {
    synopsis: 'TARGET TEXT [--wait] [--timeout S]',
    args: [2, 2],
    options: ['wait', 'timeout'],
    async run(context) {
      const timeout = integerOption(context.values.timeout, 'timeout', 1, 86_400)
      const client = await context.daemon()
      const wait = context.values.wait === true
      const stop = wait ? context.output.progress('waiting for delivery…') : () => {}
      try {
        const r = await client.call('messages.send', {
          target: context.args[0]!,
          text: context.args[1]!,
          wait,
          ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {})
        })
        context.output.result(r, () => `${r.status}: ${r.id}`)
      } finally {
        stop()
      }
    }
  },
  search: {
    synopsis: 'TEXT [--with TARGET] [--limit N]',
    args: [1, 1],
    options: ['with', 'limit'],
    async run(context) {
      const limit = integerOption(context.values.limit, 'limit', 1, 1_000)
      const target = context.values.with
      const client = await context.daemon()
      const r = await client.call('messages.search', {
        query: context.args[0]!,
        ...(target !== undefined ? { target } : {}),
        ...(limit !== undefined ? { limit } : {})
      })
      context.output.result(
        {
          matches: r.matches.map(({ message: m, excerpt, highlights, group }) => ({
            id: m.id,
            conversation: group !== undefined ? group.id : m.direction === 'in' ? m.from : m.to,
            from: m.from,
            direction: m.direction,
            sentAt: m.sentAt,
            excerpt,
            highlights,
            ...(group !== undefined ? { group } : {})
          }))
        },
        () => (r.matches.length === 0 ? 'no messages match' : r.matches.map(formatMatch).join('\n'))
      )
    }
  },
  history: {
    synopsis: 'TARGET [--limit N]',
    args: [1, 1],
    options: ['limit'],
    async run(context) {
      const limit = integerOption(context.values.limit, 'limit', 1, 10_000)
      const client = await context.daemon()
      const r = await client.call('messages.history', {
        target: context.args[0]!,
        ...(limit !== undefined ? { limit } : {})
      })
      context.output.result(
        {
          messages: r.messages.map(m => ({
            id: m.id,
            from: m.from,
            to: m.to,
            direction: m.direction,
            text: m.text,
            sentAt: m.sentAt,
            status: m.status,
            ...(m.deliveredAt !== undefined ? { deliveredAt: m.deliveredAt } : {}),
            // the reason a message waits (a full mailbox) or failed, as README documents
            ...(m.error !== undefined ? { error: m.error } : {}),
            ...(m.snippet !== undefined ? { snippet: m.snippet } : {})
          }))
        },
        () => (r.messages.length === 0 ? 'no messages' : r.messages.map(m => formatMessage(m)).join('\n'))
      )
    }
  },
  contacts: rpcCommand(
    'contacts.list',
    '',
    [0, 0],
    () => ({}),
    ({ contacts }) => {
      return contacts.length === 0
        ? 'no contacts yet: `parley contact add NAME`'
        : contacts.map(formatContact).join('\n')
    }
  ),
  contact: {
    synopsis: 'add|accept|decline|block|unblock|verify|accept-key TARGET',
    args: [2, 2],
    options: [],
    async run(context) {
      const [action, target] = context.args as [string, string]
      const run = CONTACT_ACTIONS[action as keyof typeof CONTACT_ACTIONS]
      if (run === undefined) throw new UsageError(`unknown contact action "${action}"`)
      await run(context, target)
    }
  },
  invite: rpcCommand(
    'invite.create',
    '',
    [0, 0],
    () => ({}),
    r => r.link
  ),
  community: {
    synopsis:
      'invite [--uses N] [--expires DURATION] | members | remove PEERID|NAME | limit PEERID|NAME [--duration DURATION] [--data BYTES] | join LINK | list | leave PEERID',
    args: [1, 2],
    options: ['uses', 'expires', 'duration', 'data'],
    async run(context) {
      await runCommunity(context, COMMANDS.community!.synopsis)
    }
  },
  group: {
    synopsis:
      'create TITLE [--member NAME|PEERID]... | add GROUP MEMBER | remove GROUP MEMBER | admin GROUP MEMBER | rename GROUP TITLE | leave GROUP',
    args: [2, 3],
    options: ['member'],
    async run(context) {
      await runGroup(context, COMMANDS.group!.synopsis)
    }
  },
  groups: {
    synopsis: '',
    args: [0, 0],
    options: [],
    async run(context) {
      await runGroups(context)
    }
  },
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
  },
  chat: {
    synopsis: 'TARGET',
    args: [1, 1],
    options: [],
    async run() {
      // handled by runChat in main.ts (it needs the terminal)
    }
  }
}
