/**
 * The group tables of the store (docs/PROTOCOL.md §8): groups and their membership logs, sender-key
 * chains (ours and the members'), to whom our chain went, each sender's hash chain, group messages,
 * the pairwise outbox entries a group send became, and frames kept until what they need arrives.
 */
import { ftsQuery, MATCH_END, MATCH_START, parseExcerpt } from './full-text.ts'
import { EXCERPT_WORDS } from './messages-table.ts'
import type { Queries } from './queries.ts'
import { bytes, optional, type Row } from './rows.ts'
import type { GroupChainRow, GroupMessageRow, GroupRow, GroupTables } from './group-types.ts'
import type { Direction, Snippet } from './states.ts'

function toGroup(r: Row): GroupRow {
  return {
    id: r.id as string,
    title: r.title as string,
    members: JSON.parse(r.members as string) as string[],
    admins: JSON.parse(r.admins as string) as string[],
    removed: JSON.parse(r.removed as string) as string[],
    heads: JSON.parse(r.heads as string) as string[],
    left: r.left_group === 1,
    outSeq: r.out_seq as number,
    outHash: bytes(r.out_hash),
    lamport: r.lamport as number,
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number
  }
}

function toChain(r: Row): GroupChainRow {
  const skipped = new Map<number, Uint8Array>()
  for (const [i, k] of JSON.parse(r.skipped as string) as Array<[number, string]>) {
    skipped.set(i, new Uint8Array(Buffer.from(k, 'base64')))
  }
  return {
    groupId: r.group_id as string,
    sender: r.sender as string,
    signingKey: bytes(r.signing_key),
    signingPrivate: r.signing_private == null ? undefined : bytes(r.signing_private),
    iteration: r.iteration as number,
    chainKey: bytes(r.chain_key),
    skipped,
    current: r.current === 1
  }
}

function toMessage(r: Row): GroupMessageRow {
  return {
    id: r.id as string,
    groupId: r.group_id as string,
    sender: r.sender as string,
    direction: r.direction as Direction,
    text: r.text as string,
    snippet: r.snippet == null ? undefined : (JSON.parse(r.snippet as string) as Snippet),
    mentions: JSON.parse(r.mentions as string) as string[],
    sentAt: r.sent_at as number,
    storedAt: r.stored_at as number,
    seq: r.seq as number,
    lamport: r.lamport as number,
    unread: r.unread === 1,
    wire: optional(r.wire as Uint8Array | null)
  }
}

export function groupTables({ get, all, run }: Queries): GroupTables {
  return {
    get(id) {
      const r = get('SELECT * FROM groups WHERE id = ?', id)
      return r === undefined ? undefined : toGroup(r)
    },
    list() {
      return all('SELECT * FROM groups ORDER BY created_at, id').map(toGroup)
    },
    put(g) {
      run(
        `INSERT INTO groups (id, title, members, admins, removed, heads, left_group, out_seq, out_hash, lamport, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, members = excluded.members, admins = excluded.admins,
           removed = excluded.removed, heads = excluded.heads, left_group = excluded.left_group, out_seq = excluded.out_seq,
           out_hash = excluded.out_hash, lamport = excluded.lamport, updated_at = excluded.updated_at`,
        g.id,
        g.title,
        JSON.stringify(g.members),
        JSON.stringify(g.admins),
        JSON.stringify(g.removed),
        JSON.stringify(g.heads),
        g.left ? 1 : 0,
        g.outSeq,
        g.outHash,
        g.lamport,
        g.createdAt,
        g.updatedAt
      )
    },
    events(groupId) {
      return all('SELECT event FROM group_events WHERE group_id = ? ORDER BY rowid', groupId).map(r => bytes(r.event))
    },
    addEvent(groupId, hash, event) {
      return (
        run('INSERT OR IGNORE INTO group_events (group_id, hash, event) VALUES (?, ?, ?)', groupId, hash, event) > 0
      )
    },
    chain(groupId, sender, signingKey) {
      const r = get(
        'SELECT * FROM group_chains WHERE group_id = ? AND sender = ? AND signing_key = ?',
        groupId,
        sender,
        signingKey
      )
      return r === undefined ? undefined : toChain(r)
    },
    chains(groupId) {
      return all('SELECT * FROM group_chains WHERE group_id = ? ORDER BY rowid', groupId).map(toChain)
    },
    currentChain(groupId) {
      const r = get('SELECT * FROM group_chains WHERE group_id = ? AND current = 1', groupId)
      return r === undefined ? undefined : toChain(r)
    },
    putChain(c) {
      const skipped = JSON.stringify([...c.skipped].map(([i, k]) => [i, Buffer.from(k).toString('base64')]))
      run(
        `INSERT INTO group_chains (group_id, sender, signing_key, signing_private, iteration, chain_key, skipped, current)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (group_id, sender, signing_key) DO UPDATE SET iteration = excluded.iteration,
           chain_key = excluded.chain_key, skipped = excluded.skipped, current = excluded.current`,
        c.groupId,
        c.sender,
        c.signingKey,
        c.signingPrivate ?? null,
        c.iteration,
        c.chainKey,
        skipped,
        c.current ? 1 : 0
      )
    },
    retireChains(groupId) {
      // our old chains are of no more use: nothing decrypts with them here (we never receive our own)
      run('DELETE FROM group_chains WHERE group_id = ? AND signing_private IS NOT NULL', groupId)
    },
    dropChains(groupId, sender) {
      run('DELETE FROM group_chains WHERE group_id = ? AND sender = ?', groupId, sender)
    },
    distributed(groupId, signingKey) {
      return new Set(
        all('SELECT member FROM group_distributed WHERE group_id = ? AND signing_key = ?', groupId, signingKey).map(
          r => r.member as string
        )
      )
    },
    markDistributed(groupId, signingKey, member) {
      run(
        'INSERT OR IGNORE INTO group_distributed (group_id, signing_key, member) VALUES (?, ?, ?)',
        groupId,
        signingKey,
        member
      )
    },
    senderChain(groupId, sender) {
      const r = get('SELECT seq, hash FROM group_senders WHERE group_id = ? AND sender = ?', groupId, sender)
      return r === undefined ? undefined : { seq: r.seq as number, hash: bytes(r.hash) }
    },
    setSenderChain(groupId, sender, seq, hash) {
      run(
        `INSERT INTO group_senders (group_id, sender, seq, hash) VALUES (?, ?, ?, ?)
         ON CONFLICT (group_id, sender) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
        groupId,
        sender,
        seq,
        hash
      )
    },
    insertMessage(m) {
      return (
        run(
          `INSERT OR IGNORE INTO group_messages (id, group_id, sender, direction, text, snippet, mentions, sent_at, stored_at, seq, lamport, unread, wire)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          m.id,
          m.groupId,
          m.sender,
          m.direction,
          m.text,
          m.snippet === undefined ? null : JSON.stringify(m.snippet),
          JSON.stringify(m.mentions),
          m.sentAt,
          m.storedAt,
          m.seq,
          m.lamport,
          m.unread ? 1 : 0,
          m.wire ?? null
        ) > 0
      )
    },
    message(id) {
      const r = get('SELECT * FROM group_messages WHERE id = ?', id)
      return r === undefined ? undefined : toMessage(r)
    },
    search(query, { groupId, limit }) {
      const excerpt = `snippet(group_messages_fts, 0, '${MATCH_START}', '${MATCH_END}', '…', ${EXCERPT_WORDS}) AS excerpt`
      // the plans of messages.search (messages-table.ts): everywhere, the index newest first;
      // one group, its messages newest first, each looked up in the index by rowid
      const run = (match: string): Row[] =>
        groupId === undefined
          ? all(
              `SELECT m.*, ${excerpt} FROM group_messages_fts JOIN group_messages m ON m.rowid = group_messages_fts.rowid
               WHERE group_messages_fts MATCH ? ORDER BY group_messages_fts.rowid DESC LIMIT ?`,
              match,
              limit
            )
          : all(
              `SELECT m.*, ${excerpt} FROM group_messages m CROSS JOIN group_messages_fts
               WHERE m.group_id = ? AND group_messages_fts.rowid = m.rowid AND group_messages_fts MATCH ?
               ORDER BY m.lamport DESC, m.sender DESC, m.seq DESC LIMIT ?`,
              groupId,
              match,
              limit
            )
      const exact = ftsQuery(query, { prefix: false })
      if (exact === undefined) return []
      const rows = run(exact)
      return (rows.length > 0 ? rows : run(ftsQuery(query)!)).map(r => ({
        message: toMessage(r),
        ...parseExcerpt(String(r.excerpt))
      }))
    },
    history(groupId, { limit, before }) {
      const rows = all(
        `SELECT * FROM group_messages WHERE group_id = ? AND lamport < ?
         ORDER BY lamport DESC, sender DESC, seq DESC LIMIT ?`,
        groupId,
        before ?? Number.MAX_SAFE_INTEGER,
        limit
      )
      return rows.reverse().map(toMessage)
    },
    unread(groupId) {
      return get('SELECT COUNT(*) AS n FROM group_messages WHERE group_id = ? AND unread = 1', groupId)?.n as number
    },
    markRead(groupId) {
      const rows = all('SELECT id, sender FROM group_messages WHERE group_id = ? AND unread = 1', groupId)
      run('UPDATE group_messages SET unread = 0 WHERE group_id = ? AND unread = 1', groupId)
      return rows.map(r => ({ id: r.id as string, sender: r.sender as string }))
    },
    markReadBy(member, ids, at) {
      const marked: Array<{ id: string; groupId: string }> = []
      for (const id of ids) {
        const r = get(
          `UPDATE group_outgoing SET read_at = ? WHERE message_id = ? AND member = ? AND read_at IS NULL
           RETURNING group_id`,
          at,
          id,
          member
        )
        if (r !== undefined) marked.push({ id, groupId: r.group_id as string })
      }
      return marked
    },
    addOutgoing(o) {
      run(
        'INSERT INTO group_outgoing (entry_id, group_id, member, message_id, frame) VALUES (?, ?, ?, ?, ?)',
        o.entryId,
        o.groupId,
        o.member,
        o.messageId ?? null,
        o.frame ?? null
      )
    },
    outgoingMessage(entryId) {
      const r = get('SELECT message_id FROM group_outgoing WHERE entry_id = ?', entryId)
      return (r?.message_id as string | null | undefined) ?? undefined
    },
    outgoingFrame(entryId) {
      const r = get(
        `SELECT COALESCE(o.frame, m.wire) AS frame, o.message_id FROM group_outgoing o
         LEFT JOIN group_messages m ON m.id = o.message_id WHERE o.entry_id = ?`,
        entryId
      )
      if (r?.frame == null) return undefined
      return bytes(r.frame)
    },
    deliveries(messageId) {
      const r = get(
        `SELECT COUNT(*) AS members, SUM(NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.message_id = o.entry_id)) AS delivered,
           COUNT(o.read_at) AS read
         FROM group_outgoing o WHERE o.message_id = ?`,
        messageId
      )
      return {
        members: (r?.members as number) ?? 0,
        delivered: (r?.delivered as number | null) ?? 0,
        read: (r?.read as number | null) ?? 0
      }
    },
    addPending(groupId, from, frame, max) {
      run(
        'INSERT INTO group_pending (group_id, from_peer, frame, received_at) VALUES (?, ?, ?, ?)',
        groupId,
        from,
        frame,
        Date.now()
      )
      run(
        'DELETE FROM group_pending WHERE rowid NOT IN (SELECT rowid FROM group_pending ORDER BY rowid DESC LIMIT ?)',
        max
      )
    },
    pending(groupId) {
      return all('SELECT rowid, from_peer, frame FROM group_pending WHERE group_id = ? ORDER BY rowid', groupId).map(
        r => ({
          rowid: r.rowid as number,
          from: r.from_peer as string,
          frame: bytes(r.frame)
        })
      )
    },
    removePending(rowid) {
      run('DELETE FROM group_pending WHERE rowid = ?', rowid)
    }
  }
}
