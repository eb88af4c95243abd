/** Table rows (node:sqlite values) to the typed rows (contact-, message- and community-types.ts). */
import type { SQLInputValue } from 'node:sqlite'
import type { CommunityMemberRow, JoinedCommunityRow } from './community-types.ts'
import type { ContactRow, PrekeyRow, SessionRow } from './contact-types.ts'
import type { MessageRow, OutboxRow } from './message-types.ts'
import type { ContactState, Direction, MessageStatus, OutboxKind, Snippet } from './states.ts'

export type Row = Record<string, SQLInputValue>

export function optional<T>(v: T | null | undefined): T | undefined {
  return v === null ? undefined : v
}

export function bytes(v: unknown): Uint8Array {
  return v instanceof Uint8Array ? new Uint8Array(v) : new Uint8Array(0)
}

export function toContact(r: Row): ContactRow {
  return {
    peerId: r.peer_id as string,
    name: optional(r.name as string | null),
    announcedName: optional(r.announced_name as string | null),
    state: r.state as ContactState,
    verified: r.verified === 1,
    keyChanged: r.key_changed === 1,
    lastSeen: optional(r.last_seen as number | null),
    addresses: JSON.parse(r.addresses as string) as string[],
    sessionRestartedAt: optional(r.session_restarted_at as number | null),
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number
  }
}

export function toSession(r: Row): SessionRow {
  return {
    peerId: r.peer_id as string,
    handshakeId: bytes(r.handshake_id),
    state: bytes(r.state),
    current: r.current === 1,
    updatedAt: r.updated_at as number
  }
}

export function toMessage(r: Row): MessageRow {
  return {
    id: r.id as string,
    peerId: r.peer_id as string,
    direction: r.direction as Direction,
    text: r.text as string,
    snippet: r.snippet == null ? undefined : (JSON.parse(r.snippet as string) as Snippet),
    sentAt: r.sent_at as number,
    storedAt: r.stored_at as number,
    seq: r.seq as number,
    prevHash: bytes(r.prev_hash),
    status: r.status as MessageStatus,
    deliveredAt: optional(r.delivered_at as number | null),
    error: optional(r.error as string | null),
    unread: r.unread === 1,
    outOfOrder: r.out_of_order === 1
  }
}

export function toOutbox(r: Row): OutboxRow {
  return {
    messageId: r.message_id as string,
    peerId: r.peer_id as string,
    seq: r.seq as number,
    envelope: bytes(r.envelope),
    attempts: r.attempts as number,
    nextAttempt: r.next_attempt as number,
    lastError: optional(r.last_error as string | null),
    kind: r.kind as OutboxKind,
    depositedAt: optional(r.deposited_at as number | null)
  }
}

export function toMember(r: Row): CommunityMemberRow {
  return {
    peerId: r.peer_id as string,
    name: optional(r.name as string | null),
    joinedAt: r.joined_at as number,
    relayDurationMs: optional(r.relay_duration_ms as number | null),
    relayDataBytes: optional(r.relay_data_bytes as number | null)
  }
}

export function toJoinedCommunity(r: Row): JoinedCommunityRow {
  return {
    peerId: r.peer_id as string,
    addresses: JSON.parse(r.addresses as string) as string[],
    joinedAt: r.joined_at as number
  }
}

export function toPrekey(r: Row): PrekeyRow {
  return {
    id: r.id as number,
    privateKey: bytes(r.private_key),
    signature: bytes(r.signature),
    createdAt: r.created_at as number,
    retiredAt: optional(r.retired_at as number | null)
  }
}
