import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { eventually, signal, TestNet, texts } from './helpers.ts'

const net = new TestNet()
after(() => net.close())

const send = (wait = false, timeoutMs = 20_000) => ({ wait, timeoutMs, signal: signal() })

describe('messenger between real libp2p nodes', () => {
  it('sends by name, the recipient stores it and acks; sender sees delivered', async () => {
    const alice = await net.peer('alice')
    const bob = await net.peer('bob')
    const r = await alice.messenger.send('bob', { text: 'Hello **Bob**' }, send(true))
    assert.equal(r.status, 'delivered')
    assert.match(r.id, /^[0-9a-f]{32}$/)

    const inbox = await bob.messenger.history(alice.identity.peerId.toString(), { limit: 10 })
    assert.equal(inbox.length, 1)
    assert.equal(inbox[0]!.text, 'Hello **Bob**')
    assert.equal(inbox[0]!.direction, 'in')
    assert.equal(inbox[0]!.from, alice.identity.peerId.toString())
    assert.equal(inbox[0]!.status, 'received')

    const outbox = await alice.messenger.history('bob', { limit: 10 })
    assert.equal(outbox[0]!.status, 'delivered')
    assert.ok(outbox[0]!.deliveredAt! >= outbox[0]!.sentAt)

    // alice was a stranger to bob: the message is a request
    const contact = bob.messenger.contacts().find(c => c.peerId === alice.identity.peerId.toString())
    assert.equal(contact?.state, 'request')
    assert.equal(contact?.name, 'alice')
    assert.equal(contact?.unread, 1)
    assert.ok(bob.events.some(e => e.method === 'contact.request'))
    assert.ok(bob.events.some(e => e.method === 'message.received'))
    assert.ok(
      alice.events.some(e => e.method === 'message.status' && (e.params as { status: string }).status === 'delivered')
    )

    // bob replies (which accepts the request); both directions use the one session
    await bob.messenger.send(alice.identity.peerId.toString(), { text: 'Hi Alice' }, send(true))
    assert.equal(bob.messenger.contacts().find(c => c.peerId === alice.identity.peerId.toString())?.state, 'contact')
    assert.deepEqual(await texts(alice, 'bob'), ['Hello **Bob**', 'Hi Alice'])
    for (let i = 0; i < 5; i++) {
      await alice.messenger.send('bob', { text: `a${i}` }, send())
      await bob.messenger.send(alice.identity.peerId.toString(), { text: `b${i}` }, send())
    }
    await eventually(async () => (await texts(alice, 'bob')).length === 12)
    await eventually(async () => (await texts(bob, alice.identity.peerId.toString())).length === 12)
    const aliceView = (await texts(alice, 'bob')).filter(t => t.startsWith('a'))
    assert.deepEqual(aliceView, ['a0', 'a1', 'a2', 'a3', 'a4'])
    const bobView = (await texts(bob, alice.identity.peerId.toString())).filter(t => /^a\d$/.test(t))
    assert.deepEqual(bobView, ['a0', 'a1', 'a2', 'a3', 'a4'])
    // a code snippet
    await alice.messenger.send(
      'bob',
      { snippet: { language: 'ts', path: 'src/a.ts', startLine: 3, endLine: 4, text: 'const x = 1\nconst y = 2' } },
      send(true)
    )
    const last = (await bob.messenger.history(alice.identity.peerId.toString(), { limit: 1 }))[0]!
    assert.deepEqual(last.snippet, {
      language: 'ts',
      path: 'src/a.ts',
      startLine: 3,
      endLine: 4,
      text: 'const x = 1\nconst y = 2'
    })
  })
})
