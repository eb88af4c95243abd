/**
 * The plaintext of a direct message: protobuf `Payload` (node/messaging/pb/dm.proto), encrypted by
 * the Double Ratchet inside an envelope. docs/PROTOCOL.md §3.7.
 */
import {
  MAX_QUEUE_ADDRESSES,
  MAX_INVITE_SECRET_LENGTH,
  MAX_MAILBOX_QUEUES,
  MAX_PAYLOAD_SIZE,
  MAX_READ_RECEIPT_IDS,
  MAX_SENDER_NAME_LENGTH,
  QUEUE_CREDENTIAL_LENGTH,
  QUEUE_ID_LENGTH,
  MESSAGE_ID_LENGTH
} from './envelope-constants.ts'
import { FrameTooLargeError, MalformedPayloadError } from './envelope-errors.ts'
import { Payload } from './pb/dm.js'

/** Markdown source; the client renders it without raw HTML. */
export interface TextContent {
  type: 'text'
  markdown: string
}

/** A piece of code from a file, lines startLine..endLine (1-based, inclusive). */
export interface SnippetContent {
  type: 'snippet'
  /** VS Code language id, e.g. `typescript`; may be empty */
  language: string
  /** workspace-relative path; may be empty */
  path: string
  startLine: number
  endLine: number
  text: string
}

/** The sender has read these messages (sent only if the user enabled read receipts). */
export interface ReadReceiptContent {
  type: 'read-receipt'
  messageIds: Uint8Array[]
}

/** One queue address at one of the sender's mailboxes (docs/PROTOCOL.md §7.5). */
export interface QueueAddressContent {
  /** the community node's peer id, multihash bytes */
  community: Uint8Array
  /** its multiaddrs, binary, without /p2p/ */
  addresses: Uint8Array[]
  queueId: Uint8Array
  credential: Uint8Array
}

/** Where the sender's contact deposits for it (§7.5): never shown as a message; the latest replaces the previous. */
export interface MailboxQueuesContent {
  type: 'mailbox-queues'
  queues: QueueAddressContent[]
}

/** A group frame (node/groups/pb/group.proto) for this one member: carried, never shown as a direct message. */
export interface GroupFrameContent {
  type: 'group'
  frame: Uint8Array
}

export type MessageContent =
  | TextContent
  | SnippetContent
  | ReadReceiptContent
  | MailboxQueuesContent
  | GroupFrameContent

export interface MessagePayload {
  content: MessageContent
  /** the one-time secret of an invite link, in the first message to the inviter */
  inviteSecret?: Uint8Array
  /** the name the sender goes by (a hint; names are verified through the DHT, never from here) */
  senderName?: string
}

const encoder = new TextEncoder()

function owned(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes)
}

/** Checks a payload's fields; throws MalformedPayloadError with what was expected and what came. */
export function validatePayload(payload: MessagePayload): void {
  const content = payload?.content
  if (content == null) {
    throw new MalformedPayloadError('payload has no content')
  }
  switch (content.type) {
    case 'text':
      if (typeof content.markdown !== 'string') {
        throw new MalformedPayloadError(`text must be a string, got ${typeof content.markdown}`)
      }
      break
    case 'snippet':
      for (const field of ['language', 'path', 'text'] as const) {
        if (typeof content[field] !== 'string') {
          throw new MalformedPayloadError(`snippet ${field} must be a string, got ${typeof content[field]}`)
        }
      }
      if (!Number.isInteger(content.startLine) || content.startLine < 1 || content.startLine > 0xffffffff) {
        throw new MalformedPayloadError(`snippet startLine must be a uint32 >= 1, got ${content.startLine}`)
      }
      if (!Number.isInteger(content.endLine) || content.endLine < content.startLine || content.endLine > 0xffffffff) {
        throw new MalformedPayloadError(
          `snippet endLine must be a uint32 >= startLine (${content.startLine}), got ${content.endLine}`
        )
      }
      break
    case 'read-receipt':
      if (!Array.isArray(content.messageIds) || content.messageIds.length === 0) {
        throw new MalformedPayloadError('read receipt must list at least one message id')
      }
      if (content.messageIds.length > MAX_READ_RECEIPT_IDS) {
        throw new MalformedPayloadError(
          `read receipt may list at most ${MAX_READ_RECEIPT_IDS} ids, got ${content.messageIds.length}`
        )
      }
      for (const id of content.messageIds) {
        if (!(id instanceof Uint8Array) || id.length !== MESSAGE_ID_LENGTH) {
          throw new MalformedPayloadError(`read receipt ids must be ${MESSAGE_ID_LENGTH} bytes`)
        }
      }
      break
    case 'mailbox-queues':
      if (!Array.isArray(content.queues) || content.queues.length > MAX_MAILBOX_QUEUES) {
        throw new MalformedPayloadError(`mailbox queues: at most ${MAX_MAILBOX_QUEUES}, got ${content.queues?.length}`)
      }
      for (const q of content.queues) {
        if (!(q.community instanceof Uint8Array) || q.community.length === 0 || q.community.length > 64) {
          throw new MalformedPayloadError('mailbox queue community must be a peer id of 1..64 bytes')
        }
        if (
          !Array.isArray(q.addresses) ||
          q.addresses.length > MAX_QUEUE_ADDRESSES ||
          q.addresses.some(a => !(a instanceof Uint8Array) || a.length === 0 || a.length > 256)
        ) {
          throw new MalformedPayloadError(`mailbox queue addresses: at most ${MAX_QUEUE_ADDRESSES} of 1..256 bytes`)
        }
        if (!(q.queueId instanceof Uint8Array) || q.queueId.length !== QUEUE_ID_LENGTH) {
          throw new MalformedPayloadError(`mailbox queue id must be ${QUEUE_ID_LENGTH} bytes, got ${q.queueId?.length}`)
        }
        if (!(q.credential instanceof Uint8Array) || q.credential.length !== QUEUE_CREDENTIAL_LENGTH) {
          throw new MalformedPayloadError(
            `mailbox queue credential must be ${QUEUE_CREDENTIAL_LENGTH} bytes, got ${q.credential?.length}`
          )
        }
      }
      break
    case 'group':
      if (!(content.frame instanceof Uint8Array) || content.frame.length === 0) {
        throw new MalformedPayloadError('group frame must be non-empty bytes')
      }
      break
    default:
      throw new MalformedPayloadError(`unknown content type ${(content as { type: unknown }).type}`)
  }
  if (payload.inviteSecret != null) {
    const length = payload.inviteSecret.length
    if (!(payload.inviteSecret instanceof Uint8Array) || length === 0 || length > MAX_INVITE_SECRET_LENGTH) {
      throw new MalformedPayloadError(`invite secret must be 1..${MAX_INVITE_SECRET_LENGTH} bytes, got ${length}`)
    }
  }
  if (payload.senderName != null) {
    if (typeof payload.senderName !== 'string') {
      throw new MalformedPayloadError(`sender name must be a string, got ${typeof payload.senderName}`)
    }
    const length = encoder.encode(payload.senderName).length
    if (length > MAX_SENDER_NAME_LENGTH) {
      throw new MalformedPayloadError(`sender name must be at most ${MAX_SENDER_NAME_LENGTH} bytes, got ${length}`)
    }
  }
}

/** Encodes a payload (validated). Throws MalformedPayloadError or FrameTooLargeError. */
export function encodePayload(payload: MessagePayload): Uint8Array {
  validatePayload(payload)
  const pb: Partial<Payload> = {}
  const content = payload.content
  if (content.type === 'text') {
    pb.text = { markdown: content.markdown }
  } else if (content.type === 'snippet') {
    pb.snippet = {
      language: content.language,
      path: content.path,
      startLine: content.startLine,
      endLine: content.endLine,
      text: content.text
    }
  } else if (content.type === 'group') {
    pb.group = owned(content.frame)
  } else if (content.type === 'read-receipt') {
    pb.readReceipt = { messageIds: content.messageIds.map(owned) }
  } else {
    pb.mailboxQueues = {
      queues: content.queues.map(q => ({
        community: owned(q.community),
        addresses: q.addresses.map(owned),
        queueId: owned(q.queueId),
        credential: owned(q.credential)
      }))
    }
  }
  if (payload.inviteSecret != null) {
    pb.inviteSecret = owned(payload.inviteSecret)
  }
  if (payload.senderName != null) {
    pb.senderName = payload.senderName
  }
  const bytes = Payload.encode(pb)
  if (bytes.length > MAX_PAYLOAD_SIZE) {
    throw new FrameTooLargeError(`payload is ${bytes.length} bytes, more than MAX_PAYLOAD_SIZE=${MAX_PAYLOAD_SIZE}`)
  }
  return bytes
}

/** Decodes and validates a decrypted payload. Throws MalformedPayloadError. */
export function decodePayload(bytes: Uint8Array): MessagePayload {
  if (bytes.length > MAX_PAYLOAD_SIZE) {
    throw new MalformedPayloadError(`payload is ${bytes.length} bytes, more than MAX_PAYLOAD_SIZE=${MAX_PAYLOAD_SIZE}`)
  }
  let pb: Payload
  try {
    pb = Payload.decode(bytes, {
      limits: {
        readReceipt: { messageIds: MAX_READ_RECEIPT_IDS },
        mailboxQueues: { queues: MAX_MAILBOX_QUEUES, queues$: { addresses: MAX_QUEUE_ADDRESSES } }
      }
    })
  } catch (err) {
    throw new MalformedPayloadError(`cannot decode payload: ${(err as Error).message}`)
  }
  let content: MessageContent
  if (pb.text != null) {
    content = { type: 'text', markdown: pb.text.markdown }
  } else if (pb.snippet != null) {
    content = { type: 'snippet', ...pb.snippet }
  } else if (pb.readReceipt != null) {
    content = { type: 'read-receipt', messageIds: pb.readReceipt.messageIds }
  } else if (pb.mailboxQueues != null) {
    content = { type: 'mailbox-queues', queues: pb.mailboxQueues.queues }
  } else if (pb.group != null) {
    content = { type: 'group', frame: pb.group }
  } else {
    throw new MalformedPayloadError('payload has no known content')
  }
  const payload: MessagePayload = { content }
  if (pb.inviteSecret != null) {
    payload.inviteSecret = pb.inviteSecret
  }
  if (pb.senderName != null) {
    payload.senderName = pb.senderName
  }
  validatePayload(payload)
  return payload
}
