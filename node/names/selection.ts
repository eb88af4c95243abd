import type { PeerId } from '@libp2p/interface'
import { compare as compareBytes } from 'uint8arrays/compare'
import { xor } from 'uint8arrays/xor'
import { sha256 } from '../crypto/primitives.ts'
import type { NameClaim } from './profile.ts'

/** One valid, live claim as one peer returned it. */
export interface ClaimResponse {
  /** the peer that returned (stores) it; our own peer id for our local copy */
  from: PeerId
  claim: NameClaim
  value: Uint8Array
}

export interface ClaimSelection {
  /** the owner's latest claim among the responses */
  winner: ClaimResponse
  /** how many distinct peers hold a claim of the winning owner */
  holders: number
  /** responses of the winning owner with an older sequence: those peers need a repair */
  stale: ClaimResponse[]
  /** owners that lost, with how many peers held each */
  losers: Array<{ peerId: PeerId; holders: number }>
}

/** Kademlia distance of a peer to a DHT key, as kad-dht measures it: sha256(key) XOR sha256(peer). */
export function kadDistance(key: Uint8Array, peerId: PeerId): Uint8Array {
  return xor(sha256(key), sha256(peerId.toMultihash().bytes))
}

/**
 * The resolution rule (docs/PROTOCOL.md §2.5). Among valid, live claims returned by distinct peers,
 * the owner held by the most peers wins. Ties go to `preferred` (the resolver's TOFU pin) when it
 * is among the tied owners, otherwise to the owner held by the peer closest to the key. Within the
 * winning owner, its highest sequence is the current claim. Sequence numbers and claim times are
 * chosen by the claimant and so never decide between two owners.
 */
export function selectClaim(
  key: Uint8Array,
  responses: ClaimResponse[],
  preferred?: PeerId
): ClaimSelection | undefined {
  const byOwner = new Map<string, { owner: PeerId; holders: Map<string, ClaimResponse>; closest: Uint8Array }>()
  for (const response of responses) {
    const ownerKey = response.claim.peerId.toString()
    let entry = byOwner.get(ownerKey)
    if (entry === undefined) {
      entry = { owner: response.claim.peerId, holders: new Map(), closest: new Uint8Array(32).fill(0xff) }
      byOwner.set(ownerKey, entry)
    }
    const from = response.from.toString()
    const held = entry.holders.get(from)
    if (held === undefined || response.claim.sequence > held.claim.sequence) entry.holders.set(from, response)
    const distance = kadDistance(key, response.from)
    if (compareBytes(distance, entry.closest) < 0) entry.closest = distance
  }
  const owners = [...byOwner.values()]
  if (owners.length === 0) return undefined
  owners.sort((a, b) => {
    if (a.holders.size !== b.holders.size) return b.holders.size - a.holders.size
    if (preferred !== undefined) {
      if (a.owner.equals(preferred)) return -1
      if (b.owner.equals(preferred)) return 1
    }
    return compareBytes(a.closest, b.closest)
  })
  const best = owners[0]!
  const held = [...best.holders.values()]
  const winner = held.reduce((a, b) => (b.claim.sequence > a.claim.sequence ? b : a))
  return {
    winner,
    holders: best.holders.size,
    stale: held.filter(r => r.claim.sequence < winner.claim.sequence),
    losers: owners.slice(1).map(o => ({ peerId: o.owner, holders: o.holders.size }))
  }
}
