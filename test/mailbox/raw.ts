/** Mailbox requests written by hand: what a client that breaks the rules sends, and the node's answer. */
import type { Libp2p, Stream } from '@libp2p/interface'
import { byteStream, lpStream } from '@libp2p/utils'
import { MAILBOX_PROTOCOL } from '../../node/mailbox/index.ts'
import { MailboxRequest, MailboxResponse } from '../../node/mailbox/pb/mailbox.js'
import { createThrowawayNode } from '../../node/mailbox/throwaway-node.ts'
import type { ParleyNode } from '../../node/parley-node.ts'

export async function openRaw(from: Libp2p, community: ParleyNode): Promise<Stream> {
  return await from.dialProtocol(community.libp2p.getMultiaddrs(), MAILBOX_PROTOCOL)
}

/** The node's one answer to these bytes (a framed request, or junk), from `from` or a throwaway identity. */
export async function rawAnswer(
  community: ParleyNode,
  bytes: Uint8Array,
  options: { from?: Libp2p; framed?: boolean } = {}
): Promise<MailboxResponse> {
  const node = options.from ?? (await createThrowawayNode())
  try {
    const stream = await openRaw(node, community)
    if (options.framed === false) await byteStream(stream).write(bytes)
    else await lpStream(stream, { maxDataLength: 1 << 20 }).write(bytes)
    const lp = lpStream(stream, { maxDataLength: 1 << 20 })
    const response = MailboxResponse.decode(await lp.read({ signal: AbortSignal.timeout(30_000) }))
    await stream.close().catch(() => {})
    return response
  } finally {
    if (options.from === undefined) await node.stop()
  }
}

/** The node's status for one request object. */
export async function statusOf(
  community: ParleyNode,
  request: Partial<MailboxRequest>,
  from?: Libp2p
): Promise<MailboxResponse> {
  return await rawAnswer(community, MailboxRequest.encode(request), { from })
}
