/**
 * Sealing an outgoing message (docs/PROTOCOL.md §3.11): the current session (or a new one started
 * from the recipient's profile), the next seq and prev_hash of our chain to it, the payload with our
 * name and a pending invite secret, encrypted and signed once. The caller commits the result with
 * the outbox entry in one transaction (commitSeal) and serialises seals per peer. Several messages
 * can be sealed before one commit: each after the previous one's Sealed (`after`), never from the
 * stored state, which is then behind.
 */
import type { PeerId } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Multiaddr } from '@multiformats/multiaddr'
import { RatchetSession } from '../crypto/double-ratchet.ts'
import { verifySignedPrekey } from '../crypto/x3dh.ts'
import type { Identity } from '../identity/index.ts'
import type { ParleyStore } from '../store/index.ts'
import { initiateSession, type MessageContent, type MessagePayload, sealEnvelope } from './envelope.ts'
import { fromHex } from './ids.ts'
import type { Directory, DirectoryProfile } from './messenger.ts'

const log = logger('parley:dm')

const EMPTY = new Uint8Array(0)

/** Settings key of the invite secret our first envelope to `peerId` carries ('' once used). */
export const inviteSecretKey = (peerId: string): string => `inviteSecret:${peerId}`

export interface Sealed {
  /** the encoded Envelope, resent byte-identical until acked */
  bytes: Uint8Array
  /** this envelope's hash: the next one's prev_hash */
  hash: Uint8Array
  seq: number
  prevHash: Uint8Array
  /** the session after this message */
  session: RatchetSession
}

export interface SealContext {
  store: ParleyStore
  identity: Identity
  directory: Directory
  learnAddresses(peerId: PeerId, addresses: Multiaddr[]): Promise<void>
}

/**
 * Encrypts and signs; returns undefined when there is no session and no usable profile yet.
 * `after`: the message sealed just before this one and not committed yet (same peer, same commit):
 * its session, seq and hash continue the chain, and the invite secret it carried is not sent again
 * (commitSeal clears it).
 */
export async function seal(
  ctx: SealContext,
  message: { peerId: string; id: string; content: MessageContent; sentAt: number },
  options: { signal?: AbortSignal; after?: Sealed } = {}
): Promise<Sealed | undefined> {
  const { store, identity, directory } = ctx
  const { peerId, id, content, sentAt } = message
  const { after } = options
  const recipient = peerIdFromString(peerId)
  const current = after === undefined ? store.sessions.current(peerId) : undefined
  let session: RatchetSession
  if (after !== undefined) {
    session = after.session
  } else if (current !== undefined) {
    session = RatchetSession.deserialize(current.state)
  } else {
    let profile: DirectoryProfile
    try {
      profile = await directory.profile(recipient, { signal: options.signal })
    } catch (err) {
      log('no profile of %s yet, sealing later: %e', peerId, err)
      return undefined
    }
    if (!profile.peerId.equals(recipient) || !(await verifySignedPrekey(recipient.publicKey!, profile.prekey))) {
      log.error('profile of %s has a bad prekey signature', peerId)
      return undefined
    }
    await ctx.learnAddresses(recipient, profile.addresses)
    session = initiateSession({
      identityDhKeyPair: identity.dhKeyPair,
      localPeerId: identity.peerId,
      remotePeerId: recipient,
      remoteIdentityDhKey: profile.dhKey,
      remotePrekey: { id: profile.prekey.id, publicKey: profile.prekey.publicKey }
    })
  }
  const chain = after !== undefined ? { seq: after.seq, hash: after.hash } : store.chains.get(peerId, 'out')
  const seq = (chain?.seq ?? 0) + 1
  const prevHash = chain?.hash ?? EMPTY
  const secret = after !== undefined ? undefined : store.settings.get(inviteSecretKey(peerId))
  const ownName = directory.ownName()
  const payload: MessagePayload = {
    content,
    ...(ownName != null ? { senderName: ownName } : {}),
    ...(secret ? { inviteSecret: new Uint8Array(Buffer.from(secret, 'base64url')) } : {})
  }
  const sealed = await sealEnvelope(
    { senderKey: identity.privateKey, recipient, session, payload, seq, prevHash, sentAt, id: fromHex(id) },
    options
  )
  return { bytes: sealed.bytes, hash: sealed.hash, seq, prevHash, session: sealed.session }
}

/** Advances the session and our chain to the peer (call inside the outbox entry's transaction). */
export function commitSeal(store: ParleyStore, peerId: string, sealed: Sealed): void {
  store.sessions.put(peerId, sealed.session.handshakeId, sealed.session.serialize(), true)
  store.chains.set(peerId, 'out', { seq: sealed.seq, hash: sealed.hash })
  if (store.settings.get(inviteSecretKey(peerId))) store.settings.set(inviteSecretKey(peerId), '')
}
