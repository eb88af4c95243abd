/**
 * The member side of the join protocol (docs/PROTOCOL.md §6.2): dial the community from its link,
 * answer the challenge with our proof and the secret, and turn the answer into a result or a
 * named error.
 */
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import { pbStream } from '@libp2p/utils'
import type { CommunityLink } from './community-link.ts'
import { JOIN_PROTOCOL, JOIN_TIMEOUT_MS, MAX_JOIN_MESSAGE_BYTES } from './constants.ts'
import {
  CommunityInviteExpiredError,
  CommunityInviteUnknownError,
  CommunityInviteUsedError,
  CommunityUnreachableError,
  JoinProofInvalidError,
  NotACommunityNodeError
} from './errors.ts'
import { signJoinProof } from './join-proof.ts'
import { JoinChallenge, JoinRequest, JoinResponse } from './pb/community.js'

export interface JoinClientComponents {
  libp2p: Pick<Libp2p, 'dial' | 'peerId'>
  privateKey: PrivateKey
}

/** Runs the join protocol against the link's community. Resolves once we are on its allowlist. */
export async function requestJoin(
  components: JoinClientComponents,
  link: CommunityLink,
  options: { name?: string; signal?: AbortSignal } = {}
): Promise<void> {
  const signal = AbortSignal.any([AbortSignal.timeout(JOIN_TIMEOUT_MS), ...(options.signal ? [options.signal] : [])])
  const addrs = link.addresses.map(a => a.encapsulate(`/p2p/${link.peerId.toString()}`))
  let connection: Awaited<ReturnType<Libp2p['dial']>>
  try {
    connection = await components.libp2p.dial(addrs, { signal })
  } catch (err) {
    throw new CommunityUnreachableError(`could not reach the community ${link.peerId}: ${(err as Error).message}`)
  }
  let stream: Awaited<ReturnType<typeof connection.newStream>>
  try {
    stream = await connection.newStream(JOIN_PROTOCOL, { signal, runOnLimitedConnection: true })
  } catch (err) {
    if ((err as Error).name === 'UnsupportedProtocolError') {
      throw new NotACommunityNodeError(`${link.peerId} is not a community node (it does not speak ${JOIN_PROTOCOL})`)
    }
    throw new CommunityUnreachableError(`could not open the join protocol: ${(err as Error).message}`)
  }
  let status: JoinResponse.Status
  try {
    const pb = pbStream(stream, { maxDataLength: MAX_JOIN_MESSAGE_BYTES })
    const { nonce } = await pb.read(JoinChallenge, { signal })
    const signature = await signJoinProof(components.privateKey, {
      community: link.peerId,
      member: components.libp2p.peerId,
      nonce,
      secret: link.secret
    })
    await pb.write(
      { secret: new Uint8Array(link.secret), signature: new Uint8Array(signature), name: options.name },
      JoinRequest,
      { signal }
    )
    status = (await pb.read(JoinResponse, { signal })).status
    await stream.close({ signal }).catch(() => {})
  } catch (err) {
    stream.abort(err as Error)
    throw new CommunityUnreachableError(`the community broke off the join: ${(err as Error).message}`)
  }
  switch (status) {
    case JoinResponse.Status.OK:
      return
    case JoinResponse.Status.USED_SECRET:
      throw new CommunityInviteUsedError('the community invite has been used up')
    case JoinResponse.Status.EXPIRED_SECRET:
      throw new CommunityInviteExpiredError('the community invite expired')
    case JoinResponse.Status.UNKNOWN_SECRET:
      throw new CommunityInviteUnknownError('the community does not know this invite (a wrong secret)')
    case JoinResponse.Status.BAD_SIGNATURE:
      throw new JoinProofInvalidError('the community could not verify our proof')
    default:
      throw new CommunityUnreachableError(`the community answered with an unknown status ${String(status)}`)
  }
}
