import { createInterface } from 'node:readline'
import { contactLabel } from '../text/contact-label.ts'
import { type CommandContext, formatMessage } from './commands.ts'

/**
 * `parley chat TARGET`: shows the recent conversation, then every incoming message as it arrives,
 * and sends each line typed. `/quit` or Ctrl-D leaves.
 */
export async function runChat(context: CommandContext): Promise<void> {
  const client = await context.daemon()
  const { contact } = await client.call('contacts.add', {
    target: context.args[0]!
  })
  const names = new Map([[contact.peerId, contactLabel(contact)]])
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    prompt: '> '
  })
  // stdin may end (Ctrl-D, or a short piped input) while the history is still loading: listen now
  const closed = new Promise<void>(resolve => rl.once('close', resolve))
  const print = (line: string): void => {
    process.stdout.write(`\r\x1b[2K${line}\n`)
    rl.prompt(true)
  }

  const { messages } = await client.call('messages.history', {
    target: contact.peerId,
    limit: 20
  })
  process.stdout.write(`chat with ${contactLabel(contact)} (${contact.presence}); /quit to leave\n`)
  if (contact.keyChanged)
    process.stdout.write("WARNING: this contact's key changed; sending is stopped until you accept it\n")
  for (const m of messages) process.stdout.write(`${formatMessage(m, names)}\n`)

  client.on('message.received', ({ message }) => {
    if (message.from !== contact.peerId) return
    print(formatMessage(message, names))
    client.call('messages.markRead', { target: contact.peerId }).catch(() => {})
  })
  client.on('message.status', ({ peerId, status, id }) => {
    if (peerId === contact.peerId && status === 'failed') print(`! message ${id} failed`)
  })
  client.on('presence.changed', ({ peerId, presence }) => {
    if (peerId === contact.peerId) print(`* ${names.get(peerId)} is ${presence}`)
  })
  await client.call('messages.markRead', { target: contact.peerId })

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
      client.call('messages.send', { target: contact.peerId, text }).then(
        r =>
          print(
            `${formatMessage({ id: r.id, from: '', to: contact.peerId, direction: 'out', text, sentAt: Date.now(), storedAt: Date.now(), status: r.status })}`
          ),
        (err: Error) => print(`! ${err.message}`)
      )
    })
    void closed.then(resolve)
    client.onClose(() => {
      print('the daemon went away')
      rl.close()
    })
  })
}
