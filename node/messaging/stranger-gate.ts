/**
 * Requests from strangers, limited per peer and in total (docs/SECURITY.md, "Requests from
 * strangers"): a peer that is not yet a contact gets its first envelope stored only while the
 * requests list has room (MAX_PENDING_REQUESTS) and the rate allows a new stranger (a token
 * bucket: REQUEST_BURST at once, then one per REQUEST_REFILL_MS); a pending request keeps at most
 * MAX_MESSAGES_PER_REQUEST messages until the user accepts it. The decision is made from the store
 * and the bucket before any decryption, so a refused envelope costs its signature check and writes
 * nothing; the inbox then resets the stream (the sender keeps its envelope and may try later).
 */
import type { ContactState, ParleyStore } from '../store/index.ts'
import { MAX_MESSAGES_PER_REQUEST, MAX_PENDING_REQUESTS, REQUEST_BURST, REQUEST_REFILL_MS } from './constants.ts'
import { RequestLimitError } from './errors.ts'

export interface StrangerGateInit {
  /** @default MAX_PENDING_REQUESTS */
  maxPendingRequests?: number
  /** @default REQUEST_BURST */
  requestBurst?: number
  /** @default REQUEST_REFILL_MS */
  requestRefillMs?: number
  /** @default MAX_MESSAGES_PER_REQUEST */
  maxMessagesPerRequest?: number
  /** @default Date.now */
  now?: () => number
}

export class StrangerGate {
  private readonly store: Pick<ParleyStore, 'contacts' | 'messages'>
  private readonly maxPending: number
  private readonly burst: number
  private readonly refillMs: number
  private readonly maxMessages: number
  private readonly now: () => number
  private tokens: number
  private refilledAt: number

  constructor(components: { store: Pick<ParleyStore, 'contacts' | 'messages'> }, init: StrangerGateInit = {}) {
    this.store = components.store
    this.maxPending = init.maxPendingRequests ?? MAX_PENDING_REQUESTS
    this.burst = init.requestBurst ?? REQUEST_BURST
    this.refillMs = init.requestRefillMs ?? REQUEST_REFILL_MS
    this.maxMessages = init.maxMessagesPerRequest ?? MAX_MESSAGES_PER_REQUEST
    this.now = init.now ?? Date.now
    this.tokens = this.burst
    this.refilledAt = this.now()
  }

  /**
   * Throws RequestLimitError when a new envelope from `peerId`, whose contact state is `state`
   * (undefined: a stranger), must not be stored; takes a token when it admits a new stranger.
   */
  admit(peerId: string, state: ContactState | undefined): void {
    if (state === 'request') {
      if (this.store.messages.countFrom(peerId) >= this.maxMessages) {
        throw new RequestLimitError(`${peerId} already has ${this.maxMessages} messages waiting in its request`)
      }
      return
    }
    if (state !== undefined) return
    if (this.store.contacts.count('request') >= this.maxPending) {
      throw new RequestLimitError(`the requests list is full (${this.maxPending})`)
    }
    const now = this.now()
    this.tokens = Math.min(this.burst, this.tokens + Math.max(0, now - this.refilledAt) / this.refillMs)
    this.refilledAt = now
    if (this.tokens < 1) throw new RequestLimitError('too many new requests from strangers; try again later')
    this.tokens -= 1
  }
}
