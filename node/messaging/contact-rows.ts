/** Creating and changing contact rows (node/store) the same way everywhere. */
import type { ContactRow, ParleyStore } from '../store/index.ts'

export function newContact(peerId: string, state: ContactRow['state']): ContactRow {
  const now = Date.now()
  return { peerId, state, verified: false, keyChanged: false, addresses: [], createdAt: now, updatedAt: now }
}

/** Writes `row` with `patch` applied and a new updatedAt; returns what was written. */
export function updateContact(
  store: Pick<ParleyStore, 'contacts'>,
  row: ContactRow,
  patch: Partial<ContactRow>
): ContactRow {
  const next = { ...row, ...patch, updatedAt: Date.now() }
  store.contacts.put(next)
  return next
}
