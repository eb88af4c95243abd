/**
 * Figure 5: the cryptography of one message through the real code (seal, open, decrypt, signAck,
 * openAck) against the sum of the raw node:crypto operations it is made of, timed in the same run.
 * The operations and their sizes come from a census of the real code (crypto-census.ts); each one is
 * then timed alone with pre-imported KeyObjects, which is the floor node:crypto allows.
 *
 * Also gives figure 2 its baseline: the crypto-bound rate, one core doing exactly those operations
 * per 1 KiB message, with no I/O at all.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
  sign,
  timingSafeEqual,
  verify
} from 'node:crypto'
import { type Census, perMessage, withCensus } from '../crypto-census.ts'
import { EnvelopePair, KIB_TEXT, textPayload } from '../envelope-pair.ts'
import type { Figure } from '../report.ts'
import { now, round, timePerCall, timePerCallAsync } from '../stats.ts'

export interface CryptoFigureOptions {
  quick: boolean
}

/** What figure 2 needs from this one. */
export interface CryptoBaseline {
  /** raw node:crypto time per one-way 1 KiB message, µs */
  rawMicrosPerMessage: number
  /** 1e6 / rawMicrosPerMessage */
  cryptoBoundRate: number
  census: Census
}

type RawOperation = () => void

function filled(length: number): Buffer {
  return randomBytes(Math.max(0, Math.round(length)))
}

/**
 * The raw node:crypto operation for one census entry, on inputs of the recorded sizes, with keys
 * imported once. Undefined for entries that are not primitives (key imports): those are overhead
 * of the code under test and are reported, not part of the floor.
 */
function rawOperation(
  name: string,
  entry: { bytes: number; aadBytes: number },
  keys: RawKeys
): RawOperation | undefined {
  const data = filled(entry.bytes)
  const aad = filled(entry.aadBytes)
  const key32 = filled(32)
  const nonce = filled(12)
  switch (name) {
    case 'sign:ed25519':
      return () => {
        sign(null, data, keys.edPrivate)
      }
    case 'verify:ed25519': {
      const signature = sign(null, data, keys.edPrivate)
      return () => {
        if (!verify(null, data, keys.edPublic, signature)) {
          throw new Error('raw verify failed')
        }
      }
    }
    case 'hmac:sha256':
      return () => {
        createHmac('sha256', key32).update(data).digest()
      }
    case 'hash:sha256':
      return () => {
        createHash('sha256').update(data).digest()
      }
    case 'hkdf:sha256':
      return () => {
        hkdfSync('sha256', data, key32, 'parley/ratchet/message/1', 64)
      }
    case 'cipher:aes-256-gcm':
      return () => {
        const cipher = createCipheriv('aes-256-gcm', key32, nonce, { authTagLength: 16 })
        cipher.setAAD(aad)
        cipher.update(data)
        cipher.final()
        cipher.getAuthTag()
      }
    case 'decipher:aes-256-gcm': {
      const cipher = createCipheriv('aes-256-gcm', key32, nonce, { authTagLength: 16 })
      cipher.setAAD(aad)
      const ciphertext = Buffer.concat([cipher.update(data), cipher.final()])
      const tag = cipher.getAuthTag()
      return () => {
        const decipher = createDecipheriv('aes-256-gcm', key32, nonce, { authTagLength: 16 })
        decipher.setAAD(aad)
        decipher.setAuthTag(tag)
        decipher.update(ciphertext)
        decipher.final()
      }
    }
    case 'dh:x25519':
      return () => {
        diffieHellman({ privateKey: keys.xPrivate, publicKey: keys.xPublic })
      }
    case 'keygen:x25519':
      return () => {
        generateKeyPairSync('x25519')
      }
    case 'random':
      return () => {
        randomBytes(Math.round(entry.bytes))
      }
    case 'timing-safe-equal': {
      const other = Buffer.from(data)
      return () => {
        timingSafeEqual(data, other)
      }
    }
    default:
      return undefined
  }
}

interface RawKeys {
  edPrivate: KeyObject
  edPublic: KeyObject
  xPrivate: KeyObject
  xPublic: KeyObject
}

function rawKeys(): RawKeys {
  const ed = generateKeyPairSync('ed25519')
  const x = generateKeyPairSync('x25519')
  const y = generateKeyPairSync('x25519')
  return { edPrivate: ed.privateKey, edPublic: ed.publicKey, xPrivate: x.privateKey, xPublic: y.publicKey }
}

interface ScenarioResult {
  realMicros: number
  rawMicros: number
  census: Census
  /** µs per message of each raw op (calls per message × µs per call) */
  rawBreakdown: Record<string, { callsPerMessage: number; microsPerCall: number; microsPerMessage: number }>
  /** census entries without a raw counterpart: overhead of the code under test */
  overhead: Record<string, number>
}

async function scenario(
  step: (pair: EnvelopePair, i: number) => Promise<void>,
  options: { realMs: number; rawMs: number; censusMessages: number; rounds: number }
): Promise<ScenarioResult> {
  const pair = await EnvelopePair.establish()
  let i = 0
  // Warm up and settle the chains (the first messages still turn the ratchet).
  for (let k = 0; k < 20; k++) {
    await step(pair, i++)
  }
  const { census: total } = await withCensus(async () => {
    for (let k = 0; k < options.censusMessages; k++) {
      await step(pair, i++)
    }
  })
  const census = perMessage(total, options.censusMessages)
  const raw = rawTimer(census)
  // Real and raw are timed alternately in several rounds and each keeps its fastest round: on a
  // shared machine the load changes within seconds, and the minimum is the cost without it.
  let realMicros = Number.POSITIVE_INFINITY
  for (let r = 0; r < options.rounds; r++) {
    realMicros = Math.min(
      realMicros,
      await timePerCallAsync(async () => step(pair, i++), { minMs: options.realMs, minIterations: 50 })
    )
    raw.round(options.rawMs)
  }
  return { realMicros, ...raw.result(), census, overhead: raw.overhead }
}

/**
 * Times the raw node:crypto operations of a census (calls per message, recorded sizes), keeping
 * each operation's fastest round; `result()` sums them into µs per message. Census entries without
 * a raw counterpart (key imports) are `overhead`.
 */
export function rawTimer(census: Census): {
  round(rawMs: number): void
  result(): Pick<ScenarioResult, 'rawMicros' | 'rawBreakdown'>
  overhead: Record<string, number>
} {
  const keys = rawKeys()
  const operations: Array<{ name: string; calls: number; run: RawOperation }> = []
  const overhead: Record<string, number> = {}
  for (const [name, entry] of Object.entries(census)) {
    const run = rawOperation(name, entry, keys)
    if (run == null) {
      overhead[name] = entry.calls
    } else {
      operations.push({ name, calls: entry.calls, run })
    }
  }
  const perCall = new Map<string, number>()
  return {
    overhead,
    round(rawMs) {
      for (const op of operations) {
        const micros = timePerCall(op.run, { minMs: rawMs, minIterations: 100 })
        perCall.set(op.name, Math.min(perCall.get(op.name) ?? Number.POSITIVE_INFINITY, micros))
      }
    },
    result() {
      const rawBreakdown: ScenarioResult['rawBreakdown'] = {}
      let rawMicros = 0
      for (const op of operations) {
        const microsPerCall = perCall.get(op.name)!
        rawBreakdown[op.name] = {
          callsPerMessage: round(op.calls),
          microsPerCall: round(microsPerCall),
          microsPerMessage: round(microsPerCall * op.calls)
        }
        rawMicros += microsPerCall * op.calls
      }
      return { rawMicros, rawBreakdown }
    }
  }
}

/** Runs figure 5; also returns the crypto-bound rate that figure 2 compares with. */
export async function cryptoFigure(
  options: CryptoFigureOptions
): Promise<{ figure: Figure; baseline: CryptoBaseline }> {
  const started = now()
  const timing = options.quick
    ? { realMs: 300, rawMs: 40, censusMessages: 20, rounds: 1 }
    : { realMs: 1000, rawMs: 100, censusMessages: 200, rounds: 4 }
  const payload = textPayload(KIB_TEXT)
  const oneWay = await scenario(async pair => pair.deliver('alice', payload), timing)
  const alternating = await scenario(async (pair, i) => pair.deliver(i % 2 === 0 ? 'alice' : 'bob', payload), timing)
  const figure: Figure = {
    figure: 5,
    id: 'crypto-per-message',
    title: 'Crypto per message vs raw node:crypto',
    status: 'measured',
    measurements: [
      {
        id: 'crypto-one-way',
        label: 'crypto per 1 KiB msg, one-way chain',
        value: round(oneWay.realMicros),
        unit: 'µs',
        baseline: { label: 'sum of raw ops', value: round(oneWay.rawMicros), unit: 'µs' },
        ratio: round(oneWay.realMicros / oneWay.rawMicros)
      },
      {
        id: 'crypto-alternating',
        label: 'crypto per 1 KiB msg, ratchet turns each msg',
        value: round(alternating.realMicros),
        unit: 'µs',
        baseline: { label: 'sum of raw ops', value: round(alternating.rawMicros), unit: 'µs' },
        ratio: round(alternating.realMicros / alternating.rawMicros)
      }
    ],
    details: {
      payload: '1 KiB text',
      steps: 'sealEnvelope → openEnvelope → decryptEnvelope → signAck → openAck',
      oneWay: { census: oneWay.census, raw: oneWay.rawBreakdown, overhead: oneWay.overhead },
      alternating: { census: alternating.census, raw: alternating.rawBreakdown, overhead: alternating.overhead }
    },
    durationMs: Math.round(now() - started),
    notes: [
      `overhead ops per one-way message not in the raw sum: ${
        Object.entries(oneWay.overhead)
          .map(([name, calls]) => `${name} ×${round(calls, 3)}`)
          .join(', ') || 'none'
      }`
    ]
  }
  return {
    figure,
    baseline: {
      rawMicrosPerMessage: oneWay.rawMicros,
      cryptoBoundRate: 1e6 / oneWay.rawMicros,
      census: oneWay.census
    }
  }
}
