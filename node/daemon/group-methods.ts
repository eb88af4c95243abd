import { MAX_TITLE_BYTES } from '../groups/constants.ts'
import { invalidParams } from './json-rpc.ts'
import { onlyKeys, type Params, requireString } from './params.ts'
import type { GroupView, RpcResult } from './rpc-api.ts'
import type { RpcHandlers } from './server.ts'

/** What the group RPC methods call (node/groups's Groups). */
export interface GroupService {
  create(title: string, members: string[], options: { signal: AbortSignal }): Promise<GroupView>
  add(group: string, member: string, options: { signal: AbortSignal }): Promise<GroupView>
  remove(group: string, member: string, options: { signal: AbortSignal }): Promise<GroupView>
  admin(group: string, member: string, options: { signal: AbortSignal }): Promise<GroupView>
  rename(group: string, title: string): Promise<GroupView>
  leave(group: string): Promise<GroupView>
  list(): GroupView[]
}

/** A group is its id (32 hex digits) or `#title`; a member a name or a peer id. */
const MAX_REF_LENGTH = 2 * MAX_TITLE_BYTES + 1
const MAX_MEMBER_LENGTH = 256
/** Members given at creation (the group's own limit, MAX_GROUP_MEMBERS, is checked by the domain). */
const MAX_CREATE_MEMBERS = 1024

type GroupMethod =
  | 'groups.create'
  | 'groups.add'
  | 'groups.remove'
  | 'groups.admin'
  | 'groups.rename'
  | 'groups.leave'
  | 'groups.list'

function groupAndMember(params: Params): { group: string; member: string } {
  onlyKeys(params, ['group', 'member'])
  return {
    group: requireString(params, 'group', { max: MAX_REF_LENGTH }),
    member: requireString(params, 'member', { max: MAX_MEMBER_LENGTH })
  }
}

/** The groups.* methods: check the params exactly, then call the groups. */
export function groupHandlers(groups: GroupService): Pick<RpcHandlers, GroupMethod> {
  return {
    'groups.create': async (params: Params, { signal }): Promise<RpcResult<'groups.create'>> => {
      onlyKeys(params, ['title', 'members'])
      const title = requireString(params, 'title', { max: MAX_TITLE_BYTES })
      const members = params.members ?? []
      if (!Array.isArray(members) || members.length > MAX_CREATE_MEMBERS) {
        throw invalidParams(`"members" must be an array of at most ${MAX_CREATE_MEMBERS} strings`)
      }
      members.forEach((m, i) => {
        if (typeof m !== 'string' || m.length === 0 || m.length > MAX_MEMBER_LENGTH) {
          throw invalidParams(`"members[${i}]" must be a string of 1 to ${MAX_MEMBER_LENGTH} characters`)
        }
      })
      return { group: await groups.create(title, members as string[], { signal }) }
    },
    'groups.add': async (params: Params, { signal }) => {
      const { group, member } = groupAndMember(params)
      return { group: await groups.add(group, member, { signal }) }
    },
    'groups.remove': async (params: Params, { signal }) => {
      const { group, member } = groupAndMember(params)
      return { group: await groups.remove(group, member, { signal }) }
    },
    'groups.admin': async (params: Params, { signal }) => {
      const { group, member } = groupAndMember(params)
      return { group: await groups.admin(group, member, { signal }) }
    },
    'groups.rename': async (params: Params) => {
      onlyKeys(params, ['group', 'title'])
      const group = requireString(params, 'group', { max: MAX_REF_LENGTH })
      return { group: await groups.rename(group, requireString(params, 'title', { max: MAX_TITLE_BYTES })) }
    },
    'groups.leave': async (params: Params) => {
      onlyKeys(params, ['group'])
      return { group: await groups.leave(requireString(params, 'group', { max: MAX_REF_LENGTH })) }
    },
    'groups.list': async (params: Params) => {
      onlyKeys(params, [])
      return { groups: groups.list() }
    }
  }
}
