/** `parley contacts`, `contact add|accept|decline|block|unblock|verify|accept-key`, `invite` and `safety-number`. */
import type { ContactView } from '../daemon/rpc-api.ts'
import { contactLabel } from '../text/contact-label.ts'
import { type Command, type CommandContext, rpcCommand } from './command.ts'
import { compactTime as formatTime } from './compact-time.ts'
import { UsageError } from './output.ts'

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

/** The contact commands, by name. */
export const CONTACT_COMMANDS: Record<string, Command> = {
  'safety-number': rpcCommand(
    'safety.number',
    'NAME|PEERID',
    [1, 1],
    c => ({ target: c.args[0]! }),
    s => {
      return `safety number with ${s.name ?? s.peerId}:\n\n  ${s.safetyNumber}\n\nCompare it with theirs in person or on a call.`
    }
  ),
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
  )
}
