/** The profile's public contact queues (ProfileBody field 9, docs/PROTOCOL.md §2.2, §7.4). */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { generateKeyPair, generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { SignatureDomain, signPrekey, signWithDomain, x25519PublicKey } from '../../node/crypto/index.ts'
import { ProfileBody, ProfileRecord } from '../../node/names/pb/records.js'
import { createProfileRecord, profileKey, verifyProfileRecord } from '../../node/names/records.ts'

const key = await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(7))
const peer = peerIdFromPrivateKey(key)
const community = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
const prekey = await signPrekey(key, { id: 1, publicKey: x25519PublicKey(new Uint8Array(32).fill(3)) })
const NOW = Date.UTC(2026, 0, 1)
const at = { now: () => NOW }

async function record(mailboxes: Array<{ community: string; addresses: string[]; queueId: Uint8Array }>) {
  return await createProfileRecord(key, {
    dhKey: x25519PublicKey(new Uint8Array(32).fill(2)),
    prekey,
    addresses: [multiaddr('/ip4/127.0.0.1/tcp/4001')],
    sequence: 1n,
    expiresAt: NOW + 3600_000,
    mailboxes
  })
}

/** Re-signs a hand-made body (what the encoder would never write). */
async function resigned(patch: (body: ProfileBody) => void): Promise<Uint8Array> {
  const body = ProfileBody.decode(ProfileRecord.decode(await record([])).body)
  patch(body)
  const encoded = ProfileBody.encode(body)
  const signature = (await signWithDomain(key, SignatureDomain.Profile, encoded)) as Uint8Array<ArrayBuffer>
  return ProfileRecord.encode({ body: encoded, signature })
}

const queue = (n: number) => ({
  community,
  addresses: ['/ip4/198.18.0.10/tcp/4001'],
  queueId: new Uint8Array(16).fill(n)
})

describe('profile mailboxes (field 9)', () => {
  test('round-trip of 0..3; the encoder publishes at most 3', async () => {
    for (const n of [0, 1, 3]) {
      const list = Array.from({ length: n }, (_, i) => queue(i))
      const p = await verifyProfileRecord(profileKey(peer), await record(list), at)
      assert.deepEqual(p.mailboxes, list)
    }
    const p = await verifyProfileRecord(profileKey(peer), await record([queue(1), queue(2), queue(3), queue(4)]), at)
    assert.equal(p.mailboxes.length, 3)
  })

  test('refuses, by name, a profile whose mailboxes break the rules', async () => {
    const communityBytes = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toMultihash().bytes
    const good = {
      community: communityBytes,
      addresses: [multiaddr('/ip4/1.2.3.4/tcp/1').bytes],
      queueId: new Uint8Array(16)
    }
    const bad: Array<(b: ProfileBody) => void> = [
      b => {
        b.mailboxes = [1, 2, 3, 4].map(() => ({ ...good }))
      },
      b => {
        b.mailboxes = [{ ...good, queueId: new Uint8Array(15) }]
      },
      b => {
        b.mailboxes = [{ ...good, community: new Uint8Array([1, 2, 3]) }]
      },
      b => {
        b.mailboxes = [{ ...good, addresses: [new Uint8Array([0xff, 0xff])] }]
      },
      b => {
        b.mailboxes = [{ ...good, addresses: Array.from({ length: 9 }, () => good.addresses[0]!) }]
      }
    ]
    for (const patch of bad) {
      await assert.rejects(verifyProfileRecord(profileKey(peer), await resigned(patch), at), {
        name: 'MalformedRecordError'
      })
    }
  })
})
