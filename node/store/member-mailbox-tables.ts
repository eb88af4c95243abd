/** The member mailbox tables of a store (docs/PROTOCOL.md §7.5): our queues, our contacts' queue addresses. */
import type { Queries } from './queries.ts'
import type { OwnQueueRow } from './mailbox-types.ts'
import type { ParleyStore } from './types.ts'

type Row = Record<string, unknown>

function toOwnQueue(r: Row): OwnQueueRow {
  return {
    queueId: new Uint8Array(r.queue_id as Uint8Array),
    community: r.community as string,
    credential: new Uint8Array(r.credential as Uint8Array),
    public: r.public === 1,
    ...(r.contact !== null ? { contact: r.contact as string } : {}),
    createdAt: r.created_at as number
  }
}

export function memberMailboxTables({ get, all, run, transaction }: Queries): ParleyStore['mailboxes'] {
  return {
    queues() {
      return all('SELECT * FROM member_queues ORDER BY created_at, rowid').map(toOwnQueue)
    },
    queue(queueId) {
      const r = get('SELECT * FROM member_queues WHERE queue_id = ?', queueId)
      return r === undefined ? undefined : toOwnQueue(r)
    },
    queueFor(community, contact) {
      const r =
        contact === undefined
          ? get('SELECT * FROM member_queues WHERE community = ? AND public = 1', community)
          : get('SELECT * FROM member_queues WHERE community = ? AND contact = ? AND public = 0', community, contact)
      return r === undefined ? undefined : toOwnQueue(r)
    },
    addQueue(row) {
      run(
        `INSERT INTO member_queues (queue_id, community, credential, public, contact, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
        row.queueId,
        row.community,
        row.credential,
        row.public ? 1 : 0,
        row.contact ?? null,
        row.createdAt
      )
    },
    removeQueue(queueId) {
      return run('DELETE FROM member_queues WHERE queue_id = ?', queueId) > 0
    },
    contactQueues(peerId) {
      return all('SELECT * FROM contact_mailboxes WHERE peer_id = ? ORDER BY position', peerId).map(r => ({
        community: r.community as string,
        addresses: JSON.parse(r.addresses as string) as string[],
        queueId: new Uint8Array(r.queue_id as Uint8Array),
        credential: new Uint8Array(r.credential as Uint8Array)
      }))
    },
    setContactQueues(peerId, queues) {
      return transaction(() => {
        const held = all('SELECT community, queue_id FROM contact_mailboxes WHERE peer_id = ?', peerId)
        const first =
          held.length === 0 &&
          get('SELECT 1 AS x FROM mailbox_peers WHERE peer_id = ? AND queues_sent_at IS NOT NULL', peerId) === undefined
        // a contact creates another queue for us at a community only after it gave the old one up
        // (it blocked or declined us, and forgot ours with it): it became a contact again
        const renewed = queues.some(q =>
          held.some(h => h.community === q.community && Buffer.compare(h.queue_id as Uint8Array, q.queueId) !== 0)
        )
        run('DELETE FROM contact_mailboxes WHERE peer_id = ?', peerId)
        queues.forEach((q, position) => {
          run(
            `INSERT INTO contact_mailboxes (peer_id, position, community, addresses, queue_id, credential)
             VALUES (?, ?, ?, ?, ?, ?)`,
            peerId,
            position,
            q.community,
            JSON.stringify(q.addresses),
            q.queueId,
            q.credential
          )
        })
        return first || renewed
      })
    },
    dhKey(peerId) {
      const r = get('SELECT dh_key FROM mailbox_peers WHERE peer_id = ?', peerId)
      return r?.dh_key == null ? undefined : new Uint8Array(r.dh_key as Uint8Array)
    },
    setDhKey(peerId, dhKey) {
      run(
        `INSERT INTO mailbox_peers (peer_id, dh_key) VALUES (?, ?)
         ON CONFLICT (peer_id) DO UPDATE SET dh_key = excluded.dh_key`,
        peerId,
        dhKey
      )
    },
    queuesSentAt(peerId) {
      const r = get('SELECT queues_sent_at FROM mailbox_peers WHERE peer_id = ?', peerId)
      return r?.queues_sent_at == null ? undefined : (r.queues_sent_at as number)
    },
    setQueuesSentAt(peerId, at) {
      run(
        `INSERT INTO mailbox_peers (peer_id, queues_sent_at) VALUES (?, ?)
         ON CONFLICT (peer_id) DO UPDATE SET queues_sent_at = excluded.queues_sent_at`,
        peerId,
        at
      )
    },
    forgetContact(peerId) {
      transaction(() => {
        run('DELETE FROM contact_mailboxes WHERE peer_id = ?', peerId)
        run('UPDATE mailbox_peers SET queues_sent_at = NULL WHERE peer_id = ?', peerId)
      })
    }
  }
}
