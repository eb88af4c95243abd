import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  aeadDecrypt,
  aeadEncrypt,
  bytesEqual,
  dh,
  generateX25519KeyPair,
  hkdf,
  hmac,
  randomBytes,
  sha256,
  x25519PublicKey
} from '../../node/crypto/primitives.ts'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { SignatureDomain, signWithDomain, verifyWithDomain } from '../../node/crypto/signing.ts'
import { filled, fixedRandom, fromHex, hex, RFC7748, utf8 } from './fixtures.ts'

describe('X25519', () => {
  it('matches the RFC 7748 §6.1 vectors', () => {
    assert.equal(hex(x25519PublicKey(fromHex(RFC7748.alicePrivate))), RFC7748.alicePublic)
    assert.equal(hex(x25519PublicKey(fromHex(RFC7748.bobPrivate))), RFC7748.bobPublic)
    assert.equal(hex(dh(fromHex(RFC7748.alicePrivate), fromHex(RFC7748.bobPublic))), RFC7748.shared)
    assert.equal(hex(dh(fromHex(RFC7748.bobPrivate), fromHex(RFC7748.alicePublic))), RFC7748.shared)
  })

  it('generates key pairs whose DH agrees, from OpenSSL or from injected randomness', () => {
    const a = generateX25519KeyPair()
    const b = generateX25519KeyPair(fixedRandom([fromHex(RFC7748.bobPrivate)]))
    assert.equal(hex(b.publicKey), RFC7748.bobPublic)
    assert.equal(a.privateKey.length, 32)
    assert.equal(a.publicKey.length, 32)
    assert.deepEqual(x25519PublicKey(a.privateKey), a.publicKey)
    assert.deepEqual(dh(a.privateKey, b.publicKey), dh(b.privateKey, a.publicKey))
    assert.notDeepEqual(generateX25519KeyPair().privateKey, a.privateKey)
  })

  it('rejects a low-order public key (all-zero shared secret) with InvalidKeyError', () => {
    const a = generateX25519KeyPair()
    assert.throws(() => dh(a.privateKey, new Uint8Array(32)), { name: 'InvalidKeyError' })
    // order-8 point from the Curve25519 low-order list (RFC 7748 implementations' blocklist)
    const lowOrder = fromHex('e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800')
    assert.throws(() => dh(a.privateKey, lowOrder), { name: 'InvalidKeyError' })
  })

  it('rejects keys of the wrong length with InvalidKeyError', () => {
    const a = generateX25519KeyPair()
    assert.throws(() => dh(a.privateKey, new Uint8Array(31)), { name: 'InvalidKeyError' })
    assert.throws(() => dh(new Uint8Array(33), a.publicKey), { name: 'InvalidKeyError' })
    assert.throws(() => x25519PublicKey(new Uint8Array(0)), { name: 'InvalidKeyError' })
  })
})

describe('hashes and KDFs', () => {
  it('SHA-256 matches FIPS 180-2 "abc"', () => {
    assert.equal(hex(sha256(utf8('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('HMAC-SHA256 matches RFC 4231 test cases 1 and 2', () => {
    assert.equal(
      hex(hmac(filled(0x0b, 20), utf8('Hi There'))),
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'
    )
    assert.equal(
      hex(hmac(utf8('Jefe'), utf8('what do ya want for nothing?'))),
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'
    )
  })

  it('HKDF-SHA256 matches RFC 5869 test cases 1 and 3', () => {
    const okm1 = hkdf(filled(0x0b, 22), fromHex('000102030405060708090a0b0c'), fromHex('f0f1f2f3f4f5f6f7f8f9'), 42)
    assert.equal(hex(okm1), '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865')
    const okm3 = hkdf(filled(0x0b, 22), new Uint8Array(0), new Uint8Array(0), 42)
    assert.equal(hex(okm3), '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8')
  })
})

describe('AES-256-GCM', () => {
  it('matches the GCM spec test case 14 (zero key, zero IV, one zero block)', () => {
    const out = aeadEncrypt(new Uint8Array(32), new Uint8Array(12), new Uint8Array(16), new Uint8Array(0))
    assert.equal(hex(out), 'cea7403d4d606b6e074ec5d3baf39d18' + 'd0d1c8a799996bf0265b98b5d48ab919')
  })

  it('round-trips and authenticates ciphertext, tag and associated data', () => {
    const key = randomBytes(32)
    const nonce = randomBytes(12)
    const ad = utf8('header')
    const sealed = aeadEncrypt(key, nonce, utf8('secret text'), ad)
    assert.equal(sealed.length, 'secret text'.length + 16)
    assert.deepEqual(aeadDecrypt(key, nonce, sealed, ad), utf8('secret text'))
    for (const i of [0, 5, sealed.length - 1]) {
      const tampered = sealed.slice()
      tampered[i]! ^= 1
      assert.throws(() => aeadDecrypt(key, nonce, tampered, ad), { name: 'DecryptError' })
    }
    assert.throws(() => aeadDecrypt(key, nonce, sealed, utf8('headeR')), { name: 'DecryptError' })
    assert.throws(() => aeadDecrypt(randomBytes(32), nonce, sealed, ad), { name: 'DecryptError' })
    assert.throws(() => aeadDecrypt(key, randomBytes(12), sealed, ad), { name: 'DecryptError' })
    assert.throws(() => aeadDecrypt(key, nonce, sealed.subarray(0, 15), ad), { name: 'DecryptError' })
  })

  it('encrypts the empty plaintext to a bare tag', () => {
    const key = randomBytes(32)
    const nonce = randomBytes(12)
    const sealed = aeadEncrypt(key, nonce, new Uint8Array(0), new Uint8Array(0))
    assert.equal(sealed.length, 16)
    assert.equal(aeadDecrypt(key, nonce, sealed, new Uint8Array(0)).length, 0)
  })
})

describe('bytesEqual', () => {
  it('compares contents and lengths', () => {
    assert.equal(bytesEqual(utf8('ab'), utf8('ab')), true)
    assert.equal(bytesEqual(utf8('ab'), utf8('ac')), false)
    assert.equal(bytesEqual(utf8('ab'), utf8('abc')), false)
  })
})

describe('domain-separated Ed25519 signatures', () => {
  it('verify the same on this thread and on the thread pool: valid, tampered, another domain, bad length', async () => {
    const key = await generateKeyPair('Ed25519')
    const other = await generateKeyPair('Ed25519')
    const payload = utf8('an envelope body')
    const signature = await signWithDomain(key, SignatureDomain.Envelope, payload)
    for (const offThread of [false, true]) {
      const check = (k: typeof key, domain: SignatureDomain, p: Uint8Array, s: Uint8Array): Promise<boolean> =>
        verifyWithDomain(k.publicKey, domain, p, s, { offThread })
      assert.equal(
        await check(key, SignatureDomain.Envelope, payload, signature),
        true,
        `valid (offThread ${offThread})`
      )
      assert.equal(await check(other, SignatureDomain.Envelope, payload, signature), false, 'another key')
      assert.equal(await check(key, SignatureDomain.Ack, payload, signature), false, 'another domain')
      assert.equal(await check(key, SignatureDomain.Envelope, utf8('an envelope bodY'), signature), false, 'tampered')
      const flipped = signature.slice()
      flipped[10]! ^= 1
      assert.equal(await check(key, SignatureDomain.Envelope, payload, flipped), false, 'a flipped signature bit')
      assert.equal(await check(key, SignatureDomain.Envelope, payload, signature.subarray(0, 63)), false, 'short')
    }
  })
})
