/**
 * Fixed test vectors for the first envelope of a session and its ack (docs/PROTOCOL.md §3.9):
 * Ed25519 identities from the seeds 0x01×32 (Alice) and 0x02×32 (Bob), the X25519 keys of the crypto
 * vectors (test/crypto/vectors.test.ts), message id 0x10×16, fixed times.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { x25519PublicKey } from '../../node/crypto/primitives.ts'
import { signPrekey, verifySignedPrekey } from '../../node/crypto/x3dh.ts'
import {
  decryptEnvelope,
  encodeFrame,
  initiateSession,
  openAck,
  openEnvelope,
  peerIdBytes,
  respondSession,
  sealEnvelope,
  signAck
} from '../../node/messaging/envelope.ts'
import { fingerprint } from '../../node/messaging/fingerprint.ts'
import { RatchetHeader } from '../../node/messaging/pb/dm.js'
import { openSessionReset, signSessionReset } from '../../node/messaging/session-reset.ts'
import { filled, fixedRandom, fromHex, hex, RFC7748 } from '../crypto/fixtures.ts'

const V = {
  alice: '12D3KooWK99VoVxNE7XzyBwXEzW7xhK7Gpv85r9F3V3fyKSUKPH5',
  aliceBytes: '0024080112208a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c',
  bob: '12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq',
  bobBytes: '0024080112208139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b394',
  prekeySignature:
    'afc5dc51c9ab534c9aaf459feea7ced7eb8acfe5be35f6b467af439fcd1ccfd5' +
    '50339835f5ee351051f98fb215df2a88d22a41411f861297c86931ff559bf10e',
  envelope:
    '0a81020a10101010101010101010101010101010' +
    '1012260024080112208a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c' +
    '1a260024080112208139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b394' +
    '2080d095ffbc31' +
    '2801' +
    '3a6a0a20ff2ee45601ec1b67310c7790404585ae697331eee1c1f8cf2419731c1fff3e6b' +
    '22460a208520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a' +
    '1220cdefd8783a91b446640e2e1f95599db35e484a0071bd2182b3b60d0812c10c701801' +
    '4228c6112704005b56c7681eecc2d5606300dfe9c3a9f6a0becb1101b2f8d0473836d6592497522d515f' +
    '12406e9e0aea4ddcde0ad04316076ff43e99701b222d36c4f4deebdcc4eb7faa7b34546848a517cc5ea7405f32fbc9860214262def88ede5a39eebbeef54577a380c',
  hash: 'ff613b6176c00c6df0522160a4d189f019581a58c99046a5b08d016045dcba8c',
  ack:
    '0a690a260024080112208139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b394' +
    '12260024080112208a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c' +
    '1a1010101010101010101010101010101010' +
    '20f4d395ffbc31' +
    '1240a6c3fc36a86ba7a647150d3482fe02f63ad2833d8f55e3f5f976b1a89dfdddbbd511efdd70637ff04aac13d5a9f8ceb710986c00f92473c6e729d41fa963ad0b'
}

describe('test vectors: the first envelope and its ack', () => {
  it('reproduces the peer ids, the prekey signature, the envelope, its hash and the ack byte for byte', async () => {
    const aliceKey = await generateKeyPairFromSeed('Ed25519', filled(0x01))
    const bobKey = await generateKeyPairFromSeed('Ed25519', filled(0x02))
    const alice = peerIdFromPrivateKey(aliceKey)
    const bob = peerIdFromPrivateKey(bobKey)
    assert.equal(alice.toString(), V.alice)
    assert.equal(bob.toString(), V.bob)
    assert.equal(hex(peerIdBytes(alice)), V.aliceBytes)
    assert.equal(hex(peerIdBytes(bob)), V.bobBytes)

    const spk = { privateKey: filled(0x42), publicKey: x25519PublicKey(filled(0x42)) }
    const signedPrekey = await signPrekey(bobKey, { id: 1, publicKey: spk.publicKey })
    assert.equal(hex(signedPrekey.signature), V.prekeySignature)
    assert.equal(await verifySignedPrekey(bobKey.publicKey, signedPrekey), true)

    const session = initiateSession({
      identityDhKeyPair: { privateKey: fromHex(RFC7748.alicePrivate), publicKey: fromHex(RFC7748.alicePublic) },
      localPeerId: alice,
      remotePeerId: bob,
      remoteIdentityDhKey: fromHex(RFC7748.bobPublic),
      remotePrekey: signedPrekey,
      random: fixedRandom([filled(0x43), filled(0x44)])
    })
    const sealed = await sealEnvelope({
      senderKey: aliceKey,
      recipient: bob,
      session,
      payload: { content: { type: 'text', markdown: 'Hello **Bob**' }, senderName: 'alice' },
      seq: 1,
      sentAt: 1_700_000_000_000,
      id: filled(0x10, 16)
    })
    assert.equal(hex(sealed.bytes), V.envelope)
    assert.equal(hex(sealed.hash), V.hash)
    assert.equal(hex(encodeFrame({ envelope: sealed.bytes }).subarray(0, 3)), '0ac602')

    const opened = await openEnvelope(fromHex(V.envelope), { localPeerId: bob })
    assert.equal(hex(opened.hash), V.hash)
    const bobSession = respondSession(opened, {
      identityDhKeyPair: { privateKey: fromHex(RFC7748.bobPrivate), publicKey: fromHex(RFC7748.bobPublic) },
      localPeerId: bob,
      getPrekey: id => (id === 1 ? spk : undefined)
    })
    assert.deepEqual(decryptEnvelope(opened, bobSession).payload, {
      content: { type: 'text', markdown: 'Hello **Bob**' },
      senderName: 'alice'
    })

    const ack = await signAck({
      receiverKey: bobKey,
      sender: alice,
      messageIds: [filled(0x10, 16)],
      ackedAt: 1_700_000_000_500
    })
    assert.equal(hex(ack), V.ack)
    const openedAck = await openAck(fromHex(V.ack), { localPeerId: alice, expectedReceiver: bob })
    assert.deepEqual(openedAck.messageIds, [filled(0x10, 16)])
  })
})

describe('wire vectors: RatchetHeader and SessionInit field numbers, session reset (docs/PROTOCOL.md §3.9, §3.12)', () => {
  const aliceRatchet1 = 'ff2ee45601ec1b67310c7790404585ae697331eee1c1f8cf2419731c1fff3e6b'
  const aliceRatchet2 = 'a28a7c44ede257d664fbf156affa7da8abb3ae74b9fee8d7a2078543504e1a75'
  const ekA = 'cdefd8783a91b446640e2e1f95599db35e484a0071bd2182b3b60d0812c10c70'

  it('"fourth" (PN = 2, N = 1) and "second" (N = 1, with init) as protobuf RatchetHeader', () => {
    const fourth = '0a20' + aliceRatchet2 + '1002' + '1801'
    assert.equal(
      hex(
        RatchetHeader.encode({
          ratchetKey: fromHex(aliceRatchet2) as Uint8Array<ArrayBuffer>,
          previousChainLength: 2,
          messageNumber: 1
        })
      ),
      fourth
    )
    const decoded = RatchetHeader.decode(fromHex(fourth))
    assert.deepEqual([decoded.previousChainLength, decoded.messageNumber, decoded.init], [2, 1, undefined])

    const second = '0a20' + aliceRatchet1 + '1801' + '2246' + '0a20' + RFC7748.alicePublic + '1220' + ekA + '1801'
    const withInit = RatchetHeader.decode(fromHex(second))
    assert.equal(withInit.messageNumber, 1)
    assert.equal(withInit.previousChainLength, 0)
    assert.equal(hex(withInit.init!.identityDhKey), RFC7748.alicePublic)
    assert.equal(hex(withInit.init!.ephemeralKey), ekA)
    assert.equal(withInit.init!.prekeyId, 1)
    assert.equal(hex(RatchetHeader.encode(withInit)), second)
  })

  it('the fingerprint of the seed 0x01×32 (§2.6)', async () => {
    const key = await generateKeyPairFromSeed('Ed25519', filled(0x01))
    assert.equal(fingerprint(peerIdFromPrivateKey(key)), '2ea9 9e04 b722 6ebb 0985')
  })

  it('Bob asks Alice to restart the session of the envelope vector', async () => {
    const aliceKey = await generateKeyPairFromSeed('Ed25519', filled(0x01))
    const bobKey = await generateKeyPairFromSeed('Ed25519', filled(0x02))
    const reset =
      '0a8401' +
      '0a26' +
      V.bobBytes +
      '1226' +
      V.aliceBytes +
      '1a10' +
      '10'.repeat(16) +
      '2220' +
      V.hash +
      '1240' +
      '256a05f9ad230e95368d5747aeaf31b0594314e3b507ac1734044a31fb9d9261' +
      '7fff997be7ebc836966401eaf424e386d2c55caca0922edea73b926c0030e00f'
    const signed = await signSessionReset({
      requesterKey: bobKey,
      sender: peerIdFromPrivateKey(aliceKey),
      envelopeId: filled(0x10, 16),
      envelopeHash: fromHex(V.hash),
      lastSeq: 0,
      lastHash: new Uint8Array(0)
    })
    assert.equal(hex(signed), reset)
    assert.equal(signed.length, 201)
    assert.equal(hex(encodeFrame({ sessionReset: signed }).subarray(0, 3)), '1ac901')
    const opened = await openSessionReset(fromHex(reset), {
      localPeerId: peerIdFromPrivateKey(aliceKey),
      expectedRequester: peerIdFromPrivateKey(bobKey)
    })
    assert.equal(hex(opened.envelopeHash), V.hash)
    assert.equal(opened.lastSeq, 0)
  })
})
