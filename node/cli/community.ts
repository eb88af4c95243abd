/** `parley community …`: a community node's invite, members, remove and limit; a member's join, list and leave. */
import type { RpcClient } from '../daemon/client.ts'
import { peerText } from '../text/peer-text.ts'
import { shortPeerId } from '../text/contact-label.ts'
import type { Command } from './command.ts'
import { compactTime as formatTime } from './compact-time.ts'
import { parseDuration } from './duration.ts'
import { integerOption } from './options.ts'
import { type Output, UsageError } from './output.ts'

/** What the community command uses of a CLI command's context (command.ts CommandContext). */
export interface CommunityContext {
  args: string[]
  values: { uses?: string; expires?: string; duration?: string; data?: string }
  output: Output
  daemon(): Promise<RpcClient>
}

/** `parley community …`: the community node's invite/members/remove, the member's join/list/leave. */
export async function runCommunity(context: CommunityContext, synopsis: string): Promise<void> {
  const [action, arg] = context.args as [string, string | undefined]
  const needs = (n: 0 | 1): void => {
    if ((arg === undefined) !== (n === 0)) throw new UsageError(`usage: parley community ${synopsis}`)
    if (action !== 'invite' && (context.values.uses !== undefined || context.values.expires !== undefined)) {
      throw new UsageError('--uses and --expires go with "community invite"')
    }
    if (action !== 'limit' && (context.values.duration !== undefined || context.values.data !== undefined)) {
      throw new UsageError('--duration and --data go with "community limit"')
    }
  }
  const client = await context.daemon()
  switch (action) {
    case 'invite': {
      needs(0)
      const uses = integerOption(context.values.uses, 'uses', 1, 10_000)
      const expiresMs =
        context.values.expires === undefined ? undefined : parseDuration(context.values.expires, 'expires')
      const r = await client.call('community.invite', {
        ...(uses !== undefined ? { uses } : {}),
        ...(expiresMs !== undefined ? { expiresMs } : {})
      })
      context.output.result(r, () => r.link)
      return
    }
    case 'members': {
      needs(0)
      const r = await client.call('community.members', {})
      context.output.result(r, () =>
        r.members.length === 0
          ? 'no members yet: `parley community invite`'
          : r.members
              .map(
                m =>
                  `${m.name === null ? shortPeerId(m.peerId) : peerText(m.name, 'terminal')}  ${m.online ? 'online' : 'offline'}  joined ${formatTime(m.joinedAt)}  ${mailboxSummary(m)}\n    ${m.peerId}`
              )
              .join('\n')
      )
      return
    }
    case 'remove': {
      needs(1)
      const r = await client.call('community.remove', { target: arg as string })
      context.output.result(r, () => `removed ${r.removed.peerId}`)
      return
    }
    case 'limit': {
      needs(1)
      const durationMs =
        context.values.duration === undefined ? undefined : parseDuration(context.values.duration, 'duration')
      const dataBytes = integerOption(context.values.data, 'data', 1024, 2 ** 40)
      const r = await client.call('community.limit', {
        target: arg as string,
        ...(durationMs !== undefined ? { durationMs } : {}),
        ...(dataBytes !== undefined ? { dataBytes } : {})
      })
      const m = r.member
      context.output.result(
        r,
        () =>
          `${m.peerId}: relayed connections ${m.relayDurationMs === null ? 'unlimited in time' : `cut after ${m.relayDurationMs / 1000} s`}, ${m.relayDataBytes === null ? 'unlimited in data' : `cut after ${m.relayDataBytes} bytes`}`
      )
      return
    }
    case 'join': {
      needs(1)
      const stop = context.output.progress('joining the community…')
      try {
        const r = await client.call('community.join', { link: arg as string })
        context.output.result(r, () => `joined community ${r.community.peerId}`)
      } finally {
        stop()
      }
      return
    }
    case 'list': {
      needs(0)
      const r = await client.call('community.list', {})
      context.output.result(r, () =>
        r.communities.length === 0
          ? 'no communities joined: `parley community join LINK`'
          : r.communities
              .map(c => `${c.peerId}  ${c.connected ? 'connected' : 'offline'}${c.reserved ? ', relayed through' : ''}`)
              .join('\n')
      )
      return
    }
    case 'leave': {
      needs(1)
      const r = await client.call('community.leave', { peerId: arg as string })
      context.output.result(r, () => `left community ${r.left}`)
      return
    }
    default:
      throw new UsageError(`unknown community action "${action}"`)
  }
}

/** "3 queues, 12 deposits (48 KiB)": what a member keeps in its mailboxes on this node. */
function mailboxSummary(m: { queues: number; deposits: number; storedBytes: number }): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`
  const kib =
    m.storedBytes < 1024 * 1024
      ? `${Math.ceil(m.storedBytes / 1024)} KiB`
      : `${(m.storedBytes / 1048576).toFixed(1)} MiB`
  return `${plural(m.queues, 'queue')}, ${plural(m.deposits, 'deposit')} (${kib})`
}

const COMMUNITY_SYNOPSIS =
  'invite [--uses N] [--expires DURATION] | members | remove PEERID|NAME | limit PEERID|NAME [--duration DURATION] [--data BYTES] | join LINK | list | leave PEERID'

/** `parley community …` in the command table. */
export const COMMUNITY_COMMANDS: Record<string, Command> = {
  community: {
    synopsis: COMMUNITY_SYNOPSIS,
    args: [1, 2],
    options: ['uses', 'expires', 'duration', 'data'],
    async run(context) {
      await runCommunity(context, COMMUNITY_SYNOPSIS)
    }
  }
}
