/** extension/webview/reducer.ts: host events and user actions to state, under plain Node (no browser, no DOM). */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ContactView, MessageView } from '../../node/daemon/rpc-api.ts'
import type { ConversationSnapshot, HostEvent, HostEvents } from '../../extension/protocol.ts'
import {
  type ConversationAction,
  type ConversationState,
  initialState,
  reduce
} from '../../extension/webview/reducer.ts'

const BOB = '12D3KooWBobBobBobBobBob'
const ME = '12D3KooWMeMeMeMeMeMeMe'
const T = Date.UTC(2025, 2, 3, 9)

function contact(fields: Partial<ContactView> = {}): ContactView {
  return {
    peerId: BOB,
    name: 'bob',
    state: 'contact',
    verified: false,
    keyChanged: false,
    presence: 'online',
    unread: 0,
    fingerprint: 'ab12',
    ...fields
  }
}

function incoming(id: string, storedAt: number, fields: Partial<MessageView> = {}): MessageView {
  return { id, from: BOB, to: ME, direction: 'in', text: id, sentAt: storedAt, storedAt, status: 'received', ...fields }
}

function outgoing(id: string, storedAt: number, fields: Partial<MessageView> = {}): MessageView {
  return { id, from: ME, to: BOB, direction: 'out', text: id, sentAt: storedAt, storedAt, status: 'queued', ...fields }
}

function snapshot(fields: Partial<ConversationSnapshot> = {}): ConversationSnapshot {
  return {
    me: { peerId: ME, name: 'me' },
    contact: contact(),
    messages: [],
    hasOlder: false,
    draft: '',
    settings: { readReceipts: false },
    ...fields
  }
}

function event<T extends keyof HostEvents>(type: T, payload: HostEvents[T]): ConversationAction {
  return { type: 'event', event: { kind: 'event', type, payload } as HostEvent }
}

function run(actions: ConversationAction[], from: ConversationState = initialState()): ConversationState {
  return actions.reduce(reduce, from)
}

function loaded(fields: Partial<ConversationSnapshot> = {}): ConversationState {
  return run([{ type: 'ready', snapshot: snapshot(fields) }])
}

const ids = (state: ConversationState): string[] => state.messages.map(m => m.id)

describe('conversation reducer', () => {
  it('starts connecting, with nothing to show and events held', () => {
    const state = initialState()
    assert.equal(state.phase, 'connecting')
    assert.equal(state.contact, undefined)
    assert.deepEqual(state.early, [])
    assert.deepEqual(state.change, { kind: 'none' })
  })

  it('applies the ready snapshot: ordered messages, draft, unread, a list built from scratch at the bottom', () => {
    const state = loaded({
      messages: [incoming('b', T + 2), outgoing('a', T + 1), incoming('b', T + 2, { text: 'again' })],
      contact: contact({ unread: 2 }),
      draft: 'half',
      hasOlder: true
    })
    assert.equal(state.phase, 'loaded')
    assert.deepEqual(ids(state), ['a', 'b'])
    assert.equal(state.messages[1]?.text, 'again')
    assert.equal(state.savedDraft, 'half')
    assert.equal(state.snapshots, 1)
    assert.equal(state.unreadPending, true)
    assert.equal(state.hasOlder, true)
    assert.equal(state.early, undefined)
    assert.deepEqual(state.change, { kind: 'rebuild', keepPosition: false })
  })

  it('holds events that come before the first snapshot and applies them after it, in order', () => {
    const state = run([
      event('message', { message: incoming('early', T + 5) }),
      event('presence', { presence: 'offline', lastSeen: T + 6 }),
      event('focusComposer', {}),
      { type: 'ready', snapshot: snapshot({ messages: [incoming('first', T)] }) }
    ])
    assert.deepEqual(ids(state), ['first', 'early'])
    assert.equal(state.contact?.presence, 'offline')
    assert.equal(state.contact?.lastSeen, T + 6)
    assert.equal(state.focusRequests, 1)
    assert.equal(state.unreadPending, true)
    assert.deepEqual(state.change, { kind: 'rebuild', keepPosition: false })
    // Held, not applied, before the snapshot.
    const before = run([event('message', { message: incoming('early', T + 5) })])
    assert.deepEqual(before.messages, [])
    assert.equal(before.early?.length, 1)
  })

  it('a pushed snapshot before the ready answer counts as the first one; the later answer replaces it', () => {
    const pushed = run([
      event('message', { message: incoming('early', T + 5) }),
      event('snapshot', snapshot({ messages: [incoming('pushed', T)] }))
    ])
    assert.deepEqual(ids(pushed), ['pushed', 'early'])
    const answered = reduce(pushed, { type: 'ready', snapshot: snapshot({ messages: [incoming('answer', T)] }) })
    assert.deepEqual(ids(answered), ['answer'])
    assert.equal(answered.snapshots, 2)
  })

  it('a later snapshot replaces everything and scrolls to the end', () => {
    const state = run([event('snapshot', snapshot({ contact: contact({ name: 'robert' }), draft: 'x' }))], loaded())
    assert.equal(state.contact?.name, 'robert')
    assert.equal(state.savedDraft, 'x')
    assert.equal(state.snapshots, 2)
    assert.deepEqual(state.change, { kind: 'rebuild', keepPosition: false })
  })

  it('appends a new message in order in place, marks incoming ones unread, ignores other conversations', () => {
    const start = loaded({ messages: [incoming('a', T)] })
    const mine = reduce(start, event('message', { message: outgoing('b', T + 1) }))
    assert.deepEqual(ids(mine), ['a', 'b'])
    assert.equal(mine.change.kind, 'append')
    assert.equal(mine.unreadPending, false)
    const theirs = reduce(mine, event('message', { message: incoming('c', T + 2) }))
    assert.deepEqual(theirs.change, { kind: 'append', message: incoming('c', T + 2) })
    assert.equal(theirs.unreadPending, true)
    const stranger = incoming('d', T + 3, { from: '12D3KooWCarol', to: ME })
    const ignored = reduce(theirs, event('message', { message: stranger }))
    assert.deepEqual(ids(ignored), ['a', 'b', 'c'])
    assert.deepEqual(ignored.change, { kind: 'none' })
  })

  it('a message stored before the last one rebuilds the list keeping the scroll position', () => {
    const state = reduce(
      loaded({ messages: [incoming('a', T), incoming('c', T + 10)] }),
      event('message', { message: outgoing('b', T + 5) })
    )
    assert.deepEqual(ids(state), ['a', 'b', 'c'])
    assert.deepEqual(state.change, { kind: 'rebuild', keepPosition: true })
  })

  it('a known message arriving again replaces it where it is', () => {
    const state = reduce(
      loaded({ messages: [outgoing('a', T), incoming('b', T + 1)] }),
      event('message', { message: outgoing('a', T, { text: 'edited' }) })
    )
    assert.deepEqual(ids(state), ['a', 'b'])
    assert.equal(state.messages[0]?.text, 'edited')
    assert.equal(state.change.kind, 'replace')
    assert.equal(state.unreadPending, false)
  })

  it('status updates change only that message: delivery time kept, error set and cleared', () => {
    const start = loaded({ messages: [outgoing('a', T, { status: 'failed', error: 'offline' }), outgoing('b', T + 1)] })
    const delivered = reduce(start, event('status', { id: 'b', status: 'delivered', deliveredAt: T + 9 }))
    assert.equal(delivered.messages[1]?.status, 'delivered')
    assert.equal(delivered.messages[1]?.deliveredAt, T + 9)
    assert.deepEqual(delivered.change, { kind: 'status', message: delivered.messages[1] })
    assert.equal(delivered.messages[0], start.messages[0])
    const retried = reduce(delivered, { type: 'retried', id: 'a', status: 'queued' })
    assert.equal(retried.messages[0]?.status, 'queued')
    assert.equal('error' in (retried.messages[0] ?? {}), false)
    const failed = reduce(retried, event('status', { id: 'a', status: 'failed', error: 'recipient offline' }))
    assert.equal(failed.messages[0]?.error, 'recipient offline')
    const unknown = reduce(failed, event('status', { id: 'nope', status: 'read' }))
    assert.deepEqual(unknown.messages, failed.messages)
    assert.deepEqual(unknown.change, { kind: 'none' })
  })

  it("a group message's status carries how many members read it", () => {
    const start = loaded({ messages: [outgoing('g', T, { status: 'delivered' })] })
    const read = reduce(start, event('status', { id: 'g', status: 'delivered', readBy: 2 }))
    assert.equal(read.messages[0]?.readBy, 2)
    assert.deepEqual(read.change, { kind: 'status', message: read.messages[0] })
  })

  it('contact and presence update the header state; a new name rebuilds the sender labels', () => {
    const start = loaded({ messages: [incoming('a', T)] })
    const offline = reduce(start, event('presence', { presence: 'offline', lastSeen: T + 60_000 }))
    assert.equal(offline.contact?.presence, 'offline')
    assert.equal(offline.contact?.lastSeen, T + 60_000)
    assert.deepEqual(offline.change, { kind: 'none' })
    const verified = reduce(offline, { type: 'contactAnswered', contact: contact({ verified: true }) })
    assert.equal(verified.contact?.verified, true)
    assert.deepEqual(verified.change, { kind: 'none' })
    const renamed = reduce(verified, event('contact', { contact: contact({ name: 'robert' }) }))
    assert.equal(renamed.contact?.name, 'robert')
    assert.deepEqual(renamed.change, { kind: 'rebuild', keepPosition: true })
  })

  it('older history is merged before the rest without duplicates and keeps the scroll position', () => {
    const start = loaded({ messages: [incoming('c', T + 10)], hasOlder: true })
    const asked = reduce(start, { type: 'olderRequested' })
    assert.equal(asked.loadingOlder, true)
    const got = reduce(asked, {
      type: 'olderLoaded',
      messages: [incoming('a', T), incoming('b', T + 5), incoming('c', T + 10)],
      hasOlder: false
    })
    assert.deepEqual(ids(got), ['a', 'b', 'c'])
    assert.equal(got.hasOlder, false)
    assert.equal(got.loadingOlder, false)
    // strictly older: only the new ones are built, above the rest
    assert.deepEqual(got.change, { kind: 'prepend', count: 2 })
    // a page that interleaves with what is shown (or only repeats it) rebuilds the list
    const mixed = reduce(reduce(start, { type: 'olderRequested' }), {
      type: 'olderLoaded',
      messages: [incoming('a', T), incoming('d', T + 20)],
      hasOlder: false
    })
    assert.deepEqual(ids(mixed), ['a', 'c', 'd'])
    assert.deepEqual(mixed.change, { kind: 'rebuild', keepPosition: true })
    assert.equal(reduce(asked, { type: 'olderFailed' }).loadingOlder, false)
  })

  it('tracks sending, the saved draft, reading and focus requests', () => {
    let state = loaded({ contact: contact({ unread: 3 }) })
    state = reduce(state, { type: 'sendStarted' })
    assert.equal(state.sending, true)
    state = reduce(state, { type: 'sendFinished' })
    assert.equal(state.sending, false)
    state = reduce(state, { type: 'draftSaved', text: 'later' })
    assert.equal(state.savedDraft, 'later')
    state = reduce(state, { type: 'markReadSent' })
    assert.equal(state.unreadPending, false)
    state = reduce(state, { type: 'markedRead', unread: 0 })
    assert.equal(state.contact?.unread, 0)
    state = reduce(reduce(state, event('focusComposer', {})), event('focusComposer', {}))
    assert.equal(state.focusRequests, 2)
    state = reduce(state, event('reveal', { id: 'a' }))
    assert.deepEqual(state.reveal, { id: 'a', requests: 1 })
    state = reduce(state, event('reveal', { id: 'a' }))
    assert.deepEqual(state.reveal, { id: 'a', requests: 2 }, 'the same result opened again scrolls again')
  })

  it('a failed ready leaves nothing loaded, so a contact answer then changes nothing; settings apply once loaded', () => {
    const failed = reduce(initialState(), { type: 'readyFailed' })
    assert.equal(failed.phase, 'failed')
    assert.equal(reduce(failed, { type: 'contactAnswered', contact: contact() }).contact, undefined)
    const settings = reduce(loaded(), event('settings', { settings: { readReceipts: true } }))
    assert.deepEqual(settings.settings, { readReceipts: true })
  })

  it('never mutates the state it is given', () => {
    const start = loaded({ messages: [outgoing('a', T, { status: 'failed', error: 'x' })] })
    const frozen = structuredClone(start)
    run(
      [
        event('message', { message: incoming('b', T + 1) }),
        event('message', { message: incoming('z', T - 1) }),
        event('status', { id: 'a', status: 'delivered' }),
        event('contact', { contact: contact({ name: 'robert' }) }),
        { type: 'olderLoaded', messages: [incoming('old', T - 5)], hasOlder: false }
      ],
      start
    )
    assert.deepEqual(start, frozen)
  })
})
