import { invalidParams } from './json-rpc.ts'

/**
 * Parameter checks for RPC methods. Each reads one field, checks its type and bounds, and throws
 * an InvalidParams RpcError naming the field, what was expected and what came.
 */

export type Params = Record<string, unknown>

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `a string of length ${value.length}`
  return `a ${typeof value}`
}

/** Rejects fields the method does not know, so typos do not silently do nothing. */
export function onlyKeys(params: Params, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      throw invalidParams(
        `unknown parameter "${key}"; expected only ${allowed.map(k => `"${k}"`).join(', ') || 'none'}`
      )
    }
  }
}

export function requireString(params: Params, key: string, options: { min?: number; max: number }): string {
  const value = params[key]
  if (typeof value !== 'string') throw invalidParams(`"${key}" must be a string, got ${describe(value)}`)
  const min = options.min ?? 1
  if (value.length < min || value.length > options.max) {
    throw invalidParams(`"${key}" must be ${min} to ${options.max} characters, got ${value.length}`)
  }
  return value
}

export function optionalString(
  params: Params,
  key: string,
  options: { min?: number; max: number }
): string | undefined {
  return params[key] === undefined ? undefined : requireString(params, key, options)
}

export function optionalBoolean(params: Params, key: string): boolean | undefined {
  const value = params[key]
  if (value === undefined) return undefined
  if (typeof value !== 'boolean') throw invalidParams(`"${key}" must be a boolean, got ${describe(value)}`)
  return value
}

export function requireInteger(params: Params, key: string, options: { min: number; max: number }): number {
  const value = params[key]
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw invalidParams(`"${key}" must be an integer, got ${describe(value)}`)
  }
  if (value < options.min || value > options.max) {
    throw invalidParams(`"${key}" must be between ${options.min} and ${options.max}, got ${value}`)
  }
  return value
}

export function optionalInteger(
  params: Params,
  key: string,
  options: { min: number; max: number }
): number | undefined {
  return params[key] === undefined ? undefined : requireInteger(params, key, options)
}

export function requireObject(params: Params, key: string): Params {
  const value = params[key]
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParams(`"${key}" must be an object, got ${describe(value)}`)
  }
  return value as Params
}
