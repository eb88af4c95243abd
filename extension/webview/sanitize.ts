/**
 * The second wall behind markdown-it's `html: false`: HTML produced by our renderer is parsed in an
 * inert <template> and every element and attribute outside a small allowlist is dropped before the
 * nodes reach the page. If markdown-it ever let a tag through, it would still arrive dead.
 */
import { isAllowedLinkUrl } from '../protocol.ts'

/**
 * Elements markdown-it and highlight.js produce, with the attributes each may keep. A Map: a lookup by
 * tag name must never find `constructor` or `__proto__` on an object's prototype. No `href` at all:
 * links carry their target in `data-href` (markdown.ts), so the webview cannot navigate by itself.
 */
const allowed: ReadonlyMap<string, readonly string[]> = new Map([
  ['a', ['data-href', 'title', 'role', 'tabindex']],
  ['blockquote', []],
  ['br', []],
  ['code', ['class']],
  ['del', []],
  ['em', []],
  ['h1', []],
  ['h2', []],
  ['h3', []],
  ['h4', []],
  ['h5', []],
  ['h6', []],
  ['hr', []],
  ['li', []],
  ['ol', ['start']],
  ['p', []],
  ['pre', []],
  ['s', []],
  ['span', ['class']],
  ['strong', []],
  ['table', []],
  ['tbody', []],
  ['td', ['class']],
  ['th', ['class']],
  ['thead', []],
  ['tr', []],
  ['ul', []]
])

const safeClass = /^[\w\s-]*$/

/** Parses renderer HTML into a fragment holding only allowlisted elements and attributes. */
export function toSafeFragment(html: string): DocumentFragment {
  const template = document.createElement('template')
  template.innerHTML = html
  clean(template.content)
  return template.content
}

function clean(parent: Node): void {
  for (const node of [...parent.childNodes]) {
    if (node.nodeType === Node.TEXT_NODE) continue
    if (node.nodeType !== Node.ELEMENT_NODE) {
      node.remove()
      continue
    }
    const element = node as Element
    const tag = element.localName
    const attributes = element.namespaceURI === 'http://www.w3.org/1999/xhtml' ? allowed.get(tag) : undefined
    if (attributes === undefined) {
      // Unknown element: keep what it said, as text, and nothing it could do.
      element.replaceWith(document.createTextNode(element.textContent ?? ''))
      continue
    }
    for (const attribute of [...element.attributes]) {
      const keep =
        attributes.includes(attribute.name) &&
        (attribute.name !== 'data-href' || isAllowedLinkUrl(attribute.value)) &&
        (attribute.name !== 'role' || attribute.value === 'link') &&
        (attribute.name !== 'tabindex' || attribute.value === '0') &&
        (attribute.name !== 'class' || safeClass.test(attribute.value)) &&
        (attribute.name !== 'start' || /^\d{1,9}$/.test(attribute.value))
      if (!keep) element.removeAttribute(attribute.name)
    }
    clean(element)
  }
}
