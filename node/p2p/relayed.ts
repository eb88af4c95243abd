import type { Multiaddr } from '@multiformats/multiaddr'

/** True for a circuit relay address (`…/p2p-circuit…`): a connection over it goes through a relay. */
export function isRelayedAddress(addr: Multiaddr | string): boolean {
  return addr.toString().includes('/p2p-circuit')
}
