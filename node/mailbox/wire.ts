/** Framing of /parley/mailbox/1.0.0 (pb/mailbox.proto): varint(length) || message, at most MAX_MAILBOX_MESSAGE_BYTES. */
import type { Stream } from '@libp2p/interface'
import { pbStream } from '@libp2p/utils'
import { MAX_MAILBOX_MESSAGE_BYTES } from './constants.ts'

export type MailboxStream = ReturnType<typeof pbStream<Stream>>

/** A mailbox stream: messages up to the limit, and no more than two of them buffered unread. */
export function mailboxStream(stream: Stream): MailboxStream {
  return pbStream(stream, {
    maxDataLength: MAX_MAILBOX_MESSAGE_BYTES,
    maxBufferSize: 2 * (MAX_MAILBOX_MESSAGE_BYTES + 8)
  })
}

/** The end of the other side's data, as pbStream reports it. */
export function isEndOfStream(err: unknown): boolean {
  return (err as Error)?.name === 'UnexpectedEOFError'
}
