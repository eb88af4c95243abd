import type { PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { randomBytes } from '../crypto/primitives.ts'
import { MESSAGE_ID_LENGTH } from './envelope-constants.ts'

/** Message ids are 16 bytes on the wire and 32 lower-case hex characters everywhere else. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

export function fromHex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'))
}

/** A new message id: 128 random bits, as hex. Every outbox entry has one (a message, a receipt, a group frame to one member). */
export function newMessageId(): string {
  return hex(randomBytes(MESSAGE_ID_LENGTH))
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b)
}

/** Peer ids parsed from their text, oldest first: the message path parses the same few for every message. */
const parsed = new Map<string, PeerId>()
const PARSED_MAX = 1024

/** peerIdFromString, remembered for the last PARSED_MAX ids (a PeerId is an immutable value). Throws like it. */
export function peerIdOf(text: string): PeerId {
  let peerId = parsed.get(text)
  if (peerId === undefined) {
    peerId = peerIdFromString(text)
    if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value!)
    parsed.set(text, peerId)
  }
  return peerId
}

/** An Ed25519 peer id (base58btc or CIDv1 base32 text), or undefined for anything else (a name). */
export function parsePeerId(text: string): PeerId | undefined {
  if (!/^[1-9A-HJ-NP-Za-km-z]{40,60}$/.test(text) && !/^b[a-z2-7]{50,70}$/.test(text)) return undefined
  try {
    const peerId = peerIdOf(text)
    return peerId.type === 'Ed25519' ? peerId : undefined
  } catch {
    return undefined
  }
}
