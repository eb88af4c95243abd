/**
 * Peer ids parsed on the message path are remembered (ids.ts peerIdOf, envelope-peer.ts): the same
 * text or bytes give the same immutable value, and what does not parse is refused every time.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ed25519PeerFromBytes, peerIdBytes, peerIdBytesOfKey } from '../../node/messaging/envelope-peer.ts'
import { parsePeerId, peerIdOf } from '../../node/messaging/ids.ts'

describe('peer ids on the message path', () => {
  it('peerIdOf and parsePeerId give one value per text; a bad text throws (or is undefined) every time', async () => {
    const peerId = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const text = peerId.toString()
    const first = peerIdOf(text)
    assert.ok(first.equals(peerId))
    assert.equal(peerIdOf(`${text}`), first)
    assert.equal(parsePeerId(text), first)
    assert.throws(() => peerIdOf('not a peer id'))
    assert.throws(() => peerIdOf('not a peer id'))
    assert.equal(parsePeerId('alice'), undefined)
  })

  it('ed25519PeerFromBytes gives one value per byte string, whatever buffer holds it; garbage is undefined', async () => {
    const key = await generateKeyPair('Ed25519')
    const peerId = peerIdFromPrivateKey(key)
    const bytes = peerIdBytes(peerId)
    const a = ed25519PeerFromBytes(bytes)
    const copy = new Uint8Array(bytes.length + 3)
    copy.set(bytes, 3)
    const b = ed25519PeerFromBytes(copy.subarray(3))
    assert.ok(a?.peerId.equals(peerId))
    assert.equal(b, a)
    assert.deepEqual(peerIdBytesOfKey(key), bytes)
    const garbage = Uint8Array.of(1, 2, 3)
    assert.equal(ed25519PeerFromBytes(garbage), undefined)
    assert.equal(ed25519PeerFromBytes(garbage), undefined)
  })
})
