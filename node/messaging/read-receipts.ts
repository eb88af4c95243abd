/**
 * Who gets our read receipts and how they are cut (docs/PROTOCOL.md §3.11, §8.5): only with the
 * readReceipts setting on, only to a contact with whom a session exists, at most
 * MAX_READ_RECEIPT_IDS ids in one. The same rule for direct messages (messenger.ts) and group
 * messages (node/groups/receipts.ts, to each message's sender).
 */
import type { ParleyStore } from '../store/index.ts'
import type { ReadReceiptContent } from './content.ts'
import { MAX_READ_RECEIPT_IDS } from './envelope-constants.ts'
import { fromHex, newMessageId } from './ids.ts'

/** One read receipt to `peerId`, as an outbox entry. */
export interface ReadReceiptSend {
  peerId: string
  id: string
  content: ReadReceiptContent
  kind: 'receipt'
}

/** Our read receipts to `peerId` of its messages `ids` (hex): none when the rule above does not allow them. */
export function readReceiptsTo(
  store: Pick<ParleyStore, 'contacts' | 'sessions' | 'settings'>,
  peerId: string,
  ids: string[]
): ReadReceiptSend[] {
  if (ids.length === 0 || !store.settings.readReceipts()) return []
  if (store.contacts.get(peerId)?.state !== 'contact' || store.sessions.current(peerId) == null) return []
  const receipts: ReadReceiptSend[] = []
  for (let i = 0; i < ids.length; i += MAX_READ_RECEIPT_IDS) {
    const messageIds = ids.slice(i, i + MAX_READ_RECEIPT_IDS).map(fromHex)
    receipts.push({ peerId, id: newMessageId(), content: { type: 'read-receipt', messageIds }, kind: 'receipt' })
  }
  return receipts
}
