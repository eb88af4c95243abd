/**
 * Invite links (docs/PROTOCOL.md §4):
 * `parley://invite?peer=<peer id>[&name=<name>](&addr=<multiaddr>)*(&community=<multiaddr>)*&secret=<base64url>`,
 * a URL query (application/x-www-form-urlencoded). `community` (issue 11, optional, so older links
 * still parse and older parsers skip it) names the communities the inviter joined, with /p2p/. The secret is single-use; the invitee puts it in the payload
 * of its first message so the inviter accepts that message as from a contact, not as a request.
 */
import type { PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import { MAX_INVITE_SECRET_LENGTH, MAX_SENDER_NAME_LENGTH } from './envelope-constants.ts'
import { INVITE_LINK_PREFIX, MAX_INVITE_ADDRESSES, MAX_INVITE_COMMUNITIES } from './constants.ts'
import { InvalidInviteError } from './errors.ts'

export { isInviteLink } from './invite-link-syntax.ts'

export interface InviteLink {
  peerId: PeerId
  name?: string
  /** without the /p2p/ suffix */
  addresses: Multiaddr[]
  /** the inviter's communities: full multiaddrs (with /p2p/), at most MAX_INVITE_COMMUNITIES */
  communities?: Multiaddr[]
  secret: Uint8Array
}

/** Longest link we parse: a few addresses and a name fit easily. */
const MAX_LINK_LENGTH = 2048

export function formatInviteLink(invite: InviteLink): string {
  const q = new URLSearchParams()
  q.set('peer', invite.peerId.toString())
  if (invite.name != null) q.set('name', invite.name)
  for (const a of invite.addresses.slice(0, MAX_INVITE_ADDRESSES)) q.append('addr', a.toString())
  for (const c of (invite.communities ?? []).slice(0, MAX_INVITE_COMMUNITIES)) q.append('community', c.toString())
  q.set('secret', Buffer.from(invite.secret).toString('base64url'))
  return `${INVITE_LINK_PREFIX}${q.toString()}`
}

/** Parses and checks an invite link. Throws InvalidInviteError saying what is wrong. */
export function parseInviteLink(text: string): InviteLink {
  // surrounding white space is how a pasted link often arrives: isInviteLink ignores it too
  const link = typeof text === 'string' ? text.trim() : text
  if (typeof link !== 'string' || !link.startsWith(INVITE_LINK_PREFIX)) {
    throw new InvalidInviteError(`an invite link starts with ${INVITE_LINK_PREFIX}`)
  }
  if (link.length > MAX_LINK_LENGTH) {
    throw new InvalidInviteError(`an invite link is at most ${MAX_LINK_LENGTH} characters, got ${link.length}`)
  }
  const q = new URLSearchParams(link.slice(INVITE_LINK_PREFIX.length))
  const peer = q.get('peer')
  let peerId: PeerId
  try {
    peerId = peerIdFromString(peer ?? '')
  } catch {
    throw new InvalidInviteError(`invite "peer" is not a peer id: ${JSON.stringify(peer)}`)
  }
  if (peerId.type !== 'Ed25519') {
    throw new InvalidInviteError(`invite "peer" must be an Ed25519 peer id, got ${peerId.type}`)
  }
  const secretText = q.get('secret') ?? ''
  if (!/^[A-Za-z0-9_-]+$/.test(secretText)) {
    throw new InvalidInviteError('invite "secret" must be base64url')
  }
  const secret = new Uint8Array(Buffer.from(secretText, 'base64url'))
  if (secret.length === 0 || secret.length > MAX_INVITE_SECRET_LENGTH) {
    throw new InvalidInviteError(`invite secret must be 1..${MAX_INVITE_SECRET_LENGTH} bytes, got ${secret.length}`)
  }
  const rawAddresses = q.getAll('addr')
  if (rawAddresses.length > MAX_INVITE_ADDRESSES) {
    throw new InvalidInviteError(
      `an invite carries at most ${MAX_INVITE_ADDRESSES} addresses, got ${rawAddresses.length}`
    )
  }
  const addresses = rawAddresses.map(a => {
    try {
      return multiaddr(a)
    } catch {
      throw new InvalidInviteError(`invite address is not a multiaddr: ${JSON.stringify(a)}`)
    }
  })
  const rawCommunities = q.getAll('community')
  if (rawCommunities.length > MAX_INVITE_COMMUNITIES) {
    throw new InvalidInviteError(
      `an invite names at most ${MAX_INVITE_COMMUNITIES} communities, got ${rawCommunities.length}`
    )
  }
  const communities = rawCommunities.map(a => {
    let ma: Multiaddr
    try {
      ma = multiaddr(a)
    } catch {
      throw new InvalidInviteError(`invite community is not a multiaddr: ${JSON.stringify(a)}`)
    }
    if (!ma.toString().includes('/p2p/'))
      throw new InvalidInviteError(`invite community has no /p2p/ peer id: ${JSON.stringify(a)}`)
    return ma
  })
  const name = q.get('name') ?? undefined
  if (name != null && (name.length === 0 || Buffer.byteLength(name) > MAX_SENDER_NAME_LENGTH)) {
    throw new InvalidInviteError(`invite "name" must be 1..${MAX_SENDER_NAME_LENGTH} bytes`)
  }
  return { peerId, name, addresses, ...(communities.length > 0 ? { communities } : {}), secret }
}
