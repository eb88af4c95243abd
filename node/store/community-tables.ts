/** The community tables of the store: invites and members of the community this node runs, and the communities it joined. */
import type { Queries } from './queries.ts'
import { toJoinedCommunity, toMember } from './rows.ts'
import type { ParleyStore } from './types.ts'

export function communityTables({ get, all, run }: Queries): Pick<ParleyStore, 'community' | 'communities'> {
  return {
    community: {
      createInvite(secretHash, uses, expiresAt) {
        run(
          'INSERT INTO community_invites (secret_hash, uses_left, expires_at, created_at) VALUES (?, ?, ?, ?)',
          secretHash,
          uses,
          expiresAt,
          Date.now()
        )
      },
      invite(secretHash) {
        const r = get('SELECT * FROM community_invites WHERE secret_hash = ?', secretHash)
        return r === undefined
          ? undefined
          : { usesLeft: r.uses_left as number, expiresAt: r.expires_at as number, createdAt: r.created_at as number }
      },
      useInvite(secretHash) {
        return (
          run(
            'UPDATE community_invites SET uses_left = uses_left - 1 WHERE secret_hash = ? AND uses_left > 0',
            secretHash
          ) > 0
        )
      },
      member(peerId) {
        const r = get('SELECT * FROM community_members WHERE peer_id = ?', peerId)
        return r === undefined ? undefined : toMember(r)
      },
      memberByName(name) {
        return all('SELECT * FROM community_members WHERE name = ? ORDER BY joined_at', name).map(toMember)
      },
      members() {
        return all('SELECT * FROM community_members ORDER BY joined_at, peer_id').map(toMember)
      },
      addMember(row) {
        run(
          `INSERT INTO community_members (peer_id, name, joined_at, relay_duration_ms, relay_data_bytes)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (peer_id) DO UPDATE SET name = excluded.name`,
          row.peerId,
          row.name ?? null,
          row.joinedAt,
          row.relayDurationMs ?? null,
          row.relayDataBytes ?? null
        )
      },
      removeMember(peerId) {
        return run('DELETE FROM community_members WHERE peer_id = ?', peerId) > 0
      },
      setMemberLimits(peerId, limits) {
        return (
          run(
            'UPDATE community_members SET relay_duration_ms = ?, relay_data_bytes = ? WHERE peer_id = ?',
            limits.relayDurationMs ?? null,
            limits.relayDataBytes ?? null,
            peerId
          ) > 0
        )
      }
    },
    communities: {
      list() {
        return all('SELECT * FROM communities ORDER BY joined_at, peer_id').map(toJoinedCommunity)
      },
      get(peerId) {
        const r = get('SELECT * FROM communities WHERE peer_id = ?', peerId)
        return r === undefined ? undefined : toJoinedCommunity(r)
      },
      put(row) {
        run(
          `INSERT INTO communities (peer_id, addresses, joined_at) VALUES (?, ?, ?)
         ON CONFLICT (peer_id) DO UPDATE SET addresses = excluded.addresses`,
          row.peerId,
          JSON.stringify(row.addresses),
          row.joinedAt
        )
      },
      remove(peerId) {
        return run('DELETE FROM communities WHERE peer_id = ?', peerId) > 0
      }
    }
  }
}
