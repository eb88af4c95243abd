/**
 * Counts the node:crypto calls a piece of code makes, with the bytes each one processes, by wrapping
 * the functions of the node:crypto module for the duration of one call. Named ESM imports of a
 * builtin (`import { createHmac } from 'node:crypto'`) are live bindings that
 * `syncBuiltinESMExports()` refreshes from the CommonJS module object, so both our own modules and
 * libp2p's `import crypto from 'crypto'` see the wrappers.
 *
 * This is how figure 5's baseline is "exactly the operations Parley does": the census of the real
 * code decides which raw operations are timed and how often, instead of a hand-written list.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module'

const nodeCrypto = createRequire(import.meta.url)('node:crypto') as Record<string, unknown>

/** Calls and processed bytes of one operation kind, e.g. `sign:ed25519` or `cipher:aes-256-gcm`. */
export interface OpCount {
  calls: number
  /** bytes passed to update()/sign()/verify() (the data, not the key) */
  bytes: number
  /** bytes passed to setAAD() */
  aadBytes: number
}

export type Census = Record<string, OpCount>

type AnyFunction = (...args: any[]) => any

function byteLength(data: unknown): number {
  if (typeof data === 'string') {
    return Buffer.byteLength(data)
  }
  if (ArrayBuffer.isView(data)) {
    return data.byteLength
  }
  return 0
}

function keyType(key: unknown): string {
  if (key != null && typeof key === 'object' && 'asymmetricKeyType' in key) {
    return String((key as { asymmetricKeyType?: string }).asymmetricKeyType)
  }
  if (key != null && typeof key === 'object' && 'key' in key) {
    const inner = (key as { key: unknown; format?: string }).key
    if (inner != null && typeof inner === 'object' && 'crv' in inner) {
      return String((inner as { crv: string }).crv).toLowerCase()
    }
  }
  return 'key'
}

/**
 * Runs `fn` with every node:crypto operation counted; returns fn's result and the census. Only one
 * census may run at a time; the original functions are restored even if fn throws.
 */
export async function withCensus<T>(fn: () => Promise<T>): Promise<{ result: T; census: Census }> {
  const census: Census = {}
  const count = (name: string): OpCount => {
    let entry = census[name]
    if (entry == null) {
      entry = { calls: 0, bytes: 0, aadBytes: 0 }
      census[name] = entry
    }
    entry.calls++
    return entry
  }
  /** Wraps the object a factory returns so that update()/setAAD() sizes are recorded. */
  const streaming = (name: string, factory: AnyFunction): AnyFunction =>
    function (this: unknown, ...args: unknown[]) {
      const entry = count(`${name}:${String(args[0]).toLowerCase()}`)
      const object = factory.apply(this, args)
      const update = object.update
      object.update = function (data: unknown, ...rest: unknown[]) {
        entry.bytes += byteLength(data)
        return update.call(this, data, ...rest)
      }
      if (typeof object.setAAD === 'function') {
        const setAAD = object.setAAD
        object.setAAD = function (data: unknown, ...rest: unknown[]) {
          entry.aadBytes += byteLength(data)
          return setAAD.call(this, data, ...rest)
        }
      }
      return object
    }
  const originals = new Map<string, AnyFunction>()
  const wrap = (name: string, wrapper: (original: AnyFunction) => AnyFunction): void => {
    const original = nodeCrypto[name] as AnyFunction
    originals.set(name, original)
    nodeCrypto[name] = wrapper(original)
  }
  wrap('createHash', original => streaming('hash', original))
  wrap('createHmac', original => streaming('hmac', original))
  wrap('createCipheriv', original => streaming('cipher', original))
  wrap('createDecipheriv', original => streaming('decipher', original))
  wrap('sign', original => (algorithm: unknown, data: unknown, key: unknown, ...rest: unknown[]) => {
    count(`sign:${keyType(key)}`).bytes += byteLength(data)
    return original(algorithm, data, key, ...rest)
  })
  wrap('verify', original => (algorithm: unknown, data: unknown, key: unknown, ...rest: unknown[]) => {
    count(`verify:${keyType(key)}`).bytes += byteLength(data)
    return original(algorithm, data, key, ...rest)
  })
  wrap('hkdfSync', original => (...args: unknown[]) => {
    const entry = count(`hkdf:${String(args[0])}`)
    entry.bytes += byteLength(args[1])
    return original(...args)
  })
  wrap('diffieHellman', original => (options: { privateKey?: unknown }) => {
    count(`dh:${keyType(options?.privateKey)}`)
    return original(options)
  })
  wrap('generateKeyPairSync', original => (type: unknown, ...rest: unknown[]) => {
    count(`keygen:${String(type)}`)
    return original(type, ...rest)
  })
  wrap('createPrivateKey', original => (key: unknown) => {
    count(`import-private-key:${keyType(key)}`)
    return original(key)
  })
  wrap('createPublicKey', original => (key: unknown) => {
    count(`import-public-key:${keyType(key)}`)
    return original(key)
  })
  wrap('randomBytes', original => (size: number, ...rest: unknown[]) => {
    count('random').bytes += size
    return original(size, ...rest)
  })
  wrap('timingSafeEqual', original => (a: unknown, b: unknown) => {
    count('timing-safe-equal').bytes += byteLength(a)
    return original(a, b)
  })
  syncBuiltinESMExports()
  try {
    const result = await fn()
    return { result, census }
  } finally {
    for (const [name, original] of originals) {
      nodeCrypto[name] = original
    }
    syncBuiltinESMExports()
  }
}

/** The census divided by `messages`: operations per message. */
export function perMessage(census: Census, messages: number): Census {
  const out: Census = {}
  for (const [name, entry] of Object.entries(census).sort(([a], [b]) => a.localeCompare(b))) {
    out[name] = {
      calls: entry.calls / messages,
      bytes: entry.calls === 0 ? 0 : entry.bytes / entry.calls,
      aadBytes: entry.calls === 0 ? 0 : entry.aadBytes / entry.calls
    }
  }
  return out
}
