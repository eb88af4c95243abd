/**
 * Fixed test vectors for the KDF chains and the first messages of a session (docs/PROTOCOL.md §3.9).
 * Every key and every random value is fixed, so an independent implementation can reproduce these
 * bytes exactly. The KDF steps are also recomputed here straight from their definitions.
 */
import assert from 'node:assert/strict'
import { createHmac, hkdfSync } from 'node:crypto'
import { describe, it } from 'node:test'
import {
  encodeHeaderForAead,
  kdfChain,
  kdfRoot,
  messageKeyMaterial,
  RatchetSession
} from '../../node/crypto/double-ratchet.ts'
import { x25519PublicKey } from '../../node/crypto/primitives.ts'
import { x3dhInitiate, x3dhRespond } from '../../node/crypto/x3dh.ts'
import { filled, fixedRandom, fromHex, hex, RFC7748, utf8 } from './fixtures.ts'

const aliceIk = { privateKey: fromHex(RFC7748.alicePrivate), publicKey: fromHex(RFC7748.alicePublic) }
const bobIk = { privateKey: fromHex(RFC7748.bobPrivate), publicKey: fromHex(RFC7748.bobPublic) }
const bobSpk = { privateKey: filled(0x42), publicKey: x25519PublicKey(filled(0x42)) }
const ids = { initiatorId: utf8('alice'), responderId: utf8('bob') }

const V = {
  spkPublic: '132c442be010fbd57e72603328aa76e71fccc1503aae219327d14d9c9993f472',
  ekPublic: 'cdefd8783a91b446640e2e1f95599db35e484a0071bd2182b3b60d0812c10c70',
  sk: '2ec59ee06c200a8af4b685e87b424b2625b3416d6ce10927d448003f02ddf94b',
  ad:
    '0005616c696365' +
    '0003626f62' +
    '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a' +
    'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f',
  root: [
    '020734a208041a7fff18fd4b1f65c1a8cd25a4141b16ce65b9c92096bf059def',
    '0ea9e4150f25b2758b2075e72bca3514a8a3a77733f707ad1f7062f4e09c8050'
  ],
  chain: [
    [
      'aa6fa3f949be2b2cc7de5a18e7f65fee5fb78488f588d53196a63e66ad67ad12',
      'cfbf8f5595e5f186a92161efb3ebb946d3aa706c2df70eed5152741bdb1e7bde'
    ],
    [
      '5365301678081ea1b86566db52e7dc6fcf13a45cb805dd5b9810726965160740',
      'd86e899befcd4b854b98bcf25ee6166541e0af803c10a4fe2f09b20c2bc56b24'
    ],
    [
      'b4bbb9aaf17b5cdde64892387ba0d321c6ae3d085cae20d3947507f63cd98210',
      '8b6ada284eb9f372042996223d412f469d8d0bd8dd7d7a331178086eaee1789f'
    ]
  ],
  messageKey: ['3e53e3bac1a522aef9493615cf3fe1676c31dd9b036496d03e4d4d2c353e500f', '554d9cdcaaaf350f67499e0f'],
  init: '01' + RFC7748.alicePublic + 'cdefd8783a91b446640e2e1f95599db35e484a0071bd2182b3b60d0812c10c70' + '00000001',
  aliceRatchet1: 'ff2ee45601ec1b67310c7790404585ae697331eee1c1f8cf2419731c1fff3e6b',
  bobRatchet1: '3286894cd2845a6db6a28fbf0677605f80e5a62385bf4e10a790ae5fde36736b',
  aliceRatchet2: 'a28a7c44ede257d664fbf156affa7da8abb3ae74b9fee8d7a2078543504e1a75',
  m1: '847b4165271e78c4655a7d3489fbac272fa73a605bc23949be',
  m2: '73043225214be4b2b769f9f4b13c62209b44a8e30ef1',
  r1: 'c910356d0b8d0a13813a6c2ad7af3044e09d5481cfc79955',
  m3: '4e2c24592bd04aef72684055cae101ae7c4f0f1dbd',
  // both counters non-zero: PN = 2 (Alice's first chain had 2 messages), N = 1
  m4: 'b30ec332ba94ddee4cdac2381716140f73604df18ba4'
}

describe('test vectors: KDF chains', () => {
  it('KDF_RK(rk = 0x01×32, dh = 0x02×32)', () => {
    const [rk, ck] = kdfRoot(filled(0x01), filled(0x02))
    assert.deepEqual([hex(rk), hex(ck)], V.root)
    // Definition: HKDF-SHA256(salt = rk, ikm = dh, info = "parley/ratchet/root/1", 64)
    const okm = Buffer.from(hkdfSync('sha256', filled(0x02), filled(0x01), 'parley/ratchet/root/1', 64))
    assert.deepEqual([okm.subarray(0, 32).toString('hex'), okm.subarray(32).toString('hex')], V.root)
  })

  it('KDF_CK three steps from ck = 0x03×32', () => {
    let ck = filled(0x03)
    for (const [expectedMk, expectedCk] of V.chain) {
      const definitionMk = createHmac('sha256', ck).update(Uint8Array.of(1)).digest('hex')
      const definitionCk = createHmac('sha256', ck).update(Uint8Array.of(2)).digest('hex')
      const [next, mk] = kdfChain(ck)
      assert.deepEqual([hex(mk), hex(next)], [expectedMk, expectedCk])
      assert.deepEqual([definitionMk, definitionCk], [expectedMk, expectedCk])
      ck = next
    }
  })

  it('message key material from mk = 0x04×32', () => {
    const { key, nonce } = messageKeyMaterial(filled(0x04))
    assert.deepEqual([hex(key), hex(nonce)], V.messageKey)
    const okm = Buffer.from(hkdfSync('sha256', filled(0x04), new Uint8Array(32), 'parley/ratchet/message/1', 44))
    assert.deepEqual([okm.subarray(0, 32).toString('hex'), okm.subarray(32).toString('hex')], V.messageKey)
  })
})

describe('test vectors: X3DH and the first messages', () => {
  it('X3DH from RFC 7748 identity keys, SPK = X25519(0x42×32), EK = X25519(0x43×32)', () => {
    assert.equal(hex(bobSpk.publicKey), V.spkPublic)
    const a = x3dhInitiate({
      identityDhKeyPair: aliceIk,
      ...ids,
      responderIdentityDhKey: bobIk.publicKey,
      responderPrekey: { id: 1, publicKey: bobSpk.publicKey },
      random: fixedRandom([filled(0x43)])
    })
    assert.equal(hex(a.init.ephemeralKey), V.ekPublic)
    assert.equal(hex(a.sharedSecret), V.sk)
    assert.equal(hex(a.associatedData), V.ad)
    const b = x3dhRespond({ identityDhKeyPair: bobIk, prekeyKeyPair: bobSpk, ...ids, init: a.init })
    assert.equal(hex(b.sharedSecret), V.sk)
  })

  it('Alice: "Hello Bob", "second"; Bob: "Hi Alice"; Alice: "third", "fourth" (raw UTF-8 plaintexts)', () => {
    const aliceRandom = fixedRandom([filled(0x43), filled(0x44), filled(0x46)])
    let alice = RatchetSession.initiate({
      identityDhKeyPair: aliceIk,
      ...ids,
      responderIdentityDhKey: bobIk.publicKey,
      responderPrekey: { id: 1, publicKey: bobSpk.publicKey },
      random: aliceRandom
    })
    const m1 = alice.encrypt(utf8('Hello Bob'))
    const m2 = m1.session.encrypt(utf8('second'))
    alice = m2.session
    assert.equal(hex(encodeHeaderForAead(m1.header)), V.aliceRatchet1 + '00000000' + '00000000' + V.init)
    assert.equal(hex(m1.ciphertext), V.m1)
    assert.equal(hex(encodeHeaderForAead(m2.header)), V.aliceRatchet1 + '00000000' + '00000001' + V.init)
    assert.equal(hex(m2.ciphertext), V.m2)

    let bob = RatchetSession.respond({ identityDhKeyPair: bobIk, prekeyKeyPair: bobSpk, ...ids, init: m1.header.init! })
    const d1 = bob.decrypt(m1.header, m1.ciphertext, { random: fixedRandom([filled(0x45)]) })
    const d2 = d1.session.decrypt(m2.header, m2.ciphertext)
    assert.deepEqual([d1.plaintext, d2.plaintext], [utf8('Hello Bob'), utf8('second')])
    const r1 = d2.session.encrypt(utf8('Hi Alice'))
    bob = r1.session
    assert.equal(hex(encodeHeaderForAead(r1.header)), V.bobRatchet1 + '00000000' + '00000000' + '00')
    assert.equal(hex(r1.ciphertext), V.r1)

    const d3 = alice.decrypt(r1.header, r1.ciphertext, { random: aliceRandom })
    assert.deepEqual(d3.plaintext, utf8('Hi Alice'))
    assert.equal(aliceRandom.remaining(), 0)
    const m3 = d3.session.encrypt(utf8('third'))
    assert.equal(hex(encodeHeaderForAead(m3.header)), V.aliceRatchet2 + '00000002' + '00000000' + '00')
    assert.equal(hex(m3.ciphertext), V.m3)
    const b3 = bob.decrypt(m3.header, m3.ciphertext)
    assert.deepEqual(b3.plaintext, utf8('third'))
    const m4 = m3.session.encrypt(utf8('fourth'))
    assert.equal(hex(encodeHeaderForAead(m4.header)), V.aliceRatchet2 + '00000002' + '00000001' + '00')
    assert.equal(hex(m4.ciphertext), V.m4)
    assert.deepEqual(b3.session.decrypt(m4.header, m4.ciphertext).plaintext, utf8('fourth'))
  })
})
