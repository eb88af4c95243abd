/** The mailbox tables of a community node's store: members' queues and the sealed deposits in them (migration 7). */
import type { Queries } from './queries.ts'
import { bytes, type Row } from './rows.ts'
import type { MailboxQueueRow, MailboxUsage } from './mailbox-types.ts'
import type { ParleyStore } from './types.ts'

function toQueue(r: Row): MailboxQueueRow {
  return {
    queueId: bytes(r.queue_id),
    owner: r.owner as string,
    credentialHash: r.credential_hash === null ? undefined : bytes(r.credential_hash),
    public: r.public === 1,
    createdAt: r.created_at as number,
    deposits: r.deposits as number,
    bytes: r.bytes as number
  }
}

function toUsage(r: Row | undefined): MailboxUsage {
  return {
    queues: (r?.queues as number) ?? 0,
    deposits: (r?.deposits as number) ?? 0,
    bytes: (r?.bytes as number) ?? 0
  }
}

export function mailboxTables({ get, all, run }: Queries): Pick<ParleyStore, 'mailbox'> {
  const usageSql = 'COUNT(*) AS queues, COALESCE(SUM(deposits), 0) AS deposits, COALESCE(SUM(bytes), 0) AS bytes'
  return {
    mailbox: {
      createQueue(row) {
        run(
          'INSERT INTO mailbox_queues (queue_id, owner, credential_hash, public, created_at) VALUES (?, ?, ?, ?, ?)',
          row.queueId,
          row.owner,
          row.credentialHash ?? null,
          row.public ? 1 : 0,
          row.createdAt
        )
      },
      queue(queueId) {
        const r = get('SELECT * FROM mailbox_queues WHERE queue_id = ?', queueId)
        return r === undefined ? undefined : toQueue(r)
      },
      usage(owner) {
        return toUsage(get(`SELECT ${usageSql} FROM mailbox_queues WHERE owner = ?`, owner))
      },
      usageByOwner() {
        return new Map(
          all(`SELECT owner, ${usageSql} FROM mailbox_queues GROUP BY owner`).map(r => [r.owner as string, toUsage(r)])
        )
      },
      deleteQueue(owner, queueId) {
        return run('DELETE FROM mailbox_queues WHERE queue_id = ? AND owner = ?', queueId, owner) > 0
      },
      deleteOwner(owner) {
        return run('DELETE FROM mailbox_queues WHERE owner = ?', owner)
      },
      owners() {
        return all('SELECT DISTINCT owner FROM mailbox_queues').map(r => r.owner as string)
      },
      hasDeposit(depositId) {
        return get('SELECT 1 AS x FROM mailbox_deposits WHERE deposit_id = ?', depositId) !== undefined
      },
      addDeposit(row) {
        return (
          run(
            'INSERT OR IGNORE INTO mailbox_deposits (deposit_id, queue_id, stored_at, blob) VALUES (?, ?, ?, ?)',
            row.depositId,
            row.queueId,
            row.storedAt,
            row.blob
          ) > 0
        )
      },
      depositsAfter(owner, seq, limit) {
        return all(
          `SELECT d.seq, d.deposit_id, d.queue_id, d.stored_at, d.blob FROM mailbox_deposits d
           JOIN mailbox_queues q ON q.queue_id = d.queue_id
           WHERE q.owner = ? AND d.seq > ? ORDER BY d.seq LIMIT ?`,
          owner,
          seq,
          limit
        ).map(r => ({
          seq: r.seq as number,
          depositId: bytes(r.deposit_id),
          queueId: bytes(r.queue_id),
          storedAt: r.stored_at as number,
          blob: bytes(r.blob)
        }))
      },
      deleteDeposits(owner, depositIds) {
        let n = 0
        for (const id of depositIds) {
          n += run(
            `DELETE FROM mailbox_deposits WHERE deposit_id = ?
             AND queue_id IN (SELECT queue_id FROM mailbox_queues WHERE owner = ?)`,
            id,
            owner
          )
        }
        return n
      },
      expire(before) {
        return run('DELETE FROM mailbox_deposits WHERE stored_at < ?', before)
      }
    }
  }
}
