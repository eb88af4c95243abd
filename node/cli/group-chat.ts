/**
 * `parley chat GROUP`: the group's recent messages, then each new one as it arrives, and membership
 * changes; each line typed is sent to the group. `/quit` or Ctrl-D leaves.
 */
import type { RpcClient } from '../daemon/client.ts'
import type { GroupView } from '../daemon/rpc-api.ts'
import { shortPeerId } from '../text/contact-label.ts'
import { peerText } from '../text/peer-text.ts'
import { type ChatIo, chatPrompt } from './chat-prompt.ts'
import { formatMessage } from './message-line.ts'
import { deliveryNotices } from './delivery-notices.ts'
import { formatGroup } from './group.ts'

/** The group a chat target names, if it names one of ours (`#title`, or a group's id). */
export async function groupTarget(client: RpcClient, target: string): Promise<GroupView | undefined> {
  if (!target.startsWith('#') && !/^[0-9a-f]{32}$/.test(target)) return undefined
  const { groups } = await client.call('groups.list', {})
  if (target.startsWith('#')) {
    const found = groups.filter(g => g.title === target.slice(1))
    return found.length === 1 ? found[0] : undefined
  }
  return groups.find(g => g.id === target)
}

export async function runGroupChat(client: RpcClient, group: GroupView, io: ChatIo): Promise<void> {
  const now = io.now ?? Date.now
  const names = new Map(group.members.map(m => [m.peerId, peerText(m.name ?? shortPeerId(m.peerId), 'terminal')]))
  const { print, read } = chatPrompt(io, io.terminal ?? false)
  // our messages' delivery, as in a direct chat: delivered once every member has it, then "read by N"
  const { sent, showStatus } = deliveryNotices(print, now)
  client.on('message.status', ({ peerId, status, id, deliveredAt, error, readBy }) => {
    if (peerId === group.id) showStatus(id, status, deliveredAt ?? now(), error, readBy)
  })
  const { messages } = await client.call('messages.history', { target: group.id, limit: 20 })
  print(`${formatGroup(group, false)}\n/quit to leave`)
  for (const m of messages) print(formatMessage(m, names, now()))
  client.on('group.message', ({ message }) => {
    if (message.groupId !== group.id || message.direction === 'out') return
    print(formatMessage(message, names, now()))
    client.call('messages.markRead', { target: group.id }).catch(() => {})
  })
  client.on('group.changed', ({ group: g, change }) => {
    if (g.id !== group.id) return
    for (const m of g.members) names.set(m.peerId, peerText(m.name ?? shortPeerId(m.peerId), 'terminal'))
    const who = (ids: string[]): string => ids.map(id => names.get(id) ?? shortPeerId(id)).join(', ')
    if (change.added.length > 0) print(`* added: ${who(change.added)}`)
    if (change.removed.length > 0) print(`* removed: ${who(change.removed)}`)
    if (change.title !== undefined) print(`* renamed to #${peerText(change.title, 'terminal')}`)
  })
  await client.call('messages.markRead', { target: group.id })
  await read(client, text => {
    client.call('messages.send', { target: group.id, text }).then(
      r => {
        print(`[sent ${r.id.slice(0, 8)}] ${r.status}`)
        sent(r.id, text, r.status)
      },
      (err: Error) => print(`! ${err.message}`)
    )
  })
}
