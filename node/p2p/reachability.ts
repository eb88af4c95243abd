import type { Multiaddr } from '@multiformats/multiaddr'
import { isPrivate } from '@libp2p/utils'
import { isRelayedAddress } from './relayed.ts'

export type Reachability = 'public' | 'private' | 'unknown'

/**
 * Whether others can dial us directly (docs/PROTOCOL.md §6.3): `public` when we advertise an
 * address on a public IP (one we listen on, one AutoNAT v2 confirmed, or an `--announce`d one),
 * `private` when we are reachable only through a relay, `unknown` otherwise (a LAN or loopback
 * node without a community). AutoNAT never tests private-range addresses, so on a NAT with private
 * addresses on both sides only the relay tells.
 */
export function reachability(input: { addresses: Multiaddr[]; announced: boolean }): Reachability {
  if (input.announced) return 'public'
  const direct = input.addresses.filter(a => !isRelayedAddress(a))
  if (direct.some(a => isPrivate(a) === false)) return 'public'
  if (input.addresses.some(a => isRelayedAddress(a))) return 'private'
  return 'unknown'
}
