/**
 * The extension asks the node's rules, never its own copies: an input box, a contact lookup and a
 * mention answer as the daemon does for the same text.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { ContactStore } from '../../extension/contact-store.ts'
import { isInviteLink as extensionIsInviteLink, nameInputProblem } from '../../extension/input-rules.ts'
import { mentions } from '../../extension/mentions.ts'
import type { ContactView } from '../../node/daemon/rpc-api.ts'
import { isInviteLink, parseInviteLink } from '../../node/messaging/invite-link.ts'
import { foldName, normalizeName } from '../../node/names/name-rules.ts'

const LINK =
  'parley://invite?peer=12D3KooWQGkqXisW4SCQRNYugWCG6VYhn6M9FaHUgTGLTBDkrjFm&name=carol&secret=AAECAwQFBgcICQoLDA0ODw'

describe('invite links: one detector', () => {
  test('the extension and the daemon use the same function', () => {
    assert.equal(extensionIsInviteLink, isInviteLink)
  })

  test('the texts the two detectors used to disagree on', () => {
    // the daemon said yes (prefix), the extension no (nothing after it)
    assert.equal(isInviteLink('parley://invite?'), false)
    assert.equal(isInviteLink('parley://invite?   '), false)
    // the daemon said yes, the extension no (white space inside: a sentence, not a link)
    assert.equal(isInviteLink('parley://invite?peer=x and then some words'), false)
    // the daemon said no (leading white space), the extension yes: a pasted link often has some
    assert.equal(isInviteLink(`  ${LINK}`), true)
    assert.equal(isInviteLink(`\n${LINK}\n`), true)
    // both agreed
    assert.equal(isInviteLink(LINK), true)
    assert.equal(isInviteLink('https://example.test/invite'), false)
    assert.equal(isInviteLink('carol'), false)
    assert.equal(isInviteLink('PARLEY://invite?peer=x'), false)
  })

  test('what the detector accepts with white space around it, the parser reads', () => {
    const plain = parseInviteLink(LINK)
    const padded = parseInviteLink(`  ${LINK}\n`)
    assert.equal(padded.peerId.toString(), plain.peerId.toString())
    assert.equal(padded.name, 'carol')
    assert.deepEqual(padded.secret, plain.secret)
  })
})

describe('names: one rule set', () => {
  const daemonAccepts = (value: string): boolean => {
    try {
      normalizeName(value)
      return true
    } catch (err) {
      assert.equal((err as Error).name, 'InvalidNameError')
      return false
    }
  }
  const samples = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.stringMatching(/^[ a-zA-Z0-9._\-ＡＬＩＣＥé]{0,36}$/),
    fc.constantFrom('alice', ' alice', 'alice ', 'Alice.Dev', 'ａｌｉｃｅ', 'al', '-alice', 'a'.repeat(33), 'ﬀoo')
  )

  test('the Register Name input box accepts exactly what the daemon accepts', () => {
    fc.assert(
      fc.property(samples, value => {
        assert.equal(nameInputProblem(value) === undefined, daemonAccepts(value), JSON.stringify(value))
      }),
      { numRuns: 1000 }
    )
    // the box trimmed before, so "  alice" passed it and the daemon refused it
    assert.match(nameInputProblem('  alice') ?? '', /a-z/)
  })

  test('the contact store and mentions fold names as the daemon does', () => {
    const store = new ContactStore()
    const c = { peerId: '12D3KooWAbcdefghXYZ12345', name: 'alice', state: 'contact' } as ContactView
    store.replaceContacts([c])
    for (const typed of ['alice', 'ALICE', 'ａｌｉｃｅ', 'Alice']) {
      assert.equal(foldName(typed), normalizeName(typed))
      assert.equal(store.find(typed)?.peerId, c.peerId)
      assert.equal(mentions(`hi @${typed}!`, 'alice'), true)
    }
    assert.equal(store.find('alice2'), undefined)
  })
})
