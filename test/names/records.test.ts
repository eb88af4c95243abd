import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import type { SelectFn, ValidateFn } from '@libp2p/kad-dht'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { SignatureDomain, signPrekey, signWithDomain, x25519PublicKey } from '../../node/crypto/index.ts'
import { MAX_RECORD_BYTES, MAX_RECORD_LIFETIME_MS } from '../../node/names/constants.ts'
import { normalizeName } from '../../node/names/name-rules.ts'
import { NameClaimBody, NameClaimRecord, ProfileBody, ProfileRecord } from '../../node/names/pb/records.js'
import {
  createNameClaim,
  createProfileRecord,
  nameKey,
  profileKey,
  verifyNameClaim,
  verifyProfileRecord
} from '../../node/names/records.ts'
import { fingerprint, safetyNumber } from '../../node/names/safety-number.ts'
import {
  checkReplacement,
  recordSelectors,
  recordValidators,
  selectNameClaim,
  selectProfile
} from '../../node/names/validators.ts'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const fromHex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'))

const T0 = 1_700_000_000_000
const EXPIRES = T0 + 86_400_000
const at = (t: number) => ({ now: () => t })

const key1 = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(1))
const key2 = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(9))
const peer1 = peerIdFromPrivateKey(key1)
const peer2 = peerIdFromPrivateKey(key2)
const prekey1 = await signPrekey(key1, { id: 7, publicKey: x25519PublicKey(new Uint8Array(32).fill(3)) })

/** docs/PROTOCOL.md §2.7 */
const CLAIM_VECTOR =
  '0a3f0a05616c69636512260024080112208a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c1880d095ffbc312001288088afa8bd3112400044b2bfe2ef073ba91263d8fb239a896fec33a3f85843fe7e24706c42b60233c2c0e586e46335169b50ba47fc9b2c2113c1ceffd2fd027cf162b6558c7f660c'
const PROFILE_VECTOR =
  '0ac3010a260024080112208a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c1220ce8d3ad1ccb633ec7b70c17814a5c76ecd029685050d344745ba05870e587d59180722205dfedd3b6bd47f6fa28ee15d969d5bb0ea53774d488bdaf9df1c6e0124b3ef222a4015c17f77d9835e1ea4767c512657e5075004257360a264b45e382c575b0b1d7f81a5e502cec0cc36347fc1961ab2b6256dcb82a8621c39e213551ebf1e3acf043208047f000001060fa13801408088afa8bd311240da6bf39616d45bd069d24b2c715b71a0591cdbb4718947afbd06e326943e143b9b249b63cf8ccdb43909a33c153522cde5e8ad03c5881eb126776a5bfdb2790d'

async function claim(
  overrides: Partial<{ name: string; claimedAt: number; sequence: bigint; expiresAt: number }> = {},
  key = key1
) {
  return await createNameClaim(key, { name: 'alice', claimedAt: T0, sequence: 1n, expiresAt: EXPIRES, ...overrides })
}

async function profile(overrides: Partial<{ sequence: bigint; expiresAt: number }> = {}, key = key1) {
  const prekey =
    key === key1 ? prekey1 : await signPrekey(key, { id: 1, publicKey: x25519PublicKey(new Uint8Array(32).fill(4)) })
  return await createProfileRecord(key, {
    dhKey: x25519PublicKey(new Uint8Array(32).fill(2)),
    prekey,
    addresses: [multiaddr('/ip4/127.0.0.1/tcp/4001')],
    sequence: 1n,
    expiresAt: EXPIRES,
    ...overrides
  })
}

/** Re-signs a hand-made body (for rejections the encoder would never produce). */
async function signedClaimBody(body: Partial<NameClaimBody>, key = key1): Promise<Uint8Array> {
  const encoded = NameClaimBody.encode({
    name: 'alice',
    peerId: key.publicKey.toMultihash().bytes as Uint8Array<ArrayBuffer>,
    claimedAt: BigInt(T0),
    sequence: 1n,
    expiresAt: BigInt(EXPIRES),
    ...body
  })
  const signature = (await signWithDomain(key, SignatureDomain.NameClaim, encoded)) as Uint8Array<ArrayBuffer>
  return NameClaimRecord.encode({ body: encoded, signature })
}

describe('name rules', () => {
  test('NFKC, lower case, allowed characters', () => {
    assert.equal(normalizeName('Alice.Dev'), 'alice.dev')
    assert.equal(normalizeName('ＡＬＩＣＥ'), 'alice') // full-width letters fold under NFKC
    assert.equal(normalizeName('a_b-c.9'), 'a_b-c.9')
  })
  for (const [input, rule] of [
    ['ab', /at least 3/],
    ['a'.repeat(33), /at most 32/],
    ['x'.repeat(500), /at most 32/],
    ['x!y', /may contain only/],
    ['héllo', /may contain only/],
    ['-abc', /start and end/],
    ['abc.', /start and end/]
  ] as const) {
    test(`InvalidNameError for ${JSON.stringify(input.slice(0, 12))}`, () => {
      assert.throws(() => normalizeName(input), { name: 'InvalidNameError', message: rule })
    })
  }
})

describe('record vectors', () => {
  test('keys', () => {
    assert.equal(hex(nameKey('Alice')), '2f7061726c65792d6e616d652f616c696365')
    assert.equal(
      hex(profileKey(peer1)),
      '2f7061726c65792d70726f66696c652f0024080112208a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c'
    )
  })

  test('name claim encodes to the vector and decodes back', async () => {
    assert.equal(hex(await claim()), CLAIM_VECTOR)
    const c = await verifyNameClaim(nameKey('alice'), fromHex(CLAIM_VECTOR), at(T0))
    assert.equal(c.name, 'alice')
    assert.ok(c.peerId.equals(peer1))
    assert.equal(c.claimedAt, T0)
    assert.equal(c.sequence, 1n)
    assert.equal(c.expiresAt, EXPIRES)
  })

  test('profile encodes to the vector and decodes back', async () => {
    assert.equal(hex(await profile()), PROFILE_VECTOR)
    const p = await verifyProfileRecord(profileKey(peer1), fromHex(PROFILE_VECTOR), at(T0))
    assert.ok(p.peerId.equals(peer1))
    assert.deepEqual(p.dhKey, x25519PublicKey(new Uint8Array(32).fill(2)))
    assert.equal(p.prekey.id, 7)
    assert.deepEqual(
      p.addresses.map(a => a.toString()),
      ['/ip4/127.0.0.1/tcp/4001']
    )
    assert.equal(p.sequence, 1n)
    assert.equal(p.expiresAt, EXPIRES)
  })

  test('safety numbers and fingerprints', () => {
    assert.equal(fingerprint(peer1), '79754 08507 77936 00534 17112 46353')
    assert.equal(fingerprint(peer2), '65229 05558 89800 90833 91894 00330')
    const n = '65229 05558 89800 90833 91894 00330 79754 08507 77936 00534 17112 46353'
    assert.equal(safetyNumber(peer1, peer2), n)
    assert.equal(safetyNumber(peer2, peer1), n)
  })
})

describe('encoding limits', () => {
  test('uint64 values protons-runtime 7 mis-encodes are refused before signing', async () => {
    await assert.rejects(claim({ sequence: 2n ** 31n }), { name: 'RangeError' })
    await assert.rejects(profile({ sequence: 2n ** 32n - 1n }), { name: 'RangeError' })
    await verifyNameClaim(nameKey('alice'), await claim({ sequence: 2n ** 31n - 1n }), at(T0))
    await verifyNameClaim(nameKey('alice'), await claim({ sequence: 2n ** 32n }), at(T0))
  })
})

describe('validator rejections, by error name', () => {
  const validators = recordValidators(at(T0))

  test('forged signature (claim and profile)', async () => {
    const value = await claim()
    const record = NameClaimRecord.decode(value)
    record.signature[0]! ^= 1
    await assert.rejects(verifyNameClaim(nameKey('alice'), NameClaimRecord.encode(record), at(T0)), {
      name: 'InvalidSignatureError'
    })
    const p = ProfileRecord.decode(await profile())
    p.signature[5]! ^= 1
    await assert.rejects(verifyProfileRecord(profileKey(peer1), ProfileRecord.encode(p), at(T0)), {
      name: 'InvalidSignatureError'
    })
  })

  test('claim signed by another key than the peer id it names', async () => {
    const value = await signedClaimBody({}, key2)
    const record = NameClaimRecord.decode(value)
    const body = NameClaimBody.decode(record.body)
    body.peerId = key1.publicKey.toMultihash().bytes as Uint8Array<ArrayBuffer>
    const forged = NameClaimRecord.encode({ body: NameClaimBody.encode(body), signature: record.signature })
    await assert.rejects(verifyNameClaim(nameKey('alice'), forged, at(T0)), { name: 'InvalidSignatureError' })
  })

  test('signature of another domain (a profile signature reused on a claim)', async () => {
    const body = NameClaimRecord.decode(await claim()).body
    const signature = (await signWithDomain(key1, SignatureDomain.Profile, body)) as Uint8Array<ArrayBuffer>
    await assert.rejects(verifyNameClaim(nameKey('alice'), NameClaimRecord.encode({ body, signature }), at(T0)), {
      name: 'InvalidSignatureError'
    })
  })

  test('forged prekey signature in a profile', async () => {
    const record = ProfileRecord.decode(await profile())
    const body = ProfileBody.decode(record.body)
    body.prekeySignature[0]! ^= 1
    const encoded = ProfileBody.encode(body)
    const signature = (await signWithDomain(key1, SignatureDomain.Profile, encoded)) as Uint8Array<ArrayBuffer>
    await assert.rejects(
      verifyProfileRecord(profileKey(peer1), ProfileRecord.encode({ body: encoded, signature }), at(T0)),
      {
        name: 'InvalidSignatureError'
      }
    )
  })

  test('key mismatch: a claim under another name, a profile under another peer id', async () => {
    await assert.rejects(verifyNameClaim(nameKey('bobby'), await claim(), at(T0)), { name: 'KeyMismatchError' })
    await assert.rejects(verifyProfileRecord(profileKey(peer2), await profile(), at(T0)), { name: 'KeyMismatchError' })
    const value = await claim()
    await assert.rejects(async () => await validators['parley-name']!(nameKey('bobby'), value), {
      name: 'KeyMismatchError'
    })
  })

  test('expired', async () => {
    await assert.rejects(verifyNameClaim(nameKey('alice'), await claim(), at(EXPIRES)), { name: 'RecordExpiredError' })
    await assert.rejects(verifyProfileRecord(profileKey(peer1), await profile(), at(EXPIRES + 1)), {
      name: 'RecordExpiredError'
    })
  })

  test('expiry too far ahead (more than the 35-day bound + skew)', async () => {
    const far = T0 + MAX_RECORD_LIFETIME_MS + 11 * 60_000
    await assert.rejects(verifyNameClaim(nameKey('alice'), await claim({ expiresAt: far }), at(T0)), {
      name: 'ExpiryTooFarError'
    })
    await assert.rejects(verifyProfileRecord(profileKey(peer1), await profile({ expiresAt: far }), at(T0)), {
      name: 'ExpiryTooFarError'
    })
    // the bound exactly is fine
    await verifyNameClaim(nameKey('alice'), await claim({ expiresAt: T0 + MAX_RECORD_LIFETIME_MS }), at(T0))
  })

  test('oversize: refused before parsing', async () => {
    const big = new Uint8Array(MAX_RECORD_BYTES + 1)
    await assert.rejects(verifyNameClaim(nameKey('alice'), big, at(T0)), { name: 'RecordTooLargeError' })
    await assert.rejects(verifyProfileRecord(profileKey(peer1), big, at(T0)), { name: 'RecordTooLargeError' })
  })

  test('junk bytes', async () => {
    const junk = Uint8Array.of(0xff, 0xff, 0xff, 0xff)
    await assert.rejects(verifyNameClaim(nameKey('alice'), junk, at(T0)), { name: 'MalformedRecordError' })
    await assert.rejects(verifyProfileRecord(profileKey(peer1), junk, at(T0)), { name: 'MalformedRecordError' })
    // a well-formed record whose peer id is not a multihash
    await assert.rejects(
      verifyNameClaim(nameKey('alice'), await signedClaimBody({ peerId: Uint8Array.of(1, 2, 3) }), at(T0)),
      { name: 'MalformedRecordError' }
    )
  })

  test('bad name: in the key, and in a signed claim', async () => {
    const bad = new TextEncoder().encode('/parley-name/Alice')
    await assert.rejects(verifyNameClaim(bad, await claim(), at(T0)), { name: 'InvalidNameError' })
    const badClaim = await signedClaimBody({ name: 'a!' })
    await assert.rejects(verifyNameClaim(nameKey('alice'), badClaim, at(T0)), { name: 'InvalidNameError' })
  })
})

describe('selectors and the storing rule', () => {
  test('name selector: the owner held by most responses, never the highest sequence', async () => {
    const a = await claim({ sequence: 5n })
    const b = await claim({ sequence: 1_000_000n, claimedAt: 1 }, key2)
    assert.equal(await selectNameClaim(nameKey('alice'), [b, a, a]), 1)
    const a6 = await claim({ sequence: 6n })
    assert.equal(await selectNameClaim(nameKey('alice'), [b, a, a6]), 2)
  })

  test('profile selector: highest sequence', async () => {
    const p1 = await profile({ sequence: 1n })
    const p2 = await profile({ sequence: 2n })
    assert.equal(await selectProfile(profileKey(peer1), [p1, p2, p1]), 1)
  })

  test('a live claim never gives way to another key, whatever its sequence or claim time', async () => {
    const held = await claim({ sequence: 5n })
    const attack = await claim({ sequence: 10n ** 15n, claimedAt: 0 }, key2)
    assert.throws(() => checkReplacement(nameKey('alice'), held, attack, at(T0)), { name: 'NameTakenError' })
    // once lapsed, it does
    checkReplacement(nameKey('alice'), held, attack, at(EXPIRES + 1))
  })

  test('the owner renews with a higher sequence; rollback and equivocation are refused', async () => {
    const held = await claim({ sequence: 5n })
    checkReplacement(nameKey('alice'), held, await claim({ sequence: 6n }), at(T0))
    checkReplacement(nameKey('alice'), held, held, at(T0))
    const older = await claim({ sequence: 4n })
    assert.throws(() => checkReplacement(nameKey('alice'), held, older, at(T0)), { name: 'StaleRecordError' })
    const equivocation = await claim({ sequence: 5n, expiresAt: EXPIRES - 1 })
    assert.throws(() => checkReplacement(nameKey('alice'), held, equivocation, at(T0)), { name: 'StaleRecordError' })
  })

  test('profiles never roll back', async () => {
    const held = await profile({ sequence: 3n })
    const older = await profile({ sequence: 2n })
    assert.throws(() => checkReplacement(profileKey(peer1), held, older, at(T0)), { name: 'StaleRecordError' })
    checkReplacement(profileKey(peer1), held, await profile({ sequence: 4n }), at(T0))
  })
})

test('validators and selectors refuse every namespace of Object.prototype, in the table kad-dht builds from them', async () => {
  // kad-dht 16 copies ours into a plain object next to its own and looks them up by a peer's namespace
  const validators: Record<string, ValidateFn> = { pk: async () => {}, ...recordValidators() }
  const selectors: Record<string, SelectFn> = { pk: () => 0, ...recordSelectors() }
  const junk = new TextEncoder().encode('junk')
  for (const namespace of Object.getOwnPropertyNames(Object.prototype)) {
    const key = new TextEncoder().encode(`/${namespace}/x`)
    assert.equal(typeof validators[namespace], 'function', namespace)
    await assert.rejects(async () => validators[namespace]!(key, junk), { name: 'UnknownNamespaceError' }, namespace)
    assert.throws(() => selectors[namespace]!(key, [junk]), { name: 'UnknownNamespaceError' }, namespace)
  }
  assert.equal(Object.getPrototypeOf(validators), Object.prototype, 'the table is a plain object, as in kad-dht')
})
