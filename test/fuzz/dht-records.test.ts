/**
 * Fuzzing the DHT record rules (docs/PROTOCOL.md §2): the validators every storing node and
 * resolver runs on name claims and profile records, name normalization, the storing node's
 * replacement rule and the resolver's selection rule. Random, damaged and attacker-signed records:
 * every input is accepted or refused with one of the documented error classes, a damaged record
 * never validates as anything but the original, and no claim by another key — whatever its
 * sequence, claim time or expiry — displaces a live owner at a storing node or wins over an honest
 * majority at a resolver.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import fc from 'fast-check'
import { SignatureDomain, signWithDomain } from '../../node/crypto/signing.ts'
import { generateX25519KeyPair } from '../../node/crypto/primitives.ts'
import { signPrekey } from '../../node/crypto/x3dh.ts'
import { MAX_RECORD_LIFETIME_MS } from '../../node/names/constants.ts'
import { normalizeName } from '../../node/names/name-rules.ts'
import { NameClaimBody, NameClaimRecord, ProfileBody, ProfileRecord } from '../../node/names/pb/records.js'
import type { NameClaim } from '../../node/names/profile.ts'
import { createNameClaim, createProfileRecord, decodeNameClaim, nameKey, profileKey } from '../../node/names/records.ts'
import { type ClaimResponse, selectClaim } from '../../node/names/selection.ts'
import { checkReplacement, recordValidators } from '../../node/names/validators.ts'
import {
  anyString,
  assertErrorName,
  budget,
  fuzzParameters,
  HeapWatch,
  mutated,
  Outcomes,
  oversize,
  randomBytes,
  watchUnhandled
} from './harness.ts'

const RUNS = budget(300, 100_000)
const SIGNED_RUNS = budget(150, 30_000)

const RECORD_ERRORS = [
  'RecordTooLargeError',
  'MalformedRecordError',
  'InvalidSignatureError',
  'KeyMismatchError',
  'RecordExpiredError',
  'ExpiryTooFarError',
  'InvalidNameError'
]

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0)
const clock = { now: () => NOW }
const HOUR = 3600_000

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

describe('fuzz: DHT records, validators, storing and selection rules', () => {
  let alice: PrivateKey
  let mallory: PrivateKey
  let alicePeer: PeerId
  let malloryPeer: PeerId
  const NAME = 'alice.dev'
  let key: Uint8Array
  /** Alice's live claim (what the storing nodes hold) and older ones */
  let live: Uint8Array
  const aliceClaims: Uint8Array[] = []
  const claimBodies = new Set<string>()
  const profiles: Uint8Array[] = []
  const profileBodies = new Set<string>()
  let holders: PeerId[]
  const validators = recordValidators(clock)
  const unhandled = watchUnhandled()
  let heap: HeapWatch

  before(async () => {
    alice = await generateKeyPair('Ed25519')
    mallory = await generateKeyPair('Ed25519')
    alicePeer = peerIdFromPrivateKey(alice)
    malloryPeer = peerIdFromPrivateKey(mallory)
    key = nameKey(NAME)
    for (const sequence of [1n, 2n, 5n]) {
      const claim = await createNameClaim(alice, {
        name: NAME,
        claimedAt: NOW - 48 * HOUR,
        sequence,
        expiresAt: NOW + 24 * HOUR
      })
      aliceClaims.push(claim)
      claimBodies.add(hex(NameClaimRecord.decode(claim).body))
    }
    live = aliceClaims[2] as Uint8Array
    const dh = generateX25519KeyPair()
    const spk = generateX25519KeyPair()
    const prekey = await signPrekey(alice, { id: 7, publicKey: spk.publicKey })
    for (const addresses of [[], [multiaddr('/ip4/127.0.0.1/tcp/4001'), multiaddr('/ip6/::1/tcp/1')]]) {
      const profile = await createProfileRecord(alice, {
        dhKey: dh.publicKey,
        prekey,
        addresses,
        sequence: BigInt(addresses.length + 1),
        expiresAt: NOW + 24 * HOUR
      })
      profiles.push(profile)
      profileBodies.add(hex(ProfileRecord.decode(profile).body))
    }
    holders = await Promise.all(
      Array.from({ length: 12 }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519')))
    )
    for (const value of [...aliceClaims, ...profiles]) {
      await Promise.resolve(validators['parley-name']?.(key, value)).catch(() => {})
      await Promise.resolve(validators['parley-profile']?.(profileKey(alicePeer), value)).catch(() => {})
    }
    heap = await HeapWatch.start()
  })

  after(async () => {
    await heap.assertFlat()
    unhandled.assertNone()
    unhandled.dispose()
  })

  const uint64 = fc.oneof(
    fc.bigInt({ min: 0n, max: 10n }),
    fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    fc.constantFrom(0n, 5n, 6n, (1n << 53n) - 1n, 1n << 53n, (1n << 64n) - 1n)
  )
  const time = fc.oneof(
    fc.integer({ min: NOW - 100 * HOUR, max: NOW + 100 * HOUR }).map(BigInt),
    fc.constantFrom(0n, BigInt(NOW), BigInt(NOW + MAX_RECORD_LIFETIME_MS), (1n << 64n) - 1n)
  )
  const peerBytes = (): fc.Arbitrary<Uint8Array> =>
    fc.oneof(
      fc.constant(alicePeer.toMultihash().bytes),
      fc
        .uint8Array({ minLength: 32, maxLength: 32 })
        .map(k => Uint8Array.from([0x00, 0x24, 0x08, 0x01, 0x12, 0x20, ...k])),
      fc.uint8Array({ maxLength: 40 })
    )
  const structuredClaim = (): fc.Arbitrary<Uint8Array> =>
    fc
      .record({
        name: fc.oneof(fc.constant(NAME), fc.constantFrom('Alice.Dev', 'alice.dev ', 'аlice.dev', 'al'), anyString(40)),
        peerId: peerBytes(),
        claimedAt: time,
        sequence: uint64,
        expiresAt: time,
        signature: fc.uint8Array({ minLength: 0, maxLength: 70 })
      })
      .map(({ signature, ...body }) =>
        NameClaimRecord.encode({
          body: NameClaimBody.encode(body as NameClaimBody) as Uint8Array<ArrayBuffer>,
          signature: signature as Uint8Array<ArrayBuffer>
        })
      )
  const structuredProfile = (): fc.Arbitrary<Uint8Array> =>
    fc
      .record({
        peerId: peerBytes(),
        dhKey: fc.uint8Array({ minLength: 30, maxLength: 33 }),
        prekeyId: fc.nat(),
        prekey: fc.uint8Array({ minLength: 31, maxLength: 33 }),
        prekeySignature: fc.uint8Array({ maxLength: 65 }),
        addresses: fc.array(
          fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constant(multiaddr('/ip4/1.2.3.4/tcp/5').bytes)),
          {
            maxLength: 20
          }
        ),
        sequence: uint64,
        expiresAt: time,
        signature: fc.uint8Array({ maxLength: 70 })
      })
      .map(({ signature, ...body }) =>
        ProfileRecord.encode({
          body: ProfileBody.encode(body as ProfileBody) as Uint8Array<ArrayBuffer>,
          signature: signature as Uint8Array<ArrayBuffer>
        })
      )
  const anyKey = fc.oneof(
    { weight: 6, arbitrary: fc.constant(null) },
    fc
      .oneof(anyString(50), fc.constantFrom('ALICE.DEV', 'alice.dev', 'a..b', 'x'.repeat(200)))
      .map(s => new TextEncoder().encode(`/parley-name/${s}`)),
    randomBytes.map(b => Uint8Array.from([...new TextEncoder().encode('/parley-profile/'), ...b]))
  )

  /** Valid records with one signature bit flipped (the body intact). */
  const flippedSignature = (
    samples: Uint8Array[],
    codec: typeof NameClaimRecord | typeof ProfileRecord
  ): fc.Arbitrary<Uint8Array> =>
    fc.tuple(fc.constantFrom(...samples), fc.nat({ max: 511 })).map(([bytes, bit]) => {
      const { body, signature } = codec.decode(bytes)
      const flipped = signature.slice()
      flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7))
      return codec.encode({ body, signature: flipped })
    })

  it('name-claim validator: valid, or refused by name; a damaged claim never validates as a new one', async t => {
    const outcomes = new Outcomes()
    const validate = validators['parley-name'] as (k: Uint8Array, v: Uint8Array) => Promise<void>
    const input = fc.tuple(
      anyKey,
      fc.oneof(
        randomBytes,
        oversize.map(b => b.subarray(0, 5000)),
        { weight: 4, arbitrary: mutated(aliceClaims) },
        structuredClaim(),
        fc.constantFrom(...aliceClaims),
        flippedSignature(aliceClaims, NameClaimRecord)
      )
    )
    await fc.assert(
      fc.asyncProperty(input, async ([k, value]) => {
        const useKey = k ?? key
        try {
          await validate(useKey, value)
        } catch (err) {
          assertErrorName(err, RECORD_ERRORS, value)
          outcomes.error(err)
          return
        }
        outcomes.ok()
        // only Alice's signed bodies validate (re-encodings with unknown fields appended are the same claim)
        assert.ok(claimBodies.has(hex(NameClaimRecord.decode(value).body)), 'a damaged claim validated')
      }),
      fuzzParameters(RUNS)
    )
    t.diagnostic(outcomes.toString())
    outcomes.assertSeen(['ok', 'MalformedRecordError', 'InvalidSignatureError', 'RecordTooLargeError'])
  })

  it('profile validator: valid, or refused by name; a damaged profile never validates as a new one', async t => {
    const outcomes = new Outcomes()
    const validate = validators['parley-profile'] as (k: Uint8Array, v: Uint8Array) => Promise<void>
    const input = fc.tuple(
      anyKey,
      fc.oneof(
        randomBytes,
        { weight: 4, arbitrary: mutated(profiles) },
        structuredProfile(),
        fc.constantFrom(...profiles),
        flippedSignature(profiles, ProfileRecord)
      )
    )
    await fc.assert(
      fc.asyncProperty(input, async ([k, value]) => {
        try {
          await validate(k ?? profileKey(alicePeer), value)
        } catch (err) {
          assertErrorName(err, RECORD_ERRORS, value)
          outcomes.error(err)
          return
        }
        outcomes.ok()
        assert.ok(profileBodies.has(hex(ProfileRecord.decode(value).body)), 'a damaged profile validated')
      }),
      fuzzParameters(RUNS)
    )
    t.diagnostic(outcomes.toString())
    outcomes.assertSeen(['ok', 'MalformedRecordError', 'InvalidSignatureError'])
  })

  it('normalizeName: InvalidNameError, or a name within the rules that normalizes to itself', t => {
    const outcomes = new Outcomes()
    const confusable = fc.constantFrom(
      'ａｌｉｃｅ',
      'ALICE',
      'alice\u200b',
      'al\u0301ice',
      'ﬁle',
      'x.y',
      '-ab',
      'ab-',
      'a_b.c-d'
    )
    fc.assert(
      fc.property(fc.oneof(anyString(40), confusable, fc.stringMatching(/^[a-zA-Z0-9._-]{0,40}$/)), input => {
        let name: string
        try {
          name = normalizeName(input)
        } catch (err) {
          assertErrorName(err, ['InvalidNameError'], input)
          outcomes.error(err)
          return
        }
        outcomes.ok()
        assert.match(name, /^[a-z0-9][a-z0-9._-]{1,30}[a-z0-9]$/)
        assert.equal(normalizeName(name), name)
      }),
      fuzzParameters(RUNS)
    )
    t.diagnostic(outcomes.toString())
    outcomes.assertSeen(['ok', 'InvalidNameError'])
  })

  /** Mallory's claims for Alice's name with every field chosen by her: sequence, claim time, expiry. */
  const malloryClaim = fc
    .record({
      claimedAt: fc
        .oneof(fc.constantFrom(0, 1, NOW - 1000 * 24 * HOUR, NOW), fc.integer({ min: 0, max: NOW }))
        .filter(n => n < 2 ** 31 || n >= 2 ** 32),
      sequence: fc
        .oneof(fc.constantFrom(0n, 5n, 6n, (1n << 64n) - 1n), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }))
        // protons-runtime 7.1.2 mis-encodes uint64 bigints in [2^31, 2^32) (LongBits keeps the low word
        // signed, so length() says 1 byte): such a claim cannot even be made (reported in HANDOFF.md);
        // claimedAt above is filtered for the same reason
        .filter(n => n < 1n << 31n || n >= 1n << 32n),
      expiresAt: fc.oneof(
        fc.constantFrom(NOW + 24 * HOUR, NOW + MAX_RECORD_LIFETIME_MS, NOW + 1),
        fc.integer({ min: NOW + 1, max: NOW + MAX_RECORD_LIFETIME_MS })
      )
    })
    .map(async init => await createNameClaim(mallory, { name: NAME, ...init }))

  it("a storing node never gives Alice's live name to Mallory, whatever her claim says", async t => {
    const outcomes = new Outcomes()
    const validate = validators['parley-name'] as (k: Uint8Array, v: Uint8Array) => Promise<void>
    await fc.assert(
      fc.asyncProperty(malloryClaim, async pending => {
        const claim = await pending
        // her claim is well-formed and really hers: validators alone cannot refuse it
        await validate(key, claim)
        try {
          checkReplacement(key, live, claim, clock)
          assert.fail('Mallory replaced a live claim')
        } catch (err) {
          assertErrorName(err, ['NameTakenError'])
          outcomes.error(err)
        }
      }),
      fuzzParameters(SIGNED_RUNS)
    )
    t.diagnostic(outcomes.toString())
  })

  it('stale and equivocating claims of the owner are refused; an expired claim is free to take', async () => {
    // Alice's own older claims cannot roll the stored one back
    for (const old of aliceClaims.slice(0, 2)) {
      assert.throws(() => checkReplacement(key, live, old, clock), { name: 'StaleRecordError' })
    }
    // the same sequence with other bytes (equivocation)
    const twin = await createNameClaim(alice, {
      name: NAME,
      claimedAt: NOW - HOUR,
      sequence: 5n,
      expiresAt: NOW + 20 * HOUR
    })
    assert.throws(() => checkReplacement(key, live, twin, clock), { name: 'StaleRecordError' })
    // a newer claim of the owner replaces it
    const newer = await createNameClaim(alice, {
      name: NAME,
      claimedAt: NOW - HOUR,
      sequence: 6n,
      expiresAt: NOW + 20 * HOUR
    })
    checkReplacement(key, live, newer, clock)
    // once Alice's claim has expired, the name is free
    const later = { now: () => NOW + 25 * HOUR }
    const taker = await createNameClaim(mallory, {
      name: NAME,
      claimedAt: NOW,
      sequence: 1n,
      expiresAt: NOW + 40 * HOUR
    })
    checkReplacement(key, live, taker, later)
  })

  it("resolvers: an honest majority of storing peers decides, never Mallory's claim fields", async t => {
    const outcomes = new Outcomes()
    const aliceClaim = decodeNameClaim(live).claim
    const input = fc.record({
      claim: malloryClaim,
      honest: fc.integer({ min: 1, max: 6 }),
      hostileExtra: fc.integer({ min: -5, max: -1 }),
      order: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
      pin: fc.boolean()
    })
    await fc.assert(
      fc.asyncProperty(input, async ({ claim, honest, hostileExtra, order, pin }) => {
        const value = await claim
        const malloryDecoded: NameClaim = decodeNameClaim(value).claim
        const hostile = Math.max(0, honest + hostileExtra)
        const responses: ClaimResponse[] = [
          ...holders.slice(0, honest).map(from => ({ from, claim: aliceClaim, value: live })),
          ...holders.slice(honest, honest + hostile).map(from => ({ from, claim: malloryDecoded, value }))
        ]
        // any arrival order
        const shuffled = responses
          .map((r, i) => ({ r, k: order[i] ?? 0 }))
          .sort((a, b) => a.k - b.k)
          .map(x => x.r)
        const selection = selectClaim(key, shuffled, pin ? alicePeer : undefined)
        assert.ok(selection?.winner.claim.peerId.equals(alicePeer), 'Mallory won against an honest majority')
        outcomes.add(`honest ${honest} vs ${hostile}`)
        // a tie is decided by the resolver's pin when it has one
        const tie = selectClaim(
          key,
          [
            ...holders.slice(0, honest).map(from => ({ from, claim: aliceClaim, value: live })),
            ...holders.slice(honest, 2 * honest).map(from => ({ from, claim: malloryDecoded, value }))
          ],
          alicePeer
        )
        assert.ok(tie?.winner.claim.peerId.equals(alicePeer), 'a tie went against the pinned owner')
        assert.ok(!malloryPeer.equals(alicePeer))
      }),
      fuzzParameters(SIGNED_RUNS)
    )
    t.diagnostic(outcomes.toString())
  })

  it('a forged claim (Alice named as owner, signed by Mallory) never validates', async () => {
    await fc.assert(
      fc.asyncProperty(malloryClaim, async pending => {
        const record = NameClaimRecord.decode(await pending)
        const body = NameClaimBody.decode(record.body)
        const asAlice = NameClaimBody.encode({
          ...body,
          peerId: alicePeer.toMultihash().bytes as Uint8Array<ArrayBuffer>
        })
        const signature = await signWithDomain(mallory, SignatureDomain.NameClaim, asAlice)
        const forged = NameClaimRecord.encode({ body: asAlice, signature: signature as Uint8Array<ArrayBuffer> })
        await assert.rejects(
          (validators['parley-name'] as (k: Uint8Array, v: Uint8Array) => Promise<void>)(key, forged),
          { name: 'InvalidSignatureError' }
        )
      }),
      fuzzParameters(budget(50, 5000))
    )
  })
})
