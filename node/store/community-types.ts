/** Rows of the community tables: a community node's invites and members, the communities we joined. */

export interface CommunityInviteRow {
  usesLeft: number
  expiresAt: number
  createdAt: number
}

export interface CommunityMemberRow {
  peerId: string
  /** the name the member gave when joining (its own claim, not checked by the community) */
  name?: string
  joinedAt: number
  /** per-member relay limits; undefined = the community's defaults */
  relayDurationMs?: number
  relayDataBytes?: number
}

export interface JoinedCommunityRow {
  peerId: string
  /** the community's multiaddrs without /p2p/ */
  addresses: string[]
  joinedAt: number
}
