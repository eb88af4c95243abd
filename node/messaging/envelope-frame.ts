/**
 * Frames on a /parley/dm/1.0.0 stream: each is `varint(length) || Frame` (docs/PROTOCOL.md §3.8),
 * where Frame is the protobuf `oneof { Envelope envelope = 1; Ack ack = 2; SessionReset session_reset = 3 }`
 * and length <= MAX_FRAME_SIZE.
 * The length prefix is it-length-prefixed's (unsigned LEB128); read with
 * `maxDataLength: MAX_FRAME_SIZE`. These helpers handle the Frame bytes inside the prefix.
 */
import { MAX_FRAME_SIZE } from './envelope-constants.ts'
import { FrameTooLargeError, MalformedFrameError } from './envelope-errors.ts'
import { Ack, Envelope, Frame, SessionReset } from './pb/dm.js'

/** A frame's content: the encoded Envelope, Ack or SessionReset (§3.12) message. */
export type FrameContent = { envelope: Uint8Array } | { ack: Uint8Array } | { sessionReset: Uint8Array }

function varintLength(n: number): number {
  let length = 1
  while (n >= 0x80) {
    n = Math.floor(n / 128)
    length++
  }
  return length
}

/**
 * Encodes a frame around already encoded Envelope or Ack bytes (byte-identical to protobuf's
 * encoding of the oneof: tag, varint length, bytes). Throws FrameTooLargeError over MAX_FRAME_SIZE.
 */
export function encodeFrame(content: FrameContent): Uint8Array {
  const [tag, inner] =
    'envelope' in content
      ? [0x0a, content.envelope]
      : 'ack' in content
        ? [0x12, content.ack]
        : [0x1a, content.sessionReset]
  const size = 1 + varintLength(inner.length) + inner.length
  if (size > MAX_FRAME_SIZE) {
    throw new FrameTooLargeError(`frame would be ${size} bytes, more than MAX_FRAME_SIZE=${MAX_FRAME_SIZE}`)
  }
  const out = new Uint8Array(size)
  out[0] = tag
  let offset = 1
  let n = inner.length
  while (n >= 0x80) {
    out[offset++] = (n & 0x7f) | 0x80
    n = Math.floor(n / 128)
  }
  out[offset++] = n
  out.set(inner, offset)
  return out
}

/** The size of the frame that would carry `inner` (Envelope or Ack bytes). */
export function frameSize(inner: Uint8Array): number {
  return 1 + varintLength(inner.length) + inner.length
}

/** Decodes a frame. Throws FrameTooLargeError or MalformedFrameError (including an unknown kind). */
export function decodeFrame(bytes: Uint8Array): FrameContent {
  if (bytes.length > MAX_FRAME_SIZE) {
    throw new FrameTooLargeError(`frame is ${bytes.length} bytes, more than MAX_FRAME_SIZE=${MAX_FRAME_SIZE}`)
  }
  let frame: Frame
  try {
    frame = Frame.decode(bytes)
  } catch (err) {
    throw new MalformedFrameError(`cannot decode frame: ${(err as Error).message}`)
  }
  if (frame.envelope != null) {
    return { envelope: Envelope.encode(frame.envelope) }
  }
  if (frame.ack != null) {
    return { ack: Ack.encode(frame.ack) }
  }
  if (frame.sessionReset != null) {
    return { sessionReset: SessionReset.encode(frame.sessionReset) }
  }
  throw new MalformedFrameError('frame holds no envelope, ack or session reset')
}
