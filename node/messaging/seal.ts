/**
 * Sealing an outgoing message (docs/PROTOCOL.md §3.11): the current session (or a new one started
 * from the recipient's profile), the next seq and prev_hash of our chain to it, the payload with our
 * name and a pending invite secret, encrypted and signed once. The caller commits the result with
 * the outbox entry in one transaction (Sealer.commit) and serialises seals per peer. Several messages
 * can be sealed before one commit: each after the previous one's Sealed (`after`), never from the
 * stored state, which is then behind.
 */
import type { ComponentLogger, Logger } from '@libp2p/interface'
import { RatchetSession } from '../crypto/double-ratchet.ts'
import { verifySignedPrekey } from '../crypto/x3dh.ts'
import type { Identity } from '../identity/index.ts'
import type { ParleyStore } from '../store/index.ts'
import { initiateSession, type MessageContent, type MessagePayload, sealEnvelope } from './envelope.ts'
import { fromHex, peerIdOf } from './ids.ts'
import type { PeerAddresses } from './peers.ts'
import type { Directory, DirectoryProfile } from './types.ts'

const EMPTY = new Uint8Array(0)

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

export interface SealerComponents {
  store: Pick<ParleyStore, 'sessions' | 'chains' | 'inviteSecrets'>
  identity: Identity
  directory: Pick<Directory, 'profile' | 'ownName'>
  peers: Pick<PeerAddresses, 'learn'>
  logger: ComponentLogger
}

/** What the outbox needs to seal a message and to commit what sealing advanced. */
export interface Sealer {
  /**
   * Encrypts and signs; returns undefined when there is no session and no usable profile yet.
   * `after`: the message sealed just before this one and not committed yet (same peer, same commit):
   * its session, seq and hash continue the chain, and the invite secret it carried is not sent again
   * (commit clears it).
   */
  seal(
    message: { peerId: string; id: string; content: MessageContent; sentAt: number },
    options?: { signal?: AbortSignal; after?: Sealed }
  ): Promise<Sealed | undefined>
  /** Advances the session and our chain to the peer (call inside the outbox entry's transaction). */
  commit(peerId: string, sealed: Sealed): void
}

export class EnvelopeSealer implements Sealer {
  private readonly components: SealerComponents
  private readonly log: Logger

  constructor(components: SealerComponents) {
    this.components = components
    this.log = components.logger.forComponent('parley:dm:seal')
  }

  async seal(
    message: { peerId: string; id: string; content: MessageContent; sentAt: number },
    options: { signal?: AbortSignal; after?: Sealed } = {}
  ): Promise<Sealed | undefined> {
    const { store, identity, directory, peers } = this.components
    const log = this.log
    const { peerId, id, content, sentAt } = message
    const { after } = options
    const recipient = peerIdOf(peerId)
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
      await peers.learn(recipient, profile.addresses)
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
    const secret = after !== undefined ? undefined : store.inviteSecrets.get(peerId)
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

  commit(peerId: string, sealed: Sealed): void {
    const { store } = this.components
    store.sessions.put(peerId, sealed.session.handshakeId, sealed.session.serialize(), true)
    store.chains.set(peerId, 'out', { seq: sealed.seq, hash: sealed.hash })
    store.inviteSecrets.delete(peerId)
  }
}
