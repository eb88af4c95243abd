import { clearScreenDown, createInterface, cursorTo, moveCursor } from 'node:readline'
import type { MessageStatus } from '../daemon/rpc-api.ts'
import { contactLabel } from '../text/contact-label.ts'
import { peerText } from '../text/peer-text.ts'
import { type CommandContext, formatMessage } from './commands.ts'
import { compactTime } from './compact-time.ts'
import { groupTarget, runGroupChat } from './group-chat.ts'

/** Where the chat reads and writes: the terminal, or streams in a test. */
export interface ChatIo {
  input: NodeJS.ReadableStream
  output: NodeJS.WritableStream
  /** Redraw the prompt and the line being typed around printed lines. @default output.isTTY */
  terminal?: boolean
  /** @default Date.now */
  now?: () => number
}

/** How many characters of a sent message a delivery notice repeats. */
const NOTICE_TEXT = 40

function excerpt(text: string): string {
  const one = peerText(text, 'terminal').replace(/\s+/g, ' ')
  return one.length > NOTICE_TEXT ? `${one.slice(0, NOTICE_TEXT - 1)}…` : one
}

/** The line printed when a sent message's status changes (undefined: nothing worth a line). */
export function statusNotice(
  status: MessageStatus,
  text: string,
  at: number,
  now: number,
  detail: { id: string; error?: string }
): string | undefined {
  const time = compactTime(at, now)
  if (status === 'stored') return `[${time}] · stored in a mailbox: ${excerpt(text)}`
  if (status === 'delivered') return `[${time}] ✓ delivered: ${excerpt(text)}`
  if (status === 'read') return `[${time}] ✓✓ read: ${excerpt(text)}`
  if (status === 'failed') {
    const why = detail.error !== undefined ? ` (${peerText(detail.error, 'terminal')})` : ''
    return `[${time}] ! not delivered: ${excerpt(text)}${why}; \`parley retry ${detail.id}\` sends it again`
  }
  return undefined
}

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
  const rl = createInterface({ input: io.input, output, prompt: '> ', terminal })
  // stdin may end (Ctrl-D, or a short piped input) while the history is still loading: listen now
  const closed = new Promise<void>(resolve => rl.once('close', resolve))
  let prompting = false
  const print = (line: string): void => {
    if (!terminal || !prompting) {
      output.write(`${line}\n`)
      return
    }
    // back to the prompt's first row, clear the prompt and the typed text, print, then redraw both
    moveCursor(output, 0, -rl.getCursorPos().rows)
    cursorTo(output, 0)
    clearScreenDown(output)
    output.write(`${line}\n`)
    rl.prompt(true)
  }

  /** Our sent messages of this chat: text, and the last status shown. */
  const sent = new Map<string, { text: string; shown: MessageStatus }>()
  /** Status changes that arrived before `send` answered (a fast ack). */
  const early = new Map<string, { status: MessageStatus; at: number; error?: string }>()
  const showStatus = (id: string, status: MessageStatus, at: number, error?: string): void => {
    const mine = sent.get(id)
    if (mine === undefined) {
      early.set(id, error === undefined ? { status, at } : { status, at, error })
      return
    }
    if (mine.shown === status || (mine.shown === 'read' && status === 'delivered')) return
    mine.shown = status
    const line = statusNotice(status, mine.text, at, now(), error === undefined ? { id } : { id, error })
    if (line !== undefined) print(line)
  }

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

  prompting = true
  rl.prompt()
  await new Promise<void>(resolve => {
    rl.on('line', line => {
      const text = line.trim()
      if (text === '/quit') {
        rl.close()
        return
      }
      if (text === '') {
        rl.prompt()
        return
      }
      const at = now()
      // the typed line stays on screen as the user wrote it; the formatted copy replaces it
      if (terminal) moveCursor(output, 0, -1)
      client.call('messages.send', { target: contact.peerId, text }).then(
        r => {
          sent.set(r.id, { text, shown: r.status })
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
          const first = early.get(r.id)
          early.delete(r.id)
          if (first !== undefined) showStatus(r.id, first.status, first.at, first.error)
        },
        (err: Error) => print(`! ${err.message}`)
      )
      rl.prompt()
    })
    void closed.then(resolve)
    client.onClose(() => {
      print('the daemon went away')
      rl.close()
    })
  })
}
