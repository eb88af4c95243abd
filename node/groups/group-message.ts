/**
 * A group message (docs/PROTOCOL.md §8.5): the content encrypted once with the next key of the
 * sender's chain, the body signed with the chain's signing key. Opening is in two steps: `readGroupMessage`
 * checks the shape and the signature (before any chain is touched), `decryptGroupMessage` takes the
 * key from the chain and decrypts.
 */
import { aeadDecrypt, aeadEncrypt, sha256 } from '../crypto/primitives.ts'
import { SignatureDomain } from '../crypto/signing.ts'
import { ed25519PeerFromBytes } from '../messaging/envelope-peer.ts'
import { MAX_PAYLOAD_SIZE } from '../messaging/envelope-constants.ts'
import { GROUP_HASH_LENGTH, GROUP_ID_LENGTH, GROUP_MESSAGE_ID_LENGTH, SIGNING_KEY_LENGTH } from './constants.ts'
import { signRaw, verifyRaw } from './ed25519.ts'
import { GroupDecryptError, GroupImpersonationError, MalformedGroupFrameError } from './errors.ts'
import { GroupContent as GroupContentPb, GroupMessage, GroupMessageBody } from './pb/group.js'
import { type SenderChain, messageKeyAt, messageKeyMaterial, nextMessageKey } from './sender-key.ts'

export type GroupContent =
  | { type: 'text'; markdown: string; mentions?: string[] }
  | {
      type: 'snippet'
      language: string
      path: string
      startLine: number
      endLine: number
      text: string
      mentions?: string[]
    }

/** A group message whose signature checked out, not yet decrypted. */
export interface ReadGroupMessage {
  groupId: string
  id: string
  sender: string
  signingKey: Uint8Array
  iteration: number
  seq: number
  prevHash: Uint8Array
  lamport: number
  sentAt: number
  ciphertext: Uint8Array
  /** SHA-256 of the body: the next message's prev_hash */
  hash: Uint8Array
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const owned = (b: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(b)

/** AEAD associated data: group_id || id || sender (docs/PROTOCOL.md §8.5). */
function associatedData(groupId: Uint8Array, id: Uint8Array, sender: Uint8Array): Uint8Array {
  const ad = new Uint8Array(groupId.length + id.length + sender.length)
  ad.set(groupId, 0)
  ad.set(id, groupId.length)
  ad.set(sender, groupId.length + id.length)
  return ad
}

function encodeContent(content: GroupContent, mentionBytes: Uint8Array[]): Uint8Array {
  const pb: Partial<GroupContentPb> = { mentions: mentionBytes.map(owned) }
  if (content.type === 'text') pb.text = content.markdown
  else {
    const { language, path, startLine, endLine, text } = content
    pb.snippet = { language, path, startLine, endLine, text }
  }
  return GroupContentPb.encode(pb)
}

export function decodeContent(bytes: Uint8Array): { content: GroupContent; mentions: Uint8Array[] } {
  let pb: GroupContentPb
  try {
    pb = GroupContentPb.decode(bytes)
  } catch (err) {
    throw new MalformedGroupFrameError(`cannot decode group content: ${(err as Error).message}`)
  }
  if (pb.text != null) return { content: { type: 'text', markdown: pb.text }, mentions: pb.mentions }
  if (pb.snippet != null) {
    const s = pb.snippet
    if (s.startLine < 1 || s.endLine < s.startLine) throw new MalformedGroupFrameError('snippet lines out of order')
    return { content: { type: 'snippet', ...s }, mentions: pb.mentions }
  }
  throw new MalformedGroupFrameError('group content has no known content')
}

/** Encrypts once and signs; returns the GroupMessage bytes, its hash and our chain after it. */
export function sealGroupMessage(m: {
  groupId: Uint8Array
  id: Uint8Array
  sender: Uint8Array
  chain: SenderChain
  seq: number
  prevHash: Uint8Array
  lamport: number
  sentAt: number
  content: GroupContent
  mentions: Uint8Array[]
}): { bytes: Uint8Array; hash: Uint8Array; chain: SenderChain } {
  if (m.chain.signingPrivate === undefined) throw new TypeError('only our own chain seals')
  const { messageKey, iteration, chain } = nextMessageKey(m.chain)
  const { key, nonce } = messageKeyMaterial(messageKey)
  const plaintext = encodeContent(m.content, m.mentions)
  if (plaintext.length > MAX_PAYLOAD_SIZE - 1024) {
    throw new MalformedGroupFrameError(`group content is ${plaintext.length} bytes, too large for one frame`)
  }
  const ciphertext = aeadEncrypt(key, nonce, plaintext, associatedData(m.groupId, m.id, m.sender))
  const body = GroupMessageBody.encode({
    groupId: owned(m.groupId),
    id: owned(m.id),
    sender: owned(m.sender),
    signingKey: owned(m.chain.signingKey),
    iteration,
    seq: m.seq,
    prevHash: owned(m.prevHash),
    lamport: m.lamport,
    sentAt: m.sentAt,
    ciphertext: owned(ciphertext)
  })
  const signature = signRaw(
    { publicKey: m.chain.signingKey, privateKey: m.chain.signingPrivate },
    SignatureDomain.GroupMessage,
    body
  )
  return { bytes: GroupMessage.encode({ body, signature: owned(signature) }), hash: sha256(body), chain }
}

/** Decodes a GroupMessage and checks its shape and its chain signature. */
export function readGroupMessage(message: GroupMessage): ReadGroupMessage {
  let body: GroupMessageBody
  try {
    body = GroupMessageBody.decode(message.body)
  } catch (err) {
    throw new MalformedGroupFrameError(`cannot decode group message: ${(err as Error).message}`)
  }
  if (body.groupId.length !== GROUP_ID_LENGTH)
    throw new MalformedGroupFrameError(`group id must be ${GROUP_ID_LENGTH} bytes`)
  if (body.id.length !== GROUP_MESSAGE_ID_LENGTH) {
    throw new MalformedGroupFrameError(`message id must be ${GROUP_MESSAGE_ID_LENGTH} bytes`)
  }
  if (body.signingKey.length !== SIGNING_KEY_LENGTH) {
    throw new MalformedGroupFrameError(`signing key must be ${SIGNING_KEY_LENGTH} bytes`)
  }
  if (body.seq < 1) throw new MalformedGroupFrameError('seq starts at 1')
  if (body.prevHash.length !== (body.seq === 1 ? 0 : GROUP_HASH_LENGTH)) {
    throw new MalformedGroupFrameError('prev_hash must be empty for seq 1 and 32 bytes after')
  }
  const sender = ed25519PeerFromBytes(body.sender)
  if (sender === undefined) throw new MalformedGroupFrameError('sender is not an Ed25519 peer id')
  if (!verifyRaw(body.signingKey, SignatureDomain.GroupMessage, message.body, message.signature)) {
    throw new GroupImpersonationError('the message is not signed by the chain it names')
  }
  return {
    groupId: hex(body.groupId),
    id: hex(body.id),
    sender: sender.peerId.toString(),
    signingKey: body.signingKey,
    iteration: body.iteration,
    seq: body.seq,
    prevHash: body.prevHash,
    lamport: body.lamport,
    sentAt: body.sentAt,
    ciphertext: body.ciphertext,
    hash: sha256(message.body)
  }
}

/** Decrypts with the chain's key of the message's iteration; returns the content and the chain after it. */
export function decryptGroupMessage(
  m: ReadGroupMessage,
  senderBytes: Uint8Array,
  chain: SenderChain
): { content: GroupContent; mentions: Uint8Array[]; chain: SenderChain } {
  const { messageKey, chain: next } = messageKeyAt(chain, m.iteration)
  const { key, nonce } = messageKeyMaterial(messageKey)
  let plaintext: Uint8Array
  try {
    plaintext = aeadDecrypt(
      key,
      nonce,
      m.ciphertext,
      associatedData(Buffer.from(m.groupId, 'hex'), Buffer.from(m.id, 'hex'), senderBytes)
    )
  } catch {
    throw new GroupDecryptError(`message ${m.id} does not decrypt with its chain's key ${m.iteration}`)
  }
  return { ...decodeContent(plaintext), chain: next }
}
