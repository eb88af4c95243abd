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

/** The words of what a user typed that count. */
export function queryWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .replace(/\p{Cc}/gu, ' ')
    .split(/\s+/)
    .filter(w => w !== '')
    .slice(0, MAX_QUERY_TERMS)
}

/**
 * The FTS5 query for `text`: each word quoted (so `"`, `*`, `NEAR`, `-` are words, never syntax), all
 * words required, the last one as a prefix when it has two letters or more (it is the word being
 * typed; `prefix: false` leaves it whole). Undefined when nothing is left to search for.
 */
export function ftsQuery(text: string, options: { prefix?: boolean } = {}): string | undefined {
  const words = queryWords(text)
  if (words.length === 0) return undefined
  const quote = (w: string): string => `"${w.replaceAll('"', '""')}"`
  // a one-letter word as a prefix would match a good part of the index: whole words only then
  const last = options.prefix === false || [...words[words.length - 1]!].length < 2 ? -1 : words.length - 1
  return words.map((w, i) => `${quote(w)}${i === last ? '*' : ''}`).join(' AND ')
}

/**
 * Longest prefix FTS5 looks up in its own prefix index (`prefix = '2 3 4'`, migration 5): a longer
 * prefix makes it merge the postings of every word that starts with it before the first answer.
 */
export const INDEXED_PREFIX = 4

/** A word as the index holds it (`unicode61 remove_diacritics 2`): diacritics removed, lower case. */
export function foldWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

/** The words of `text` as the index holds them: runs of letters and digits, folded. */
export function indexWords(text: string): string[] {
  return foldWord(text)
    .split(/[^\p{L}\p{N}\p{Co}]+/u)
    .filter(w => w !== '')
}

/**
 * For a query whose last word is typed past INDEXED_PREFIX letters: that word folded (`prefix`), and
 * the same query with the word cut to its indexed prefix (`indexed`, an FTS5 query answered from the
 * prefix index, a superset of the matches) and the other words (`rest`, whole). Undefined for any other query (a shorter last word, one
 * that is not all letters and digits, no prefix wanted).
 */
export function longPrefix(text: string): { prefix: string; indexed: string; rest?: string } | undefined {
  const words = queryWords(text)
  if (words.length === 0) return undefined
  const prefix = foldWord(words[words.length - 1]!)
  const chars = [...prefix]
  if (chars.length <= INDEXED_PREFIX || !/^[\p{L}\p{N}\p{Co}]+$/u.test(prefix)) return undefined
  const indexed = ftsQuery([...words.slice(0, -1), chars.slice(0, INDEXED_PREFIX).join('')].join(' '))
  const rest = ftsQuery(words.slice(0, -1).join(' '), { prefix: false })
  return indexed === undefined ? undefined : { prefix, indexed, ...(rest !== undefined ? { rest } : {}) }
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
