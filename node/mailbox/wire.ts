/** Framing of /parley/mailbox/1.0.0 (pb/mailbox.proto): varint(length) || message, at most MAX_MAILBOX_MESSAGE_BYTES. */
import type { Stream } from '@libp2p/interface'
import { pbStream } from '@libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'
import { MAX_MAILBOX_MESSAGE_BYTES } from './constants.ts'

export type MailboxStream = ReturnType<typeof pbStream<Stream>>

/** A varint below MAX_MAILBOX_MESSAGE_BYTES takes at most 3 bytes. */
const MAX_LENGTH_BYTES = 3

/** The message length's varint was longer than any allowed length needs. */
class LengthTooLongError extends Error {
  static override name = 'InvalidDataLengthLengthError'
  override name = 'InvalidDataLengthLengthError'
}

/**
 * The length prefix, refused as soon as it is longer than MAX_LENGTH_BYTES (the library's own
 * decoder waits for the end of a varint that never ends, so junk would hold the stream open).
 * A RangeError asks the reader for one more byte.
 */
function decodeLength(data: Uint8ArrayList): number {
  let value = 0
  for (let i = 0; i < data.byteLength; i++) {
    if (i === MAX_LENGTH_BYTES) throw new LengthTooLongError(`a message length longer than ${MAX_LENGTH_BYTES} bytes`)
    const byte = data.get(i)
    value += (byte & 0x7f) * 2 ** (7 * i)
    if ((byte & 0x80) === 0) return value
  }
  if (data.byteLength >= MAX_LENGTH_BYTES) {
    throw new LengthTooLongError(`a message length longer than ${MAX_LENGTH_BYTES} bytes`)
  }
  throw new RangeError('more bytes needed')
}

/** A mailbox stream: messages up to the limit, and no more than two of them buffered unread. */
export function mailboxStream(stream: Stream): MailboxStream {
  return pbStream(stream, {
    maxDataLength: MAX_MAILBOX_MESSAGE_BYTES,
    maxLengthLength: MAX_LENGTH_BYTES,
    lengthDecoder: decodeLength,
    maxBufferSize: 2 * (MAX_MAILBOX_MESSAGE_BYTES + 8)
  })
}

/** The end of the other side's data, as pbStream reports it. */
export function isEndOfStream(err: unknown): boolean {
  return (err as Error)?.name === 'UnexpectedEOFError'
}
