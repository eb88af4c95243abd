/**
 * Full-text search over stored messages (migration 5's FTS5 index, kept in step by triggers):
 * words as prefixes, case and diacritics ignored, newest first, one conversation or all, excerpts
 * with highlights, and no query text that could be FTS5 syntax. A home from before the index gets
 * it filled by the migration.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { after, before, describe, it } from 'node:test'
import { ftsQuery, longPrefix, parseExcerpt } from '../../node/store/full-text.ts'
import { MAX_PREFIX_WALK } from '../../node/store/messages-table.ts'
import { databaseForTests, MIGRATIONS, migrate, openStore, type ParleyStore } from '../../node/store/index.ts'

let rowCounter = 0

/** The rows FTS5 matches for `query` (its own prefix merge), newest first. */
function databaseRows(store: ParleyStore, query: string, peerId?: string): unknown[] {
  const db = databaseForTests(store)
  const match = ftsQuery(query)!
  return peerId === undefined
    ? db
        .prepare(
          'SELECT m.id FROM messages_fts JOIN messages m ON m.rowid = messages_fts.rowid WHERE messages_fts MATCH ? ORDER BY messages_fts.rowid DESC'
        )
        .all(match)
    : db
        .prepare(
          'SELECT m.id FROM messages m CROSS JOIN messages_fts WHERE m.peer_id = ? AND messages_fts.rowid = m.rowid AND messages_fts MATCH ? ORDER BY m.stored_at DESC, m.rowid DESC'
        )
        .all(peerId, match)
}
function insert(store: ParleyStore, text: string, options: { peerId?: string; direction?: 'in' | 'out' } = {}): string {
  const id = `m${String(++rowCounter).padStart(31, '0')}`
  store.messages.insert({
    id,
    peerId: options.peerId ?? 'peerA',
    direction: options.direction ?? 'in',
    text,
    sentAt: rowCounter,
    storedAt: rowCounter,
    seq: rowCounter,
    prevHash: new Uint8Array(0),
    status: options.direction === 'out' ? 'queued' : 'received',
    unread: false,
    outOfOrder: false
  })
  return id
}

describe('message search', () => {
  let store: ParleyStore
  before(() => {
    store = openStore(':memory:')
  })
  after(() => store.close())

  it('finds every word (the last one as a prefix when no message has it whole), ignoring case and diacritics, newest first', () => {
    const old = insert(store, 'The relay on the Café host is down')
    const mine = insert(store, 'relays are back, café reopened', { direction: 'out' })
    insert(store, 'nothing to see here')
    const hits = store.messages.search('CAFE rela', { limit: 10 })
    assert.deepEqual(
      hits.map(h => h.message.id),
      [mine, old]
    )
    assert.equal(store.messages.search('cafe missing-word', { limit: 10 }).length, 0, 'every word must match')
  })

  it('marks the matching words in a plain-text excerpt', () => {
    insert(store, 'alpha beta gamma delta')
    const [hit] = store.messages.search('gamm', { limit: 1 })
    assert.ok(hit !== undefined)
    assert.equal(hit.excerpt, 'alpha beta gamma delta')
    assert.deepEqual(
      hit.highlights.map(([s, e]) => hit.excerpt.slice(s, e)),
      ['gamma']
    )
    const long = `${'word '.repeat(60)}needle ${'tail '.repeat(60)}`
    insert(store, long)
    const [cut] = store.messages.search('needle', { limit: 1 })
    assert.ok(cut !== undefined && cut.excerpt.length < long.length && cut.excerpt.includes('…'), cut?.excerpt)
    assert.deepEqual(
      cut.highlights.map(([s, e]) => cut.excerpt.slice(s, e)),
      ['needle']
    )
  })

  it('searches one conversation when asked, and stops at the limit', () => {
    insert(store, 'zebra one', { peerId: 'peerB' })
    insert(store, 'zebra two', { peerId: 'peerC' })
    insert(store, 'zebra three', { peerId: 'peerB' })
    assert.deepEqual(
      store.messages.search('zebra', { peerId: 'peerB', limit: 10 }).map(h => h.message.text),
      ['zebra three', 'zebra one']
    )
    assert.equal(store.messages.search('zebra', { limit: 2 }).length, 2)
  })

  it('takes any text as words: FTS5 syntax in a query is searched for, never parsed', () => {
    insert(store, 'quote " star * near NEAR(a b) minus -x caret ^y colon text:z AND OR NOT')
    for (const query of [
      '"',
      '*',
      'NEAR(a',
      '-x',
      '^y',
      'text:z',
      'AND',
      'OR NOT',
      '(',
      ')',
      '"unterminated',
      "'",
      '{a b}'
    ]) {
      assert.doesNotThrow(() => store.messages.search(query, { limit: 5 }), query)
    }
    assert.equal(store.messages.search('NEAR', { limit: 5 }).length, 1)
    assert.equal(store.messages.search('   \t\n', { limit: 5 }).length, 0, 'blank: nothing to search for')
    assert.equal(ftsQuery('a "b" c*'), '"a" AND """b""" AND "c*"*')
    assert.equal(ftsQuery('a b', { prefix: false }), '"a" AND "b"')
    assert.equal(ftsQuery(' \u0000 '), undefined)
    assert.equal(ftsQuery('deploy x'), '"deploy" AND "x"', 'one letter is no prefix: it would match half the index')
  })

  it('excerpts turn FTS5 marks into ranges', () => {
    assert.deepEqual(parseExcerpt('a \u0001bc\u0002 d \u0001e\u0002'), {
      excerpt: 'a bc d e',
      highlights: [
        [2, 4],
        [7, 8]
      ]
    })
    assert.deepEqual(parseExcerpt('\u0002stray\u0001'), { excerpt: 'stray', highlights: [] })
  })
})

describe('a word typed past the prefix index (5 letters or more)', () => {
  let store: ParleyStore
  before(() => {
    store = openStore(':memory:')
  })
  after(() => store.close())

  /** FTS5's own answer for a query: the prefix merged by FTS5, newest first. */
  const fts5 = (query: string, peerId?: string): string[] =>
    (databaseRows(store, query, peerId) as Array<{ id: string }>).map(r => r.id)

  it('finds what the FTS5 prefix query finds, newest first, everywhere and in one conversation', () => {
    for (let i = 0; i < 300; i++) {
      const word = ['deploy', 'deplete', 'deployment', 'Déploiement', 'depth'][i % 5]!
      insert(store, `${word} number ${i}`, { peerId: i % 2 === 0 ? 'peerA' : 'peerB' })
    }
    assert.deepEqual(longPrefix('merge Deplo'), { prefix: 'deplo', indexed: '"merge" AND "depl"*', rest: '"merge"' })
    assert.equal(longPrefix('depl'), undefined, '4 letters: the prefix index answers')
    assert.equal(longPrefix('dep-lo'), undefined, 'not all letters and digits: FTS5 merges it')
    for (const [query, peerId] of [
      ['deplo', undefined],
      ['deploym', undefined],
      ['Number deplo', undefined],
      ['DEPLOYME', undefined],
      ['deploi', undefined],
      ['deplo', 'peerB'],
      ['deple', 'peerA']
    ] as const) {
      const hits = store.messages.search(query, { limit: 40, ...(peerId !== undefined ? { peerId } : {}) })
      assert.ok(hits.length >= 25, query)
      assert.deepEqual(
        hits.map(h => h.message.id),
        fts5(query, peerId).slice(0, 40),
        `${query} ${peerId ?? ''}`
      )
    }
  })

  it('marks only words that start with what was typed, not every word of the indexed prefix', () => {
    insert(store, 'deplete the deployment deplorable')
    const [hit] = store.messages.search('deplo', { limit: 1 })
    assert.deepEqual(
      hit!.highlights.map(([s, e]) => hit!.excerpt.slice(s, e)),
      ['deployment', 'deplorable']
    )
  })

  it('a word rare among many sharing its first letters: found after the bounded walk gives way to FTS5', () => {
    for (let i = 0; i < 3; i++) insert(store, `deplx rare ${i}`)
    for (let i = 0; i < MAX_PREFIX_WALK + 10; i++) insert(store, `deplete ${i}`)
    const hits = store.messages.search('deplx', { limit: 10 })
    assert.deepEqual(
      hits.map(h => h.message.text),
      ['deplx rare 2', 'deplx rare 1', 'deplx rare 0']
    )
    const inConversation = store.messages.search('deplx', { limit: 10, peerId: 'peerA' })
    assert.deepEqual(
      inConversation.map(h => h.message.text),
      ['deplx rare 2', 'deplx rare 1', 'deplx rare 0']
    )
    assert.equal(store.messages.search('deplx', { limit: 10, peerId: 'peerB' }).length, 0)
  })
})

describe('the search index of an existing home', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-search-'))
  })
  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('migration 5 indexes the messages a home already has', () => {
    const path = join(dir, 'v3.sqlite')
    const db = new DatabaseSync(path)
    migrate(
      db,
      MIGRATIONS.filter(m => m.version <= 3)
    )
    db.prepare(
      `INSERT INTO messages (id, peer_id, direction, text, sent_at, stored_at, seq, status)
       VALUES ('old1', 'peerA', 'in', 'kept from last year: the deploy key', 1, 1, 1, 'received')`
    ).run()
    db.close()
    const store = openStore(path)
    assert.deepEqual(
      store.messages.search('deploy', { limit: 5 }).map(h => h.message.id),
      ['old1']
    )
    store.close()
  })
})

describe('group messages in search (migration 12)', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-group-search-'))
  })
  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  const groupMessage = (id: string, groupId: string, text: string, lamport: number) => ({
    id: id.padEnd(32, '0'),
    groupId,
    sender: 'peerS',
    direction: 'in' as const,
    text,
    mentions: [],
    sentAt: lamport,
    storedAt: lamport,
    seq: lamport,
    lamport,
    unread: true
  })

  it('indexes the group messages a home already has, then new ones; one group or all, newest first', () => {
    const path = join(dir, 'v11.sqlite')
    const db = new DatabaseSync(path)
    migrate(
      db,
      MIGRATIONS.filter(m => m.version <= 11)
    )
    db.prepare(
      `INSERT INTO group_messages (id, group_id, sender, direction, text, sent_at, stored_at, seq, lamport)
       VALUES ('g-old', 'G1', 'peerS', 'in', 'the release checklist', 1, 1, 1, 1)`
    ).run()
    db.close()
    const store = openStore(path)
    store.groups.insertMessage(groupMessage('g2', 'G2', 'checklist for the release party', 2))
    store.groups.insertMessage(groupMessage('g3', 'G1', 'nothing to see', 3))
    assert.deepEqual(
      store.groups.search('release check', { limit: 5 }).map(h => [h.message.id.slice(0, 5), h.message.groupId]),
      [
        ['g2000', 'G2'],
        ['g-old', 'G1']
      ]
    )
    const inG1 = store.groups.search('release', { groupId: 'G1', limit: 5 })
    assert.deepEqual(
      inG1.map(h => h.message.id),
      ['g-old']
    )
    assert.equal(inG1[0]!.excerpt.slice(inG1[0]!.highlights[0]![0], inG1[0]!.highlights[0]![1]), 'release')
    // direct-message search stays direct
    assert.deepEqual(store.messages.search('release', { limit: 5 }), [])
    store.close()
  })

  it('a read receipt counts only from a member the message went to, once', () => {
    const store = openStore(':memory:')
    store.groups.insertMessage({ ...groupMessage('r1', 'G1', 'hi', 1), sender: 'me', direction: 'out' })
    const id = 'r1'.padEnd(32, '0')
    store.groups.addOutgoing({ entryId: 'e1', groupId: 'G1', member: 'peerB', messageId: id })
    store.groups.addOutgoing({ entryId: 'e2', groupId: 'G1', member: 'peerC', messageId: id })
    assert.deepEqual(store.groups.markReadBy('peerX', [id], 5), [])
    assert.deepEqual(store.groups.markReadBy('peerB', [id, 'f'.repeat(32)], 5), [{ id, groupId: 'G1' }])
    assert.deepEqual(store.groups.markReadBy('peerB', [id], 6), [])
    assert.equal(store.groups.deliveries(id).read, 1)
    store.close()
  })
})
