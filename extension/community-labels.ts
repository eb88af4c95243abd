/**
 * How the extension names a community and its state, and this node's reachability (pure, no
 * `vscode`, unit-tested): the Contacts view's Communities section and the status bar tooltip.
 */
import type { CommunityView, StatusResult } from '../node/daemon/rpc-api.ts'
import { shortPeerId } from '../node/text/contact-label.ts'
import { peerText } from '../node/text/peer-text.ts'

/** `host:port` of a community's first TCP address (what its operator gave in the link), else its peer id's end. */
export function communityLabel(community: Pick<CommunityView, 'peerId' | 'addresses'>): string {
  for (const address of community.addresses) {
    const m = /^\/(?:ip4|ip6|dns|dns4|dns6)\/([^/]+)\/tcp\/(\d+)/.exec(address)
    if (m !== null) return peerText(`${m[1]}:${m[2]}`, 'label')
  }
  return shortPeerId(community.peerId)
}

/** One line for a community's row: can we reach it, and does its relay carry us. */
export function communityStateText(community: Pick<CommunityView, 'connected' | 'reserved'>): string {
  if (community.reserved) return 'relaying for you'
  if (community.connected) return 'connected'
  return 'offline'
}

/**
 * How others reach this node, for the status bar: directly, through community relays, or not
 * (yet). `undefined` status: the node is not connected.
 */
export function reachabilityText(
  status: Pick<StatusResult, 'reachability' | 'relayAddresses' | 'communities'> | undefined
): string {
  if (status === undefined) return 'Offline'
  const relays = new Set(status.communities.filter(c => c.reserved).map(c => c.peerId)).size
  if (status.reachability === 'public') return 'Reachable directly (public address)'
  if (relays > 0 || status.relayAddresses.length > 0) {
    const n = Math.max(relays, 1)
    return `Reachable through ${n} community relay${n === 1 ? '' : 's'}`
  }
  if (status.reachability === 'private') {
    return 'Not reachable from other networks: join a community to be reachable through its relay'
  }
  return 'Reachability not known yet'
}
