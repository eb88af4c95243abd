/**
 * An independent statement of every RPC method's parameters (from rpc-api.ts and the docs), the
 * arbitraries that generate mostly-valid-then-damaged params for them, and stub domain services
 * (RpcServices) that record what reaches them. Shared by the in-process and the socket fuzzers (not a test file).
 */
import fc from 'fast-check'
import type { RpcServices } from '../../node/daemon/methods.ts'
import type { Params } from '../../node/daemon/params.ts'
import type { ContactView, GroupView, RpcMethod } from '../../node/daemon/rpc-api.ts'
import { anyString } from './harness.ts'

// ---- an independent statement of every method's parameters ----

type Field =
  | { kind: 'string'; min: number; max: number }
  /** a message text: 1 character to 32 KiB of UTF-8 (docs/PROTOCOL.md §5) */
  | { kind: 'text' }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'boolean' }
  | { kind: 'snippet' }
  /** an array of strings (groups.create members) */
  | { kind: 'strings'; maxItems: number; max: number }

interface MethodSpec {
  required: Record<string, Field>
  optional: Record<string, Field>
  /** extra rule across fields */
  rule?: (params: Params) => boolean
}

const str = (max: number, min = 1): Field => ({ kind: 'string', min, max })
/** The wire's limit on a message text, stated independently of node/messaging/text-limit.ts. */
const TEXT_BYTES = 32 * 1024
const TEXT: Field = { kind: 'text' }
const TARGET = str(2048)
const none: MethodSpec = { required: {}, optional: {} }
const targetOnly: MethodSpec = { required: { target: TARGET }, optional: {} }

export const METHOD_SPECS: Record<RpcMethod, MethodSpec> = {
  'node.status': none,
  'node.whoami': none,
  'node.stop': none,
  'names.register': { required: { name: str(256) }, optional: {} },
  'names.resolve': { required: { name: str(256) }, optional: {} },
  'peers.list': none,
  'safety.number': targetOnly,
  'contacts.list': none,
  'contacts.add': targetOnly,
  'contacts.accept': targetOnly,
  'contacts.decline': targetOnly,
  'contacts.block': targetOnly,
  'contacts.unblock': targetOnly,
  'contacts.verify': targetOnly,
  'contacts.acceptKey': targetOnly,
  'invite.create': none,
  'messages.send': {
    required: { target: TARGET },
    optional: {
      text: TEXT,
      snippet: { kind: 'snippet' },
      wait: { kind: 'boolean' },
      timeoutMs: { kind: 'integer', min: 1, max: 86_400_000 }
    },
    rule: params => 'text' in params !== 'snippet' in params
  },
  'messages.history': {
    required: { target: TARGET },
    optional: {
      limit: { kind: 'integer', min: 1, max: 10_000 },
      before: { kind: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER }
    }
  },
  'messages.search': {
    required: { query: str(1024) },
    optional: { target: TARGET, limit: { kind: 'integer', min: 1, max: 1_000 } }
  },
  'messages.markRead': targetOnly,
  'messages.retry': { required: { id: str(64) }, optional: {} },
  'settings.get': none,
  'settings.set': {
    required: {},
    optional: { readReceipts: { kind: 'boolean' }, failAfterHours: { kind: 'integer', min: 1, max: 8760 } }
  },
  'community.invite': {
    required: {},
    optional: {
      uses: { kind: 'integer', min: 1, max: 10_000 },
      expiresMs: { kind: 'integer', min: 1, max: 90 * 24 * 60 * 60 * 1000 }
    }
  },
  'community.members': none,
  'community.remove': { required: { target: str(256) }, optional: {} },
  'community.limit': {
    required: { target: str(256) },
    optional: {
      durationMs: { kind: 'integer', min: 1000, max: 86_400_000 },
      dataBytes: { kind: 'integer', min: 1024, max: 2 ** 40 }
    }
  },
  'community.join': { required: { link: str(4096) }, optional: {} },
  'community.list': none,
  'community.leave': { required: { peerId: str(256) }, optional: {} },
  'groups.create': {
    required: { title: str(128) },
    optional: { members: { kind: 'strings', maxItems: 1024, max: 256 } }
  },
  'groups.add': { required: { group: str(257), member: str(256) }, optional: {} },
  'groups.remove': { required: { group: str(257), member: str(256) }, optional: {} },
  'groups.admin': { required: { group: str(257), member: str(256) }, optional: {} },
  'groups.rename': { required: { group: str(257), title: str(128) }, optional: {} },
  'groups.leave': { required: { group: str(257) }, optional: {} },
  'groups.list': none
}

export const SNIPPET_KEYS = ['language', 'path', 'startLine', 'endLine', 'text']

export function isObject(value: unknown): value is Params {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function fieldValid(field: Field, value: unknown): boolean {
  switch (field.kind) {
    case 'string':
      return typeof value === 'string' && value.length >= field.min && value.length <= field.max
    case 'text':
      return typeof value === 'string' && value.length >= 1 && Buffer.byteLength(value) <= TEXT_BYTES
    case 'integer':
      return Number.isSafeInteger(value) && (value as number) >= field.min && (value as number) <= field.max
    case 'boolean':
      return typeof value === 'boolean'
    case 'strings':
      return Array.isArray(value) && value.length <= field.maxItems && value.every(v => fieldValid(str(field.max), v))
    case 'snippet': {
      if (!isObject(value)) return false
      const keys = Object.keys(value)
      if (!keys.every(k => SNIPPET_KEYS.includes(k)) || !SNIPPET_KEYS.every(k => keys.includes(k))) return false
      const { language, path, startLine, endLine, text } = value
      return (
        fieldValid(str(64, 0), language) &&
        fieldValid(str(1024, 0), path) &&
        fieldValid({ kind: 'integer', min: 1, max: 10_000_000 }, startLine) &&
        fieldValid({ kind: 'integer', min: 1, max: 10_000_000 }, endLine) &&
        (endLine as number) >= (startLine as number) &&
        fieldValid(TEXT, text)
      )
    }
  }
}

/** What the spec says: are these params valid for the method? */
export function specAccepts(spec: MethodSpec, params: Params): boolean {
  for (const key of Object.keys(params)) {
    if (!Object.hasOwn(spec.required, key) && !Object.hasOwn(spec.optional, key)) return false
  }
  for (const [key, field] of Object.entries(spec.required)) {
    if (!Object.hasOwn(params, key) || !fieldValid(field, params[key])) return false
  }
  for (const [key, field] of Object.entries(spec.optional)) {
    if (Object.hasOwn(params, key) && !fieldValid(field, params[key])) return false
  }
  return spec.rule?.(params) ?? true
}

// ---- arbitraries ----

export const jsonValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(0, -1, 1.5, 1e21, -0, 2 ** 53, 2 ** 53 + 2, '', ' ', '\u0000', 'ä', '🙂'.repeat(40), [], {}),
  anyString(80),
  fc.integer({ min: 0, max: 70_000 }).map(n => 'x'.repeat(n))
)

function fieldValue(field: Field): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'string':
      return fc.oneof(
        anyString(Math.min(field.max, 60)).filter(s => s.length >= field.min),
        fc.constantFrom(field.max, field.max + 1, field.min, Math.max(0, field.min - 1)).map(n => 'n'.repeat(n))
      )
    case 'text':
      return fc.oneof(
        anyString(60).filter(s => s.length >= 1),
        // the boundary in one-, two-, three- and four-byte characters
        fc
          .tuple(fc.constantFrom('n', 'é', '語', '😀'), fc.constantFrom(-1, 0, 1))
          .map(([c, d]) => c.repeat(Math.floor(TEXT_BYTES / Buffer.byteLength(c)) + d))
      )
    case 'integer':
      return fc.oneof(
        fc.integer({ min: field.min, max: Math.min(field.max, 2 ** 31) }),
        fc.constantFrom(field.min, field.max, field.min - 1, field.max + 1, 1.5, Number.NaN)
      )
    case 'boolean':
      return fc.boolean()
    case 'strings':
      return fc.array(fieldValue(str(field.max)), { maxLength: 4 })
    case 'snippet':
      return fc
        .record({
          language: fieldValue(str(64, 0)),
          path: fieldValue(str(1024, 0)),
          startLine: fc.integer({ min: 1, max: 10_000_000 }),
          lines: fc.integer({ min: 0, max: 1000 }),
          text: fieldValue(TEXT)
        })
        .map(({ lines, ...s }) => ({ ...s, endLine: Math.min(10_000_000, s.startLine + lines) }))
  }
}

/** Params that are mostly valid for the method, then damaged in one or two ways. */
export function paramsFor(spec: MethodSpec): fc.Arbitrary<Params> {
  const fields = { ...spec.required, ...spec.optional }
  const names = Object.keys(fields)
  const valid = fc
    .record(Object.fromEntries(names.map(n => [n, fieldValue(fields[n] as Field)])), {
      requiredKeys: Object.keys(spec.required)
    })
    .map(p => {
      // messages.send: keep exactly one of text and snippet most of the time
      if ('text' in p && 'snippet' in p) delete p.snippet
      if (spec.rule !== undefined && !('text' in p) && !('snippet' in p)) p.text = 'hi'
      return p as Params
    })
  const key = fc.oneof(fc.constantFrom(...names, 'extra', '__proto__', 'constructor', 'toString', ''), fc.string())
  const damage = fc.oneof(
    fc.tuple(key, jsonValue).map(([k, v]) => (p: Params) => ({ ...p, [k]: v })),
    key.map(k => (p: Params) => {
      const { [k]: _, ...rest } = p
      return rest
    }),
    // nested snippet damage
    fc.tuple(fc.constantFrom(...SNIPPET_KEYS, 'extra'), jsonValue).map(
      ([k, v]) =>
        (p: Params) =>
          isObject(p.snippet) ? { ...p, snippet: { ...p.snippet, [k]: v } } : p
    )
  )
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    {
      weight: 3,
      arbitrary: fc
        .tuple(valid, fc.array(damage, { minLength: 1, maxLength: 2 }))
        .map(([p, ds]) => ds.reduce((acc, d) => d(acc), p))
    },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), jsonValue, { maxKeys: 4 }) }
  )
}

/** Round-trips through JSON text, as the socket does (so "__proto__" becomes an own key, numbers lose -0). */
export function overTheWire(params: Params): Params {
  const text = `{${Object.entries(params)
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`)
    .join(',')}}`
  return JSON.parse(text) as Params
}

// ---- a stub node that records what reaches it ----

const CONTACT: ContactView = {
  peerId: '12D3KooW',
  state: 'contact',
  verified: false,
  keyChanged: false,
  presence: 'offline',
  unread: 0,
  fingerprint: 'f'
}

const GROUP: GroupView = { id: '0'.repeat(32), title: 't', members: [], unread: 0, left: false, admin: true }

/** What reached the stub node: a count (not a log, so that long runs keep memory flat) and the last call. */
export interface CallLog {
  count: number
  last?: { method: string; args: unknown[] }
}

export function recordingService(): { service: RpcServices; calls: CallLog } {
  const calls: CallLog = { count: 0 }
  const record =
    <R>(method: string, result: R) =>
    (...args: unknown[]): R => {
      calls.count++
      calls.last = { method, args }
      return result
    }
  const service: RpcServices = {
    node: {
      status: record('status', {
        peerId: 'p',
        name: null,
        addresses: [],
        connections: 0,
        routingTable: 0,
        community: false,
        reachability: 'unknown' as const,
        relayAddresses: [],
        communities: [],
        mailboxes: []
      }),
      whoami: record('whoami', { peerId: 'p', name: null, fingerprint: 'f' }),
      stop: record('stop', undefined),
      register: record('register', Promise.resolve({ name: 'n', peerId: 'p', stored: 1 })),
      resolve: record(
        'resolve',
        Promise.resolve({ name: 'n', peerId: 'p', fingerprint: 'f', addresses: [], keyChanged: false })
      ),
      peers: record('peers', { peers: [] }),
      safetyNumber: record('safetyNumber', Promise.resolve({ peerId: 'p', safetyNumber: '1' }))
    },
    messaging: {
      listContacts: record('listContacts', []),
      addContact: record('addContact', Promise.resolve(CONTACT)),
      acceptContact: record('acceptContact', Promise.resolve(CONTACT)),
      declineContact: record('declineContact', Promise.resolve(CONTACT)),
      blockContact: record('blockContact', Promise.resolve(CONTACT)),
      unblockContact: record('unblockContact', Promise.resolve(CONTACT)),
      verifyContact: record('verifyContact', Promise.resolve(CONTACT)),
      acceptKey: record('acceptKey', Promise.resolve(CONTACT)),
      invite: record('invite', Promise.resolve('parley://invite')),
      send: record('send', Promise.resolve({ id: 'i', status: 'queued' as const })),
      history: record('history', Promise.resolve([])),
      search: record('search', Promise.resolve([])),
      markRead: record('markRead', Promise.resolve()),
      retry: record('retry', Promise.resolve({ id: 'i', status: 'queued' as const })),
      settings: record('settings', { readReceipts: true, failAfterHours: 168 })
    },
    community: {
      invite: record('communityInvite', 'parley://community?peer=p'),
      members: record('communityMembers', []),
      remove: record('communityRemove', Promise.resolve({ peerId: 'p', name: null })),
      setLimits: record('communityLimit', { peerId: 'p', relayDurationMs: null, relayDataBytes: null }),
      join: record('communityJoin', Promise.resolve({ peerId: 'p', addresses: [], connected: false, reserved: false })),
      list: record('communityList', []),
      leave: record('communityLeave', Promise.resolve())
    },
    groups: {
      create: record('groupsCreate', Promise.resolve(GROUP)),
      add: record('groupsAdd', Promise.resolve(GROUP)),
      remove: record('groupsRemove', Promise.resolve(GROUP)),
      admin: record('groupsAdmin', Promise.resolve(GROUP)),
      rename: record('groupsRename', Promise.resolve(GROUP)),
      leave: record('groupsLeave', Promise.resolve(GROUP)),
      list: record('groupsList', [])
    }
  }
  return { service, calls }
}
