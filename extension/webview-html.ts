import { randomBytes } from 'node:crypto'

export interface WebviewHtmlInit {
  /** `webview.cspSource`. */
  cspSource: string
  /** webview URI of dist/webview.js. */
  scriptUri: string
  /** webview URI of dist/webview.css, when the bundle has one. */
  styleUri?: string
  title: string
}

/** A fresh nonce per page load: the only script that runs is the one carrying it. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64')
}

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`)
}

/**
 * The conversation page: CSP `default-src 'none'`, scripts only with the nonce, styles from the
 * extension's dist/ (cspSource) or nonce'd. No images (Markdown images are not rendered), no fonts
 * beyond the workbench's, no inline event handlers, no remote anything.
 */
export function conversationHtml(init: WebviewHtmlInit, nonce: string = makeNonce()): string {
  const csp = [
    "default-src 'none'",
    `style-src ${init.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`
  ].join('; ')
  const style =
    init.styleUri !== undefined ? `\n  <link rel="stylesheet" href="${escapeAttribute(init.styleUri)}">` : ''
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>${escapeAttribute(init.title)}</title>${style}
</head>
<body>
  <div id="app"></div>
  <script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(init.scriptUri)}"></script>
</body>
</html>
`
}
