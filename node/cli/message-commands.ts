/** `parley send`, `retry`, `history`, `search` (and `chat`, which main.ts runs: it needs the terminal). */
import type { MessageMatch } from '../daemon/rpc-api.ts'
import { peerText } from '../text/peer-text.ts'
import type { Command } from './command.ts'
import { compactTime as formatTime } from './compact-time.ts'
import { formatMessage } from './message-line.ts'
import { integerOption } from './options.ts'

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

/** The message commands, by name. */
export const MESSAGE_COMMANDS: Record<string, Command> = {
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
  chat: {
    synopsis: 'TARGET',
    args: [1, 1],
    options: [],
    async run() {
      // handled by runChat in main.ts (it needs the terminal)
    }
  }
}
