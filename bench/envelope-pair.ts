/**
 * Two parties with real identities and an established Double Ratchet session, exchanging envelopes
 * through the real node/messaging code (no network, no storage): the unit that figures 1, 2 and 5
 * are built on.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Ed25519PrivateKey, PeerId } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { generateX25519KeyPair, type RatchetSession, type X25519KeyPair } from '../node/crypto/index.ts'
import {
  decryptEnvelope,
  encodeFrame,
  initiateSession,
  type MessagePayload,
  openAck,
  openEnvelope,
  respondSession,
  sealEnvelope,
  signAck
} from '../node/messaging/envelope.ts'

/** The text of a latency probe: a typical short chat line. */
export const LATENCY_TEXT = 'Latency probe: a short chat line, about the size people type. 0123456789'

/** Exactly 1 KiB of markdown: the message size of the throughput figure. */
export const KIB_TEXT = 'x'.repeat(1024)

export interface Party {
  key: Ed25519PrivateKey
  peerId: PeerId
  dh: X25519KeyPair
  prekey: X25519KeyPair
}

/** One party's side: its session with the other (used both ways) and its outgoing sequence and hash chain. */
interface Side {
  session: RatchetSession | undefined
  seq: number
  prevHash: Uint8Array | undefined
}

export async function createParty(): Promise<Party> {
  const key = await generateKeyPair('Ed25519')
  return { key, peerId: peerIdFromPrivateKey(key), dh: generateX25519KeyPair(), prekey: generateX25519KeyPair() }
}

export function textPayload(markdown: string): MessagePayload {
  return { content: { type: 'text', markdown } }
}

/**
 * Alice and Bob with one session between them, driven through the real seal/open/decrypt/ack code.
 * Sessions, sequence numbers and hash chains advance exactly as the messaging layer advances them.
 */
export class EnvelopePair {
  readonly alice: Party
  readonly bob: Party
  /** 'alice' holds Alice's session with Bob and Alice's outgoing chain */
  readonly #sides: { alice: Side; bob: Side }

  private constructor(alice: Party, bob: Party) {
    this.alice = alice
    this.bob = bob
    this.#sides = {
      alice: { session: undefined, seq: 0, prevHash: undefined },
      bob: { session: undefined, seq: 0, prevHash: undefined }
    }
  }

  /** A pair whose session is established both ways (X3DH done, one reply decrypted, ratchet turned). */
  static async establish(): Promise<EnvelopePair> {
    const pair = new EnvelopePair(await createParty(), await createParty())
    pair.#sides.alice.session = initiateSession({
      identityDhKeyPair: pair.alice.dh,
      localPeerId: pair.alice.peerId,
      remotePeerId: pair.bob.peerId,
      remoteIdentityDhKey: pair.bob.dh.publicKey,
      remotePrekey: { id: 1, publicKey: pair.bob.prekey.publicKey }
    })
    await pair.deliver('alice', textPayload('hello'))
    await pair.deliver('bob', textPayload('hi'))
    await pair.deliver('alice', textPayload('how are you'))
    return pair
  }

  /** Seals the next envelope from `from`; returns the frame bytes and commits the sender's state. */
  async seal(from: 'alice' | 'bob', payload: MessagePayload): Promise<{ frame: Uint8Array; bytes: Uint8Array }> {
    const side = this.#sides[from]
    const sender = from === 'alice' ? this.alice : this.bob
    const recipient = from === 'alice' ? this.bob : this.alice
    if (side.session == null) {
      throw new Error(`${from} has no session yet`)
    }
    const sealed = await sealEnvelope({
      senderKey: sender.key,
      recipient: recipient.peerId,
      session: side.session,
      payload,
      seq: side.seq + 1,
      prevHash: side.prevHash
    })
    side.session = sealed.session
    side.seq++
    side.prevHash = sealed.hash
    return { frame: encodeFrame({ envelope: sealed.bytes }), bytes: sealed.bytes }
  }

  /**
   * One message through every cryptographic step of a delivery: seal (sender), open + decrypt +
   * signAck (recipient), openAck (sender).
   */
  async deliver(from: 'alice' | 'bob', payload: MessagePayload): Promise<void> {
    const to = from === 'alice' ? 'bob' : 'alice'
    const sender = from === 'alice' ? this.alice : this.bob
    const recipient = from === 'alice' ? this.bob : this.alice
    const { bytes } = await this.seal(from, payload)
    const opened = await openEnvelope(bytes, { localPeerId: recipient.peerId })
    const back = this.#sides[to]
    const session =
      back.session ??
      respondSession(opened, {
        identityDhKeyPair: recipient.dh,
        localPeerId: recipient.peerId,
        getPrekey: id => (id === 1 ? recipient.prekey : undefined)
      })
    const decrypted = decryptEnvelope(opened, session)
    back.session = decrypted.session
    const ack = await signAck({ receiverKey: recipient.key, sender: sender.peerId, messageIds: [opened.id] })
    await openAck(ack, { localPeerId: sender.peerId, expectedReceiver: recipient.peerId })
  }
}
