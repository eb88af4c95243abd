import { MAX_FAIL_AFTER_HOURS } from '../messaging/constants.ts'
import { MAX_TEXT_BYTES, textLengthProblem } from '../messaging/text-limit.ts'
import { invalidParams } from './json-rpc.ts'
import {
  onlyKeys,
  optionalBoolean,
  optionalInteger,
  optionalString,
  type Params,
  requireInteger,
  requireObject,
  requireString
} from './params.ts'
import type { Messaging } from '../messaging/types.ts'
import type { ContactView, RpcResult, Snippet } from './rpc-api.ts'
import type { CommunityService } from './community-methods.ts'
import { communityHandlers } from './community-methods.ts'
import { type GroupService, groupHandlers } from './group-methods.ts'
import type { RpcHandlers } from './server.ts'

/**
 * Longest message text in UTF-16 units, the first, cheap bound; the limit that counts is
 * MAX_TEXT_BYTES of UTF-8 (node/messaging/text-limit.ts), which a text never exceeds in fewer units.
 */
export const MAX_TEXT_LENGTH = MAX_TEXT_BYTES
/** A target is a name (≤ 32), a peer id (~52) or an invite link (a few hundred bytes). */
const MAX_TARGET_LENGTH = 2048
/** A search is a few words; a longer "query" is a paste that no index answers better. */
const MAX_SEARCH_QUERY_LENGTH = 1024

/** What the node itself answers (node.*, names.*, peers.*, safety.*). */
export interface NodeService {
  status(): RpcResult<'node.status'>
  whoami(): RpcResult<'node.whoami'>
  stop(): void
  register(name: string, options: { signal: AbortSignal }): Promise<RpcResult<'names.register'>>
  resolve(name: string, options: { signal: AbortSignal }): Promise<RpcResult<'names.resolve'>>
  peers(): RpcResult<'peers.list'>
  safetyNumber(target: string, options: { signal: AbortSignal }): Promise<RpcResult<'safety.number'>>
}

/** The domain objects the RPC methods call: the seam between RPC and the node. */
export interface RpcServices {
  node: NodeService
  messaging: Messaging
  community: CommunityService
  groups: GroupService
}

/** `send --wait` without --timeout waits this long. */
const DEFAULT_WAIT_MS = 60_000

function target(params: Params): string {
  onlyKeys(params, ['target'])
  return requireString(params, 'target', { max: MAX_TARGET_LENGTH })
}

/** A message's text (or a snippet's code): a string within the one text limit, checked in UTF-8 bytes. */
function messageText(params: Params, key: string): string {
  const text = requireString(params, key, { max: MAX_TEXT_LENGTH })
  const problem = textLengthProblem(text)
  if (problem !== undefined) throw invalidParams(`"${key}": ${problem}`)
  return text
}

function none(params: Params): void {
  onlyKeys(params, [])
}

function snippet(params: Params): Snippet {
  const s = requireObject(params, 'snippet')
  onlyKeys(s, ['language', 'path', 'startLine', 'endLine', 'text'])
  const startLine = requireInteger(s, 'startLine', { min: 1, max: 10_000_000 })
  const endLine = requireInteger(s, 'endLine', {
    min: startLine,
    max: 10_000_000
  })
  return {
    language: requireString(s, 'language', { min: 0, max: 64 }),
    path: requireString(s, 'path', { min: 0, max: 1024 }),
    startLine,
    endLine,
    text: messageText(s, 'text')
  }
}

/** Every RPC method: check the params exactly, then call the domain. */
export function rpcHandlers({ node, messaging, community, groups }: RpcServices): RpcHandlers {
  type ContactCall = (target: string, options: { signal: AbortSignal }) => Promise<ContactView>
  const contact =
    (call: ContactCall) =>
    async (params: Params, { signal }: { signal: AbortSignal }) => ({
      contact: await call(target(params), { signal })
    })
  return {
    ...communityHandlers(community),
    ...groupHandlers(groups),
    'node.status': async params => {
      none(params)
      return node.status()
    },
    'node.whoami': async params => {
      none(params)
      return node.whoami()
    },
    'node.stop': async params => {
      none(params)
      setImmediate(() => node.stop())
      return { stopping: true }
    },
    'names.register': async (params, { signal }) => {
      onlyKeys(params, ['name'])
      return await node.register(requireString(params, 'name', { max: 256 }), {
        signal
      })
    },
    'names.resolve': async (params, { signal }) => {
      onlyKeys(params, ['name'])
      return await node.resolve(requireString(params, 'name', { max: 256 }), {
        signal
      })
    },
    'peers.list': async params => {
      none(params)
      return node.peers()
    },
    'safety.number': async (params, { signal }) => await node.safetyNumber(target(params), { signal }),
    'contacts.list': async params => {
      none(params)
      return { contacts: messaging.listContacts() }
    },
    'contacts.add': contact((t, o) => messaging.addContact(t, o)),
    'contacts.accept': contact((t, o) => messaging.acceptContact(t, o)),
    'contacts.decline': contact((t, o) => messaging.declineContact(t, o)),
    'contacts.block': contact((t, o) => messaging.blockContact(t, o)),
    'contacts.unblock': contact((t, o) => messaging.unblockContact(t, o)),
    'contacts.verify': contact((t, o) => messaging.verifyContact(t, o)),
    'contacts.acceptKey': contact((t, o) => messaging.acceptKey(t, o)),
    'invite.create': async params => {
      none(params)
      return { link: await messaging.invite() }
    },
    'messages.send': async (params, { signal }) => {
      onlyKeys(params, ['target', 'text', 'snippet', 'wait', 'timeoutMs'])
      const to = requireString(params, 'target', { max: MAX_TARGET_LENGTH })
      const text = params.text === undefined ? undefined : messageText(params, 'text')
      if ((text === undefined) === (params.snippet === undefined)) {
        throw invalidParams('exactly one of "text" and "snippet" is required')
      }
      const wait = optionalBoolean(params, 'wait') ?? false
      const timeoutMs = optionalInteger(params, 'timeoutMs', { min: 1, max: 86_400_000 }) ?? DEFAULT_WAIT_MS
      const content = text !== undefined ? { text } : { snippet: snippet(params) }
      return await messaging.send(to, content, { wait, timeoutMs, signal })
    },
    'messages.history': async (params, { signal }) => {
      onlyKeys(params, ['target', 'limit', 'before'])
      const to = requireString(params, 'target', { max: MAX_TARGET_LENGTH })
      const limit = optionalInteger(params, 'limit', { min: 1, max: 10_000 }) ?? 100
      const before = optionalInteger(params, 'before', {
        min: 0,
        max: Number.MAX_SAFE_INTEGER
      })
      return { messages: await messaging.history(to, { limit, before, signal }) }
    },
    'messages.search': async (params, { signal }) => {
      onlyKeys(params, ['query', 'target', 'limit'])
      const query = requireString(params, 'query', { max: MAX_SEARCH_QUERY_LENGTH })
      const to = optionalString(params, 'target', { max: MAX_TARGET_LENGTH })
      const limit = optionalInteger(params, 'limit', { min: 1, max: 1_000 }) ?? 50
      return { matches: await messaging.search(query, { ...(to !== undefined ? { target: to } : {}), limit, signal }) }
    },
    'messages.markRead': async (params, { signal }) => {
      await messaging.markRead(target(params), { signal })
      return { unread: 0 }
    },
    'messages.retry': async params => {
      onlyKeys(params, ['id'])
      return await messaging.retry(requireString(params, 'id', { max: 64 }))
    },
    'settings.get': async params => {
      none(params)
      return messaging.settings()
    },
    'settings.set': async params => {
      onlyKeys(params, ['readReceipts', 'failAfterHours'])
      return messaging.settings({
        readReceipts: optionalBoolean(params, 'readReceipts'),
        failAfterHours: optionalInteger(params, 'failAfterHours', { min: 1, max: MAX_FAIL_AFTER_HOURS })
      })
    }
  }
}
