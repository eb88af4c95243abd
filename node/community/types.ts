/** The community's public shapes, part of the RPC contract (node/daemon/rpc-api.ts re-exports them). */

/** A member of the community this node runs. */
export interface MemberView {
  peerId: string
  /** the name it gave when joining (its own word, not checked), or null */
  name: string | null
  /** ms since the epoch */
  joinedAt: number
  /** connected to us now */
  online: boolean
  /** its mailbox queues on this node, the deposits waiting in them and their bytes (issue 12) */
  queues: number
  deposits: number
  storedBytes: number
}

/** A community this node joined. */
export interface CommunityView {
  peerId: string
  /** full multiaddrs (with /p2p/) */
  addresses: string[]
  /** a direct (not relayed) connection to it is open */
  connected: boolean
  /** we hold a reservation on its relay */
  reserved: boolean
}
