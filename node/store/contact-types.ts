/** Rows of what we keep per peer and of our keys: contacts, ratchet sessions, hash chains, our signed prekeys, invites. */
import type { ContactState } from './states.ts'

export interface ContactRow {
  peerId: string
  /** a name we resolved or were given (contact add NAME, invite link); used to address the contact */
  name?: string
  /** the name the peer claims in its messages: a display hint, never used to address it */
  announcedName?: string
  state: ContactState
  verified: boolean
  keyChanged: boolean
  lastSeen?: number
  /** multiaddrs learnt from an invite link or a profile */
  addresses: string[]
  /** when the session with this peer was last restarted (one side had lost it, docs/PROTOCOL.md §3.12) */
  sessionRestartedAt?: number
  createdAt: number
  updatedAt: number
}

export interface SessionRow {
  peerId: string
  handshakeId: Uint8Array
  /** RatchetSession.serialize() */
  state: Uint8Array
  current: boolean
  updatedAt: number
}

export interface ChainRow {
  seq: number
  hash: Uint8Array
}

/** One of our signed prekeys (docs/PROTOCOL.md §3.2): the current one, or a retired one kept a while. */
export interface PrekeyRow {
  id: number
  /** X25519 private key */
  privateKey: Uint8Array
  /** Ed25519 signature, domain parley/prekey/1 */
  signature: Uint8Array
  createdAt: number
  /** when a newer prekey replaced it; absent for the current one */
  retiredAt?: number
}

export interface InviteRow {
  secret: string
  createdAt: number
  usedAt?: number
  usedBy?: string
}
