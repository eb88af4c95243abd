import { moveCursor } from 'node:readline'
import { contactLabel } from '../text/contact-label.ts'
import { type ChatIo, chatPrompt } from './chat-prompt.ts'
import type { CommandContext } from './command.ts'
import { formatMessage } from './message-line.ts'
import { deliveryNotices } from './delivery-notices.ts'
import { groupTarget, runGroupChat } from './group-chat.ts'

/**
 * `parley chat TARGET`: shows the recent conversation, then every incoming message as it arrives,
 * and sends each line typed; a sent line's delivery (delivered, read, failed) is shown when it
 * changes. A printed line never breaks the line being typed: it is written above the prompt, which
 * is redrawn with the typed text and the cursor where they were. `/quit` or Ctrl-D leaves.
 */
export async function runChat(
  context: CommandContext,
  io: ChatIo = { input: process.stdin, output: process.stdout }
): Promise<void> {
  const { output } = io
  const now = io.now ?? Date.now
  const terminal = io.terminal ?? (output as { isTTY?: boolean }).isTTY === true
  const client = await context.daemon()
  const group = await groupTarget(client, context.args[0]!)
  if (group !== undefined) {
    await runGroupChat(client, group, { ...io, terminal })
    return
  }
  const { contact } = await client.call('contacts.add', {
    target: context.args[0]!
  })
  const names = new Map([[contact.peerId, contactLabel(contact)]])
  const { print, read } = chatPrompt(io, terminal)

  const { sent, showStatus } = deliveryNotices(print, now)

  const { messages } = await client.call('messages.history', {
    target: contact.peerId,
    limit: 20
  })
  print(`chat with ${contactLabel(contact)} (${contact.presence}); /quit to leave`)
  if (contact.keyChanged) print("WARNING: this contact's key changed; sending is stopped until you accept it")
  for (const m of messages) print(formatMessage(m, names, now()))

  client.on('message.received', ({ message }) => {
    if (message.from !== contact.peerId) return
    print(formatMessage(message, names, now()))
    client.call('messages.markRead', { target: contact.peerId }).catch(() => {})
  })
  client.on('message.status', ({ peerId, status, id, deliveredAt, error }) => {
    if (peerId === contact.peerId) showStatus(id, status, deliveredAt ?? now(), error)
  })
  client.on('session.restarted', ({ peerId, by }) => {
    if (peerId !== contact.peerId) return
    const who = names.get(peerId)
    print(
      by === 'peer'
        ? `* ${who} had lost this conversation's session: a new one started, and what ${who} had not received is sent again`
        : `* this device could not read ${who}'s messages (its session was lost): asked ${who} to start a new session`
    )
  })
  client.on('presence.changed', ({ peerId, presence }) => {
    if (peerId === contact.peerId) print(`* ${names.get(peerId)} is ${presence}`)
  })
  await client.call('messages.markRead', { target: contact.peerId })

  await read(client, text => {
    const at = now()
    // the typed line stays on screen as the user wrote it; the formatted copy replaces it
    if (terminal) moveCursor(output, 0, -1)
    client.call('messages.send', { target: contact.peerId, text }).then(
      r => {
        print(
          formatMessage(
            {
              id: r.id,
              from: '',
              to: contact.peerId,
              direction: 'out',
              text,
              sentAt: at,
              storedAt: at,
              status: r.status
            },
            names,
            now()
          )
        )
        sent(r.id, text, r.status)
      },
      (err: Error) => print(`! ${err.message}`)
    )
  })
}
