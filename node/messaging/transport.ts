/**
 * How delivery reaches a peer: one /parley/dm/1.0.0 stream per batch, envelopes out, signed acks
 * back (dm-stream.ts frames them). Delivery depends on this interface only, so its scheduling and
 * backoff are tested without a network.
 */
import type { Libp2p } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { DIAL_TIMEOUT_MS, DM_PROTOCOL } from './constants.ts'
import { writeEnvelopes } from './dm-stream.ts'

export interface EnvelopeTransport {
  /**
   * Sends `envelopes` to the peer in one stream; `onAck` handles each ack that comes back and
   * returns how many envelopes it acknowledged. Resolves to the total acknowledged.
   */
  send(
    peerId: string,
    envelopes: Uint8Array[],
    onAck: (ack: Uint8Array) => Promise<number>,
    options: { signal: AbortSignal }
  ): Promise<number>
}

export class DmTransport implements EnvelopeTransport {
  private readonly libp2p: Pick<Libp2p, 'dialProtocol'>

  constructor(components: { libp2p: Pick<Libp2p, 'dialProtocol'> }) {
    this.libp2p = components.libp2p
  }

  async send(
    peerId: string,
    envelopes: Uint8Array[],
    onAck: (ack: Uint8Array) => Promise<number>,
    options: { signal: AbortSignal }
  ): Promise<number> {
    const stream = await this.libp2p.dialProtocol(peerIdFromString(peerId), DM_PROTOCOL, {
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(DIAL_TIMEOUT_MS)]),
      // over a relayed connection too, limited or not (docs/PROTOCOL.md §6.3)
      runOnLimitedConnection: true
    })
    return await writeEnvelopes(stream, envelopes, onAck, options)
  }
}
