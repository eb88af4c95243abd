import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { generateX25519KeyPair } from '../../node/crypto/primitives.ts'
import { SignatureDomain, signWithDomain } from '../../node/crypto/signing.ts'
import {
  assertSignedPrekey,
  prekeySignaturePayload,
  signPrekey,
  verifySignedPrekey,
  x3dhAssociatedData,
  x3dhInitiate,
  x3dhRespond
} from '../../node/crypto/x3dh.ts'
import { hex, utf8 } from './fixtures.ts'

describe('signed prekeys', () => {
  it('signs u32be(id) || public in the Prekey domain and verifies', async () => {
    const identity = await generateKeyPair('Ed25519')
    const prekey = generateX25519KeyPair()
    const signed = await signPrekey(identity, { id: 0x01020304, publicKey: prekey.publicKey })
    assert.equal(hex(prekeySignaturePayload(0x01020304, prekey.publicKey)), '01020304' + hex(prekey.publicKey))
    assert.equal(await verifySignedPrekey(identity.publicKey, signed), true)
    await assertSignedPrekey(identity.publicKey, signed)
    // The same signature is what signWithDomain(Prekey) makes (Ed25519 is deterministic).
    const direct = await signWithDomain(
      identity,
      SignatureDomain.Prekey,
      prekeySignaturePayload(signed.id, prekey.publicKey)
    )
    assert.deepEqual(direct, signed.signature)
  })

  it('rejects a changed id, key or signature, another identity and another domain', async () => {
    const identity = await generateKeyPair('Ed25519')
    const other = await generateKeyPair('Ed25519')
    const prekey = generateX25519KeyPair()
    const signed = await signPrekey(identity, { id: 7, publicKey: prekey.publicKey })
    const flipped = signed.signature.slice()
    flipped[0]! ^= 1
    const cases = [
      { ...signed, id: 8 },
      { ...signed, publicKey: generateX25519KeyPair().publicKey },
      { ...signed, signature: flipped },
      { ...signed, publicKey: signed.publicKey.subarray(0, 31) },
      { ...signed, id: -1 },
      {
        ...signed,
        signature: await signWithDomain(identity, SignatureDomain.Profile, prekeySignaturePayload(7, prekey.publicKey))
      }
    ]
    for (const bad of cases) {
      assert.equal(await verifySignedPrekey(identity.publicKey, bad), false)
    }
    assert.equal(await verifySignedPrekey(other.publicKey, signed), false)
    await assert.rejects(assertSignedPrekey(other.publicKey, signed), { name: 'InvalidPrekeySignatureError' })
  })
})

describe('X3DH', () => {
  const setup = () => {
    const aliceIk = generateX25519KeyPair()
    const bobIk = generateX25519KeyPair()
    const bobSpk = generateX25519KeyPair()
    return { aliceIk, bobIk, bobSpk, aliceId: utf8('alice-peer-id'), bobId: utf8('bob-peer-id') }
  }

  it('gives initiator and responder the same secret and associated data', () => {
    const { aliceIk, bobIk, bobSpk, aliceId, bobId } = setup()
    const a = x3dhInitiate({
      identityDhKeyPair: aliceIk,
      initiatorId: aliceId,
      responderId: bobId,
      responderIdentityDhKey: bobIk.publicKey,
      responderPrekey: { id: 3, publicKey: bobSpk.publicKey }
    })
    assert.deepEqual(a.init.identityDhKey, aliceIk.publicKey)
    assert.equal(a.init.prekeyId, 3)
    const b = x3dhRespond({
      identityDhKeyPair: bobIk,
      prekeyKeyPair: bobSpk,
      initiatorId: aliceId,
      responderId: bobId,
      init: a.init
    })
    assert.equal(a.sharedSecret.length, 32)
    assert.deepEqual(b.sharedSecret, a.sharedSecret)
    assert.deepEqual(b.associatedData, a.associatedData)
    assert.deepEqual(a.associatedData, x3dhAssociatedData(aliceId, aliceIk.publicKey, bobId, bobIk.publicKey))
  })

  it('derives a different secret with another prekey, identity key or ephemeral key', () => {
    const { aliceIk, bobIk, bobSpk, aliceId, bobId } = setup()
    const a = x3dhInitiate({
      identityDhKeyPair: aliceIk,
      initiatorId: aliceId,
      responderId: bobId,
      responderIdentityDhKey: bobIk.publicKey,
      responderPrekey: { id: 3, publicKey: bobSpk.publicKey }
    })
    const respond = (over: object) =>
      x3dhRespond({
        identityDhKeyPair: bobIk,
        prekeyKeyPair: bobSpk,
        initiatorId: aliceId,
        responderId: bobId,
        init: a.init,
        ...over
      }).sharedSecret
    assert.notDeepEqual(respond({ prekeyKeyPair: generateX25519KeyPair() }), a.sharedSecret)
    assert.notDeepEqual(respond({ identityDhKeyPair: generateX25519KeyPair() }), a.sharedSecret)
    assert.notDeepEqual(
      respond({ init: { ...a.init, ephemeralKey: generateX25519KeyPair().publicKey } }),
      a.sharedSecret
    )
    assert.notDeepEqual(
      respond({ init: { ...a.init, identityDhKey: generateX25519KeyPair().publicKey } }),
      a.sharedSecret
    )
    // Other peer ids: same secret, different associated data (the ratchet's AEAD then fails).
    const moved = x3dhRespond({
      identityDhKeyPair: bobIk,
      prekeyKeyPair: bobSpk,
      initiatorId: utf8('mallory'),
      responderId: bobId,
      init: a.init
    })
    assert.notDeepEqual(moved.associatedData, a.associatedData)
  })

  it('lays out the associated data with length-prefixed ids', () => {
    const ad = x3dhAssociatedData(utf8('ab'), new Uint8Array(32).fill(1), utf8('c'), new Uint8Array(32).fill(2))
    assert.equal(hex(ad), '00026162' + '000163' + '01'.repeat(32) + '02'.repeat(32))
    assert.throws(() => x3dhAssociatedData(new Uint8Array(0), new Uint8Array(32), utf8('c'), new Uint8Array(32)), {
      name: 'RangeError'
    })
    assert.throws(() => x3dhAssociatedData(utf8('a'), new Uint8Array(31), utf8('c'), new Uint8Array(32)), {
      name: 'InvalidKeyError'
    })
  })
})
