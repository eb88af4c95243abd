/**
 * Community invite links (docs/PROTOCOL.md §6.1):
 * `parley://community?peer=<peer id>(&addr=<multiaddr>)+&secret=<base64url>`, a URL query
 * (application/x-www-form-urlencoded). Addresses are without /p2p/; the secret is the join secret.
 */
import type { PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import { COMMUNITY_LINK_PREFIX, JOIN_SECRET_BYTES, MAX_LINK_ADDRESSES, MAX_LINK_LENGTH } from './constants.ts'
import { InvalidCommunityLinkError } from './errors.ts'

export interface CommunityLink {
  peerId: PeerId
  /** without the /p2p/ suffix */
  addresses: Multiaddr[]
  secret: Uint8Array
}

/** `addr` without a trailing /p2p/<peer id> (our own addresses carry it). */
export function withoutPeerId(addr: Multiaddr, peerId: PeerId): Multiaddr {
  const suffix = `/p2p/${peerId.toString()}`
  const text = addr.toString()
  return text.endsWith(suffix) ? multiaddr(text.slice(0, -suffix.length)) : addr
}

export function formatCommunityLink(link: CommunityLink): string {
  const q = new URLSearchParams()
  q.set('peer', link.peerId.toString())
  for (const a of link.addresses.slice(0, MAX_LINK_ADDRESSES)) q.append('addr', a.toString())
  q.set('secret', Buffer.from(link.secret).toString('base64url'))
  return `${COMMUNITY_LINK_PREFIX}${q.toString()}`
}

/** Parses and checks a community link. Throws InvalidCommunityLinkError saying what is wrong. */
export function parseCommunityLink(text: string): CommunityLink {
  const link = text.trim()
  if (!link.startsWith(COMMUNITY_LINK_PREFIX)) {
    throw new InvalidCommunityLinkError(`a community link starts with ${COMMUNITY_LINK_PREFIX}`)
  }
  if (link.length > MAX_LINK_LENGTH) {
    throw new InvalidCommunityLinkError(`a community link is at most ${MAX_LINK_LENGTH} characters, got ${link.length}`)
  }
  const q = new URLSearchParams(link.slice(COMMUNITY_LINK_PREFIX.length))
  const peer = q.get('peer') ?? ''
  let peerId: PeerId
  try {
    peerId = peerIdFromString(peer)
  } catch {
    throw new InvalidCommunityLinkError(`community "peer" is not a peer id: ${JSON.stringify(peer)}`)
  }
  if (peerId.type !== 'Ed25519') {
    throw new InvalidCommunityLinkError(`community "peer" must be an Ed25519 peer id, got ${peerId.type}`)
  }
  const secretText = q.get('secret') ?? ''
  const secret = /^[A-Za-z0-9_-]+$/.test(secretText) ? new Uint8Array(Buffer.from(secretText, 'base64url')) : undefined
  if (secret === undefined || secret.length !== JOIN_SECRET_BYTES) {
    throw new InvalidCommunityLinkError(`community "secret" must be ${JOIN_SECRET_BYTES} bytes of base64url`)
  }
  const raw = q.getAll('addr')
  if (raw.length === 0 || raw.length > MAX_LINK_ADDRESSES) {
    throw new InvalidCommunityLinkError(
      `a community link carries 1..${MAX_LINK_ADDRESSES} addresses, got ${raw.length}`
    )
  }
  const addresses = raw.map(a => {
    try {
      return withoutPeerId(multiaddr(a), peerId)
    } catch {
      throw new InvalidCommunityLinkError(`community address is not a multiaddr: ${JSON.stringify(a)}`)
    }
  })
  return { peerId, addresses, secret }
}
