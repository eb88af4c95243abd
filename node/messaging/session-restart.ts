/**
 * Restarting a session that one side lost (docs/PROTOCOL.md §3.12). The sender's side: a peer we
 * delivered to answered with a verified session reset request naming an envelope of this very
 * delivery and its exact bytes (its hash); we stop sending with every session we have with it
 * (they are kept for decrypting what is in flight), continue our chain from the last envelope the
 * peer says it stored, and unseal every entry still in the outbox for it, so that they are sealed
 * again, in order, in a new session (X3DH from its profile) before the next delivery. The
 * receiver's side (the inbox) only asks; both record the time and tell their clients
 * (`session.restarted`, `ContactView.sessionRestartedAt`).
 */
import type { ComponentLogger, Logger } from '@libp2p/interface'
import { bytesEqual } from '../crypto/primitives.ts'
import type { ParleyStore } from '../store/index.ts'
import { SESSION_RESTART_MIN_INTERVAL_MS } from './constants.ts'
import { envelopeHash } from './envelope.ts'
import { hex } from './ids.ts'
import { Envelope } from './pb/dm.js'
import type { PeerLocks } from './peer-locks.ts'
import type { SessionResetRequest } from './session-reset.ts'
import type { Notify } from './types.ts'

export interface SessionRestartComponents {
  store: Pick<ParleyStore, 'contacts' | 'sessions' | 'chains' | 'outbox' | 'transaction'>
  locks: PeerLocks
  notify: Notify
  logger: ComponentLogger
}

export interface SessionRestartInit {
  /** @default SESSION_RESTART_MIN_INTERVAL_MS */
  sessionRestartMinIntervalMs?: number
  /** @default Date.now */
  now?: () => number
}

/** The hash (§3.4) of an encoded Envelope, or undefined when the bytes are not one. */
function hashOf(envelope: Uint8Array): Uint8Array | undefined {
  try {
    return envelopeHash(Envelope.decode(envelope).body)
  } catch {
    return undefined
  }
}

export class SessionRestart {
  private readonly components: SessionRestartComponents
  private readonly log: Logger
  private readonly minIntervalMs: number
  private readonly now: () => number
  /** when we last restarted with each peer (this run) */
  private readonly last = new Map<string, number>()

  constructor(components: SessionRestartComponents, init: SessionRestartInit = {}) {
    this.components = components
    this.log = components.logger.forComponent('parley:dm:restart')
    this.minIntervalMs = init.sessionRestartMinIntervalMs ?? SESSION_RESTART_MIN_INTERVAL_MS
    this.now = init.now ?? Date.now
  }

  /**
   * The sender's side. `sent`: the ids written on the delivery the request answered. Restarts and
   * returns true only when the request names one of them and the bytes still queued for it (a
   * request replayed after a restart names bytes we no longer hold), at most once per interval.
   */
  async restart(peerId: string, request: SessionResetRequest, sent: ReadonlySet<string>): Promise<boolean> {
    const { store, locks, notify } = this.components
    const id = hex(request.envelopeId)
    if (!sent.has(id)) {
      this.log('session reset from %s names an envelope not on this delivery', peerId)
      return false
    }
    const now = this.now()
    const last = this.last.get(peerId)
    if (last !== undefined && now - last < this.minIntervalMs) {
      this.log('session reset from %s too soon after the last restart', peerId)
      return false
    }
    const restarted = await locks.run(peerId, async () => {
      const entry = store.outbox.get(id)
      const hash = entry === undefined || entry.peerId !== peerId ? undefined : hashOf(entry.envelope)
      if (hash === undefined || !bytesEqual(hash, request.envelopeHash)) {
        this.log('session reset from %s names bytes we do not hold for %s', peerId, id)
        return false
      }
      store.transaction(() => {
        store.sessions.retire(peerId)
        if (request.lastSeq === 0) store.chains.delete(peerId, 'out')
        else store.chains.set(peerId, 'out', { seq: request.lastSeq, hash: request.lastHash })
        store.outbox.unseal(peerId)
        const contact = store.contacts.get(peerId)
        if (contact !== undefined) store.contacts.put({ ...contact, sessionRestartedAt: now, updatedAt: now })
      })
      return true
    })
    if (!restarted) return false
    this.last.set(peerId, now)
    this.log('%s lost our session: starting a new one, sealing again what it did not ack', peerId)
    notify('session.restarted', { peerId, at: now, by: 'peer' })
    return true
  }

  /** The receiver's side: we asked the peer to restart (once per envelope we could not open). */
  asked(peerId: string): void {
    const { store, notify } = this.components
    const now = this.now()
    const contact = store.contacts.get(peerId)
    if (contact !== undefined) store.contacts.put({ ...contact, sessionRestartedAt: now, updatedAt: now })
    this.log('cannot open what %s sends: asked it to start a new session', peerId)
    notify('session.restarted', { peerId, at: now, by: 'us' })
  }
}
