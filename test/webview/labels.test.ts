/** extension/webview/labels.ts: the words shown for a contact, a sender and a delivery state (plain Node, no DOM). */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ContactView, MessageView } from '../../node/daemon/rpc-api.ts'
import { contactLabel, plain, senderLabel, statusText } from '../../extension/webview/labels.ts'

const carol: ContactView = {
  peerId: '12D3KooWRAgvCarolCarolCarol',
  name: 'carol',
  state: 'contact',
  verified: false,
  keyChanged: false,
  presence: 'offline',
  unread: 0,
  fingerprint: 'ff'
}

const message = (direction: MessageView['direction']): MessageView => ({
  id: 'm',
  from: direction === 'in' ? carol.peerId : '12D3KooWMe',
  to: direction === 'in' ? '12D3KooWMe' : carol.peerId,
  direction,
  text: 'hi',
  sentAt: 1,
  storedAt: 1,
  status: direction === 'in' ? 'received' : 'queued'
})

describe('conversation labels', () => {
  it('shows bidi controls as U+FFFD so they cannot reorder a name or path', () => {
    assert.equal(plain('evil\u202Est.ts'), 'evil\uFFFDst.ts')
    assert.equal(plain('a\u2066b\u2069c\u200Fd'), 'a\uFFFDb\uFFFDc\uFFFDd')
    assert.equal(plain('plain.ts'), 'plain.ts')
  })

  it('labels a contact as the tree does (the one contactLabel): cleaned name, else the end of its peer id', () => {
    assert.equal(contactLabel({ ...carol, name: 'car\u202Eol' }), 'car\uFFFDol')
    const { name: _name, ...nameless } = carol
    assert.equal(contactLabel(nameless), `…${carol.peerId.slice(-8)}`)
  })

  it('labels my messages "You" and theirs by the contact', () => {
    assert.equal(senderLabel(message('out'), carol), 'You')
    assert.equal(senderLabel(message('in'), carol), 'carol')
    assert.equal(senderLabel(message('in'), undefined), `…${carol.peerId.slice(-8)}`)
  })

  it('names every delivery state; received messages show none', () => {
    assert.equal(statusText.failed, 'Not delivered')
    assert.equal(statusText.received, '')
  })
})

describe('senderLabel in a group', () => {
  it("names a member by its name, else the end of its peer id; the group's stand-in contact is never the sender", () => {
    const groupContact: ContactView = { ...carol, peerId: '0123456789abcdef0123456789abcdef', name: undefined }
    const group = {
      id: groupContact.peerId,
      title: 'team',
      members: [
        { peerId: carol.peerId, name: 'carol', admin: true },
        { peerId: '12D3KooWDaveDaveDaveDaveDave', admin: false }
      ],
      unread: 0,
      left: false,
      admin: false
    }
    assert.equal(senderLabel(message('in'), groupContact, group), 'carol')
    const fromDave = { ...message('in'), from: '12D3KooWDaveDaveDaveDaveDave' }
    assert.notEqual(senderLabel(fromDave, groupContact, group), senderLabel(fromDave, groupContact))
    assert.match(senderLabel(fromDave, groupContact, group), /Dave/)
    assert.equal(senderLabel(message('out'), groupContact, group), 'You')
  })
})
