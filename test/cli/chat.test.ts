import assert from 'node:assert/strict'
import { PassThrough } from 'node:stream'
import { describe, test } from 'node:test'
import { runChat } from '../../node/cli/chat.ts'
import { runGroupChat } from '../../node/cli/group-chat.ts'
import type { CommandContext } from '../../node/cli/command.ts'
import { compactTime } from '../../node/cli/compact-time.ts'
import { createOutput } from '../../node/cli/output.ts'
import type { RpcClient } from '../../node/daemon/client.ts'
import type { ContactView, GroupView, MessageView } from '../../node/daemon/rpc-api.ts'
import { TerminalScreen } from './terminal-screen.ts'

/**
 * `parley chat` through its output function: a fake daemon client, readline in terminal mode on
 * streams, and a small terminal that shows what a person would see.
 */

const BOB = '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq'
const NOW = new Date(2026, 2, 4, 14, 3, 0).getTime()

const bob: ContactView = {
  peerId: BOB,
  name: 'bob',
  state: 'contact',
  verified: false,
  keyChanged: false,
  presence: 'online',
  unread: 0,
  fingerprint: 'abcd'
} as ContactView

function fakeDaemon(options: { sendStatusFirst?: boolean } = {}) {
  const handlers = new Map<string, Array<(p: any) => void>>()
  const sends: string[] = []
  let n = 0
  const emit = (method: string, params: unknown): void => {
    for (const h of handlers.get(method) ?? []) h(params)
  }
  const client = {
    closed: false,
    async call(method: string, params: any): Promise<any> {
      if (method === 'contacts.add') return { contact: bob }
      if (method === 'messages.history') return { messages: [] }
      if (method === 'messages.markRead') return {}
      if (method === 'messages.send') {
        sends.push(params.text)
        const id = `m${++n}`
        // a fast ack: the status notification overtakes the send's answer
        if (options.sendStatusFirst === true)
          emit('message.status', { id, peerId: BOB, status: 'delivered', deliveredAt: NOW })
        return { id, status: 'queued' }
      }
      throw new Error(`unexpected ${method}`)
    },
    on(method: string, handler: (p: any) => void) {
      handlers.set(method, [...(handlers.get(method) ?? []), handler])
      return () => {}
    },
    onAny: () => () => {},
    onClose: () => () => {},
    close() {}
  } as unknown as RpcClient
  return { client, emit, sends }
}

async function startChat(options: { sendStatusFirst?: boolean } = {}) {
  const daemon = fakeDaemon(options)
  const input = new PassThrough()
  const output = new PassThrough()
  const screen = new TerminalScreen()
  output.setEncoding('utf8').on('data', (d: string) => screen.write(d))
  const context: CommandContext = {
    home: '/nonexistent',
    args: ['bob'],
    values: {},
    output: createOutput(false),
    daemon: async () => daemon.client
  }
  const done = runChat(context, { input, output, terminal: true, now: () => NOW })
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await new Promise(resolve => setImmediate(resolve))
  }
  await settle()
  return { ...daemon, input, screen, done, settle }
}

const received = (text: string, sentAt = NOW - 60_000): MessageView => ({
  id: 'in1',
  from: BOB,
  to: 'me',
  direction: 'in',
  text,
  sentAt,
  storedAt: sentAt,
  status: 'received'
})

describe('parley chat', () => {
  test('a message that arrives while a line is typed leaves that line intact, cursor and all', async () => {
    const chat = await startChat()
    chat.input.write('hel')
    await chat.settle()
    assert.equal(chat.screen.cursor().line, '> hel')
    chat.emit('message.received', { message: received('hi there') })
    await chat.settle()
    const lines = chat.screen.text().split('\n')
    assert.equal(lines.at(-2), '[14:02] bob: hi there')
    assert.equal(lines.at(-1), '> hel', chat.screen.text())
    assert.deepEqual(chat.screen.cursor(), { row: lines.length - 1, col: 5, line: '> hel' })
    // the line goes on where it was and is sent whole
    chat.input.write('lo\r')
    await chat.settle()
    assert.deepEqual(chat.sends, ['hello'])
    chat.input.end()
    await chat.done
  })

  test('a sent line shows queued, then its delivery when the ack comes, then read', async () => {
    const chat = await startChat()
    chat.input.write('hello bob\r')
    await chat.settle()
    assert.match(chat.screen.text(), /\[14:03\] me: hello bob \(queued\)\n>$/)
    chat.input.write('ty')
    chat.emit('message.status', { id: 'm1', peerId: BOB, status: 'delivered', deliveredAt: NOW })
    await chat.settle()
    const lines = chat.screen.text().split('\n')
    assert.equal(lines.at(-2), '[14:03] ✓ delivered: hello bob')
    assert.equal(lines.at(-1), '> ty')
    // the same status twice is shown once; read after delivered is shown
    chat.emit('message.status', { id: 'm1', peerId: BOB, status: 'delivered', deliveredAt: NOW })
    chat.emit('message.status', { id: 'm1', peerId: BOB, status: 'read' })
    await chat.settle()
    const text = chat.screen.text()
    assert.equal(text.match(/✓ delivered/g)?.length, 1)
    assert.match(text, /\[14:03\] ✓✓ read: hello bob\n> ty$/)
    chat.input.end()
    await chat.done
  })

  test('a failed message says why and how to send it again', async () => {
    const chat = await startChat()
    chat.input.write('lost\r')
    await chat.settle()
    chat.emit('message.status', { id: 'm1', peerId: BOB, status: 'failed', error: 'peer unreachable' })
    await chat.settle()
    assert.match(chat.screen.text(), /! not delivered: lost \(peer unreachable\); `parley retry m1` sends it again/)
    chat.input.end()
    await chat.done
  })

  test('a delivery that overtakes the send answer is still shown, once', async () => {
    const chat = await startChat({ sendStatusFirst: true })
    chat.input.write('quick\r')
    await chat.settle()
    const text = chat.screen.text()
    assert.match(text, /me: quick \(queued\)\n\[14:03\] ✓ delivered: quick\n>$/)
    chat.input.end()
    await chat.done
  })

  test('a restarted session is said in the conversation, whichever side had lost it', async () => {
    const chat = await startChat()
    chat.input.write('ty')
    chat.emit('session.restarted', { peerId: BOB, at: NOW, by: 'peer' })
    chat.emit('session.restarted', { peerId: BOB, at: NOW, by: 'us' })
    chat.emit('session.restarted', { peerId: '12D3KooWOther', at: NOW, by: 'us' })
    await chat.settle()
    const lines = chat.screen.text().split('\n')
    assert.match(lines.at(-3)!, /^\* bob had lost this conversation's session: a new one started/)
    assert.match(lines.at(-2)!, /^\* this device could not read bob's messages .*asked bob to start a new session/)
    assert.equal(lines.at(-1), '> ty')
    chat.input.end()
    await chat.done
  })

  test('a status of another conversation is not shown', async () => {
    const chat = await startChat()
    chat.input.write('x\r')
    await chat.settle()
    chat.emit('message.status', { id: 'm1', peerId: '12D3KooWOther', status: 'delivered' })
    await chat.settle()
    assert.doesNotMatch(chat.screen.text(), /delivered/)
    chat.input.end()
    await chat.done
  })
})

describe('parley chat #group', () => {
  const GROUP = 'ab'.repeat(16)
  const group: GroupView = {
    id: GROUP,
    title: 'team',
    members: [{ peerId: BOB, name: 'bob', admin: false }],
    unread: 0,
    left: false,
    admin: true
  }

  test('a group message that arrives while a line is typed leaves that line intact, as in a direct chat', async () => {
    const { client, emit, sends } = fakeDaemon()
    const input = new PassThrough()
    const output = new PassThrough()
    const screen = new TerminalScreen()
    output.setEncoding('utf8').on('data', (d: string) => screen.write(d))
    const done = runGroupChat(client, group, { input, output, terminal: true, now: () => NOW })
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 5; i++) await new Promise(resolve => setImmediate(resolve))
    }
    await settle()
    input.write('hel')
    await settle()
    emit('group.message', { message: { ...received('hi team'), groupId: GROUP } })
    await settle()
    const lines = screen.text().split('\n')
    assert.equal(lines.at(-2), '[14:02] bob: hi team')
    assert.equal(lines.at(-1), '> hel', screen.text())
    assert.deepEqual(screen.cursor(), { row: lines.length - 1, col: 5, line: '> hel' })
    input.write('lo\r')
    await settle()
    assert.deepEqual(sends, ['hello'])
    input.end()
    await done
  })

  test("our messages' delivery shows as in a direct chat: delivered, then read by N; other conversations not", async () => {
    const { client, emit } = fakeDaemon()
    const input = new PassThrough()
    const output = new PassThrough()
    let text = ''
    output.setEncoding('utf8').on('data', (d: string) => {
      text += d
    })
    const done = runGroupChat(client, group, { input, output, now: () => NOW })
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 5; i++) await new Promise(resolve => setImmediate(resolve))
    }
    await settle()
    // a fast ack: the status arrives before the send's answer, and is shown after it
    input.write('hello team\n')
    emit('message.status', { id: 'm1', peerId: GROUP, status: 'delivered', deliveredAt: NOW })
    await settle()
    emit('message.status', { id: 'm1', peerId: BOB, status: 'read' })
    emit('message.status', { id: 'm1', peerId: GROUP, status: 'delivered', readBy: 1 })
    emit('message.status', { id: 'm1', peerId: GROUP, status: 'delivered', readBy: 1 })
    await settle()
    // (after the prompt '> ' where readline left it)
    const lines = text.split('\n').flatMap(l => (l.includes('[') ? [l.slice(l.indexOf('['))] : []))
    assert.deepEqual(lines.slice(-3), [
      '[sent m1] queued',
      '[14:03] ✓ delivered: hello team',
      '[14:03] ✓✓ read by 1: hello team'
    ])
    input.end()
    await done
  })
})

describe('compact times', () => {
  test("today's by the time of day, this year's with the day, older with the year", () => {
    assert.equal(compactTime(new Date(2026, 2, 4, 9, 5).getTime(), NOW), '09:05')
    assert.equal(compactTime(new Date(2026, 2, 3, 23, 59).getTime(), NOW), 'Mar 3 23:59')
    assert.equal(compactTime(new Date(2026, 0, 4, 14, 3).getTime(), NOW), 'Jan 4 14:03')
    assert.equal(compactTime(new Date(2025, 2, 4, 14, 3).getTime(), NOW), '2025-03-04 14:03')
  })
})
