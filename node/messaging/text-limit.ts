/**
 * The one limit on the length of a message's text (and a snippet's code), checked by the daemon's
 * `messages.send` and by the extension before it sends composer text: both call
 * {@link textLengthProblem}, so the composer refuses exactly what the daemon refuses.
 *
 * Pure (no node:* builtins, no `vscode`): the webview bundle may import it.
 */

/**
 * Longest message text in UTF-8 bytes, the unit the wire counts: 32 KiB of text stays well inside
 * one 64 KiB frame after encryption and signing (MAX_PAYLOAD_SIZE in envelope-constants.ts).
 */
export const MAX_TEXT_BYTES = 32 * 1024

/** UTF-8 length of `text` (a lone surrogate counts 3 bytes, as TextEncoder writes U+FFFD for it). */
export function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) bytes += 1
    else if (unit < 0x800) bytes += 2
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4
        i++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

/** Why `text` is too long to send, or undefined when it fits (at most {@link MAX_TEXT_BYTES} UTF-8 bytes). */
export function textLengthProblem(text: string, max: number = MAX_TEXT_BYTES): string | undefined {
  const bytes = utf8Length(text)
  if (bytes <= max) return undefined
  return `a message is at most ${max} bytes of UTF-8, got ${bytes}`
}
