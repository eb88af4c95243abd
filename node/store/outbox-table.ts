/** The outbox table of the store: sealed envelopes waiting for their signed ack, in seq order. */
import type { Queries } from './queries.ts'
import { toOutbox } from './rows.ts'
import type { OutboxKind } from './states.ts'
import type { ParleyStore } from './types.ts'

/** next_attempt of an outbox entry no timer retries (a failed message, `outbox.hold`). */
export const HELD = Number.MAX_SAFE_INTEGER

export function outboxTable({ get, all, run, transaction }: Queries): ParleyStore['outbox'] {
  return {
    add(o) {
      run(
        `INSERT INTO outbox (message_id, peer_id, seq, envelope, attempts, next_attempt, kind, queued_at)
         VALUES (?, ?, ?, ?, 0, ?, ?, ?)`,
        o.messageId,
        o.peerId,
        o.seq,
        o.envelope,
        o.nextAttempt,
        o.kind,
        o.nextAttempt
      )
    },
    get(messageId) {
      const r = get('SELECT * FROM outbox WHERE message_id = ?', messageId)
      return r === undefined ? undefined : toOutbox(r)
    },
    seal(messageId, seq, envelope) {
      run('UPDATE outbox SET seq = ?, envelope = ? WHERE message_id = ?', seq, envelope, messageId)
    },
    forPeer(peerId) {
      return all('SELECT * FROM outbox WHERE peer_id = ? ORDER BY rowid', peerId).map(toOutbox)
    },
    unsealed(peerId) {
      // length() of a blob reads its header only, not the envelope
      return get('SELECT 1 AS x FROM outbox WHERE peer_id = ? AND length(envelope) = 0 LIMIT 1', peerId) !== undefined
    },
    take(messageId) {
      const r = get('DELETE FROM outbox WHERE message_id = ? RETURNING kind', messageId)
      return r === undefined ? undefined : (r.kind as OutboxKind)
    },
    peers() {
      return all('SELECT peer_id, MIN(next_attempt) AS next FROM outbox GROUP BY peer_id ORDER BY next').map(r => ({
        peerId: r.peer_id as string,
        nextAttempt: r.next as number
      }))
    },
    remove(messageId) {
      return run('DELETE FROM outbox WHERE message_id = ?', messageId) > 0
    },
    failed(messageIds, error, nextAttempt) {
      transaction(() => {
        for (const id of messageIds) {
          run(
            'UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt = ? WHERE message_id = ?',
            error,
            nextAttempt,
            id
          )
        }
      })
    },
    hold(messageIds, error) {
      transaction(() => {
        for (const id of messageIds) {
          run('UPDATE outbox SET last_error = ?, next_attempt = ? WHERE message_id = ?', error, HELD, id)
        }
      })
    },
    release(messageId, at) {
      run('UPDATE outbox SET next_attempt = ?, queued_at = ? WHERE message_id = ?', at, at, messageId)
    },
    queuedSince(peerId, queuedBefore) {
      return all(
        `SELECT o.message_id FROM outbox o JOIN messages m ON m.id = o.message_id
         WHERE o.peer_id = ? AND m.status = 'queued' AND COALESCE(o.queued_at, m.stored_at) <= ? ORDER BY o.rowid`,
        peerId,
        queuedBefore
      ).map(r => r.message_id as string)
    },
    unseal(peerId) {
      // a deposited copy of the old envelope can no longer be opened: the new one is deposited again
      run("UPDATE outbox SET envelope = x'', seq = 0, deposited_at = NULL WHERE peer_id = ?", peerId)
    },
    deposited(messageIds, at) {
      transaction(() => {
        for (const id of messageIds) run('UPDATE outbox SET deposited_at = ? WHERE message_id = ?', at, id)
      })
    },
    reschedule(peerId, at) {
      // the common case (everything already due, e.g. right after enqueue) must not cost a commit
      // held entries (failed messages) stay held: only `release` retries them
      const due = 'peer_id = ? AND next_attempt > ? AND next_attempt < ?'
      if (get(`SELECT 1 AS x FROM outbox WHERE ${due} LIMIT 1`, peerId, at, HELD) === undefined) return
      run(`UPDATE outbox SET next_attempt = ? WHERE ${due}`, at, peerId, at, HELD)
    }
  }
}
