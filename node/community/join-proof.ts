/**
 * The member's proof on the join protocol: an Ed25519 signature, in its own signature domain, of
 * the community's and the member's peer ids, the node's fresh nonce and the link's secret
 * (docs/PROTOCOL.md §6.2). Binding both peer ids keeps a proof made for one community or one
 * member from counting for another; the nonce keeps it from being replayed.
 */
import type { PeerId, PrivateKey, PublicKey } from '@libp2p/interface'
import { SignatureDomain, signWithDomain, verifyWithDomain } from '../crypto/signing.ts'
import { JoinProof } from './pb/community.js'

export interface JoinProofFields {
  community: PeerId
  member: PeerId
  nonce: Uint8Array
  secret: Uint8Array
}

/** The bytes the member signs (after the domain prefix). */
export function joinProofBytes(fields: JoinProofFields): Uint8Array {
  return JoinProof.encode({
    community: new Uint8Array(fields.community.toMultihash().bytes),
    member: new Uint8Array(fields.member.toMultihash().bytes),
    nonce: new Uint8Array(fields.nonce),
    secret: new Uint8Array(fields.secret)
  })
}

export async function signJoinProof(key: PrivateKey, fields: JoinProofFields): Promise<Uint8Array> {
  return await signWithDomain(key, SignatureDomain.CommunityJoin, joinProofBytes(fields))
}

export async function verifyJoinProof(
  key: PublicKey,
  fields: JoinProofFields,
  signature: Uint8Array
): Promise<boolean> {
  return await verifyWithDomain(key, SignatureDomain.CommunityJoin, joinProofBytes(fields), signature)
}
