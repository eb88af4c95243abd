/**
 * The one rule for showing text a peer chose (message text, announced names, snippet paths and
 * languages, and every later peer-controlled field) outside the conversation webview: in VS Code's
 * notifications, tree items, status bar, quick picks, panel titles and output channel, and on the
 * CLI's terminal. The webview renders peer text itself, as DOM text and sanitized Markdown.
 *
 * Every surface gets the same cleaning, so no surface can be the weak one:
 * - control characters (C0, DEL, C1, and so ESC: no terminal escape sequence), bidirectional
 *   controls (which make `evil.ts` read as `ste.live`) and invisible characters become a visible
 *   U+FFFD; line breaks and tabs become spaces on one-line surfaces;
 * - VS Code's link syntax `[label](target)` loses its meaning: notifications render it as a link and
 *   open `command:` and `file:` targets on a click (one click ran a peer's shell command);
 * - `$(icon)` syntax loses its meaning (the status bar and quick picks draw it as an icon);
 * - the length is capped per surface, on code-point boundaries.
 * The result is plain text: never put it in a trusted MarkdownString or HTML.
 */

/** Where peer text is shown, each with the longest text it gets. */
export const SURFACE_MAX_CHARS = {
  /** a notification toast or modal's message (message previews are cut shorter) */
  notification: 300,
  /** a tree item's label or description, a quick pick label, a panel title */
  label: 64,
  /** a tree item's or status bar item's tooltip (plain string) */
  tooltip: 400,
  /** the status bar's text */
  statusBar: 40,
  /** one line of the output channel or of a log */
  log: 2_000,
  /** the CLI on a terminal: whole messages, line breaks kept */
  terminal: 65_536
} as const

export type Surface = keyof typeof SURFACE_MAX_CHARS

/** Surfaces where a line break in peer text stays a line break. */
const MULTILINE: ReadonlySet<Surface> = new Set(['tooltip', 'terminal'])

/**
 * Control characters (Cc: C0 but tab and line feed, DEL, C1); bidi controls (ALM, LRM, RLM, the
 * embeddings and overrides, the isolates); invisible characters that can hide or join letters
 * unseen (zero-width space, word joiner, invisible operators, BOM); line and paragraph separators;
 * interlinear annotations. ZWNJ and ZWJ stay: Persian, Indic scripts and emoji need them.
 */
const UNSAFE = /(?![\t\n])\p{Cc}|[\u061C\u200B\u200E\u200F\u202A-\u202E\u2028\u2029\u2060-\u2069\uFEFF\uFFF9-\uFFFB]/gu
const REPLACEMENT = '\uFFFD'

/** Peer-controlled `text` made safe to show on `surface` (see the module comment). */
export function peerText(text: string, surface: Surface): string {
  if (typeof text !== 'string') return ''
  const max = SURFACE_MAX_CHARS[surface]
  // Bound the work first: a 64 KiB message costs nothing more than its first few thousand characters.
  let out = text.length > max * 2 + 16 ? text.slice(0, max * 2 + 16) : text
  out = out.replace(/\r\n?/g, '\n')
  out = MULTILINE.has(surface) ? out.replace(/\t/g, ' ') : out.replace(/\s+/g, ' ').trim()
  out = out.replace(UNSAFE, REPLACEMENT)
  // `[label](target)`: VS Code's linked text. A space between `]` and `(` leaves the words and kills the link.
  out = out.replace(/\]\s*\(/g, '] (')
  // `$(name)`: a codicon in the status bar and quick picks. A space after `$` shows it as typed.
  out = out.replace(/\$\(/g, '$ (')
  return truncate(out, max)
}

/** `text` cut to at most `max` code points, with `…` where it was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  const points = Array.from(text)
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`
}
