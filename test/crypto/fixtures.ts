/** Shared fixtures for the crypto and messaging tests (not a test file itself). */
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { generateX25519KeyPair, type RandomSource, type X25519KeyPair } from '../../node/crypto/primitives.ts'
import { type SignedPrekey, signPrekey } from '../../node/crypto/x3dh.ts'

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

export function fromHex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'))
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

/** 32 bytes of `byte`. */
export function filled(byte: number, length = 32): Uint8Array {
  return new Uint8Array(length).fill(byte)
}

/** A RandomSource that hands out the given byte strings in order and fails when they run out. */
export function fixedRandom(values: Uint8Array[]): RandomSource & { remaining: () => number } {
  const queue = [...values]
  const random = (length: number): Uint8Array => {
    const next = queue.shift()
    if (next == null) {
      throw new Error('fixedRandom: out of values')
    }
    if (next.length !== length) {
      throw new Error(`fixedRandom: asked for ${length} bytes, next value has ${next.length}`)
    }
    return next
  }
  return Object.assign(random, { remaining: () => queue.length })
}

/** RFC 7748 §6.1 X25519 test keys. */
export const RFC7748 = {
  alicePrivate: '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
  alicePublic: '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
  bobPrivate: '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb',
  bobPublic: 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f',
  shared: '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742'
}

/** A messaging party: account key, X25519 identity DH key and a signed prekey (id 1). */
export interface Person {
  key: PrivateKey
  peerId: PeerId
  ik: X25519KeyPair
  spk: X25519KeyPair
  signedPrekey: SignedPrekey
}

export async function person(): Promise<Person> {
  const key = await generateKeyPair('Ed25519')
  const ik = generateX25519KeyPair()
  const spk = generateX25519KeyPair()
  const signedPrekey = await signPrekey(key, { id: 1, publicKey: spk.publicKey })
  return { key, peerId: peerIdFromPrivateKey(key), ik, spk, signedPrekey }
}
