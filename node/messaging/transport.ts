/**
 * How delivery reaches a peer: /parley/dm/1.0.0 streams, envelopes out, signed acks back
 * (dm-stream.ts frames them). One stream per peer is kept open after a delivery for the next one
 * (no stream set-up on the next message), until it has carried MAX_ENVELOPES_PER_STREAM envelopes
 * or sat idle for IDLE_STREAM_MS. Delivery depends on the interface only, so its scheduling and
 * backoff are tested without a network.
 */
import type { Libp2p } from '@libp2p/interface'
import { DIAL_TIMEOUT_MS, DM_PROTOCOL, IDLE_STREAM_MS } from './constants.ts'
import { EnvelopeSender } from './dm-stream.ts'
import { peerIdOf } from './ids.ts'

export interface EnvelopeTransport {
  /**
   * Sends `envelopes` to the peer in one delivery; `onAck` handles each ack that comes back and
   * returns how many envelopes it acknowledged. Resolves to the total acknowledged.
   */
  send(
    peerId: string,
    envelopes: Uint8Array[],
    onAck: (ack: Uint8Array) => Promise<number>,
    options: {
      signal: AbortSignal
      /** the receiver asked for a new session (§3.12) instead of acking the next envelope; the delivery ends */
      onSessionReset?: (request: Uint8Array) => Promise<void>
    }
  ): Promise<number>
  /** Closes the streams kept open (the node is stopping). */
  close?(): void
}

export interface DmTransportInit {
  /** how long a stream kept open for the next delivery may sit idle; @default IDLE_STREAM_MS */
  idleStreamMs?: number
}

export class DmTransport implements EnvelopeTransport {
  private readonly libp2p: Pick<Libp2p, 'dialProtocol'>
  private readonly idleStreamMs: number
  /** per peer, the stream kept open after its last delivery, and the timer that closes it */
  private readonly kept = new Map<string, { sender: EnvelopeSender; idle: NodeJS.Timeout }>()

  constructor(components: { libp2p: Pick<Libp2p, 'dialProtocol'> }, init: DmTransportInit = {}) {
    this.libp2p = components.libp2p
    this.idleStreamMs = init.idleStreamMs ?? IDLE_STREAM_MS
  }

  /** Streams kept open now, by peer (tests and benchmarks look). */
  keptStreams(): number {
    return this.kept.size
  }

  async send(
    peerId: string,
    envelopes: Uint8Array[],
    onAck: (ack: Uint8Array) => Promise<number>,
    options: { signal: AbortSignal; onSessionReset?: (request: Uint8Array) => Promise<void> }
  ): Promise<number> {
    let answered = false
    const delivery = {
      ...options,
      ...(options.onSessionReset !== undefined
        ? {
            onSessionReset: async (request: Uint8Array) => {
              answered = true
              await options.onSessionReset!(request)
            }
          }
        : {})
    }
    const counted = async (ack: Uint8Array): Promise<number> => {
      answered = true
      return await onAck(ack)
    }
    const kept = this.take(peerId, envelopes.length)
    if (kept !== undefined) {
      try {
        const acked = await kept.deliver(envelopes, counted, delivery)
        if (answered) return this.keep(peerId, kept, acked === envelopes.length, acked)
      } catch (err) {
        if (answered || options.signal.aborted) throw err
      }
      // the kept stream died while idle (the receiver or the connection ended it) before any answer:
      // the batch goes again on a new stream; what the receiver may have stored meanwhile it acks again
    }
    const sender = new EnvelopeSender(
      await this.libp2p.dialProtocol(peerIdOf(peerId), DM_PROTOCOL, {
        signal: AbortSignal.any([options.signal, AbortSignal.timeout(DIAL_TIMEOUT_MS)]),
        // over a relayed connection too, limited or not (docs/PROTOCOL.md §6.3)
        runOnLimitedConnection: true
      })
    )
    const acked = await sender.deliver(envelopes, counted, delivery)
    return this.keep(peerId, sender, acked === envelopes.length, acked)
  }

  close(): void {
    for (const [peerId, { sender, idle }] of this.kept) {
      clearTimeout(idle)
      this.kept.delete(peerId)
      void this.end(sender)
    }
  }

  /** The stream kept for the peer, if it can carry `count` more envelopes; one that cannot is closed. */
  private take(peerId: string, count: number): EnvelopeSender | undefined {
    const kept = this.kept.get(peerId)
    if (kept === undefined) return undefined
    this.kept.delete(peerId)
    clearTimeout(kept.idle)
    if (kept.sender.canTake(count)) return kept.sender
    void this.end(kept.sender)
    return undefined
  }

  /** Keeps the stream for the next delivery when the last one completed and it can carry more; else closes it. */
  private keep(peerId: string, sender: EnvelopeSender, complete: boolean, acked: number): number {
    const other = this.kept.get(peerId)
    if (!complete || !sender.canTake(1) || other !== undefined) {
      void this.end(sender)
      return acked
    }
    const idle = setTimeout(() => {
      if (this.kept.get(peerId)?.sender !== sender) return
      this.kept.delete(peerId)
      void this.end(sender)
    }, this.idleStreamMs)
    idle.unref()
    this.kept.set(peerId, { sender, idle })
    return acked
  }

  private async end(sender: EnvelopeSender): Promise<void> {
    await sender
      .close({ signal: AbortSignal.timeout(DIAL_TIMEOUT_MS) })
      .catch(err => sender.stream.abort(err instanceof Error ? err : new Error(String(err))))
  }
}
