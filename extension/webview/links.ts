/**
 * Following links in messages. Links never navigate the webview: they have no href (markdown.ts),
 * and every way of following one (a plain, middle or modified click, Enter) goes to the host, which
 * shows the URL and opens it only when the user confirms.
 */
import { isAllowedLinkUrl } from '../protocol.ts'

/** Sends every followed link of `document` to `open` (allowed schemes only); returns the function that stops. */
export function followLinks(document: Document, open: (url: string) => void): () => void {
  const follow = (event: Event): void => {
    const anchor = event.target instanceof Element ? event.target.closest('a') : null
    if (anchor === null) return
    event.preventDefault()
    event.stopPropagation()
    if (event instanceof MouseEvent && event.button > 1) return
    if (event instanceof KeyboardEvent && event.key !== 'Enter') return
    const url = anchor.getAttribute('data-href')
    if (url !== null && isAllowedLinkUrl(url)) open(url)
  }
  const onKey = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && event.target instanceof Element && event.target.matches('a[data-href]')) {
      follow(event)
    }
  }
  document.addEventListener('click', follow, true)
  document.addEventListener('auxclick', follow, true)
  document.addEventListener('keydown', onKey)
  return () => {
    document.removeEventListener('click', follow, true)
    document.removeEventListener('auxclick', follow, true)
    document.removeEventListener('keydown', onKey)
  }
}
