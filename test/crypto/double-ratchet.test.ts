import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MAX_SKIP, MAX_SKIPPED_KEYS } from '../../node/crypto/constants.ts'
import { type EncryptResult, type RatchetHeader, RatchetSession } from '../../node/crypto/double-ratchet.ts'
import { generateX25519KeyPair } from '../../node/crypto/primitives.ts'
import { utf8 } from './fixtures.ts'

const decoder = new TextDecoder()
const text = (bytes: Uint8Array): string => decoder.decode(bytes)

function start(): { alice: RatchetSession; bobFrom: (header: RatchetHeader) => RatchetSession } {
  const aliceIk = generateX25519KeyPair()
  const bobIk = generateX25519KeyPair()
  const bobSpk = generateX25519KeyPair()
  const alice = RatchetSession.initiate({
    identityDhKeyPair: aliceIk,
    initiatorId: utf8('alice'),
    responderId: utf8('bob'),
    responderIdentityDhKey: bobIk.publicKey,
    responderPrekey: { id: 1, publicKey: bobSpk.publicKey }
  })
  const bobFrom = (header: RatchetHeader): RatchetSession =>
    RatchetSession.respond({
      identityDhKeyPair: bobIk,
      prekeyKeyPair: bobSpk,
      initiatorId: utf8('alice'),
      responderId: utf8('bob'),
      init: header.init!
    })
  return { alice, bobFrom }
}

/** Two peers that keep their latest committed session, like the messaging layer does. */
class Peer {
  session: RatchetSession
  received: string[] = []

  constructor(session: RatchetSession) {
    this.session = session
  }

  send(message: string): EncryptResult {
    const out = this.session.encrypt(utf8(message))
    this.session = out.session
    return out
  }

  receive(message: EncryptResult): string {
    const { plaintext, session } = this.session.decrypt(message.header, message.ciphertext)
    this.session = session
    this.received.push(text(plaintext))
    return text(plaintext)
  }
}

/** Alice and Bob after Alice's first message and Bob's reply. */
function established(): { alice: Peer; bob: Peer } {
  const { alice: session, bobFrom } = start()
  const alice = new Peer(session)
  const first = alice.send('hello')
  const bob = new Peer(bobFrom(first.header))
  assert.equal(bob.receive(first), 'hello')
  assert.equal(alice.receive(bob.send('hi')), 'hi')
  return { alice, bob }
}

describe('RatchetSession: a conversation', () => {
  it('starts from X3DH: the initiator repeats the X3DH fields until it gets a reply', () => {
    const { alice: session, bobFrom } = start()
    const alice = new Peer(session)
    assert.equal(alice.session.initiator, true)
    assert.equal(alice.session.awaitingReply, true)
    const m1 = alice.send('one')
    const m2 = alice.send('two')
    assert.ok(m1.header.init != null && m2.header.init != null)
    assert.deepEqual(m1.header.init, m2.header.init)
    assert.deepEqual(alice.session.handshakeId, m1.header.init.ephemeralKey)
    const bob = new Peer(bobFrom(m2.header))
    assert.equal(bob.session.initiator, false)
    assert.equal(bob.session.established, false)
    assert.throws(() => bob.session.encrypt(utf8('too early')), { name: 'SessionNotReadyError' })
    assert.equal(bob.receive(m2), 'two')
    assert.equal(bob.receive(m1), 'one')
    assert.deepEqual(bob.session.handshakeId, alice.session.handshakeId)
    assert.equal(bob.session.established, true)
    const reply = bob.send('reply')
    assert.equal(reply.header.init, undefined)
    assert.equal(alice.receive(reply), 'reply')
    assert.equal(alice.session.awaitingReply, false)
    assert.equal(alice.send('after reply').header.init, undefined)
  })

  it('carries hundreds of messages both ways, alternating and in bursts', () => {
    const { alice, bob } = established()
    let count = 0
    const check = (from: Peer, to: Peer, n: number) => {
      for (let i = 0; i < n; i++) {
        const message = `message ${count++} ${'x'.repeat(count % 50)}`
        assert.equal(to.receive(from.send(message)), message)
      }
    }
    for (let round = 0; round < 150; round++) {
      check(alice, bob, 1)
      check(bob, alice, 1)
    }
    for (const burst of [1, 7, 50, 3, 120, 1, 1, 64]) {
      check(alice, bob, burst)
      check(bob, alice, burst + 1)
    }
    assert.ok(count > 800)
    assert.equal(alice.session.skippedKeyCount, 0)
    assert.equal(bob.session.skippedKeyCount, 0)
  })

  it('gives every message a fresh ciphertext (same plaintext, different bytes)', () => {
    const { alice } = established()
    const a = alice.send('same')
    const b = alice.send('same')
    assert.notDeepEqual(a.ciphertext, b.ciphertext)
  })
})

describe('RatchetSession: out of order and skipped', () => {
  it('decrypts a chain delivered in reverse order', () => {
    const { alice, bob } = established()
    const sent = Array.from({ length: 20 }, (_, i) => alice.send(`m${i}`))
    for (const message of sent.toReversed()) {
      bob.receive(message)
    }
    assert.deepEqual(bob.received.slice(1), sent.map((_, i) => `m${i}`).toReversed())
    assert.equal(bob.session.skippedKeyCount, 0)
  })

  it('decrypts skipped messages from earlier chains after several DH ratchet steps', () => {
    const { alice, bob } = established()
    const late1 = alice.send('late 1')
    const onTime = alice.send('on time')
    const late2 = alice.send('late 2')
    assert.equal(bob.receive(onTime), 'on time')
    assert.equal(bob.session.skippedKeyCount, 1)
    // Two full ratchet turns with messages in the middle.
    alice.receive(bob.send('b1'))
    bob.receive(alice.send('a1'))
    alice.receive(bob.send('b2'))
    const lateNewChain = alice.send('late 3')
    bob.receive(alice.send('a2'))
    assert.equal(bob.receive(late2), 'late 2')
    assert.equal(bob.receive(late1), 'late 1')
    assert.equal(bob.receive(lateNewChain), 'late 3')
    assert.equal(bob.session.skippedKeyCount, 0)
  })

  it("stores the rest of the peer's previous chain (PN) when a message of its next chain comes first", () => {
    const { alice, bob } = established()
    const chain = Array.from({ length: 5 }, (_, i) => alice.send(`chain ${i}`))
    assert.equal(bob.receive(chain[0]!), 'chain 0')
    alice.receive(bob.send('ping'))
    // Bob never saw chain 1..4; Alice's next message is on a new chain with PN = 5.
    const next = alice.send('new chain')
    assert.equal(next.header.previousChainLength, 5)
    assert.equal(next.header.messageNumber, 0)
    assert.equal(bob.receive(next), 'new chain')
    assert.equal(bob.session.skippedKeyCount, 4)
    assert.equal(bob.receive(chain[3]!), 'chain 3')
    assert.equal(bob.session.skippedKeyCount, 3)
  })

  it(`refuses to skip more than MAX_SKIP (${MAX_SKIP}) keys in one chain: TooManySkippedMessagesError`, () => {
    const { alice, bob } = established()
    const first = alice.send('first')
    let far = first
    for (let i = 0; i < MAX_SKIP + 1; i++) {
      far = alice.send(`m${i}`)
    }
    assert.equal(far.header.messageNumber, MAX_SKIP + 1)
    const before = bob.session
    assert.throws(() => bob.receive(far), { name: 'TooManySkippedMessagesError' })
    assert.equal(bob.session, before)
    // A forged header with a huge N is refused the same way, cheaply.
    assert.throws(() => bob.session.decrypt({ ...first.header, messageNumber: 0xffffffff }, first.ciphertext), {
      name: 'TooManySkippedMessagesError'
    })
    assert.throws(
      () =>
        bob.session.decrypt(
          { ...first.header, ratchetKey: generateX25519KeyPair().publicKey, previousChainLength: 0xffffffff },
          first.ciphertext
        ),
      { name: 'TooManySkippedMessagesError' }
    )
    // Exactly MAX_SKIP skipped keys is fine.
    assert.equal(bob.receive(first), 'first')
  })

  it(`keeps at most MAX_SKIPPED_KEYS (${MAX_SKIPPED_KEYS}) skipped keys, evicting the oldest`, () => {
    const { alice, bob } = established()
    const oldest = alice.send('oldest')
    const chainA = Array.from({ length: 600 }, (_, i) => alice.send(`a${i}`))
    bob.receive(chainA.at(-1)!)
    assert.equal(bob.session.skippedKeyCount, 600)
    alice.receive(bob.send('turn'))
    const chainB = Array.from({ length: 600 }, (_, i) => alice.send(`b${i}`))
    bob.receive(chainB.at(-1)!)
    assert.equal(bob.session.skippedKeyCount, MAX_SKIPPED_KEYS)
    // The oldest skipped key was evicted: the message can no longer be decrypted.
    assert.throws(() => bob.receive(oldest), { name: 'ReplayError' })
    assert.equal(bob.receive(chainB[0]!), 'b0')
    assert.equal(bob.receive(chainA[599 - 1]!), 'a598')
  })
})

describe('RatchetSession: rejections', () => {
  it('rejects a replay of the last message, of a skipped-then-received message and of an old chain: ReplayError', () => {
    const { alice, bob } = established()
    const m0 = alice.send('m0')
    const m1 = alice.send('m1')
    bob.receive(m1)
    bob.receive(m0)
    assert.throws(() => bob.receive(m1), { name: 'ReplayError' })
    assert.throws(() => bob.receive(m0), { name: 'ReplayError' })
    alice.receive(bob.send('turn'))
    const m2 = alice.send('m2')
    bob.receive(m2)
    assert.throws(() => bob.receive(m1), { name: 'ReplayError' })
    assert.throws(() => bob.receive(m2), { name: 'ReplayError' })
  })

  it("rejects a replay of the initiator's first message on the responder: ReplayError", () => {
    const { alice: session, bobFrom } = start()
    const alice = new Peer(session)
    const first = alice.send('first')
    const bob = new Peer(bobFrom(first.header))
    bob.receive(first)
    assert.throws(() => bob.receive(first), { name: 'ReplayError' })
    alice.receive(bob.send('reply'))
    bob.receive(alice.send('again'))
    assert.throws(() => bob.receive(first), { name: 'ReplayError' })
  })

  it('rejects every tampered header field: DecryptError', () => {
    const { alice: session, bobFrom } = start()
    const alice = new Peer(session)
    alice.send('skip me')
    const message = alice.send('target')
    const bob = bobFrom(message.header)
    const init = message.header.init!
    const flip = (bytes: Uint8Array): Uint8Array => {
      const out = bytes.slice()
      out[31]! ^= 0x40
      return out
    }
    const tampered: RatchetHeader[] = [
      { ...message.header, messageNumber: 0 },
      { ...message.header, messageNumber: 2 },
      { ...message.header, previousChainLength: 1 },
      { ...message.header, ratchetKey: flip(message.header.ratchetKey) },
      { ...message.header, init: { ...init, prekeyId: 2 } },
      { ...message.header, init: { ...init, ephemeralKey: generateX25519KeyPair().publicKey } },
      { ...message.header, init: undefined }
    ]
    for (const header of tampered) {
      assert.throws(() => bob.decrypt(header, message.ciphertext), { name: 'DecryptError' }, JSON.stringify(header))
    }
    // The untouched message still decrypts with the same (unchanged) session.
    assert.equal(text(bob.decrypt(message.header, message.ciphertext).plaintext), 'target')
  })

  it('rejects a malformed header: DecryptError', () => {
    const { alice } = established()
    const { bob } = established()
    const message = alice.send('x')
    const bad: RatchetHeader[] = [
      { ...message.header, ratchetKey: message.header.ratchetKey.subarray(0, 31) },
      { ...message.header, messageNumber: -1 },
      { ...message.header, previousChainLength: 2 ** 32 },
      { ...message.header, messageNumber: 1.5 },
      { ...message.header, ratchetKey: new Uint8Array(32) }
    ]
    for (const header of bad) {
      assert.throws(() => bob.session.decrypt(header, message.ciphertext), { name: 'DecryptError' })
    }
  })

  it('rejects a tampered ciphertext or tag, and a truncated one: DecryptError', () => {
    const { alice, bob } = established()
    const message = alice.send('a message that is long enough')
    for (const i of [0, 10, message.ciphertext.length - 16, message.ciphertext.length - 1]) {
      const ciphertext = message.ciphertext.slice()
      ciphertext[i]! ^= 1
      assert.throws(() => bob.session.decrypt(message.header, ciphertext), { name: 'DecryptError' })
    }
    assert.throws(() => bob.session.decrypt(message.header, message.ciphertext.subarray(0, 10)), {
      name: 'DecryptError'
    })
    assert.equal(bob.receive(message), 'a message that is long enough')
  })

  it("rejects another session's message (different associated data): DecryptError", () => {
    const one = established()
    const two = established()
    const message = one.alice.send('for one')
    assert.throws(() => two.bob.receive(message), { name: 'DecryptError' })
  })

  it('never changes the session it is called on (failed decrypts leave no trace)', () => {
    const { alice, bob } = established()
    const before = bob.session.serialize()
    const good = alice.send('good')
    const forgedRatchet = { ...good.header, ratchetKey: generateX25519KeyPair().publicKey }
    assert.throws(() => bob.session.decrypt(forgedRatchet, good.ciphertext), { name: 'DecryptError' })
    assert.deepEqual(bob.session.serialize(), before)
    const attempt = bob.session.decrypt(good.header, good.ciphertext)
    assert.deepEqual(bob.session.serialize(), before)
    // Not committing the attempt: the same message decrypts again from the old session.
    assert.equal(text(bob.session.decrypt(good.header, good.ciphertext).plaintext), 'good')
    assert.equal(text(attempt.plaintext), 'good')
    // Encrypting does not change the sender's session either.
    const senderBefore = alice.session.serialize()
    alice.session.encrypt(utf8('draft'))
    assert.deepEqual(alice.session.serialize(), senderBefore)
  })
})

describe('RatchetSession: serialize and restore', () => {
  it('continues a conversation from restored sessions mid-way, with skipped keys and pending X3DH fields', () => {
    const { alice: session, bobFrom } = start()
    let alice = new Peer(RatchetSession.deserialize(session.serialize()))
    const first = alice.send('first')
    const delayed = alice.send('delayed')
    const third = alice.send('third')
    alice = new Peer(RatchetSession.deserialize(alice.session.serialize()))
    assert.equal(alice.session.awaitingReply, true)
    let bob = new Peer(bobFrom(third.header))
    bob.receive(third)
    bob.receive(first)
    assert.equal(bob.session.skippedKeyCount, 1)
    bob = new Peer(RatchetSession.deserialize(bob.session.serialize()))
    assert.equal(bob.session.skippedKeyCount, 1)
    assert.equal(bob.session.established, true)
    assert.equal(alice.receive(bob.send('reply')), 'reply')
    alice = new Peer(RatchetSession.deserialize(alice.session.serialize()))
    assert.equal(alice.session.awaitingReply, false)
    for (let i = 0; i < 30; i++) {
      if (i % 7 === 0) {
        alice = new Peer(RatchetSession.deserialize(alice.session.serialize()))
        bob = new Peer(RatchetSession.deserialize(bob.session.serialize()))
      }
      assert.equal(bob.receive(alice.send(`a${i}`)), `a${i}`)
      assert.equal(alice.receive(bob.send(`b${i}`)), `b${i}`)
    }
    assert.equal(bob.receive(delayed), 'delayed')
    assert.throws(() => bob.receive(first), { name: 'ReplayError' })
    // Serialization is stable: restoring and serializing again gives the same bytes.
    const bytes = bob.session.serialize()
    assert.deepEqual(RatchetSession.deserialize(bytes).serialize(), bytes)
  })

  it('rejects corrupt or unknown state: InvalidSessionStateError', () => {
    const { alice } = established()
    const bytes = alice.session.serialize()
    assert.throws(() => RatchetSession.deserialize(new Uint8Array([0xff, 0xff, 0xff])), {
      name: 'InvalidSessionStateError'
    })
    assert.throws(() => RatchetSession.deserialize(new Uint8Array(0)), { name: 'InvalidSessionStateError' })
    // version 2 (field 1 = 2) prepended; the last value of a field wins in protobuf
    assert.throws(() => RatchetSession.deserialize(new Uint8Array([...bytes, 0x08, 0x02])), {
      name: 'InvalidSessionStateError'
    })
    // a truncated root key (field 5)
    assert.throws(() => RatchetSession.deserialize(new Uint8Array([...bytes, 0x2a, 0x01, 0x00])), {
      name: 'InvalidSessionStateError'
    })
  })
})
