import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generateX25519KeyPair, sha256 } from '../../node/crypto/primitives.ts'
import {
  bucketFor,
  MAX_SEALED_FRAME,
  openBlob,
  SEALED_BUCKETS,
  SEALED_OVERHEAD,
  sealBlob
} from '../../node/mailbox/sealed.ts'

function frame(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff
  return out
}

describe('sealed blobs (§7.3)', () => {
  const bob = generateX25519KeyPair()

  it('round-trips frames at every bucket boundary, padded to the smallest bucket that fits', () => {
    let previous = 0
    for (const bucket of SEALED_BUCKETS) {
      const largest = bucket - SEALED_OVERHEAD
      for (const length of [previous, previous + 1, largest - 1, largest]) {
        if (length < 0) continue
        const f = frame(length)
        const blob = sealBlob(f, bob.publicKey)
        assert.equal(blob.length, bucket, `frame of ${length} bytes`)
        assert.deepEqual(openBlob(blob, bob), f)
      }
      // one byte more goes to the next bucket
      if (bucket !== SEALED_BUCKETS.at(-1)) assert.ok(bucketFor(largest + 1) > bucket)
      assert.equal(bucketFor(largest), bucket)
      previous = largest + 1
    }
    assert.equal(bucketFor(0), 1024)
    assert.equal(MAX_SEALED_FRAME, 65536 - SEALED_OVERHEAD)
  })

  it('refuses a frame larger than the largest bucket by name', () => {
    assert.throws(() => sealBlob(frame(MAX_SEALED_FRAME + 1), bob.publicKey), { name: 'SealedTooLargeError' })
  })

  it('matches a fixed vector (deterministic ephemeral key)', () => {
    const eph = generateX25519KeyPair(n => new Uint8Array(n).fill(0x11))
    const recipient = generateX25519KeyPair(n => new Uint8Array(n).fill(0x22))
    const blob = sealBlob(new TextEncoder().encode('parley'), recipient.publicKey, eph)
    assert.equal(blob.length, 1024)
    assert.equal(blob[0], 1)
    assert.deepEqual(blob.subarray(1, 33), eph.publicKey)
    assert.equal(Buffer.from(sha256(blob)).toString('hex'), VECTOR_SHA256)
    assert.equal(new TextDecoder().decode(openBlob(blob, recipient)), 'parley')
  })

  it('two seals of one frame differ (fresh ephemeral key each time)', () => {
    const f = frame(100)
    assert.notDeepEqual(sealBlob(f, bob.publicKey), sealBlob(f, bob.publicKey))
  })

  it('refuses a blob sealed to another key', () => {
    const blob = sealBlob(frame(50), generateX25519KeyPair().publicKey)
    assert.throws(() => openBlob(blob, bob), { name: 'SealedBlobError' })
  })

  it('refuses any flipped byte: version, ephemeral key, ciphertext, tag', () => {
    const blob = sealBlob(frame(300), bob.publicKey)
    for (const i of [0, 1, 20, 32, 33, 40, 500, blob.length - 17, blob.length - 1]) {
      const bad = blob.slice()
      bad[i]! ^= 0x01
      assert.throws(() => openBlob(bad, bob), { name: 'SealedBlobError' }, `byte ${i}`)
    }
  })

  it('refuses junk, truncated and extended blobs, and wrong lengths', () => {
    const blob = sealBlob(frame(10), bob.publicKey)
    for (const bad of [
      new Uint8Array(0),
      new Uint8Array(1024),
      new Uint8Array(1024).fill(1),
      blob.subarray(0, 1023),
      new Uint8Array([...blob, 0]),
      new Uint8Array(2048),
      crypto.getRandomValues(new Uint8Array(4096))
    ]) {
      assert.throws(() => openBlob(bad, bob), { name: 'SealedBlobError' })
    }
  })

  it('refuses a correctly sealed blob whose length field or padding lies', async () => {
    // built by hand with the same key schedule: a length beyond the blob, then non-zero padding
    const { hkdf, dh, aeadEncrypt } = await import('../../node/crypto/primitives.ts')
    const eph = generateX25519KeyPair()
    const seal = (padded: Uint8Array): Uint8Array => {
      const salt = new Uint8Array([...eph.publicKey, ...bob.publicKey])
      const okm = hkdf(dh(eph.privateKey, bob.publicKey), salt, 'parley/sealed/1', 44)
      const aad = new Uint8Array([1, ...eph.publicKey, ...bob.publicKey])
      const ct = aeadEncrypt(okm.subarray(0, 32), okm.subarray(32), padded, aad)
      return new Uint8Array([1, ...eph.publicKey, ...ct])
    }
    const padded = new Uint8Array(1024 - 49)
    new DataView(padded.buffer).setUint32(0, padded.length)
    assert.throws(() => openBlob(seal(padded), bob), { name: 'SealedBlobError' })
    const padded2 = new Uint8Array(1024 - 49)
    new DataView(padded2.buffer).setUint32(0, 3)
    padded2[100] = 1
    assert.throws(() => openBlob(seal(padded2), bob), { name: 'SealedBlobError' })
    padded2[100] = 0
    assert.deepEqual(openBlob(seal(padded2), bob), new Uint8Array(3))
  })
})

const VECTOR_SHA256 = 'f6c12517d1a97c9cc871b422e091cb286254a2cb8b5dc1341822a8c41be456d9'
