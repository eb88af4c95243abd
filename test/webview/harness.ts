/**
 * Runs the real webview bundle in headless Debian Chromium: builds extension/webview/main.ts the way
 * esbuild.mjs does into a temp dir, serves it from 127.0.0.1 under the host's CSP, and injects a fake
 * VS Code API (the page's `acquireVsCodeApi`) that plays the extension host: it answers requests,
 * records them in `window.fakeHost.requests`, and pushes events with `window.postMessage` as VS Code
 * does.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as esbuild from 'esbuild'
import { type Browser, chromium } from 'playwright-core'
import type { ContactView, MessageView } from '../../node/daemon/rpc-api.ts'
import type { ConversationSnapshot } from '../../extension/protocol.ts'

export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium'
/** Headless Chromium in a container, kept off the network it must not reach. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]
const ROOT = new URL('../../', import.meta.url).pathname

/** Fails loudly (never skips) where the browser is missing: CI installs it. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. The webview tests run the real bundle in a real browser: ` +
        'install Debian chromium (apt-get update && apt-get install -y chromium) or set PARLEY_CHROMIUM.'
    )
  }
}

/** Builds the webview bundle with the options esbuild.mjs uses (production: minified). */
export async function buildWebview(outdir: string): Promise<void> {
  // The UI bundle, then a test-only bundle exposing the renderer and sanitizer (same options).
  const entries = { 'webview.js': 'extension/webview/main.ts', 'units.js': 'test/webview/units-entry.ts' }
  for (const [outfile, entry] of Object.entries(entries)) {
    await esbuild.build({
      entryPoints: [join(ROOT, entry)],
      outfile: join(outdir, outfile),
      bundle: true,
      minify: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      logLevel: 'silent'
    })
  }
}

/** Which Content-Security-Policy the page is served with. */
export type CspMode = 'strict' | 'none'

export interface PageOptions {
  snapshot: ConversationSnapshot
  csp?: CspMode
  theme?: 'dark' | 'light' | 'high-contrast'
  /** 'units' loads the test-only bundle (window.parleyUnits) instead of the webview. @default 'webview' */
  bundle?: 'webview' | 'units'
  /** Request types the fake host holds unanswered from the start (see fakeHost.release). */
  hold?: string[]
  /**
   * Build the page with the extension host's own template (extension/webview-html.ts) instead of
   * ours: its meta CSP applies, and the test scripts are added with its nonce.
   */
  hostTemplate?: (
    init: { cspSource: string; scriptUri: string; styleUri?: string; title: string },
    nonce: string
  ) => string
}

export interface Harness {
  browser: Browser
  /** URL of a page that will answer `ready` with `options.snapshot`. */
  pageUrl(options: PageOptions): string
  /** Requests to anything but the page and the bundle (there should be none). */
  strayRequests: string[]
  close(): Promise<void>
}

export async function startHarness(): Promise<Harness> {
  requireChromium()
  const dir = await mkdtemp(join(tmpdir(), 'parley-webview-'))
  await buildWebview(dir)
  const js = await readFile(join(dir, 'webview.js'))
  const css = await readFile(join(dir, 'webview.css'))
  const units = await readFile(join(dir, 'units.js'))
  const pages = new Map<string, PageOptions>()
  const strayRequests: string[] = []
  let origin = ''

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin)
    if (url.pathname === '/webview.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(js)
    } else if (url.pathname === '/units.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(units)
    } else if (url.pathname === '/webview.css') {
      res.writeHead(200, { 'content-type': 'text/css' }).end(css)
    } else if (url.pathname === '/page' && pages.has(url.searchParams.get('id') ?? '')) {
      const options = pages.get(url.searchParams.get('id') ?? '')!
      const nonce = randomBytes(16).toString('base64')
      const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' }
      if ((options.csp ?? 'strict') === 'strict') {
        // The CSP the extension host sets (cspSource is this server's origin here).
        headers['content-security-policy'] =
          `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${origin} 'nonce-${nonce}'`
      }
      if (options.hostTemplate !== undefined) {
        const page = options.hostTemplate(
          { cspSource: origin, scriptUri: `${origin}/webview.js`, styleUri: `${origin}/webview.css`, title: 'bob' },
          nonce
        )
        const marker = `<script nonce="${nonce}" src=`
        if (!page.includes(marker)) throw new Error("the host template has no nonce'd bundle script")
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end(page.replace(marker, `${testScripts(options, nonce)}\n${marker}`))
        return
      }
      res.writeHead(200, headers).end(pageHtml(options, nonce))
    } else if (url.pathname === '/favicon.ico') {
      // Chromium asks for it on its own (blocked by default-src 'none' under the CSP).
      res.writeHead(204).end()
    } else {
      strayRequests.push(req.url ?? '')
      res.writeHead(404).end()
    }
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS
  })

  let counter = 0
  return {
    browser,
    strayRequests,
    pageUrl(options: PageOptions): string {
      const id = String(++counter)
      pages.set(id, options)
      return `${origin}/page?id=${id}`
    },
    async close(): Promise<void> {
      await browser.close()
      await new Promise(resolve => server.close(resolve))
      await rm(dir, { recursive: true, force: true })
    }
  }
}

/** JSON that is safe inside a <script type="application/json"> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
}

function pageHtml(options: PageOptions, nonce: string): string {
  const theme = options.theme ?? 'dark'
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/webview.css">
<title>Parley test</title>
</head>
<body class="vscode-${theme}">
<div id="app"></div>
${testScripts(options, nonce)}
<script nonce="${nonce}" src="/${options.bundle ?? 'webview'}.js"></script>
</body>
</html>`
}

/** Theme variables (VS Code puts them on <html>), the fixture, and the fake host, all under the page's nonce. */
function testScripts(options: PageOptions, nonce: string): string {
  return `<style nonce="${nonce}">:root {${themes[options.theme ?? 'dark']}}</style>
<script type="application/json" id="fixture">${scriptJson({ snapshot: options.snapshot, hold: options.hold ?? [] })}</script>
<script nonce="${nonce}">${FAKE_HOST}</script>`
}

/** The fake extension host, as page script (runs before the bundle, under the same CSP). */
const FAKE_HOST = `(() => {
  const fixture = JSON.parse(document.getElementById('fixture').textContent)
  let sent = 0
  const host = {
    snapshot: fixture.snapshot,
    requests: [],
    violations: [],
    /** type → { name, message }: the next request of that type fails. */
    failures: {},
    /** type → result: replaces the default result. */
    results: {},
    /** type → true: requests of that type wait in held until release(type). */
    hold: Object.fromEntries(fixture.hold.map(type => [type, true])),
    held: [],
    draft: fixture.snapshot.draft,
    push(type, payload) { window.postMessage({ kind: 'event', type, payload }, '*') },
    release(type) {
      const waiting = host.held.filter(r => r.type === type)
      host.held = host.held.filter(r => r.type !== type)
      delete host.hold[type]
      for (const request of waiting) answer(request)
    }
  }
  window.__pwned = false
  document.addEventListener('securitypolicyviolation', e => {
    host.violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample })
  })
  function respond(request, ok, value) {
    const message = ok
      ? { kind: 'response', id: request.id, type: request.type, ok: true, result: value }
      : { kind: 'response', id: request.id, type: request.type, ok: false, error: value }
    window.postMessage(message, '*')
  }
  function answer(request) {
    const failure = host.failures[request.type]
    if (failure) {
      delete host.failures[request.type]
      respond(request, false, failure)
      return
    }
    const p = request.payload
    const contact = host.snapshot.contact
    let result
    switch (request.type) {
      case 'ready': result = host.snapshot; break
      case 'send': {
        const id = 'sent-' + (++sent)
        const at = host.nextTime ?? Date.now()
        result = { id, status: 'queued' }
        setTimeout(() => host.push('message', { message: {
          id, from: host.snapshot.me.peerId, to: contact.peerId, direction: 'out', text: p.text,
          sentAt: at, storedAt: at, status: 'queued' } }), 0)
        break
      }
      case 'retry': result = { id: p.id, status: 'queued' }; break
      case 'markRead': result = { unread: 0 }; break
      case 'openLink': result = { opened: true }; break
      case 'openSnippet': result = { opened: true }; break
      case 'copy': result = { copied: true }; break
      case 'saveDraft': host.draft = p.text; result = { saved: true }; break
      case 'acceptKey':
        host.snapshot.contact = { ...contact, keyChanged: false }
        result = { contact: host.snapshot.contact }
        break
      case 'verify':
        host.snapshot.contact = { ...contact, verified: true }
        result = { contact: host.snapshot.contact }
        break
      case 'loadOlder': result = { messages: [], hasOlder: false }; break
    }
    if (request.type in host.results) result = host.results[request.type]
    respond(request, true, result)
  }
  let acquired = false
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired')
    acquired = true
    return {
      postMessage(message) {
        const request = structuredClone(message)
        host.requests.push(request)
        if (host.hold[request.type]) host.held.push(request)
        else answer(request)
      },
      getState() { return undefined },
      setState() {}
    }
  }
  window.fakeHost = host
})()`

/** A subset of VS Code's theme variables (Dark Modern, Light Modern, High Contrast). */
const themes = {
  dark: `
  --vscode-font-family: system-ui, "Ubuntu", "Droid Sans", sans-serif; --vscode-font-size: 13px; --vscode-font-weight: normal;
  --vscode-editor-font-family: "Droid Sans Mono", "monospace", monospace; --vscode-editor-font-size: 14px;
  --vscode-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d; --vscode-disabledForeground: #cccccc80;
  --vscode-editor-background: #1f1f1f; --vscode-editor-foreground: #cccccc; --vscode-focusBorder: #0078d4;
  --vscode-textLink-foreground: #4daafc; --vscode-textLink-activeForeground: #4daafc;
  --vscode-textCodeBlock-background: #2b2b2b; --vscode-textPreformat-foreground: #d0d0d0;
  --vscode-textBlockQuote-background: #2b2b2b; --vscode-textBlockQuote-border: #616161;
  --vscode-button-background: #0078d4; --vscode-button-foreground: #ffffff; --vscode-button-hoverBackground: #026ec1;
  --vscode-button-border: #ffffff12; --vscode-button-secondaryBackground: #313131;
  --vscode-button-secondaryForeground: #cccccc; --vscode-button-secondaryHoverBackground: #3c3c3c;
  --vscode-input-background: #313131; --vscode-input-foreground: #cccccc; --vscode-input-border: #3c3c3c;
  --vscode-input-placeholderForeground: #989898;
  --vscode-inputValidation-warningBackground: #352a05; --vscode-inputValidation-warningBorder: #b89500;
  --vscode-inputValidation-infoBackground: #063b49; --vscode-inputValidation-infoBorder: #007acc;
  --vscode-errorForeground: #f85149; --vscode-editorWarning-foreground: #cca700;
  --vscode-testing-iconPassed: #73c991; --vscode-charts-green: #89d185; --vscode-panel-border: #2b2b2b;
  --vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8;
  --vscode-editorLineNumber-foreground: #6e7681; --vscode-list-hoverBackground: #2a2d2e;
  --vscode-editor-findMatchHighlightBackground: #ea5c0055;
  --vscode-symbolIcon-keywordForeground: #569cd6; --vscode-symbolIcon-functionForeground: #dcdcaa;
  --vscode-symbolIcon-classForeground: #4ec9b0; --vscode-symbolIcon-variableForeground: #9cdcfe;
  --vscode-debugTokenExpression-string: #ce9178; --vscode-debugTokenExpression-number: #b5cea8;`,
  light: `
  --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-font-weight: normal;
  --vscode-editor-font-family: monospace; --vscode-editor-font-size: 14px;
  --vscode-foreground: #3b3b3b; --vscode-descriptionForeground: #717171; --vscode-editor-background: #ffffff;
  --vscode-editor-foreground: #3b3b3b; --vscode-focusBorder: #005fb8; --vscode-textLink-foreground: #005fb8;
  --vscode-textCodeBlock-background: #f2f2f2; --vscode-button-background: #005fb8; --vscode-button-foreground: #ffffff;
  --vscode-button-secondaryBackground: #e5e5e5; --vscode-button-secondaryForeground: #3b3b3b;
  --vscode-input-background: #ffffff; --vscode-input-foreground: #3b3b3b; --vscode-input-border: #cecece;
  --vscode-inputValidation-warningBackground: #f6f5d2; --vscode-inputValidation-warningBorder: #b89500;
  --vscode-inputValidation-infoBackground: #d6ecf2; --vscode-inputValidation-infoBorder: #007acc;
  --vscode-errorForeground: #f85149; --vscode-testing-iconPassed: #388a34; --vscode-panel-border: #e5e5e5;
  --vscode-badge-background: #cccccc; --vscode-badge-foreground: #3b3b3b;
  --vscode-symbolIcon-keywordForeground: #0000ff; --vscode-debugTokenExpression-string: #a31515;`,
  'high-contrast': `
  --vscode-font-family: system-ui, sans-serif; --vscode-font-size: 13px; --vscode-font-weight: normal;
  --vscode-editor-font-family: monospace; --vscode-editor-font-size: 14px;
  --vscode-foreground: #ffffff; --vscode-descriptionForeground: #ffffffb3; --vscode-editor-background: #000000;
  --vscode-editor-foreground: #ffffff; --vscode-focusBorder: #f38518; --vscode-contrastBorder: #6fc3df;
  --vscode-contrastActiveBorder: #f38518; --vscode-textLink-foreground: #21a6ff;
  --vscode-button-background: #000000; --vscode-button-foreground: #ffffff; --vscode-button-border: #6fc3df;
  --vscode-input-background: #000000; --vscode-input-foreground: #ffffff; --vscode-input-border: #6fc3df;
  --vscode-errorForeground: #f48771; --vscode-panel-border: #6fc3df;`
}

// ---- fixtures ------------------------------------------------------------------------------------

export const ME = '12D3KooWMeMeMeMeMeMeMeMeMeMeMeMeMeMeMeMeMeMeMeMeMeMe'
export const BOB = '12D3KooWBobBobBobBobBobBobBobBobBobBobBobBobBobBobBob'

/** 2025-03-03T09:00:00Z: day one of the fixtures (tests run with timezone UTC). */
export const DAY1 = Date.UTC(2025, 2, 3, 9, 0, 0)
export const DAY2 = Date.UTC(2025, 2, 4, 9, 0, 0)
export const MINUTE = 60_000

export function contact(overrides: Partial<ContactView> = {}): ContactView {
  return {
    peerId: BOB,
    name: 'bob',
    state: 'contact',
    verified: true,
    keyChanged: false,
    presence: 'online',
    unread: 0,
    fingerprint: 'a1b2 c3d4 e5f6 0718 293a',
    ...overrides
  }
}

let messageCounter = 0
export function incoming(text: string, at: number, overrides: Partial<MessageView> = {}): MessageView {
  return {
    id: `in-${++messageCounter}`,
    from: BOB,
    to: ME,
    direction: 'in',
    text,
    sentAt: at,
    storedAt: at,
    status: 'received',
    ...overrides
  }
}

export function outgoing(text: string, at: number, overrides: Partial<MessageView> = {}): MessageView {
  return {
    id: `out-${++messageCounter}`,
    from: ME,
    to: BOB,
    direction: 'out',
    text,
    sentAt: at,
    storedAt: at,
    status: 'delivered',
    deliveredAt: at + 1000,
    ...overrides
  }
}

export function snapshot(overrides: Partial<ConversationSnapshot> = {}): ConversationSnapshot {
  return {
    me: { peerId: ME, name: 'alice' },
    contact: contact(),
    messages: [],
    hasOlder: false,
    draft: '',
    settings: { readReceipts: true },
    ...overrides
  }
}
