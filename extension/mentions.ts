import { foldName } from '../node/names/name-rules.ts'

/**
 * `@name` mention detection, for the `mentions` notification setting. A mention is `@` + the
 * name (names are `a-z 0-9 . _ -`, normalized to lower case), not inside a longer word or
 * address: `@alice` and `@Alice,` mention alice; `bob@alice.dev` and `@alice2` do not.
 */
export function mentions(text: string, name: string | null | undefined): boolean {
  if (name == null || name === '') return false
  // the text folded as names are (NFKC, lower case), so `@ＡＬＩＣＥ` finds alice
  const haystack = foldName(text)
  const needle = `@${foldName(name)}`
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const before = at === 0 ? '' : haystack[at - 1]!
    const after = haystack.slice(at + needle.length)
    if (before !== '' && /[\p{L}\p{N}._-]/u.test(before)) continue
    // A trailing dot ends a sentence ("thanks @alice."); a dot followed by a name char continues the name.
    if (/^[\p{L}\p{N}_-]/u.test(after) || /^\.[\p{L}\p{N}_-]/u.test(after)) continue
    return true
  }
  return false
}
