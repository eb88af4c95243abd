/**
 * The community's allowlist (community side): invites with their join secrets, and the members
 * they admitted. SQLite (node/store) keeps both across restarts; secrets only as SHA-256 hashes.
 */
import { randomBytes } from 'node:crypto'
import { sha256 } from '../crypto/primitives.ts'
import type { CommunityMemberRow, ParleyStore } from '../store/index.ts'
import { JOIN_SECRET_BYTES } from './constants.ts'
import {
  AmbiguousMemberError,
  CommunityInviteExpiredError,
  CommunityInviteUnknownError,
  CommunityInviteUsedError,
  MemberNotFoundError
} from './errors.ts'

export interface AllowlistComponents {
  store: Pick<ParleyStore, 'community' | 'transaction'>
  /** @default Date.now */
  now?: () => number
}

export class Allowlist {
  private readonly store: AllowlistComponents['store']
  private readonly now: () => number

  constructor(components: AllowlistComponents) {
    this.store = components.store
    this.now = components.now ?? Date.now
  }

  /** A new join secret, good for `uses` joins until `ttlMs` from now. */
  createInvite(options: { uses: number; ttlMs: number }): Uint8Array {
    const secret = new Uint8Array(randomBytes(JOIN_SECRET_BYTES))
    this.store.community.createInvite(sha256(secret), options.uses, this.now() + options.ttlMs)
    return secret
  }

  /**
   * Checks the secret and adds the member, in one transaction: a secret's last use admits exactly
   * one peer. A peer already on the list is let in again without spending a use (a rejoin after
   * a lost database on its side). Throws the invite errors, and then adds no one.
   */
  admit(secret: Uint8Array, member: { peerId: string; name?: string }): CommunityMemberRow {
    return this.store.transaction(() => {
      const existing = this.store.community.member(member.peerId)
      const hash = sha256(secret)
      const invite = this.store.community.invite(hash)
      if (invite === undefined) throw new CommunityInviteUnknownError('no invite of this community has this secret')
      if (existing === undefined) {
        if (invite.expiresAt <= this.now()) {
          throw new CommunityInviteExpiredError(`the invite expired at ${new Date(invite.expiresAt).toISOString()}`)
        }
        if (!this.store.community.useInvite(hash)) throw new CommunityInviteUsedError('the invite has no use left')
      }
      const row: CommunityMemberRow = {
        ...existing,
        peerId: member.peerId,
        name: member.name,
        joinedAt: existing?.joinedAt ?? this.now()
      }
      this.store.community.addMember(row)
      return row
    })
  }

  isMember(peerId: string): boolean {
    return this.store.community.member(peerId) !== undefined
  }

  member(peerId: string): CommunityMemberRow | undefined {
    return this.store.community.member(peerId)
  }

  members(): CommunityMemberRow[] {
    return this.store.community.members()
  }

  /** The member with this peer id, or the one member with this name. */
  find(target: string): CommunityMemberRow {
    const row = this.store.community.member(target)
    if (row !== undefined) return row
    const named = this.store.community.memberByName(target)
    if (named.length > 1) {
      throw new AmbiguousMemberError(`${named.length} members gave the name "${target}": use a peer id`)
    }
    if (named[0] === undefined) throw new MemberNotFoundError(`no member has the peer id or name "${target}"`)
    return named[0]
  }

  /** Removes the member with this peer id, or the one member with this name; returns its row. */
  remove(target: string): CommunityMemberRow {
    return this.store.transaction(() => {
      const row = this.find(target)
      this.store.community.removeMember(row.peerId)
      return row
    })
  }

  /** Sets a member's relay limits; undefined fields: unlimited. */
  setLimits(target: string, limits: { relayDurationMs?: number; relayDataBytes?: number }): CommunityMemberRow {
    return this.store.transaction(() => {
      const row = this.find(target)
      this.store.community.setMemberLimits(row.peerId, limits)
      return { ...row, ...limits }
    })
  }
}
