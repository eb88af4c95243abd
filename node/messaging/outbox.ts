/**
 * The outbox: sends are sealed once, in order, and stored with their outbox entries by group commit
 * (one transaction for the sends of a turn); entries queued before they could be sealed are sealed,
 * in order, before the next delivery (sealPending). What leaves the outbox, and when, is delivery.ts.
 */
import type { ComponentLogger, Logger } from '@libp2p/interface'
import type { OutboxKind, ParleyStore } from '../store/index.ts'
import { MAX_SENDS_PER_COMMIT, UNSYNCED } from './constants.ts'
import type { MessageContent } from './envelope.ts'
import type { PeerLocks } from './peer-locks.ts'
import type { Sealed, Sealer } from './seal.ts'
import type { MessageStatus } from './types.ts'
import { messageBody } from './views.ts'

export interface OutboxComponents {
  store: Pick<ParleyStore, 'messages' | 'outbox' | 'sessions' | 'transaction' | 'sync'>
  locks: PeerLocks
  sealer: Sealer
  logger: ComponentLogger
  /** the group frame an entry of kind `group` carries (node/groups keeps it), to seal it later */
  groupFrame?: (entryId: string) => Uint8Array | undefined
}

export interface OutboxInit {
  /** most sends one commit takes; @default MAX_SENDS_PER_COMMIT */
  maxSendsPerCommit?: number
}

/** A send waiting in its peer's queue for the next group commit (enqueue). */
interface QueuedSend {
  id: string
  content: MessageContent
  kind: OutboxKind
  signal?: AbortSignal
  resolve: (status: MessageStatus) => void
  reject: (err: unknown) => void
}

/** A send sealed (or left to seal later: undefined) and waiting for its transaction. */
interface Ready {
  send: QueuedSend
  sealed: Sealed | undefined
  now: number
}

const EMPTY = new Uint8Array(0)

export class Outbox {
  private readonly components: OutboxComponents
  private readonly log: Logger
  private readonly maxSendsPerCommit: number
  /** per-peer sends waiting for their turn of group commit (enqueue); present while a loop drains it */
  private readonly queues = new Map<string, QueuedSend[]>()
  private readonly draining = new Set<Promise<void>>()
  /** the fsync that covers every outbox commit so far (store.sync() right after each, see synced) */
  private lastSync: Promise<void> = Promise.resolve()

  constructor(components: OutboxComponents, init: OutboxInit = {}) {
    this.components = components
    this.log = components.logger.forComponent('parley:dm:outbox')
    this.maxSendsPerCommit = init.maxSendsPerCommit ?? MAX_SENDS_PER_COMMIT
  }

  /**
   * Resolves once every outbox entry committed so far is durable: what delivery waits for before
   * sending envelopes. Unlike store.sync() it does not wait for commits that need no fsync (the
   * "delivered" commit after an ack), so a delivery does not fsync those on its way.
   */
  async synced(): Promise<void> {
    await this.lastSync.catch(() => this.components.store.sync())
  }

  /** A commit of outbox entries (UNSYNCED) was just made: its fsync starts now, and synced() waits for it. */
  private syncing(): Promise<void> {
    const sync = this.components.store.sync()
    sync.catch(() => {})
    this.lastSync = sync
    return sync
  }

  /** Resolves once every send loop running now has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.draining])
  }

  /**
   * Stores the message and its outbox entry; sealed right away (session, seq and hash chain advance
   * in the same transaction) unless no session can be started yet (no profile found), in which
   * case it is sealed, in order, before the next delivery. Resolves once that transaction has
   * committed (durable).
   *
   * Group commit: sends to one peer go through a per-peer queue drained by one loop. Each turn of
   * the loop takes the peer's lock and everything queued so far, seals it in call order (each
   * message continuing the chain of the one before) and commits it all in ONE transaction, then
   * answers every caller of the turn once that commit is fsync'd (store.sync, on the thread pool:
   * the loop seals the next turn meanwhile, and one fsync can cover several turns). A lone send
   * (no loop running for the peer) starts a turn at once, with no timer. A commit blocks the thread (node:sqlite is synchronous), so sends whose
   * requests arrive meanwhile are only seen in the next turns of the event loop: after answering,
   * the loop lingers (setImmediate, outside the lock) as long as each event-loop turn brings more
   * sends, up to maxSendsPerCommit, and commits those together; a turn that brings none ends the
   * loop. Only sends that arrive while the loop runs can wait for others, never a lone one.
   */
  async enqueue(
    peerId: string,
    id: string,
    content: MessageContent,
    kind: OutboxKind,
    options: { signal?: AbortSignal } = {}
  ): Promise<MessageStatus> {
    const { promise, resolve, reject } = Promise.withResolvers<MessageStatus>()
    const send: QueuedSend = { id, content, kind, signal: options.signal, resolve, reject }
    const queue = this.queues.get(peerId)
    if (queue !== undefined) {
      // a loop is draining this peer's queue: this send is in its next turn
      queue.push(send)
    } else {
      this.queues.set(peerId, [send])
      const loop = this.drain(peerId)
        .catch(err => this.log.error('the send queue of %s failed %e', peerId, err))
        .finally(() => this.draining.delete(loop))
      this.draining.add(loop)
    }
    return await promise
  }

  /**
   * A fan-out: sends to several peers (a group message to every member) sealed in one pass and
   * stored in ONE transaction, answered after one store.sync(). Takes every peer's lock at once (all
   * in the same tick, so two fan-outs cannot wait for each other); a peer whose send loop is running
   * goes through enqueue instead, behind the sends queued before. A peer with no session yet is not
   * looked up while every lock is held: its entries are stored unsealed and sealed lazily, under its
   * own lock, before its next delivery (sealPending). Resolves once every send is
   * durable; rejects with the first error of a send that could not be stored (the others are).
   */
  async enqueueMany(
    sends: Array<{ peerId: string; id: string; content: MessageContent; kind: OutboxKind }>,
    options: { signal?: AbortSignal } = {}
  ): Promise<void> {
    const { store, locks } = this.components
    const byPeer = new Map<string, QueuedSend[]>()
    const answers: Array<Promise<MessageStatus>> = []
    for (const s of sends) {
      if (this.queues.has(s.peerId)) {
        answers.push(this.enqueue(s.peerId, s.id, s.content, s.kind, options))
        continue
      }
      const { promise, resolve, reject } = Promise.withResolvers<MessageStatus>()
      answers.push(promise)
      const queued: QueuedSend = { id: s.id, content: s.content, kind: s.kind, signal: options.signal, resolve, reject }
      const list = byPeer.get(s.peerId)
      if (list === undefined) byPeer.set(s.peerId, [queued])
      else list.push(queued)
    }
    if (byPeer.size > 0) {
      const release = Promise.withResolvers<void>()
      const held = [...byPeer.keys()].map(peerId => {
        const taken = Promise.withResolvers<void>()
        const done = locks.run(peerId, async () => {
          taken.resolve()
          await release.promise
        })
        return { taken: taken.promise, done }
      })
      const stored: QueuedSend[] = []
      let sync = Promise.resolve()
      try {
        await Promise.all(held.map(h => h.taken))
        const ready = new Map<string, Ready[]>()
        for (const [peerId, queued] of byPeer) ready.set(peerId, await this.sealAll(peerId, queued, { lazy: true }))
        store.transaction(() => {
          for (const [peerId, r] of ready) this.write(peerId, r)
        }, UNSYNCED)
        sync = this.syncing()
        for (const r of ready.values()) for (const { send } of r) stored.push(send)
      } catch (err) {
        for (const queued of byPeer.values()) for (const send of queued) send.reject(err)
      } finally {
        release.resolve()
        await Promise.allSettled(held.map(h => h.done))
      }
      if (stored.length > 0) await this.durable(stored, sync)
    }
    const results = await Promise.allSettled(answers)
    const failed = results.find(r => r.status === 'rejected')
    if (failed !== undefined) throw failed.reason
  }

  /** Seals queued entries that could not be sealed when sent, in order; stops at the first that still cannot. */
  async sealPending(peerId: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const { store, locks, sealer } = this.components
    await locks.run(peerId, async () => {
      // the common case: everything is sealed, and the envelopes need not be read for that
      if (!store.outbox.unsealed(peerId)) return
      for (const entry of store.outbox.forPeer(peerId)) {
        if (entry.envelope.length > 0) continue
        const message = store.messages.get(entry.messageId)
        const frame = entry.kind === 'group' ? this.components.groupFrame?.(entry.messageId) : undefined
        if (message === undefined && frame === undefined) {
          store.outbox.remove(entry.messageId)
          continue
        }
        const content: MessageContent =
          frame !== undefined
            ? { type: 'group', frame }
            : message!.snippet !== undefined
              ? { type: 'snippet', ...message!.snippet }
              : { type: 'text', markdown: message!.text }
        const sealed = await sealer.seal(
          { peerId, id: entry.messageId, content, sentAt: message?.sentAt ?? Date.now() },
          { signal: options.signal }
        )
        if (sealed === undefined) return
        store.transaction(() => {
          store.outbox.seal(entry.messageId, sealed.seq, sealed.bytes)
          if (message !== undefined)
            store.messages.update(entry.messageId, { seq: sealed.seq, prevHash: sealed.prevHash })
          sealer.commit(peerId, sealed)
        })
      }
    })
  }

  /** The loop of enqueue: turns until the peer's queue stays empty; every queued send is answered. */
  private async drain(peerId: string): Promise<void> {
    const queue = this.queues.get(peerId)!
    try {
      while (queue.length > 0) {
        const committed = await this.components.locks.run(
          peerId,
          async () => await this.commit(peerId, queue.splice(0, this.maxSendsPerCommit))
        )
        // the fsync runs off the thread and outside the lock: the next turn seals meanwhile
        const answered = this.durable(committed.sends, committed.sync).finally(() => this.draining.delete(answered))
        this.draining.add(answered)
        // linger while each turn of the event loop brings more sends (see enqueue)
        for (let seen = -1; queue.length !== seen && queue.length < this.maxSendsPerCommit; ) {
          seen = queue.length
          await new Promise(resolve => setImmediate(resolve))
        }
      }
    } finally {
      // checked empty and forgotten in the same tick: the next send starts a new loop
      this.queues.delete(peerId)
      for (const send of queue.splice(0)) send.reject(new Error('the send queue stopped unexpectedly'))
    }
  }

  /**
   * Answers the sends of a committed turn once their commit is durable (store.sync): a send never
   * resolves, and delivery never sends its envelope (it syncs too), before its fsync.
   */
  private async durable(sends: QueuedSend[], sync: Promise<void>): Promise<void> {
    if (sends.length === 0) return
    try {
      await sync
    } catch (err) {
      for (const send of sends) send.reject(err)
      return
    }
    for (const send of sends) send.resolve('queued')
  }

  /**
   * One turn: seals `sends` in order, then one transaction stores them all, without waiting for its
   * fsync (durable() does, off the thread). Returns the sends stored; rejects the others. Never throws.
   */
  private async commit(peerId: string, sends: QueuedSend[]): Promise<{ sends: QueuedSend[]; sync: Promise<void> }> {
    const { store } = this.components
    let ready: Ready[]
    try {
      ready = await this.sealAll(peerId, sends)
      store.transaction(() => this.write(peerId, ready), UNSYNCED)
    } catch (err) {
      // nothing of this turn was stored (the transaction rolled back, or failed before it began);
      // a send already rejected by its seal stays rejected with its own error
      for (const send of sends) send.reject(err)
      return { sends: [], sync: Promise.resolve() }
    }
    return { sends: ready.map(r => r.send), sync: this.syncing() }
  }

  /**
   * Seals a peer's `sends` in order (a send whose seal throws gets the error and is left out; the
   * chain continues from the last one sealed). Call under the peer's lock. `lazy`: without a session,
   * leave them unsealed rather than look the peer's profile up now.
   */
  private async sealAll(peerId: string, sends: QueuedSend[], options: { lazy?: boolean } = {}): Promise<Ready[]> {
    const { store, sealer } = this.components
    const ready: Ready[] = []
    // once one cannot be sealed, the ones after it wait unsealed too (sealPending keeps the order)
    let unsealed =
      store.outbox.unsealed(peerId) || (options.lazy === true && store.sessions.current(peerId) === undefined)
    let previous: Sealed | undefined
    for (const send of sends) {
      const now = Date.now()
      let sealed: Sealed | undefined
      if (!unsealed) {
        try {
          sealed = await sealer.seal(
            { peerId, id: send.id, content: send.content, sentAt: now },
            { signal: send.signal, after: previous }
          )
        } catch (err) {
          send.reject(err)
          continue
        }
        if (sealed === undefined) unsealed = true
        else previous = sealed
      }
      ready.push({ send, sealed, now })
    }
    return ready
  }

  /**
   * Stores a peer's sealed sends and their outbox entries (inside the caller's transaction), and the
   * session and chain once: each send was sealed after the one before it (sealAll), so the last one
   * sealed holds the state all of them leave.
   */
  private write(peerId: string, ready: Ready[]): void {
    const { store, sealer } = this.components
    let last: Sealed | undefined
    for (const { send, sealed, now } of ready) {
      const { id, content, kind } = send
      if (kind === 'message') {
        store.messages.insert({
          id,
          peerId,
          direction: 'out',
          ...messageBody(content),
          sentAt: now,
          storedAt: now,
          seq: sealed?.seq ?? 0,
          prevHash: sealed?.prevHash ?? EMPTY,
          status: 'queued',
          unread: false,
          outOfOrder: false
        })
      }
      store.outbox.add({
        messageId: id,
        peerId,
        seq: sealed?.seq ?? 0,
        envelope: sealed?.bytes ?? EMPTY,
        nextAttempt: now,
        kind
      })
      last = sealed ?? last
    }
    if (last !== undefined) sealer.commit(peerId, last)
  }
}
