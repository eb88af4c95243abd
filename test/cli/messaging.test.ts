import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { after, before, describe, test } from 'node:test'
import {
  CLI,
  childEnv,
  type DaemonProcess,
  eventually,
  makeHome,
  removeHome,
  runCli,
  startDaemon
} from '../helpers/cli.ts'

/**
 * The messaging issue's CLI contract end to end: real daemons as separate processes on 127.0.0.1,
 * names through the DHT, driven only through the `parley` command line.
 */
const names = ['alice', 'bob', 'carol', 'dave'] as const
type Name = (typeof names)[number]

describe('parley messaging through the CLI', { timeout: 600_000 }, () => {
  const homes = {} as Record<Name, string>
  const daemons = {} as Record<Name, DaemonProcess>
  const ids = {} as Record<Name, string>

  async function cli(who: Name, ...args: string[]): Promise<any> {
    const r = await runCli(homes[who], [...args, '--json'])
    assert.equal(r.code, 0, `${who}: parley ${args.join(' ')} → ${r.code}: ${r.stderr}`)
    return r.json
  }

  async function start(who: Name): Promise<void> {
    const bootstrap = who === 'alice' ? [] : daemons.alice.addresses
    daemons[who] = await startDaemon(homes[who], { bootstrap })
    ids[who] = daemons[who].peerId
  }

  async function received(who: Name, from: Name): Promise<string[]> {
    const { messages } = await cli(who, 'history', ids[from], '--limit', '1000')
    return messages.filter((m: { direction: string }) => m.direction === 'in').map((m: { text: string }) => m.text)
  }

  before(async () => {
    for (const name of names) homes[name] = await makeHome(`parley-msg-${name}-`)
    for (const name of names) await start(name)
    for (const name of names) await cli(name, 'register', name)
  })

  after(async () => {
    await Promise.all(Object.values(daemons).map(d => d.kill()))
    await Promise.all(Object.values(homes).map(removeHome))
  })

  test('send by name, --wait until the signed ack; history on both sides', async () => {
    const sent = await cli('alice', 'send', 'bob', 'Hello **Bob**', '--wait', '--timeout', '60')
    assert.equal(sent.status, 'delivered')
    assert.match(sent.id, /^[0-9a-f]{32}$/)
    const { messages } = await cli('bob', 'history', ids.alice)
    assert.equal(messages.length, 1)
    const m = messages[0]
    for (const key of ['id', 'from', 'to', 'direction', 'text', 'sentAt', 'status']) assert.ok(key in m, key)
    assert.deepEqual(
      [m.id, m.from, m.to, m.direction, m.text, m.status],
      [sent.id, ids.alice, ids.bob, 'in', 'Hello **Bob**', 'received']
    )
    const mine = await cli('alice', 'history', 'bob')
    assert.equal(mine.messages[0].status, 'delivered')
    const { contacts } = await cli('bob', 'contacts')
    const alice = contacts.find((c: { peerId: string }) => c.peerId === ids.alice)
    assert.equal(alice.state, 'request')
    assert.equal(alice.unread, 1)
    await cli('bob', 'contact', 'accept', ids.alice)
    const reply = await cli('bob', 'send', ids.alice, 'Hi Alice', '--wait')
    assert.equal(reply.status, 'delivered')
    assert.deepEqual(await received('alice', 'bob'), ['Hi Alice'])
  })

  test('search: words of the text, newest first, in one conversation with --with', async () => {
    // (after the first test: alice and bob exchanged "Hello **Bob**" and "Hi Alice")
    const all = await cli('alice', 'search', 'hello')
    assert.equal(all.matches.length, 1)
    const m = all.matches[0]
    assert.deepEqual([m.conversation, m.from, m.direction, typeof m.sentAt], [ids.bob, ids.alice, 'out', 'number'])
    assert.deepEqual(
      m.highlights.map(([s, e]: [number, number]) => m.excerpt.slice(s, e)),
      ['Hello']
    )
    assert.equal((await cli('bob', 'search', 'HI ALI', '--with', 'alice')).matches[0]?.from, ids.bob)
    const stranger = await runCli(homes.bob, ['search', 'hi', '--with', ids.carol, '--json'])
    assert.equal(stranger.code, 2, 'like history: a conversation that does not exist is not found')
    const text = await runCli(homes.alice, ['search', 'hello'])
    assert.match(text.stdout, /«Hello» \*\*Bob\*\*/)
    const usage = await runCli(homes.alice, ['search', '--json'])
    assert.equal(usage.code, 1, 'TEXT is required')
  })

  test('unknown targets: exit 2', async () => {
    const r = await runCli(homes.alice, ['history', 'nobody-here', '--json'])
    assert.equal(r.code, 2, r.stderr)
  })

  test('offline recipient, then online: delivered in order', async () => {
    await cli('alice', 'send', 'carol', 'c0', '--wait', '--timeout', '60')
    await daemons.carol.stop()
    for (let i = 1; i <= 3; i++) assert.equal((await cli('alice', 'send', 'carol', `c${i}`)).status, 'queued')
    const timeout = await runCli(homes.alice, ['send', 'carol', 'c4', '--wait', '--timeout', '1', '--json'])
    assert.equal(timeout.code, 1)
    await start('carol')
    await eventually(async () => (await received('carol', 'alice')).length === 5, 120_000)
    assert.deepEqual(await received('carol', 'alice'), ['c0', 'c1', 'c2', 'c3', 'c4'])
    await eventually(async () => {
      const { messages } = await cli('alice', 'history', 'carol')
      return messages.every((m: { status: string }) => m.status === 'delivered')
    }, 60_000)
  })

  async function burst(
    from: Name,
    to: Name,
    prefix: string,
    count: number,
    crash: { at: number; who: Name }
  ): Promise<{ ok: string[]; attempted: string[] }> {
    const ok: string[] = []
    const attempted: string[] = []
    let crashed = false
    for (let i = 0; i < count; i++) {
      if (crashed && crash.who === from) break
      const text = `${prefix}${i}`
      attempted.push(text)
      const sending = runCli(homes[from], ['send', to, text, '--json'])
      if (i === crash.at) {
        // the crash lands while this send and the deliveries before it are in flight
        await new Promise(resolve => setTimeout(resolve, 150))
        await daemons[crash.who].kill()
        crashed = true
      }
      if ((await sending).code === 0) ok.push(text)
    }
    return { ok, attempted }
  }

  test('kill -9 of the receiver in the middle of a burst: every message exactly once, in order', async () => {
    const { ok } = await burst('alice', 'bob', 'k', 12, { at: 5, who: 'bob' })
    assert.equal(ok.length, 12)
    await start('bob')
    await eventually(async () => (await received('bob', 'alice')).filter(t => /^k\d+$/.test(t)).length >= 12, 120_000)
    const got = (await received('bob', 'alice')).filter(t => /^k\d+$/.test(t))
    assert.deepEqual(got, ok)
  })

  test('kill -9 of the sender in the middle of a burst: every message exactly once, in order', async () => {
    const { ok, attempted } = await burst('carol', 'dave', 's', 12, { at: 6, who: 'carol' })
    assert.ok(ok.length >= 6 && ok.length <= 7, `${ok.length} sends confirmed`)
    await start('carol')
    await eventually(async () => {
      const { messages } = await cli('carol', 'history', 'dave', '--limit', '1000')
      return messages.length >= ok.length && messages.every((m: { status: string }) => m.status === 'delivered')
    }, 120_000)
    const got = (await received('dave', 'carol')).filter(t => /^s\d+$/.test(t))
    // everything the CLI confirmed arrived once, in order; nothing else but what was attempted
    assert.deepEqual(got.slice(0, ok.length), ok)
    assert.deepEqual(got, attempted.slice(0, got.length))
    assert.equal(new Set(got).size, got.length)
    const sent = (await cli('carol', 'history', 'dave', '--limit', '1000')).messages.map(
      (m: { text: string }) => m.text
    )
    assert.deepEqual(got, sent)
  })

  test('invite link: the first message is from a contact; requests can be declined; block refuses', async () => {
    const { link } = await cli('dave', 'invite')
    assert.match(link, /^parley:\/\/invite\?peer=/)
    const added = await cli('bob', 'contact', 'add', link)
    assert.equal(added.contact.peerId, ids.dave)
    await cli('bob', 'send', ids.dave, 'via invite', '--wait', '--timeout', '60')
    const daveContacts = (await cli('dave', 'contacts')).contacts
    assert.equal(daveContacts.find((c: { peerId: string }) => c.peerId === ids.bob).state, 'contact')
    // carol wrote to dave without an invite earlier: a request; dave declines it
    assert.equal(daveContacts.find((c: { peerId: string }) => c.peerId === ids.carol).state, 'request')
    assert.equal((await cli('dave', 'contact', 'decline', ids.carol)).contact.state, 'declined')

    await cli('bob', 'contact', 'block', ids.alice)
    const r = await runCli(homes.alice, ['send', 'bob', 'are you there?', '--wait', '--timeout', '3', '--json'])
    assert.equal(r.code, 1)
    assert.ok(!(await received('bob', 'alice')).includes('are you there?'))
    const blocked = await runCli(homes.bob, ['send', ids.alice, 'x', '--json'])
    assert.equal(blocked.code, 1)
    assert.match(blocked.stderr, /BlockedError|blocked/)
    await cli('bob', 'contact', 'unblock', ids.alice)
    await eventually(async () => (await received('bob', 'alice')).includes('are you there?'), 120_000)
  })

  test('presence changes arrive as events', async () => {
    const events = spawn(process.execPath, [CLI, '--home', homes.alice, 'events', '--json'], {
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const seen: any[] = []
    createInterface({ input: events.stdout }).on('line', line => {
      try {
        seen.push(JSON.parse(line))
      } catch {}
    })
    try {
      await eventually(async () => seen.some(e => e.event === 'subscribed'))
      await daemons.bob.stop()
      await eventually(
        async () => seen.some(e => e.event === 'presence.changed' && e.peerId === ids.bob && e.presence === 'offline'),
        60_000
      )
      await start('bob')
      await cli('bob', 'send', ids.alice, 'back', '--wait', '--timeout', '60')
      await eventually(
        async () => seen.some(e => e.event === 'presence.changed' && e.peerId === ids.bob && e.presence === 'online'),
        60_000
      )
      assert.ok(seen.some(e => e.event === 'message.received' && e.message.text === 'back'))
    } finally {
      events.kill('SIGTERM')
    }
  })
})
