/**
 * A stranger on the Parley network: a real libp2p node with a fresh Parley identity that joins the
 * DHT, reads a recipient's signed profile from it and writes a first message (X3DH start, signed
 * envelope) over /parley/dm/1.0.0, announcing whatever name it likes. The announced name is the
 * sender's to choose on the wire (docs/PROTOCOL.md: a hint, never verified), which an honest
 * daemon never lets it choose freely: this is the peer that tests what a receiver shows of it.
 */
import type { PeerId } from '@libp2p/interface'
import { identityFromKeys, generateIdentityKeys, type Identity } from '../../node/identity/index.ts'
import { DM_PROTOCOL } from '../../node/messaging/constants.ts'
import { writeEnvelopes } from '../../node/messaging/dm-stream.ts'
import { initiateSession, type MessagePayload, sealEnvelope } from '../../node/messaging/envelope.ts'
import { decodeProfile, profileKey } from '../../node/names/records.ts'
import { createParleyLibp2p, type ParleyLibp2p } from '../../node/p2p/index.ts'
import { eventually } from './cli.ts'

export interface Stranger {
  identity: Identity
  libp2p: ParleyLibp2p
  /** Sends one first message to `recipient`; resolves with the number of acks (1 when stored). */
  write(recipient: PeerId, payload: MessagePayload): Promise<number>
  stop(): Promise<void>
}

export async function startStranger(bootstrap: string[]): Promise<Stranger> {
  const identity = await identityFromKeys(await generateIdentityKeys(), true)
  const libp2p = await createParleyLibp2p({
    privateKey: identity.privateKey,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    mdns: false,
    bootstrap
  })
  await eventually(async () => libp2p.getConnections().length > 0, 30_000)

  const profileOf = async (peerId: PeerId): Promise<ReturnType<typeof decodeProfile>['profile']> =>
    await eventually(async () => {
      try {
        for await (const event of libp2p.services.dht.get(profileKey(peerId), {
          signal: AbortSignal.timeout(10_000)
        })) {
          if (event.name === 'VALUE') return decodeProfile(event.value).profile
        }
      } catch {}
      return undefined
    }, 60_000)

  return {
    identity,
    libp2p,
    async write(recipient, payload) {
      const profile = await profileOf(recipient)
      const session = initiateSession({
        identityDhKeyPair: identity.dhKeyPair,
        localPeerId: identity.peerId,
        remotePeerId: recipient,
        remoteIdentityDhKey: profile.dhKey,
        remotePrekey: profile.prekey
      })
      const sealed = await sealEnvelope({ senderKey: identity.privateKey, recipient, session, payload, seq: 1 })
      const stream = await libp2p.dialProtocol(profile.addresses, DM_PROTOCOL, { signal: AbortSignal.timeout(30_000) })
      return await writeEnvelopes(stream, [sealed.bytes], async () => 1, { signal: AbortSignal.timeout(30_000) })
    },
    async stop() {
      await libp2p.stop()
    }
  }
}
