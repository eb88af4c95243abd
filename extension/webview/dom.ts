/** Tiny DOM helpers: elements are built from text nodes and attributes, never from HTML strings. */

export type Attributes = Record<string, string | number | boolean | undefined>
export type Child = Node | string | number | null | undefined | false

/** Creates `<tag>` with attributes (true → present, false/undefined → absent) and children (strings become text). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    // Handlers are attached with addEventListener only; an on* attribute would be an inline handler.
    if (/^on/i.test(name)) throw new TypeError(`event-handler attribute ${name} is not allowed`)
    if (value === undefined || value === false) continue
    element.setAttribute(name, value === true ? '' : String(value))
  }
  append(element, ...children)
  return element
}

/** Appends children; strings and numbers become text nodes. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)))
  }
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren()
  append(parent, ...children)
}
