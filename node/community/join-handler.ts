/**
 * The community side of the join protocol (docs/PROTOCOL.md §6.2): a fresh challenge, the member's
 * proof and secret, the allowlist's answer. The member is the Noise-authenticated remote peer;
 * its signature over the challenge proves the key again, inside Parley's own signature domain.
 */
import { randomBytes } from 'node:crypto'
import type { ComponentLogger, Connection, Libp2p, Logger, Stream } from '@libp2p/interface'
import { pbStream } from '@libp2p/utils'
import type { Allowlist } from './allowlist.ts'
import {
  JOIN_NONCE_BYTES,
  JOIN_PROTOCOL,
  JOIN_TIMEOUT_MS,
  MAX_JOIN_MESSAGE_BYTES,
  MAX_MEMBER_NAME_LENGTH
} from './constants.ts'
import { verifyJoinProof } from './join-proof.ts'
import { JoinChallenge, JoinRequest, JoinResponse } from './pb/community.js'

export interface JoinHandlerComponents {
  libp2p: Pick<Libp2p, 'handle' | 'unhandle' | 'peerId'>
  allowlist: Allowlist
  logger: ComponentLogger
  /** a member was admitted (or let in again) */
  onJoined?: (peerId: string) => void
}

/** Most join streams at once: joins are rare; a flood of them is refused at negotiation. */
const MAX_JOIN_STREAMS = 8

export class JoinHandler {
  private readonly components: JoinHandlerComponents
  private readonly log: Logger

  constructor(components: JoinHandlerComponents) {
    this.components = components
    this.log = components.logger.forComponent('parley:community:join')
  }

  async start(): Promise<void> {
    await this.components.libp2p.handle(JOIN_PROTOCOL, (stream, connection) => void this.onStream(stream, connection), {
      maxInboundStreams: MAX_JOIN_STREAMS,
      // a member behind a NAT may only reach us through another relay
      runOnLimitedConnection: true
    })
  }

  async stop(): Promise<void> {
    await this.components.libp2p.unhandle(JOIN_PROTOCOL).catch(() => {})
  }

  private async onStream(stream: Stream, connection: Connection): Promise<void> {
    const signal = AbortSignal.timeout(JOIN_TIMEOUT_MS)
    const pb = pbStream(stream, { maxDataLength: MAX_JOIN_MESSAGE_BYTES })
    const member = connection.remotePeer
    try {
      const nonce = new Uint8Array(randomBytes(JOIN_NONCE_BYTES))
      await pb.write({ nonce }, JoinChallenge, { signal })
      const request = await pb.read(JoinRequest, { signal })
      const status = await this.answer(request, nonce, connection)
      await pb.write({ status }, JoinResponse, { signal })
      await stream.close({ signal })
      if (status === JoinResponse.Status.OK) this.components.onJoined?.(member.toString())
    } catch (err) {
      this.log('join stream from %p failed: %s', member, (err as Error).message)
      stream.abort(err as Error)
    }
  }

  private async answer(request: JoinRequest, nonce: Uint8Array, connection: Connection): Promise<JoinResponse.Status> {
    const member = connection.remotePeer
    const fields = { community: this.components.libp2p.peerId, member, nonce, secret: request.secret }
    if (member.publicKey === undefined || !(await verifyJoinProof(member.publicKey, fields, request.signature))) {
      this.log('join of %p: the proof does not verify', member)
      return JoinResponse.Status.BAD_SIGNATURE
    }
    const name =
      request.name !== undefined && request.name.length > 0 && request.name.length <= MAX_MEMBER_NAME_LENGTH
        ? request.name
        : undefined
    try {
      this.components.allowlist.admit(request.secret, { peerId: member.toString(), name })
      this.log('admitted %p', member)
      return JoinResponse.Status.OK
    } catch (err) {
      this.log('join of %p refused: %s', member, (err as Error).message)
      switch ((err as Error).name) {
        case 'CommunityInviteUsedError':
          return JoinResponse.Status.USED_SECRET
        case 'CommunityInviteExpiredError':
          return JoinResponse.Status.EXPIRED_SECRET
        case 'CommunityInviteUnknownError':
          return JoinResponse.Status.UNKNOWN_SECRET
        default:
          throw err
      }
    }
  }
}
