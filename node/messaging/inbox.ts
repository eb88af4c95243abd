/**
 * The inbox: /parley/dm/1.0.0 streams in; each batch of envelopes is verified, decrypted and stored
 * in one transaction (incoming.ts per envelope), then acked; what it changed is emitted
 * (message.received, contact.request / contact.changed, message.status for read receipts).
 */
import type { ComponentLogger, Connection, Libp2p, Logger, Stream } from '@libp2p/interface'
import {
  DecryptError,
  InvalidSessionStateError,
  ReplayError,
  SessionNotReadyError,
  TooManySkippedMessagesError,
  UnknownPrekeyError
} from '../crypto/errors.ts'
import type { X25519KeyPair } from '../crypto/primitives.ts'
import type { Identity } from '../identity/index.ts'
import type { ParleyStore } from '../store/index.ts'
import { DM_PROTOCOL, MAX_INBOUND_STREAMS, UNSYNCED } from './constants.ts'
import { type EnvelopeBatchResult, readEnvelopes } from './dm-stream.ts'
import { MAX_ACK_IDS, MissingSessionInitError, type OpenedEnvelope, openEnvelope, signAck } from './envelope.ts'
import { BlockedError, NotStartedError, RequestLimitError } from './errors.ts'
import { hex } from './ids.ts'
import { type Carry, type GroupFrameReceiver, type Incoming, storeIncoming, writeCarry } from './incoming.ts'
import type { PeerLocks } from './peer-locks.ts'
import type { SignedPrekeys } from './prekeys.ts'
import type { PresenceWatch } from './presence.ts'
import { signSessionReset } from './session-reset.ts'
import type { SessionRestart } from './session-restart.ts'
import type { StrangerGate } from './stranger-gate.ts'
import type { Notify } from './types.ts'
import { contactView, messageView } from './views.ts'

export interface InboxComponents {
  libp2p: Pick<Libp2p, 'handle' | 'unhandle'>
  identity: Identity
  store: ParleyStore
  locks: PeerLocks
  presence: Pick<PresenceWatch, 'get' | 'arrived' | 'touch'>
  /** records and announces that we asked a peer for a new session (§3.12); without it we only refuse */
  restart?: Pick<SessionRestart, 'asked'>
  /** the limits on requests from strangers (default: none) */
  strangers?: Pick<StrangerGate, 'admit'>
  /** our signed prekeys, current and retired (default: the identity's current one only) */
  prekeys?: Pick<SignedPrekeys, 'keyPair'>
  /** a contact handed us its mailbox queues (§7.5) */
  onMailboxQueues?: (peerId: string, first: boolean) => void
  /** group frames (node/groups); default: acked and dropped */
  group?: GroupFrameReceiver
  notify: Notify
  logger: ComponentLogger
}

/**
 * Failures to open an envelope whose signature verified: the session it was sealed with is not the
 * one we hold (one side lost its state), so a new session is the way on (§3.12).
 */
function cannotOpen(err: unknown): boolean {
  return (
    err instanceof DecryptError ||
    err instanceof ReplayError ||
    err instanceof UnknownPrekeyError ||
    err instanceof SessionNotReadyError ||
    err instanceof TooManySkippedMessagesError ||
    err instanceof InvalidSessionStateError ||
    err instanceof MissingSessionInitError
  )
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err))
}

/**
 * What became of one envelope that came through a mailbox: `stored` (now or before: its deposit
 * may go), `refused` (never storable: junk, a forged or blocked sender; its deposit may go too),
 * `kept` (not stored now, maybe later: its deposit stays).
 */
export type MailboxOutcome = 'stored' | 'refused' | 'kept'

export interface MailboxBatchResult {
  /** per envelope, in the order given */
  outcomes: MailboxOutcome[]
  /** per sender, the ids of its envelopes stored (now or before): what one ack to it names */
  stored: Map<string, Uint8Array[]>
  /** per sender whose envelope we could not open (§3.12): the signed session reset request for it */
  resets: Map<string, Uint8Array>
}

export class Inbox {
  private readonly components: InboxComponents
  private readonly log: Logger
  private readonly localPeerId: string
  private controller = new AbortController()
  /** per peer, the envelope we last asked a new session for (one announcement per envelope) */
  private readonly askedFor = new Map<string, string>()

  constructor(components: InboxComponents) {
    this.components = components
    this.log = components.logger.forComponent('parley:dm:inbox')
    this.localPeerId = components.identity.peerId.toString()
  }

  private readonly prekeyPair = (id: number): X25519KeyPair | undefined => {
    const { prekeys, identity } = this.components
    if (prekeys !== undefined) return prekeys.keyPair(id)
    return id === identity.prekey.id ? identity.prekey.keyPair : undefined
  }

  /**
   * The limits on requests (stranger-gate.ts), before any decryption: a pending request over its
   * quota is refused here; a new stranger over the limits is refused unless its envelope carries a
   * valid invite secret, which only decryption shows (the error is returned for storeIncoming).
   */
  private admit(from: string): RequestLimitError | undefined {
    const { strangers, store } = this.components
    const state = store.contacts.get(from)?.state
    try {
      strangers?.admit(from, state)
    } catch (err) {
      if (state === undefined && err instanceof RequestLimitError) return err
      throw err
    }
    return undefined
  }

  /** Registers /parley/dm/1.0.0. */
  async start(): Promise<void> {
    this.controller = new AbortController()
    await this.components.libp2p.handle(
      DM_PROTOCOL,
      (stream, connection) => {
        void this.onStream(stream, connection)
      },
      {
        maxInboundStreams: MAX_INBOUND_STREAMS,
        maxOutboundStreams: MAX_INBOUND_STREAMS,
        // a member behind a NAT is reached through its community's relay; a relay may limit such
        // connections (docs/PROTOCOL.md §6.3), and DMs must still go over them
        runOnLimitedConnection: true
      }
    )
  }

  /** Ends the streams being read and unregisters the protocol. */
  async stop(): Promise<void> {
    this.controller.abort(new NotStartedError('the messenger is stopping'))
    await this.components.libp2p.unhandle(DM_PROTOCOL).catch(() => {})
  }

  /** Verifies, decrypts and stores one envelope (or recognises a duplicate); returns the signed ack. */
  async receive(bytes: Uint8Array, from: string): Promise<Uint8Array> {
    const { acks, error } = await this.receiveBatch([bytes], from)
    if (error !== undefined) throw error
    return acks[0]!
  }

  /**
   * Verifies, decrypts and stores the envelopes of one dm stream that arrived together, in one
   * transaction (one fsync for the batch, off the thread: store.sync), then signs one ack naming
   * them all. Stops at the first envelope it refuses: the ones before it are stored (a savepoint
   * per envelope keeps a failed one's writes out) and acked, the error ends the delivery.
   */
  async receiveBatch(batch: Uint8Array[], from: string): Promise<EnvelopeBatchResult> {
    const { identity } = this.components
    const opened: OpenedEnvelope[] = []
    let error: Error | undefined
    // the signatures of a batch are checked in parallel (on the thread pool), then taken in order
    const offThread = batch.length > 1
    const openings = batch.map(bytes =>
      openEnvelope(bytes, { localPeerId: identity.peerId, signal: this.controller.signal, offThread })
    )
    for (const opening of openings) opening.catch(() => {})
    for (const opening of openings) {
      try {
        const envelope = await opening
        const sender = envelope.sender.toString()
        if (sender !== from) {
          // envelopes are self-authenticating, but a peer relays only its own: keeps blocking by connection sound
          throw new BlockedError(`envelope from ${sender} arrived on a stream of ${from}`)
        }
        opened.push(envelope)
      } catch (err) {
        error = asError(err)
        break
      }
    }
    if (opened.length === 0) return { acks: [], error }
    const result = await this.storeOpened(opened, from)
    const failed = error ?? result.error
    return { ...result, ...(failed !== undefined ? { error: failed } : {}) }
  }

  /**
   * Envelopes that came sealed through our mailboxes (§7.6), from any senders: each is verified
   * like a stream's, then each sender's in chain order go through the same store path as a
   * stream's batch (storeOpened). Duplicates (the same envelope from two mailboxes, or one that
   * came directly too) are recognised by id and count as stored.
   */
  async receiveThroughMailbox(envelopes: Uint8Array[]): Promise<MailboxBatchResult> {
    const outcomes: MailboxOutcome[] = envelopes.map(() => 'refused')
    const bySender = new Map<string, Array<{ index: number; envelope: OpenedEnvelope }>>()
    for (const [index, bytes] of envelopes.entries()) {
      try {
        const envelope = await openEnvelope(bytes, {
          localPeerId: this.components.identity.peerId,
          signal: this.controller.signal
        })
        const from = envelope.sender.toString()
        const group = bySender.get(from) ?? []
        group.push({ index, envelope })
        bySender.set(from, group)
      } catch (err) {
        this.log('refusing an envelope from a mailbox: %e', err)
      }
    }
    const stored = new Map<string, Uint8Array[]>()
    const resets = new Map<string, Uint8Array>()
    for (const [from, group] of bySender) {
      group.sort((a, b) => a.envelope.seq - b.envelope.seq)
      const { count, error, sessionReset } = await this.storeOpened(
        group.map(g => g.envelope),
        from
      )
      if (error !== undefined) this.log('envelopes of %s from a mailbox stopped: %e', from, error)
      if (sessionReset !== undefined) resets.set(from, sessionReset)
      group.forEach((g, i) => {
        outcomes[g.index] = i < count ? 'stored' : error instanceof BlockedError ? 'refused' : 'kept'
      })
      if (count > 0)
        stored.set(
          from,
          group.slice(0, count).map(g => g.envelope.id)
        )
    }
    return { outcomes, stored, resets }
  }

  /**
   * Stores verified envelopes of one sender in one transaction (a savepoint each), then signs one
   * ack naming the stored ones: the first `count` of them. The one path of every envelope, from a
   * stream or a mailbox.
   */
  private async storeOpened(opened: OpenedEnvelope[], from: string): Promise<EnvelopeBatchResult & { count: number }> {
    const { identity, store, locks } = this.components
    const log = this.log
    const acks: Uint8Array[] = []
    let error: Error | undefined
    const stored: OpenedEnvelope[] = []
    const incoming: Incoming[] = []
    let sessionReset: Uint8Array | undefined
    const blocked = await locks.run(from, async () => {
      if (store.contacts.get(from)?.state === 'blocked') return true
      let unopened: OpenedEnvelope | undefined
      // session, chain and contact of the envelopes stored so far: written once, after the last one
      let carry: Carry | undefined
      // not fsync'd here: sync() below, off the thread and outside the lock, before any ack
      store.transaction(() => {
        for (const envelope of opened) {
          const id = hex(envelope.id)
          if (store.seen.has(id)) {
            log('duplicate %s from %s, acking again', id, from)
            stored.push(envelope)
            continue
          }
          try {
            const unlessInvited = this.admit(from)
            const r = store.savepoint(() =>
              storeIncoming(store, identity, envelope, id, log, {
                prekeyPair: this.prekeyPair,
                unlessInvited,
                group: this.components.group,
                carry
              })
            )
            carry = r.carry
            incoming.push(r)
          } catch (err) {
            error ??= asError(err)
            if (cannotOpen(err)) unopened = envelope
            break
          }
          stored.push(envelope)
        }
        writeCarry(store, from, carry)
      }, UNSYNCED)
      if (unopened !== undefined) sessionReset = await this.askForNewSession(from, unopened)
      return false
    })
    if (blocked) return { acks, count: 0, error: new BlockedError(`${from} is blocked`) }
    // the fsync runs on the thread pool while this thread signs the ack; stored means durable:
    // nothing is announced, and no ack returned to be written, before the fsync is done
    const durable = store.sync()
    durable.catch(() => {})
    // one ack names the envelopes stored together, in order (§3.11): a signature per batch, not per message
    for (let i = 0; i < stored.length; i += MAX_ACK_IDS) {
      const messageIds = stored.slice(i, i + MAX_ACK_IDS).map(e => e.id)
      acks.push(await signAck({ receiverKey: identity.privateKey, sender: stored[0]!.sender, messageIds }))
    }
    await durable
    for (const r of incoming) this.announce(from, r)
    return { acks, count: stored.length, error, ...(sessionReset !== undefined ? { sessionReset } : {}) }
  }

  /**
   * We cannot open an envelope of this peer (§3.12): we lost the session it uses, or it lost ours.
   * Answers with a signed request to start over, naming the envelope and the last one of its chain
   * we stored; tells our clients once per envelope.
   */
  private async askForNewSession(from: string, envelope: OpenedEnvelope): Promise<Uint8Array> {
    const { identity, store, restart } = this.components
    const chain = store.chains.get(from, 'in')
    const request = await signSessionReset({
      requesterKey: identity.privateKey,
      sender: envelope.sender,
      envelopeId: envelope.id,
      envelopeHash: envelope.hash,
      lastSeq: chain?.seq ?? 0,
      lastHash: chain?.hash ?? new Uint8Array(0)
    })
    const id = hex(envelope.id)
    if (this.askedFor.get(from) !== id) {
      this.askedFor.set(from, id)
      restart?.asked(from)
    }
    return request
  }

  private async onStream(stream: Stream, connection: Connection): Promise<void> {
    const remote = connection.remotePeer.toString()
    if (this.components.store.contacts.get(remote)?.state === 'blocked') {
      this.log('refusing a dm stream from blocked %s', remote)
      stream.abort(new BlockedError('blocked'))
      return
    }
    this.components.presence.touch(remote)
    try {
      await readEnvelopes(stream, batch => this.receiveBatch(batch, remote), { signal: this.controller.signal })
    } catch (err) {
      this.log('dm stream from %s ended: %e', remote, err)
    }
  }

  /** Pushes what one stored envelope (incoming.ts) changed, after its commit. */
  private announce(sender: string, r: Incoming): void {
    const { store, presence, notify, onMailboxQueues } = this.components
    if (r.created) presence.arrived(sender)
    if (r.queues !== undefined) onMailboxQueues?.(sender, r.queues.first)
    // the view counts unread messages (a query over them): only for the rare envelope that changes the contact
    if (r.created || r.accepted) {
      const view = contactView(store, r.contact, presence.get(r.contact.peerId))
      notify(r.created && !r.accepted ? 'contact.request' : 'contact.changed', { contact: view })
    }
    for (const m of r.receipts) notify('message.status', { id: m, peerId: sender, status: 'read' })
    if (r.message !== undefined) notify('message.received', { message: messageView(r.message, this.localPeerId) })
  }
}
