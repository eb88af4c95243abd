import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import { verifySignedPrekey, x25519PublicKey } from '../../node/crypto/index.ts'
import {
  decodeIdentityFile,
  encodeIdentityFile,
  identityFromKeys,
  loadOrCreateIdentity
} from '../../node/identity/index.ts'

/** Lowest scrypt cost the reader accepts: keeps the encrypted cases fast. */
const FAST = { logN: 10, r: 8, p: 1 }

const VECTOR_KEYS = {
  ed25519Seed: new Uint8Array(32).fill(1),
  dhPrivateKey: new Uint8Array(32).fill(2),
  prekeyId: 7,
  prekeyPrivateKey: new Uint8Array(32).fill(3),
  prekeySignature: Uint8Array.from(
    Buffer.from(
      '15c17f77d9835e1ea4767c512657e5075004257360a264b45e382c575b0b1d7f81a5e502cec0cc36347fc1961ab2b6256dcb82a8621c39e213551ebf1e3acf04',
      'hex'
    )
  ),
  createdAt: 1_700_000_000_000n
}
/** docs/PROTOCOL.md §1.2: an unencrypted identity file of the keys above. */
const VECTOR_FILE =
  '080112b1010a200101010101010101010101010101010101010101010101010101010101010101122002020202020202020202020202020202020202020202020202020202020202021807222003030303030303030303030303030303030303030303030303030303030303032a4015c17f77d9835e1ea4767c512657e5075004257360a264b45e382c575b0b1d7f81a5e502cec0cc36347fc1961ab2b6256dcb82a8621c39e213551ebf1e3acf043080d095ffbc31'

describe('identity file', () => {
  let dir: string
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-identity-'))
  })
  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  test('fixed vector: encoding, decoding and the derived peer id', async () => {
    assert.equal(Buffer.from(await encodeIdentityFile(VECTOR_KEYS)).toString('hex'), VECTOR_FILE)
    const keys = await decodeIdentityFile(Uint8Array.from(Buffer.from(VECTOR_FILE, 'hex')))
    assert.deepEqual(keys, VECTOR_KEYS)
    const identity = await identityFromKeys(keys)
    assert.equal(identity.peerId.toString(), '12D3KooWK99VoVxNE7XzyBwXEzW7xhK7Gpv85r9F3V3fyKSUKPH5')
    assert.deepEqual(identity.dhKeyPair.publicKey, x25519PublicKey(VECTOR_KEYS.dhPrivateKey))
  })

  test('created on first use with mode 0600, then loaded unchanged', async () => {
    const path = join(dir, 'plain.key')
    const first = await loadOrCreateIdentity(path, {})
    assert.equal(first.created, true)
    if (process.platform !== 'win32') assert.equal((await stat(path)).mode & 0o777, 0o600)
    const second = await loadOrCreateIdentity(path, {})
    assert.equal(second.created, false)
    assert.equal(second.peerId.toString(), first.peerId.toString())
    assert.deepEqual(second.privateKey.raw, first.privateKey.raw)
    assert.deepEqual(second.dhKeyPair, first.dhKeyPair)
    assert.deepEqual(second.prekey, first.prekey)
    assert.equal(first.peerId.type, 'Ed25519')
  })

  test('the prekey is signed by the account key', async () => {
    const identity = await loadOrCreateIdentity(join(dir, 'prekey.key'), {})
    const publicKey = publicKeyFromRaw(identity.privateKey.publicKey.raw)
    assert.ok(
      await verifySignedPrekey(publicKey, {
        id: identity.prekey.id,
        publicKey: identity.prekey.keyPair.publicKey,
        signature: identity.prekey.signature
      })
    )
  })

  test('concurrent first starts agree on one identity', async () => {
    const path = join(dir, 'race.key')
    const all = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateIdentity(path, {})))
    assert.equal(new Set(all.map(i => i.peerId.toString())).size, 1)
    assert.equal(all.filter(i => i.created).length, 1)
  })

  test('a loosened file mode is tightened to 0600 on load', { skip: process.platform === 'win32' }, async () => {
    const path = join(dir, 'loose.key')
    await loadOrCreateIdentity(path, {})
    const { chmod } = await import('node:fs/promises')
    await chmod(path, 0o644)
    await loadOrCreateIdentity(path, {})
    assert.equal((await stat(path)).mode & 0o777, 0o600)
  })

  test('passphrase: encrypted at rest, opened with the passphrase or the prompt', async () => {
    const path = join(dir, 'secret.key')
    const created = await loadOrCreateIdentity(path, { passphrase: 'correct horse', scryptCost: FAST })
    const bytes = await readFile(path)
    assert.equal(bytes.includes(Buffer.from(created.privateKey.raw.subarray(0, 32))), false, 'seed not in clear')
    const again = await loadOrCreateIdentity(path, { passphrase: 'correct horse' })
    assert.equal(again.peerId.toString(), created.peerId.toString())
    const asked: string[] = []
    const prompted = await loadOrCreateIdentity(path, {
      prompt: async q => {
        asked.push(q)
        return 'correct horse'
      }
    })
    assert.equal(prompted.peerId.toString(), created.peerId.toString())
    assert.equal(asked.length, 1)
  })

  test('passphrase: NFKC-equal passphrases open the same file', async () => {
    const path = join(dir, 'nfkc.key')
    const created = await loadOrCreateIdentity(path, { passphrase: 'caf\u00e9', scryptCost: FAST })
    const again = await loadOrCreateIdentity(path, { passphrase: 'cafe\u0301' })
    assert.equal(again.peerId.toString(), created.peerId.toString())
  })

  test('rejections by name: wrong or missing passphrase, tampering, junk, oversize, wrong version', async () => {
    const path = join(dir, 'reject.key')
    await loadOrCreateIdentity(path, { passphrase: 'pw', scryptCost: FAST })
    await assert.rejects(loadOrCreateIdentity(path, { passphrase: 'nope' }), { name: 'WrongPassphraseError' })
    await assert.rejects(loadOrCreateIdentity(path, {}), { name: 'PassphraseRequiredError' })

    const bytes = new Uint8Array(await readFile(path))
    const tampered = Uint8Array.from(bytes)
    tampered[tampered.length - 1]! ^= 1
    await assert.rejects(decodeIdentityFile(tampered, { passphrase: 'pw' }), { name: 'WrongPassphraseError' })

    await assert.rejects(decodeIdentityFile(Uint8Array.of(0xff, 0xff, 0xff)), { name: 'InvalidIdentityFileError' })
    await assert.rejects(decodeIdentityFile(new Uint8Array(5000)), { name: 'InvalidIdentityFileError' })
    const v2 = Uint8Array.from(Buffer.from(VECTOR_FILE, 'hex'))
    v2[1] = 2
    await assert.rejects(decodeIdentityFile(v2), { name: 'InvalidIdentityFileError' })
    // neither plain nor encrypted keys
    await assert.rejects(decodeIdentityFile(Uint8Array.of(0x08, 0x01)), { name: 'InvalidIdentityFileError' })
    // a key of the wrong length
    const short = { ...VECTOR_KEYS, dhPrivateKey: new Uint8Array(31) }
    await assert.rejects(decodeIdentityFile(await encodeIdentityFile(short)), { name: 'InvalidIdentityFileError' })

    const big = join(dir, 'big.key')
    await writeFile(big, new Uint8Array(10_000), { mode: 0o600 })
    await assert.rejects(loadOrCreateIdentity(big, {}), { name: 'InvalidIdentityFileError' })
  })

  test('a tampered scrypt cost is refused before any work', async () => {
    await assert.rejects(encodeIdentityFile(VECTOR_KEYS, { passphrase: 'pw', cost: { logN: 30, r: 8, p: 1 } }), {
      name: 'InvalidIdentityFileError'
    })
  })
})
