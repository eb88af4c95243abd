/**
 * Group conversations, node/groups (docs/PROTOCOL.md §8), members in one process over FIFO pairwise
 * channels (net.ts): sender keys, the membership log and its merge rule, and what a hostile member
 * can and cannot do, each refusal asserted by its error name.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { peerIdFromString } from '@libp2p/peer-id'
import { decryptGroupMessage, readGroupMessage, sealGroupMessage } from '../../node/groups/group-message.ts'
import { mergeGroupLog, openGroupEvent, signGroupEvent } from '../../node/groups/membership.ts'
import { GroupEvent, GroupEventBody, GroupFrame, GroupMessage } from '../../node/groups/pb/group.js'
import { messageKeyAt, messageKeyMaterial, newSenderChain } from '../../node/groups/sender-key.ts'
import { peerIdBytes } from '../../node/messaging/envelope-peer.ts'
import { GroupNet, type Member, texts } from './net.ts'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

/** The group message frames `m` has received, decoded. */
function messageFrames(
  m: Member
): Array<{ from: string; frame: Uint8Array; message: ReturnType<typeof readGroupMessage> }> {
  const out = []
  for (const r of m.received) {
    const f = GroupFrame.decode(r.frame)
    if (f.message != null) out.push({ ...r, message: readGroupMessage(f.message) })
  }
  return out
}

/** Tries every chain `m` holds on a message: how many decrypt it (0 = unreadable with all it has). */
function readableWith(m: Member, groupId: string, msg: ReturnType<typeof readGroupMessage>): number {
  let opened = 0
  for (const chain of m.store.groups.chains(groupId)) {
    try {
      decryptGroupMessage(msg, peerIdBytes(peerIdFromString(msg.sender)), chain)
      opened++
    } catch {}
  }
  return opened
}

describe('sender-key chains: fixed vectors', () => {
  test('message keys and the next chain key are HMAC-SHA256(ck, 0x01) and HMAC-SHA256(ck, 0x02)', () => {
    const chain = {
      signingKey: new Uint8Array(32),
      iteration: 0,
      chainKey: Uint8Array.from({ length: 32 }, (_, i) => i),
      skipped: new Map()
    }
    const first = messageKeyAt(chain, 0)
    assert.equal(hex(first.messageKey), '9b4c8120a4823a95f47cde17a244f4507244ee6e3957d1fab9fa29b44d3829b7')
    assert.equal(hex(first.chain.chainKey), '4304c22c84a53755ab08ead8d97a8d429be5efa480682d7ad1da27f73e1fbe1d')
    assert.equal(first.chain.iteration, 1)
    assert.equal(
      hex(messageKeyAt(first.chain, 1).messageKey),
      'f7703c39dea9feb30cb6369304ad7b847b9aca58c1152af317aa78a91beddda1'
    )
    const { key, nonce } = messageKeyMaterial(first.messageKey)
    assert.equal(hex(key), '07c02f7b9947d8c69cee8f71e3270229df1f6e31437dea248e7ffd50275678f2')
    assert.equal(hex(nonce), '94e8b36fe9fcf7ec4f962648')
  })

  test('a used key is gone (GroupReplayError); a skipped one opens once', () => {
    const chain = { ...newSenderChain(), signingPrivate: undefined }
    const at2 = messageKeyAt(chain, 2)
    assert.throws(() => messageKeyAt(at2.chain, 2), { name: 'GroupReplayError' })
    const late = messageKeyAt(at2.chain, 0)
    assert.deepEqual(late.messageKey, messageKeyAt(chain, 0).messageKey)
    assert.throws(() => messageKeyAt(late.chain, 0), { name: 'GroupReplayError' })
  })

  test('a message seals once and opens with the chain; a changed byte does not', async () => {
    const net = new GroupNet()
    const [a] = await net.many(1)
    const own = newSenderChain()
    const sender = peerIdBytes(a!.identity.peerId)
    const sealed = sealGroupMessage({
      groupId: new Uint8Array(16),
      id: new Uint8Array(16).fill(1),
      sender,
      chain: own,
      seq: 1,
      prevHash: new Uint8Array(0),
      lamport: 1,
      sentAt: 1,
      content: { type: 'text', markdown: 'hello' },
      mentions: []
    })
    const read = readGroupMessage(GroupMessage.decode(sealed.bytes))
    const receiver = { ...own, signingPrivate: undefined, iteration: 0 }
    const opened = decryptGroupMessage(read, sender, receiver)
    assert.deepEqual(opened.content, { type: 'text', markdown: 'hello' })
    const tampered = { ...read, ciphertext: read.ciphertext.map((b, i) => (i === 0 ? b ^ 1 : b)) }
    assert.throws(() => decryptGroupMessage(tampered, sender, receiver), { name: 'GroupDecryptError' })
    net.close()
  })
})

describe('groups: messages and membership', () => {
  const net = new GroupNet()
  after(() => net.close())

  test('a group of 3: each message reaches every member once, in one order everywhere', async () => {
    const [a, b, c] = await net.many(3, 'three')
    const group = await a!.groups.create('team', [b!.peerId, c!.peerId])
    await net.settle()
    for (const m of [a, b, c])
      assert.deepEqual(
        m!.groups.list().map(g => g.title),
        ['team']
      )
    await a!.groups.send(group.id, { type: 'text', markdown: 'a1' })
    await b!.groups.send(`#team`, { type: 'text', markdown: 'b1' })
    await net.settle()
    await c!.groups.send(group.id, { type: 'text', markdown: 'c1' })
    await a!.groups.send(group.id, { type: 'text', markdown: 'a2' })
    await net.settle()
    const order = texts(a!, group.id)
    assert.deepEqual(order.slice().sort(), ['a1', 'a2', 'b1', 'c1'])
    for (const m of [b, c]) assert.deepEqual(texts(m!, group.id), order)
    // causal: c1 was sent after c saw a1 and b1
    assert.ok(order.indexOf('c1') > order.indexOf('a1') && order.indexOf('c1') > order.indexOf('b1'))
    const history = b!.groups.history(group.id, { limit: 10 })
    assert.equal(history.find(m => m.text === 'c1')?.from, c!.peerId)
    assert.equal(a!.groups.messageView(history.find(m => m.text === 'a1')!.id)?.delivery?.members, 2)
    for (const m of [a, b, c]) assert.deepEqual(m!.refused, [])
  })

  test('an offline member gets every message, in order, when it is back', async () => {
    const [a, b, c] = await net.many(3, 'offline')
    const group = await a!.groups.create('later', [b!.peerId, c!.peerId])
    await net.settle()
    c!.online = false
    for (let i = 0; i < 5; i++) await a!.groups.send(group.id, { type: 'text', markdown: `a${i}` })
    await b!.groups.send(group.id, { type: 'text', markdown: 'b0' })
    await net.settle()
    assert.deepEqual(texts(c!, group.id), [])
    c!.online = true
    await net.settle()
    assert.deepEqual(texts(c!, group.id), texts(a!, group.id))
    assert.equal(texts(c!, group.id).length, 6)
  })

  test('a new member cannot read what was sent before it joined, even holding every ciphertext', async () => {
    const [a, b, d] = await net.many(3, 'join')
    const group = await a!.groups.create('before', [b!.peerId])
    await net.settle()
    await a!.groups.send(group.id, { type: 'text', markdown: 'secret before' })
    await b!.groups.send(group.id, { type: 'text', markdown: 'also before' })
    await net.settle()
    const earlier = messageFrames(b!)
      .map(f => f.message)
      .concat(messageFrames(a!).map(f => f.message))
    assert.equal(earlier.length, 2)
    await a!.groups.add(group.id, d!.peerId)
    await net.settle()
    await a!.groups.send(group.id, { type: 'text', markdown: 'after' })
    await b!.groups.send(group.id, { type: 'text', markdown: 'after b' })
    await net.settle()
    assert.deepEqual(texts(d!, group.id).sort(), ['after', 'after b'])
    // every earlier ciphertext, handed to the new member, opens with none of the keys it holds
    for (const msg of earlier) {
      assert.equal(readableWith(d!, group.id, msg), 0, `message ${msg.id} opened`)
      for (const chain of d!.store.groups.chains(group.id)) {
        if (hex(chain.signingKey) !== hex(msg.signingKey)) continue
        assert.throws(() => messageKeyAt(chain, msg.iteration), { name: 'GroupReplayError' })
      }
    }
  })

  test('a removed member holding its whole database and every later ciphertext reads nothing after its removal', async () => {
    const [a, b, c] = await net.many(3, 'removed')
    const group = await a!.groups.create('rekey', [b!.peerId, c!.peerId])
    await net.settle()
    await a!.groups.send(group.id, { type: 'text', markdown: 'while c was in' })
    await b!.groups.send(group.id, { type: 'text', markdown: 'b while c was in' })
    await net.settle()
    assert.equal(texts(c!, group.id).length, 2)
    await a!.groups.remove(group.id, c!.peerId)
    await net.settle()
    assert.equal(c!.groups.list()[0]?.left, true)
    await a!.groups.send(group.id, { type: 'text', markdown: 'after c left' })
    await b!.groups.send(group.id, { type: 'text', markdown: 'b after c left' })
    await net.settle()
    assert.deepEqual(texts(b!, group.id).slice(-2).sort(), ['after c left', 'b after c left'])
    // every ciphertext sent after the removal, from every member's inbox, tried with every key c holds
    const later = [...messageFrames(a!), ...messageFrames(b!)].filter(f =>
      ['after c left', 'b after c left'].includes(
        b!.groups.history(group.id, { limit: 100 }).find(m => m.id === f.message.id)?.text ?? ''
      )
    )
    assert.equal(later.length, 2)
    for (const f of later) {
      assert.equal(readableWith(c!, group.id, f.message), 0)
      net.deliver(c!, f.from, f.frame)
    }
    assert.equal(texts(c!, group.id).length, 2)
    assert.ok(
      c!.refused.every(name => name === 'NotGroupMemberError'),
      c!.refused.join()
    )
    // and c can no longer send
    await assert.rejects(c!.groups.send(group.id, { type: 'text', markdown: 'still here?' }), {
      name: 'NotGroupMemberError'
    })
  })

  test('only admins change membership; an admin can make others admins; rename and leave reach everyone', async () => {
    const [a, b, c, d] = await net.many(4, 'admin')
    const group = await a!.groups.create('admins', [b!.peerId, c!.peerId])
    await net.settle()
    await assert.rejects(b!.groups.add(group.id, d!.peerId), { name: 'NotGroupAdminError' })
    await a!.groups.admin(group.id, b!.peerId)
    await net.settle()
    await b!.groups.add(group.id, d!.peerId)
    await b!.groups.rename(group.id, 'renamed')
    await net.settle()
    for (const m of [a, b, c, d]) {
      const g = m!.groups.list()[0]!
      assert.equal(g.title, 'renamed')
      assert.deepEqual(g.members.map(x => x.peerId).sort(), [a, b, c, d].map(x => x!.peerId).sort())
    }
    await c!.groups.leave(group.id)
    await net.settle()
    for (const m of [a, b, d]) assert.equal(m!.groups.list()[0]!.members.length, 3)
    assert.equal(c!.groups.list()[0]!.left, true)
    await assert.rejects(c!.groups.send(group.id, { type: 'text', markdown: 'x' }), { name: 'NotGroupMemberError' })
    await assert.rejects(a!.groups.add(group.id, b!.peerId), { name: 'InvalidGroupChangeError' })
    await assert.rejects(a!.groups.rename(group.id, ''), { name: 'InvalidGroupChangeError' })
    assert.throws(() => a!.groups.find('#nope'), { name: 'GroupNotFoundError' })
  })
})

describe('groups: a hostile member', () => {
  const net = new GroupNet()
  after(() => net.close())

  test('forged membership events: a changed body, and a change by a non-admin, are refused', async () => {
    const [a, b, c, x] = await net.many(4, 'forge')
    const group = await a!.groups.create('forged', [b!.peerId, c!.peerId])
    await net.settle()
    // b takes a's event and changes what it does, keeping a's signature
    const real = await signGroupEvent(a!.identity.privateKey, {
      groupId: group.id,
      author: a!.peerId,
      parents: a!.store.groups.get(group.id)!.heads,
      createdAt: 1,
      change: { type: 'add', member: b!.peerId }
    })
    const decoded = GroupEvent.decode(real.bytes)
    const body = GroupEventBody.decode(decoded.body)
    const forgedBody = GroupEventBody.encode({
      ...body,
      add: undefined,
      remove: new Uint8Array(peerIdBytes(peerIdFromString(c!.peerId)))
    })
    const forged = GroupEvent.encode({ body: forgedBody, signature: decoded.signature })
    assert.throws(() => openGroupEvent(forged), { name: 'ForgedGroupEventError' })
    net.deliver(c!, b!.peerId, GroupFrame.encode({ events: { events: [GroupEvent.decode(forged)] } }))
    assert.deepEqual(c!.refused, ['ForgedGroupEventError'])
    // b (no admin) signs its own add of x: refused, and the group is unchanged everywhere
    const byB = await signGroupEvent(b!.identity.privateKey, {
      groupId: group.id,
      author: b!.peerId,
      parents: b!.store.groups.get(group.id)!.heads,
      createdAt: 1,
      change: { type: 'add', member: x!.peerId }
    })
    net.deliver(c!, b!.peerId, GroupFrame.encode({ events: { events: [GroupEvent.decode(byB.bytes)] } }))
    assert.deepEqual(c!.refused, ['ForgedGroupEventError', 'NotGroupAdminError'])
    assert.equal(c!.groups.list()[0]!.members.length, 3)
    // a log without its create event is no group
    assert.throws(() => mergeGroupLog(group.id, [byB]), { name: 'ForgedGroupEventError' })
  })

  test('a message under another member’s name, and one not signed by its chain, are refused', async () => {
    const [a, b, c] = await net.many(3, 'name')
    const group = await a!.groups.create('names', [b!.peerId, c!.peerId])
    await net.settle()
    await a!.groups.send(group.id, { type: 'text', markdown: 'from a' })
    await net.settle()
    // b forwards a's message to c as if it were b's: the carrier is not the sender
    const fromA = messageFrames(b!).find(f => f.from === a!.peerId)!
    net.deliver(c!, b!.peerId, fromA.frame)
    assert.deepEqual(c!.refused, ['GroupImpersonationError'])
    // b's own chain signs a body that names a as the sender
    const frame = GroupFrame.decode(fromA.frame)
    const flipped = new Uint8Array(frame.message!.signature)
    flipped[0] = flipped[0]! ^ 1
    net.deliver(c!, a!.peerId, GroupFrame.encode({ message: { body: frame.message!.body, signature: flipped } }))
    assert.deepEqual(c!.refused, ['GroupImpersonationError', 'GroupImpersonationError'])
    assert.deepEqual(texts(c!, group.id), ['from a'])
  })

  test('replays: a message again, or a sender key again, are refused', async () => {
    const [a, b] = await net.many(2, 'replay')
    const group = await a!.groups.create('replays', [b!.peerId])
    await net.settle()
    await a!.groups.send(group.id, { type: 'text', markdown: 'once' })
    await net.settle()
    for (const r of [...b!.received]) net.deliver(b!, r.from, r.frame)
    assert.ok(b!.refused.includes('GroupReplayError'))
    assert.deepEqual(texts(b!, group.id), ['once'])
  })

  test('messages from a removed member, sent after its removal, are refused', async () => {
    const [a, b, c] = await net.many(3, 'gone')
    const group = await a!.groups.create('gone', [b!.peerId, c!.peerId])
    await net.settle()
    await c!.groups.send(group.id, { type: 'text', markdown: 'c in' })
    await net.settle()
    // c hears nothing of its removal, and sends with the chain it had
    c!.deaf = true
    await a!.groups.remove(group.id, c!.peerId)
    await net.settle()
    await c!.groups.send(group.id, { type: 'text', markdown: 'c out' })
    await net.settle()
    assert.deepEqual(texts(b!, group.id), ['c in'])
    assert.ok(b!.refused.includes('NotGroupMemberError'), b!.refused.join())
    assert.ok(a!.refused.includes('NotGroupMemberError'), a!.refused.join())
  })
})

describe('groups: concurrent membership changes converge', () => {
  const net = new GroupNet()
  after(() => net.close())

  const view = (m: Member, id: string): string =>
    JSON.stringify(
      m.groups
        .list()
        .find(g => g.id === id)!
        .members.map(x => [x.peerId, x.admin])
    )

  test('two admins, each offline from the other, change membership at once: every member ends with the same group', async () => {
    const [a, b, c, d, e] = await net.many(5, 'merge')
    const group = await a!.groups.create('merge', [b!.peerId, c!.peerId])
    await a!.groups.admin(group.id, b!.peerId)
    await net.settle()
    // a and b cannot reach each other (their channels are held); each changes the group
    b!.online = false
    await a!.groups.add(group.id, d!.peerId)
    await net.settle()
    b!.online = true
    a!.online = false
    await b!.groups.add(group.id, e!.peerId)
    await b!.groups.remove(group.id, c!.peerId)
    await net.settle()
    a!.online = true
    await net.settle()
    const expected = view(a!, group.id)
    for (const m of [b, d, e]) assert.equal(view(m!, group.id), expected, `${m!.name} differs`)
    assert.deepEqual(
      a!.groups
        .list()[0]!
        .members.map(x => x.peerId)
        .sort(),
      [a, b, d, e].map(x => x!.peerId).sort()
    )
    assert.equal(c!.groups.list()[0]!.left, true)
    // and messages flow to the merged group
    await d!.groups.send(group.id, { type: 'text', markdown: 'from d' })
    await net.settle()
    for (const m of [a, b, e]) assert.deepEqual(texts(m!, group.id), ['from d'])
  })

  test('an admin removed concurrently loses its concurrent changes; a remove beats a concurrent add', async () => {
    const [a, b, c, d] = await net.many(4, 'race')
    const group = await a!.groups.create('race', [b!.peerId, c!.peerId])
    await a!.groups.admin(group.id, b!.peerId)
    await net.settle()
    // a removes b, while b (not knowing) adds d and removes c
    b!.online = false
    await a!.groups.remove(group.id, b!.peerId)
    a!.online = false
    b!.online = true
    await net.settle()
    await b!.groups.add(group.id, d!.peerId)
    a!.online = true
    await net.settle()
    for (const m of [a, c]) {
      assert.deepEqual(
        m!.groups
          .list()[0]!
          .members.map(x => x.peerId)
          .sort(),
        [a, c].map(x => x!.peerId).sort(),
        `${m!.name}`
      )
    }
    assert.equal(b!.groups.list()[0]!.left, true)
    // the merge rule alone, on both orders of the same events
    const events = a!.store.groups.events(group.id).map(bytes => openGroupEvent(bytes))
    const forward = mergeGroupLog(group.id, events)
    const backward = mergeGroupLog(group.id, events.slice().reverse())
    assert.deepEqual(forward, backward)
    // add vs remove of the same peer, concurrent: the remove wins
    const base = a!.store.groups.get(group.id)!.heads
    const add = await signGroupEvent(a!.identity.privateKey, {
      groupId: group.id,
      author: a!.peerId,
      parents: base,
      createdAt: 2,
      change: { type: 'admin', member: c!.peerId }
    })
    const merged = mergeGroupLog(group.id, [...events, add])
    assert.ok(merged.admins.includes(c!.peerId))
    const removeC = await signGroupEvent(a!.identity.privateKey, {
      groupId: group.id,
      author: a!.peerId,
      parents: [add.hash],
      createdAt: 3,
      change: { type: 'remove', member: c!.peerId }
    })
    const readdByC = await signGroupEvent(c!.identity.privateKey, {
      groupId: group.id,
      author: c!.peerId,
      parents: [add.hash],
      createdAt: 3,
      change: { type: 'add', member: d!.peerId }
    })
    const race = mergeGroupLog(group.id, [...events, add, removeC, readdByC])
    assert.ok(!race.members.includes(c!.peerId))
    assert.ok(!race.members.includes(d!.peerId), 'the add by c, removed concurrently, is dropped')
  })
})

describe('groups: 100 members in one process', () => {
  const net = new GroupNet()
  after(() => net.close())

  test('every member has every message once, in the same order', { timeout: 600_000 }, async () => {
    const members = await net.many(100, 'hundred')
    const [creator, ...rest] = members
    const group = await creator!.groups.create(
      'hundred',
      rest.map(m => m.peerId)
    )
    await net.settle()
    const senders = [members[0]!, members[17]!, members[42]!, members[99]!]
    let n = 0
    for (let round = 0; round < 3; round++) {
      for (const s of senders) await s.groups.send(group.id, { type: 'text', markdown: `m${n++} from ${s.name}` })
      await net.settle()
    }
    const expected = texts(creator!, group.id)
    assert.equal(expected.length, n)
    assert.equal(new Set(expected).size, n)
    for (const m of members) {
      assert.deepEqual(texts(m, group.id), expected, `${m.name}`)
      assert.deepEqual(m.refused, [], `${m.name} refused ${m.refused.join()}`)
    }
  })
})
