/**
 * Storing what a peer sent: one verified envelope in, one transaction out (the inbox, inbox.ts,
 * calls it per envelope of a stream).
 */
import type { Logger } from '@libp2p/interface'
import { RatchetSession } from '../crypto/double-ratchet.ts'
import type { X25519KeyPair } from '../crypto/primitives.ts'
import { bytesEqual } from '../crypto/primitives.ts'
import type { Identity } from '../identity/index.ts'
import type { ContactRow, MessageRow, ParleyStore } from '../store/index.ts'
import {
  type DecryptedEnvelope,
  decryptEnvelope,
  MalformedPayloadError,
  MissingSessionInitError,
  type OpenedEnvelope,
  respondSession
} from './envelope.ts'
import { multiaddr } from '@multiformats/multiaddr'
import type { ContactQueueRow } from '../store/mailbox-types.ts'
import type { QueueAddressContent } from './content.ts'
import { newContact } from './contact-rows.ts'
import { ed25519PeerFromBytes } from './envelope-peer.ts'
import { compareBytes, hex } from './ids.ts'
import { messageBody } from './views.ts'

export interface Incoming {
  /** the sender's contact row after this envelope */
  contact: ContactRow
  /** the sender was a stranger until now */
  created: boolean
  /** the sender became a contact through a valid invite secret */
  accepted: boolean
  /** the stored message (absent for read receipts, unreadable payloads and declined senders) */
  message?: MessageRow
  /** ids of our messages this envelope marked read */
  receipts: string[]
  /** the sender handed us its mailbox queues (§7.5); first: it has none of ours (new, or renewed its queues) */
  queues?: { first: boolean }
}

/**
 * What the envelopes stored so far in one batch of a sender (inbox.ts storeOpened) left: the session
 * that decrypted the last one, the incoming chain and the contact row. The next envelope of the batch
 * starts from it instead of reading and deserializing them again, and when it continues the same
 * session only the message, seen id and anything new are written: session, chain and contact are
 * written once for the batch (writeCarry, inside its transaction).
 */
export interface Carry {
  session: RatchetSession
  /** the session is the one we send with */
  current: boolean
  chain: { seq: number; hash: Uint8Array }
  /** the stored contact row (undefined: none stored, e.g. a group member who is not a contact) */
  contact: ContactRow | undefined
  /** session, chain and contact are not written yet */
  pending: boolean
}

/** Writes what a carry holds and the store does not yet (call inside the batch's transaction). */
export function writeCarry(store: ParleyStore, sender: string, carry: Carry | undefined): void {
  if (carry === undefined || !carry.pending) return
  store.sessions.put(sender, carry.session.handshakeId, carry.session.serialize(), carry.current)
  store.chains.set(sender, 'in', carry.chain)
  if (carry.contact !== undefined) store.contacts.put(carry.contact)
}

/** A contact's queue addresses as we keep them; a queue whose community or addresses do not parse is left out. */
function queueRows(queues: QueueAddressContent[]): ContactQueueRow[] {
  const rows: ContactQueueRow[] = []
  for (const q of queues) {
    const community = ed25519PeerFromBytes(q.community)?.peerId.toString()
    if (community === undefined) continue
    try {
      rows.push({
        community,
        addresses: q.addresses.map(a => multiaddr(a).toString()),
        queueId: q.queueId,
        credential: q.credential
      })
    } catch {}
  }
  return rows
}

/** Where the group frame of a payload goes (node/groups): called inside the envelope's transaction; a bad frame must not throw. */
export interface GroupFrameReceiver {
  receive(from: string, frame: Uint8Array): void
  /** a read receipt named ids that are not direct messages: perhaps our group messages sent to `from` */
  read(from: string, ids: string[]): void
}

/**
 * Decrypts a new (not yet seen) envelope with the right session and commits the message (or read
 * receipt), the next session, the incoming hash chain and the contact in one transaction
 * (docs/PROTOCOL.md §3.10–3.11, §4). Throws, storing nothing, when no session decrypts it.
 *
 * `carry`: what the envelope before it in the same batch left (see Carry). When it decrypts with
 * the carried session, session, chain and contact are left in the returned carry for the caller to
 * write (writeCarry) after the batch; otherwise the carry is written first and the envelope takes
 * the usual path. On a throw the caller's carry stays as it was (and still to be written).
 */
export function storeIncoming(
  store: ParleyStore,
  identity: Identity,
  envelope: OpenedEnvelope,
  id: string,
  log: Logger,
  options: {
    /** our signed prekeys by id (current and retired ones still kept); default: the identity's current one */
    prekeyPair?: (id: number) => X25519KeyPair | undefined
    /** a stranger over the request limits (stranger-gate.ts): thrown, storing nothing, unless the envelope carries a valid invite secret */
    unlessInvited?: Error
    /** group frames (a payload of type group); absent: they are acked and dropped */
    group?: GroupFrameReceiver
    /** what the envelope before it in this batch left */
    carry?: Carry
  } = {}
): Incoming & { carry: Carry } {
  const prekeyPair =
    options.prekeyPair ??
    ((prekeyId: number) => (prekeyId === identity.prekey.id ? identity.prekey.keyPair : undefined))
  const sender = envelope.sender.toString()
  const init = envelope.header.init
  let result: { decrypted?: DecryptedEnvelope; session: RatchetSession; fresh: boolean } | undefined
  let firstError: unknown
  const attempt = (candidate: { session: RatchetSession; fresh: boolean }): void => {
    try {
      const decrypted = decryptEnvelope(envelope, candidate.session)
      result = { decrypted, session: decrypted.session, fresh: candidate.fresh }
    } catch (err) {
      if (err instanceof MalformedPayloadError && err.session != null) {
        log('unreadable payload %s from %s: %s', id, sender, err.message)
        result = { session: err.session, fresh: candidate.fresh }
        return
      }
      firstError ??= err
    }
  }
  const decryptFromStore = (): void => {
    if (init != null) {
      const known = store.sessions.get(sender, init.ephemeralKey)
      attempt(
        known !== undefined
          ? { session: RatchetSession.deserialize(known.state), fresh: false }
          : {
              session: respondSession(envelope, {
                identityDhKeyPair: identity.dhKeyPair,
                localPeerId: identity.peerId,
                getPrekey: prekeyPair
              }),
              fresh: true
            }
      )
      return
    }
    for (const stored of store.sessions.all(sender)) {
      attempt({ session: RatchetSession.deserialize(stored.state), fresh: false })
      if (result !== undefined) return
    }
  }
  const carried = options.carry
  if (carried !== undefined && (init == null || bytesEqual(init.ephemeralKey, carried.session.handshakeId))) {
    attempt({ session: carried.session, fresh: false })
  }
  // continues the carried session: session, chain and contact stay in memory for the batch
  const fast = result !== undefined ? carried : undefined
  if (fast === undefined) {
    firstError = undefined
    // the usual path reads session, chain and contact from the store: it must hold the carried ones
    writeCarry(store, sender, carried)
    decryptFromStore()
  }
  if (result === undefined) {
    throw firstError ?? new MissingSessionInitError(`no session with ${sender}, and the envelope starts none`)
  }
  const { session, fresh, decrypted } = result
  const payload = decrypted?.payload
  const makeCurrent =
    fast !== undefined
      ? fast.current || shouldBeCurrent(store, sender, session, false)
      : shouldBeCurrent(store, sender, session, fresh)

  const now = Date.now()
  let contact = fast !== undefined ? fast.contact : store.contacts.get(sender)
  let created = false
  let accepted = false
  const groupFrame = payload?.content.type === 'group' ? payload.content.frame : undefined
  const secret = payload?.inviteSecret != null ? Buffer.from(payload.inviteSecret).toString('base64url') : undefined
  const chain = fast !== undefined ? fast.chain : store.chains.get(sender, 'in')
  const inOrder =
    chain === undefined
      ? envelope.seq === 1
      : envelope.seq === chain.seq + 1 && bytesEqual(envelope.prevHash, chain.hash)
  if (!inOrder) log('envelope %s from %s is out of order (seq %d after %d)', id, sender, envelope.seq, chain?.seq ?? 0)
  const nextChain = chain === undefined || envelope.seq > chain.seq ? { seq: envelope.seq, hash: envelope.hash } : chain

  const receipts: string[] = []
  let message: MessageRow | undefined
  let queues: { first: boolean } | undefined
  let carry: Carry | undefined
  store.transaction(() => {
    const validInvite =
      secret !== undefined && (store.invites.use(secret, sender) || store.invites.get(secret)?.usedBy === sender)
    if (options.unlessInvited !== undefined && !validInvite) throw options.unlessInvited
    // a group member who is not a contact stays out of the contacts: its frames are the group's
    const groupOnly = contact === undefined && groupFrame !== undefined && !validInvite
    if (groupOnly) {
      contact = { ...newContact(sender, 'request'), lastSeen: now }
    } else if (contact === undefined) {
      contact = {
        ...newContact(sender, validInvite ? 'contact' : 'request'),
        announcedName: payload?.senderName,
        lastSeen: now
      }
      created = true
      accepted = validInvite
    } else if (validInvite && (contact.state === 'request' || contact.state === 'declined')) {
      contact = { ...contact, state: 'contact' }
      accepted = true
    }
    contact = { ...contact!, lastSeen: now, updatedAt: now }
    store.seen.add(id, sender)
    carry = { session, current: makeCurrent, chain: nextChain, contact: groupOnly ? undefined : contact, pending: true }
    if (fast === undefined) {
      writeCarry(store, sender, carry)
      carry.pending = false
    } else if (created || accepted) {
      // a new or changed state is written at once: what the rest of the batch checks (stranger limits) reads it
      store.contacts.put(contact)
    }
    if (groupFrame !== undefined) {
      options.group?.receive(sender, groupFrame)
      return
    }
    // a declined conversation is acked (the sender stops retrying) but not kept
    if (payload === undefined || contact.state === 'declined') return
    const content = payload.content
    if (content.type === 'mailbox-queues') {
      queues = { first: store.mailboxes.setContactQueues(sender, queueRows(content.queues)) }
      return
    }
    if (content.type === 'read-receipt') {
      const others: string[] = []
      for (const raw of content.messageIds) {
        const m = store.messages.get(hex(raw))
        if (m === undefined) others.push(hex(raw))
        if (m === undefined || m.peerId !== sender || m.direction !== 'out' || m.status === 'read') continue
        store.messages.update(m.id, { status: 'read' })
        receipts.push(m.id)
      }
      if (others.length > 0) options.group?.read(sender, others)
      return
    }
    message = {
      id,
      peerId: sender,
      direction: 'in',
      ...messageBody(content),
      sentAt: envelope.sentAt,
      storedAt: now,
      seq: envelope.seq,
      prevHash: envelope.prevHash,
      status: 'received',
      unread: true,
      outOfOrder: !inOrder
    }
    store.messages.insert(message)
  })

  return {
    contact: contact!,
    created,
    accepted,
    message,
    receipts,
    carry: carry!,
    ...(queues !== undefined ? { queues } : {})
  }
}

/**
 * docs/PROTOCOL.md §3.10: a session that just decrypted becomes the one we send with, except that
 * when both sides started a session and neither has a reply yet, both keep the bytewise smaller
 * handshake id.
 */
export function shouldBeCurrent(store: ParleyStore, peerId: string, session: RatchetSession, fresh: boolean): boolean {
  const current = store.sessions.current(peerId)
  if (current === undefined || bytesEqual(current.handshakeId, session.handshakeId)) return true
  if (!fresh) return false
  const ours = RatchetSession.deserialize(current.state)
  return !(ours.initiator && ours.awaitingReply && compareBytes(current.handshakeId, session.handshakeId) < 0)
}
