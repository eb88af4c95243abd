/**
 * Message Markdown → HTML, with no raw HTML at all: markdown-it with `html: false` escapes every tag
 * in the source; links are kept only for http:, https: and mailto: (others render as text), and
 * carry their target in `data-href`, never `href` (see link_open below); images
 * are off (a remote image would leak the reader's address and is blocked by the CSP anyway); code
 * fences are highlighted; `@name` mentions become spans. The HTML then still goes through
 * {@link toSafeFragment} before it reaches the page.
 */
import MarkdownIt from 'markdown-it'
import type { Token } from 'markdown-it'
import { isAllowedLinkUrl } from '../protocol.ts'
import { highlightCode } from './highlight.ts'

/** Render-time data. */
export interface RenderEnv {
  /** The local user's name, lowercased: mentions of it get the `mention-me` class. */
  me?: string
}

const md = new MarkdownIt({
  html: false,
  linkify: true,
  breaks: true,
  typographer: false,
  highlight: (code, language) => highlightCode(code, language) ?? ''
})
md.disable(['image'])
md.validateLink = url => isAllowedLinkUrl(url)

/** A mention: `@` then a name of letters, digits, `_`, `.` or `-` (not ending in `.`/`-`), not inside a word or address. */
const mentionPattern = /(?<![\p{L}\p{N}_@./-])@([\p{L}\p{N}_](?:[\p{L}\p{N}_.-]{0,62}[\p{L}\p{N}_])?)/gu

md.core.ruler.push('parley_mentions', state => {
  for (const block of state.tokens) {
    if (block.type !== 'inline' || block.children === null) continue
    const children: Token[] = []
    let linkDepth = 0
    for (const token of block.children) {
      if (token.type === 'link_open') linkDepth++
      if (token.type === 'link_close') linkDepth--
      if (token.type !== 'text' || linkDepth > 0 || !token.content.includes('@')) {
        children.push(token)
        continue
      }
      let last = 0
      for (const match of token.content.matchAll(mentionPattern)) {
        if (match.index > last)
          children.push(textToken(state.Token, token.content.slice(last, match.index), token.level))
        const mention = new state.Token('parley_mention', 'span', 0)
        mention.content = match[1] ?? ''
        mention.level = token.level
        children.push(mention)
        last = match.index + match[0].length
      }
      if (last < token.content.length) children.push(textToken(state.Token, token.content.slice(last), token.level))
    }
    block.children = children
  }
})

function textToken(TokenClass: typeof MarkdownIt.Token, content: string, level: number): Token {
  const token = new TokenClass('text', '', 0)
  token.content = content
  token.level = level
  return token
}

md.renderer.rules.parley_mention = (tokens, idx, _options, env) => {
  const name = tokens[idx]?.content ?? ''
  const { me } = env as RenderEnv
  const mine = me !== undefined && name.toLowerCase() === me
  return `<span class="mention${mine ? ' mention-me' : ''}">@${md.utils.escapeHtml(name)}</span>`
}

// Table alignment arrives as style="text-align:…"; the CSP allows no inline styles, so use classes.
md.core.ruler.push('parley_table_align', state => {
  for (const token of state.tokens) {
    if (token.type !== 'th_open' && token.type !== 'td_open') continue
    const align = /text-align:(left|right|center)/.exec(String(token.attrGet('style') ?? ''))?.[1]
    token.attrs = align === undefined ? null : [['class', `align-${align}`]]
  }
})

// Links carry no href: VS Code's webview opens any clicked `<a href>` itself, before and whatever our
// handler decides. The target goes in data-href; the conversation asks the host, which shows the URL
// and opens it only when the user confirms. The title shows where a link really goes:
// `[bank.example](https://evil.example)` gets the real URL as its tooltip.
md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]
  const href = token?.attrGet('href')
  if (token !== undefined && href !== null && href !== undefined) {
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'href')
    token.attrSet('data-href', href)
    if (token.attrGet('title') === null) token.attrSet('title', href)
    token.attrSet('role', 'link')
    token.attrSet('tabindex', '0')
  }
  return self.renderToken(tokens, idx, options)
}

/** HTML for message Markdown. */
export function renderMarkdown(source: string, env: RenderEnv = {}): string {
  return md.render(source, { ...env })
}

/** HTML for a code block (a snippet card's body): the same fence renderer as messages use. */
export function renderCodeBlock(code: string, language: string): string {
  const token = new MarkdownIt.Token('fence', 'code', 0)
  token.info = language.replace(/\s+/g, '')
  token.content = code.endsWith('\n') ? code : `${code}\n`
  token.markup = '```'
  return md.renderer.render([token], md.options, {})
}
