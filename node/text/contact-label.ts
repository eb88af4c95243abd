/**
 * How a contact is named everywhere: the contacts tree, notifications, quick picks, the
 * conversation header and the CLI. Pure (no node:* builtins, no `vscode`): the webview bundle
 * imports it too, so the header and the tree cannot disagree.
 */
import { peerText } from './peer-text.ts'

/** The fields of a contact a label is made from (a ContactView has them). */
export interface LabelledContact {
  peerId: string
  /** the name we resolved through the DHT and pinned */
  name?: string
  /** the name the peer announces (its invite link, its messages): a claim, never an address */
  announcedName?: string
}

/**
 * The pinned name; else the name it announces, marked unverified; else the end of its peer id.
 * Plain text, cleaned by peerText: an announced name is the stranger's to choose.
 */
export function contactLabel(c: LabelledContact): string {
  if (c.name !== undefined) return peerText(c.name, 'label')
  const announced = c.announcedName === undefined ? '' : peerText(c.announcedName, 'label')
  if (announced !== '') return `${announced} (unverified)`
  return shortPeerId(c.peerId)
}

/** The end of a peer id (its start, `12D3KooW`, is the same for every Ed25519 key). */
export function shortPeerId(peerId: string): string {
  return peerId.length > 12 ? `…${peerId.slice(-8)}` : peerId
}
