/**
 * What the mailbox scenarios of the lab read from a member: its history through the CLI, and from
 * its SQLite file (read-only) the queue addresses a contact handed it and what its outbox still
 * waits to have acknowledged.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import type { LabDaemon } from './lab-daemon.ts'

export interface Message {
  id: string
  direction: string
  text: string
  status: string
  error?: string
}

export async function history(daemon: LabDaemon, target: string): Promise<Message[]> {
  const r = await daemon.cli(['history', target, '--limit', '1000'])
  assert.equal(r.code, 0, `history: ${r.stderr}`)
  return r.json.messages as Message[]
}

function count(daemon: LabDaemon, sql: string, peer: string): number {
  const db = new DatabaseSync(join(daemon.home, 'parley.db'), { readOnly: true })
  try {
    return (db.prepare(sql).get(peer) as { n: number }).n
  } finally {
    db.close()
  }
}

/** How many queue addresses `peer` handed `daemon`. */
export function contactQueues(daemon: LabDaemon, peer: string): number {
  return count(daemon, 'SELECT COUNT(*) AS n FROM contact_mailboxes WHERE peer_id = ?', peer)
}

/** Entries in a daemon's outbox to a peer (sent, not yet acknowledged). */
export function pending(daemon: LabDaemon, peer: string): number {
  return count(daemon, 'SELECT COUNT(*) AS n FROM outbox WHERE peer_id = ?', peer)
}
