import type { SelectFn, ValidateFn } from '@libp2p/kad-dht'
import { bytesEqual } from '../crypto/primitives.ts'
import { NAME_NAMESPACE, PROFILE_NAMESPACE } from './constants.ts'
import { KeyMismatchError, NameTakenError, StaleRecordError, UnknownNamespaceError } from './errors.ts'
import {
  decodeNameClaim,
  decodeProfile,
  type ValidationOptions,
  verifyNameClaim,
  verifyProfileRecord
} from './records.ts'

const decoder = new TextDecoder()

/** The first path component of a DHT key (`/parley-name/...` → `parley-name`), as kad-dht reads it. */
export function keyNamespace(key: Uint8Array): string | undefined {
  const text = decoder.decode(key.subarray(0, 64))
  const parts = text.split('/')
  return parts.length >= 3 ? parts[1] : undefined
}

/**
 * Validators for kad-dht's `validators` option: every record we store, serve or accept from a query
 * passes them. Pure functions of (key, value, clock).
 *
 * kad-dht looks the validator up as `validators[namespace]`, the namespace taken from a peer's record
 * key, in a plain object it builds itself (`{ pk, ...validators }`, kad-dht 16): `/constructor/…` or
 * `/toString/…` would find a function of Object's prototype that never throws, and junk under such a
 * key would be stored. Own entries that refuse shadow every name of Object.prototype.
 */
export function recordValidators(options: ValidationOptions = {}): Record<string, ValidateFn> {
  return closedNamespaces({
    [NAME_NAMESPACE]: async (key, value) => {
      await verifyNameClaim(key, value, options)
    },
    [PROFILE_NAMESPACE]: async (key, value) => {
      await verifyProfileRecord(key, value, options)
    }
  })
}

/** `entries`, plus an entry that throws UnknownNamespaceError for each name of Object.prototype. */
function closedNamespaces<T>(entries: Record<string, T>): Record<string, T> {
  const refuse = (namespace: string) => (): never => {
    throw new UnknownNamespaceError(`no record type "${namespace}" in Parley's DHT`)
  }
  const out: Record<string, T> = {}
  for (const name of Object.getOwnPropertyNames(Object.prototype)) {
    // defineProperty, not assignment: `out.__proto__ = …` would set the prototype instead
    Object.defineProperty(out, name, { value: refuse(name), enumerable: true, writable: true, configurable: true })
  }
  return Object.assign(out, entries)
}

function ownerOf(value: Uint8Array): string | undefined {
  try {
    return decodeNameClaim(value).claim.peerId.toString()
  } catch {
    return undefined
  }
}

/**
 * Among name claims returned by several peers (already validated), the claim whose owner is held by
 * the most responses; ties go to the earliest response (our own stored record comes first). Never
 * the claim with the highest sequence or the earliest claim time: those are the claimant's word.
 * The registry's resolver applies the full rule (docs/PROTOCOL.md §2.5); this is kad-dht's fallback.
 */
export const selectNameClaim: SelectFn = (_key, records) => {
  const counts = new Map<string, number>()
  for (const value of records) {
    const owner = ownerOf(value)
    if (owner !== undefined) counts.set(owner, (counts.get(owner) ?? 0) + 1)
  }
  let bestOwner: string | undefined
  let bestCount = 0
  for (const value of records) {
    const owner = ownerOf(value)
    if (owner === undefined) continue
    const count = counts.get(owner) ?? 0
    if (count > bestCount) {
      bestOwner = owner
      bestCount = count
    }
  }
  // within the winning owner, its highest sequence (the owner's own latest word)
  let best = 0
  let bestSequence = -1n
  records.forEach((value, i) => {
    try {
      const { claim } = decodeNameClaim(value)
      if (claim.peerId.toString() === bestOwner && claim.sequence > bestSequence) {
        best = i
        bestSequence = claim.sequence
      }
    } catch {}
  })
  return best
}

/** Among profile records of one peer (already validated): highest sequence, then latest expiry. */
export const selectProfile: SelectFn = (_key, records) => {
  let best = 0
  let bestSeq = -1n
  let bestExpiry = -1
  records.forEach((value, i) => {
    try {
      const { profile } = decodeProfile(value)
      if (profile.sequence > bestSeq || (profile.sequence === bestSeq && profile.expiresAt > bestExpiry)) {
        best = i
        bestSeq = profile.sequence
        bestExpiry = profile.expiresAt
      }
    } catch {}
  })
  return best
}

/** Selectors for kad-dht's `selectors` option (looked up by a peer's namespace too, the same way). */
export function recordSelectors(): Record<string, SelectFn> {
  return closedNamespaces({ [NAME_NAMESPACE]: selectNameClaim, [PROFILE_NAMESPACE]: selectProfile })
}

/**
 * The storing rule, applied when a node is about to replace the record it holds under `key` by
 * `incoming` (both already validated or ours). Throws:
 * - NameTakenError when `existing` is a live claim of another key, whatever `incoming` says about
 *   its sequence or claim time: a live name never changes hands at an honest storing node;
 * - StaleRecordError when both are the same owner's and `incoming` has a lower sequence, or the same
 *   sequence with other bytes (rollback and equivocation).
 * An expired or unparsable `existing` is simply replaced.
 */
export function checkReplacement(
  key: Uint8Array,
  existing: Uint8Array,
  incoming: Uint8Array,
  options: ValidationOptions = {}
): void {
  if (bytesEqual(existing, incoming)) return
  const now = (options.now ?? Date.now)()
  const namespace = keyNamespace(key)
  if (namespace === NAME_NAMESPACE) {
    let old: ReturnType<typeof decodeNameClaim>['claim']
    try {
      old = decodeNameClaim(existing).claim
    } catch {
      return
    }
    if (old.expiresAt <= now) return
    const next = decodeNameClaim(incoming).claim
    if (!old.peerId.equals(next.peerId)) {
      throw new NameTakenError(`"${old.name}" is held by ${old.peerId} until ${new Date(old.expiresAt).toISOString()}`)
    }
    if (next.sequence <= old.sequence) {
      throw new StaleRecordError(`claim sequence ${next.sequence} does not exceed the stored ${old.sequence}`)
    }
    return
  }
  if (namespace === PROFILE_NAMESPACE) {
    let old: ReturnType<typeof decodeProfile>['profile']
    try {
      old = decodeProfile(existing).profile
    } catch {
      return
    }
    if (old.expiresAt <= now) return
    const next = decodeProfile(incoming).profile
    if (!old.peerId.equals(next.peerId)) throw new KeyMismatchError('profile of another peer under this key')
    if (next.sequence <= old.sequence) {
      throw new StaleRecordError(`profile sequence ${next.sequence} does not exceed the stored ${old.sequence}`)
    }
  }
}
