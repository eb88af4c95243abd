import {
  DEFAULT_INVITE_TTL_MS,
  DEFAULT_INVITE_USES,
  MAX_INVITE_TTL_MS,
  MAX_INVITE_USES
} from '../community/constants.ts'
import { onlyKeys, optionalInteger, type Params, requireString } from './params.ts'
import type { CommunityView, MemberView, RpcResult } from './rpc-api.ts'
import type { RpcHandlers } from './server.ts'

/** What the community RPC methods call (node/community's Community). */
export interface CommunityService {
  invite(options: { uses: number; ttlMs: number }): string
  members(): MemberView[]
  remove(target: string): Promise<{ peerId: string; name: string | null }>
  setLimits(
    target: string,
    limits: { durationMs?: number; dataBytes?: number }
  ): { peerId: string; relayDurationMs: number | null; relayDataBytes: number | null }
  join(link: string, options: { signal: AbortSignal }): Promise<CommunityView>
  list(): CommunityView[]
  leave(peerId: string): Promise<void>
}

/** A community link is a few hundred bytes; the parser refuses more than 2048. */
const MAX_LINK_LENGTH = 4096

type CommunityMethod =
  | 'community.invite'
  | 'community.members'
  | 'community.remove'
  | 'community.limit'
  | 'community.join'
  | 'community.list'
  | 'community.leave'

/** The community.* methods: check the params exactly, then call the community. */
export function communityHandlers(community: CommunityService): Pick<RpcHandlers, CommunityMethod> {
  return {
    'community.invite': async (params: Params): Promise<RpcResult<'community.invite'>> => {
      onlyKeys(params, ['uses', 'expiresMs'])
      const uses = optionalInteger(params, 'uses', { min: 1, max: MAX_INVITE_USES }) ?? DEFAULT_INVITE_USES
      const ttlMs = optionalInteger(params, 'expiresMs', { min: 1, max: MAX_INVITE_TTL_MS }) ?? DEFAULT_INVITE_TTL_MS
      return { link: community.invite({ uses, ttlMs }) }
    },
    'community.members': async params => {
      onlyKeys(params, [])
      return { members: community.members() }
    },
    'community.remove': async params => {
      onlyKeys(params, ['target'])
      return { removed: await community.remove(requireString(params, 'target', { max: 256 })) }
    },
    'community.limit': async params => {
      onlyKeys(params, ['target', 'durationMs', 'dataBytes'])
      const target = requireString(params, 'target', { max: 256 })
      // a day and a terabyte: bounds that still fit circuit-relay-v2's uint32 seconds and uint64 bytes
      const durationMs = optionalInteger(params, 'durationMs', { min: 1000, max: 86_400_000 })
      const dataBytes = optionalInteger(params, 'dataBytes', { min: 1024, max: 2 ** 40 })
      return { member: community.setLimits(target, { durationMs, dataBytes }) }
    },
    'community.join': async (params, { signal }) => {
      onlyKeys(params, ['link'])
      const view = await community.join(requireString(params, 'link', { max: MAX_LINK_LENGTH }), { signal })
      return { community: { peerId: view.peerId, addresses: view.addresses } }
    },
    'community.list': async params => {
      onlyKeys(params, [])
      return { communities: community.list() }
    },
    'community.leave': async params => {
      onlyKeys(params, ['peerId'])
      const peerId = requireString(params, 'peerId', { max: 256 })
      await community.leave(peerId)
      return { left: peerId }
    }
  }
}
