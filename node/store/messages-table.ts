/** The messages table of the store: stored messages, history pages, search (full-text.ts), unread counts. */
import { ftsQuery, indexWords, longPrefix, queryWords, MATCH_END, MATCH_START, parseExcerpt } from './full-text.ts'
import type { Queries } from './queries.ts'
import { type Row, toMessage } from './rows.ts'
import type { ParleyStore } from './types.ts'
import type { MessageStatus } from './states.ts'

/** Words of a search excerpt around the match: a line of a quick pick or a terminal. */
export const EXCERPT_WORDS = 12

/**
 * Most messages a search for a word typed past the prefix index reads from the index's shorter
 * prefix before it lets FTS5 merge the long prefix's postings instead: a word typed that few
 * messages have is quicker merged than looked for among the many that share its first letters.
 */
export const MAX_PREFIX_WALK = 2_000

export function messagesTable({ get, all, iterate, run, transaction }: Queries): ParleyStore['messages'] {
  return {
    get(id) {
      const r = get('SELECT * FROM messages WHERE id = ?', id)
      return r === undefined ? undefined : toMessage(r)
    },
    insert(m) {
      run(
        `INSERT INTO messages (id, peer_id, direction, text, snippet, sent_at, stored_at, seq, prev_hash,
           status, delivered_at, error, unread, out_of_order)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        m.id,
        m.peerId,
        m.direction,
        m.text,
        m.snippet === undefined ? null : JSON.stringify(m.snippet),
        m.sentAt,
        m.storedAt,
        m.seq,
        m.prevHash,
        m.status,
        m.deliveredAt ?? null,
        m.error ?? null,
        m.unread ? 1 : 0,
        m.outOfOrder ? 1 : 0
      )
    },
    search(query, { peerId, limit }) {
      const excerpt = `snippet(messages_fts, 0, '${MATCH_START}', '${MATCH_END}', '…', ${EXCERPT_WORDS}) AS excerpt`
      // everywhere: rowid order is storing order, so FTS5 walks a word's index newest first and
      // stops at the limit. One conversation: its messages newest first (messages_by_peer), each
      // looked up in the index by rowid (CROSS JOIN fixes that order: walking a common word's whole
      // index and filtering by conversation is what a year of history cannot afford)
      const everywhere = (columns: string): string =>
        `SELECT ${columns} FROM messages_fts JOIN messages m ON m.rowid = messages_fts.rowid
         WHERE messages_fts MATCH ? ORDER BY messages_fts.rowid DESC`
      const inConversation = (columns: string): string =>
        `SELECT ${columns} FROM messages m CROSS JOIN messages_fts
         WHERE m.peer_id = ? AND messages_fts.rowid = m.rowid AND messages_fts MATCH ?
         ORDER BY m.stored_at DESC, m.rowid DESC`
      const run = (match: string): Row[] =>
        peerId === undefined
          ? all(`${everywhere(`m.*, ${excerpt}`)} LIMIT ?`, match, limit)
          : all(`${inConversation(`m.*, ${excerpt}`)} LIMIT ?`, peerId, match, limit)
      /**
       * The last word typed past the prefix index (`prefix`): newest first, the messages with a word
       * starting with it that match the query with that word cut to the index's prefix (`indexed`);
       * undefined when MAX_PREFIX_WALK messages were read before `limit` were found. Everywhere,
       * the messages read are those of `indexed` (from the prefix index); in one conversation, its
       * own messages (messages_by_peer), and only those with such a word are looked up in the index.
       */
      const walk = ({
        prefix,
        indexed,
        rest
      }: {
        prefix: string
        indexed: string
        rest?: string
      }): Row[] | undefined => {
        // looked up with the whole words of the message that start with the typed letters: an
        // exact term is found in the index as cheaply as any whole word, where the 4-letter prefix
        // costs a prefix-index set-up per message (and would mark every word of those 4 letters)
        // (this order: with `messages_fts.rowid = ?` and a JOIN, SQLite 3.5x moves the constraint to
        // m and scans the index unconstrained, pairing m with every row of the MATCH)
        const lookUp = (rowid: number, words: string[]): Row | undefined => {
          const terms = `(${[...new Set(words)].map(w => `"${w.replaceAll('"', '""')}"`).join(' OR ')})`
          return get(
            `SELECT m.*, ${excerpt} FROM messages m CROSS JOIN messages_fts
             WHERE m.rowid = ? AND messages_fts.rowid = m.rowid AND messages_fts MATCH ?`,
            rowid,
            rest === undefined ? terms : `${rest} AND ${terms}`
          )
        }
        const candidates =
          peerId === undefined
            ? iterate(everywhere('m.rowid AS rowid, m.text AS text'), indexed)
            : iterate('SELECT rowid, text FROM messages WHERE peer_id = ? ORDER BY stored_at DESC, rowid DESC', peerId)
        const found: Row[] = []
        let read = 0
        for (const row of candidates) {
          const words = indexWords(String(row.text)).filter(w => w.startsWith(prefix))
          if (words.length > 0) {
            const hit = lookUp(Number(row.rowid), words)
            if (hit !== undefined) found.push(hit)
          }
          if (found.length === limit) return found
          if (++read === MAX_PREFIX_WALK) return undefined
        }
        return found
      }
      // Whole words first. A prefix of 2 to 4 letters is looked up in the index's own prefixes
      // (migration 5); a longer one makes FTS5 merge the postings of every word it starts before
      // the first answer, so the last word is taken as a prefix (a word being typed) only when no
      // message has it whole, and then looked for among the messages of its first 4 letters (walk)
      // before FTS5 merges it.
      const exact = ftsQuery(query, { prefix: false })
      if (exact === undefined) return []
      // in one conversation, a last word that no message has whole (one being typed) would be looked
      // up in each of the conversation's messages in vain: the whole index answers that at once
      const whole =
        peerId === undefined ||
        get(
          'SELECT 1 AS found FROM messages_fts WHERE messages_fts MATCH ? LIMIT 1',
          ftsQuery(queryWords(query).at(-1)!, { prefix: false })!
        ) !== undefined
      let rows = whole ? run(exact) : []
      if (rows.length === 0) {
        const long = longPrefix(query)
        const walked = long === undefined ? undefined : walk(long)
        if (walked !== undefined) rows = walked
        else if (long !== undefined && peerId !== undefined) {
          // a word rare among the conversation's messages that share its first letters: FTS5 merges
          // its postings once and the matches are filtered by conversation (looking each message of
          // the conversation up would set the merge up again for each: seconds in a long one)
          rows = all(
            `SELECT m.*, ${excerpt} FROM messages_fts JOIN messages m ON m.rowid = messages_fts.rowid
             WHERE messages_fts MATCH ? AND m.peer_id = ? ORDER BY messages_fts.rowid DESC LIMIT ?`,
            ftsQuery(query)!,
            peerId,
            limit
          )
        } else rows = run(ftsQuery(query)!)
      }
      return rows.map(r => ({
        message: toMessage(r),
        ...parseExcerpt(String(r.excerpt))
      }))
    },
    history(peerId, { limit, before }) {
      const rows =
        before === undefined
          ? all('SELECT * FROM messages WHERE peer_id = ? ORDER BY stored_at DESC, rowid DESC LIMIT ?', peerId, limit)
          : all(
              'SELECT * FROM messages WHERE peer_id = ? AND stored_at < ? ORDER BY stored_at DESC, rowid DESC LIMIT ?',
              peerId,
              before,
              limit
            )
      return rows.map(toMessage).reverse()
    },
    update(id, patch) {
      // one statement, no read first: a field the patch leaves out keeps its stored value (a flag per
      // field, since a patch may set delivered_at or error to null)
      const set = (key: keyof typeof patch): number => (key in patch ? 1 : 0)
      run(
        `UPDATE messages SET
           status = CASE WHEN ? THEN ? ELSE status END,
           delivered_at = CASE WHEN ? THEN ? ELSE delivered_at END,
           error = CASE WHEN ? THEN ? ELSE error END,
           seq = CASE WHEN ? THEN ? ELSE seq END,
           prev_hash = CASE WHEN ? THEN ? ELSE prev_hash END
         WHERE id = ?`,
        set('status') && (patch.status === undefined ? 0 : 1),
        patch.status ?? null,
        set('deliveredAt'),
        patch.deliveredAt ?? null,
        set('error'),
        patch.error ?? null,
        set('seq') && (patch.seq === undefined ? 0 : 1),
        patch.seq ?? null,
        set('prevHash') && (patch.prevHash === undefined ? 0 : 1),
        patch.prevHash ?? null,
        id
      )
    },
    markDelivered(id, at) {
      // one statement: the row is not read first
      const r = get(
        `UPDATE messages SET status = CASE WHEN status = 'read' THEN 'read' ELSE 'delivered' END,
           delivered_at = ?, error = NULL
         WHERE id = ? RETURNING status`,
        at,
        id
      )
      return r === undefined ? undefined : (r.status as MessageStatus)
    },
    markRead(peerId) {
      return transaction(() => {
        const ids = all(
          "SELECT id FROM messages WHERE peer_id = ? AND direction = 'in' AND unread = 1 ORDER BY rowid",
          peerId
        ).map(r => r.id as string)
        run("UPDATE messages SET unread = 0 WHERE peer_id = ? AND direction = 'in' AND unread = 1", peerId)
        return ids
      })
    },
    countFrom(peerId) {
      return get("SELECT COUNT(*) AS n FROM messages WHERE peer_id = ? AND direction = 'in'", peerId)?.n as number
    },
    unread(peerId) {
      return get('SELECT COUNT(*) AS n FROM messages WHERE peer_id = ? AND unread = 1', peerId)?.n as number
    },
    last(peerId) {
      const r = get('SELECT * FROM messages WHERE peer_id = ? ORDER BY stored_at DESC, rowid DESC LIMIT 1', peerId)
      return r === undefined ? undefined : toMessage(r)
    }
  }
}
