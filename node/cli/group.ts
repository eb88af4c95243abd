/** `parley group …` (create, add, remove, admin, rename, leave) and `parley groups`. */
import type { RpcClient } from '../daemon/client.ts'
import type { GroupView } from '../daemon/rpc-api.ts'
import { shortPeerId } from '../text/contact-label.ts'
import { peerText } from '../text/peer-text.ts'
import type { Command } from './command.ts'
import { type Output, UsageError } from './output.ts'

/** What the group commands use of a CLI command's context (command.ts CommandContext). */
export interface GroupContext {
  args: string[]
  values: { member?: string[] }
  output: Output
  daemon(): Promise<RpcClient>
}

/** A group on a terminal: its title, id, and members (admins marked). Titles and names are peer text. */
export function formatGroup(g: GroupView, withId = true): string {
  const members = g.members
    .map(m => `${peerText(m.name ?? shortPeerId(m.peerId), 'terminal')}${m.admin ? ' (admin)' : ''}`)
    .join(', ')
  const unread = g.unread > 0 ? ` (${g.unread} unread)` : ''
  const left = g.left ? '  [left]' : ''
  return `#${peerText(g.title, 'terminal')}${unread}${left}${withId ? `  ${g.id}` : ''}\n    ${members}`
}

/** The JSON of one group, as the issue states it: id, title, members (peer ids), and unread in lists. */
function groupJson(g: GroupView): { id: string; title: string; members: string[]; admins: string[]; left: boolean } {
  return {
    id: g.id,
    title: g.title,
    members: g.members.map(m => m.peerId),
    admins: g.members.filter(m => m.admin).map(m => m.peerId),
    left: g.left
  }
}

export async function runGroup(context: GroupContext, synopsis: string): Promise<void> {
  const [action, group, arg] = context.args as [string, string | undefined, string | undefined]
  const usage = (): never => {
    throw new UsageError(`usage: parley group ${synopsis}`)
  }
  if (action !== 'create' && context.values.member !== undefined)
    throw new UsageError('--member goes with "group create"')
  let call: (client: RpcClient) => Promise<{ group: GroupView }>
  switch (action) {
    case 'create':
      if (group === undefined || arg !== undefined) usage()
      call = async client => await client.call('groups.create', { title: group!, members: context.values.member ?? [] })
      break
    case 'add':
    case 'remove':
    case 'admin':
      if (group === undefined || arg === undefined) usage()
      call = async client => await client.call(`groups.${action}`, { group: group!, member: arg! })
      break
    case 'rename':
      if (group === undefined || arg === undefined) usage()
      call = async client => await client.call('groups.rename', { group: group!, title: arg! })
      break
    case 'leave':
      if (group === undefined || arg !== undefined) usage()
      call = async client => await client.call('groups.leave', { group: group! })
      break
    default:
      throw new UsageError(`unknown group action "${action}"`)
  }
  const client = await context.daemon()
  const { group: view } = await call(client)
  context.output.result({ group: groupJson(view) }, () => formatGroup(view))
}

export async function runGroups(context: GroupContext): Promise<void> {
  const client = await context.daemon()
  const { groups } = await client.call('groups.list', {})
  context.output.result({ groups: groups.map(g => ({ ...groupJson(g), unread: g.unread })) }, () =>
    groups.length === 0
      ? 'no groups yet: `parley group create TITLE --member NAME`'
      : groups.map(g => formatGroup(g)).join('\n')
  )
}

const GROUP_SYNOPSIS =
  'create TITLE [--member NAME|PEERID]... | add GROUP MEMBER | remove GROUP MEMBER | admin GROUP MEMBER | rename GROUP TITLE | leave GROUP'

/** `parley group …` and `parley groups` in the command table. */
export const GROUP_COMMANDS: Record<string, Command> = {
  group: {
    synopsis: GROUP_SYNOPSIS,
    args: [2, 3],
    options: ['member'],
    async run(context) {
      await runGroup(context, GROUP_SYNOPSIS)
    }
  },
  groups: {
    synopsis: '',
    args: [0, 0],
    options: [],
    async run(context) {
      await runGroups(context)
    }
  }
}
