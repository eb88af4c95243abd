/** Test-only bundle: exposes the webview's renderer and sanitizer to a page, to test them on raw input. */
import { renderCodeBlock, renderMarkdown } from '../../extension/webview/markdown.ts'
import { toSafeFragment } from '../../extension/webview/sanitize.ts'

Object.assign(window, { parleyUnits: { renderMarkdown, renderCodeBlock, toSafeFragment } })
