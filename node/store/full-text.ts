/**
 * Full-text search over message text (SQLite FTS5, the `messages_fts` index of migration 5): what a
 * user typed becomes an FTS5 query that cannot be a syntax error, and FTS5's marked excerpt becomes
 * plain text plus highlight ranges. Pure; the store runs the query.
 */

/** Most words of a query that count: a longer query is a paste, not a search. */
export const MAX_QUERY_TERMS = 16

/** Marks FTS5's snippet() puts around each matching word (control characters: never in a query). */
export const MATCH_START = '\u0001'
export const MATCH_END = '\u0002'

/**
 * The FTS5 query for `text`: each word quoted (so `"`, `*`, `NEAR`, `-` are words, never syntax), all
 * words required, the last one as a prefix when it has two letters or more (it is the word being
 * typed; `prefix: false` leaves it whole). Undefined when nothing is left to search for.
 */
export function ftsQuery(text: string, options: { prefix?: boolean } = {}): string | undefined {
  const words = text
    .normalize('NFKC')
    .replace(/\p{Cc}/gu, ' ')
    .split(/\s+/)
    .filter(w => w !== '')
    .slice(0, MAX_QUERY_TERMS)
  if (words.length === 0) return undefined
  const quote = (w: string): string => `"${w.replaceAll('"', '""')}"`
  // a one-letter word as a prefix would match a good part of the index: whole words only then
  const last = options.prefix === false || [...words[words.length - 1]!].length < 2 ? -1 : words.length - 1
  return words.map((w, i) => `${quote(w)}${i === last ? '*' : ''}`).join(' AND ')
}

/** An excerpt with the matching words' ranges (UTF-16 offsets, end exclusive), marks removed. */
export function parseExcerpt(marked: string): { excerpt: string; highlights: Array<[number, number]> } {
  let excerpt = ''
  const highlights: Array<[number, number]> = []
  let start: number | undefined
  for (const ch of marked) {
    if (ch === MATCH_START) start = excerpt.length
    else if (ch === MATCH_END) {
      if (start !== undefined && excerpt.length > start) highlights.push([start, excerpt.length])
      start = undefined
    } else excerpt += ch
  }
  return { excerpt, highlights }
}
