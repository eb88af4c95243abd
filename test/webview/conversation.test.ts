/**
 * The real webview bundle (dist/webview.js as esbuild builds it) in headless Chromium, under the
 * host's CSP, talking to a fake extension host through the page's acquireVsCodeApi().
 */
import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { after, before, describe, it } from 'node:test'
import type { BrowserContext, Page } from 'playwright-core'
import type { WebviewRequest } from '../../extension/protocol.ts'
import { conversationHtml } from '../../extension/webview-html.ts'
import { contactLabel } from '../../node/text/contact-label.ts'
import {
  contact,
  DAY1,
  DAY2,
  type Harness,
  incoming,
  MINUTE,
  outgoing,
  type PageOptions,
  snapshot,
  startHarness
} from './harness.ts'

const OUTPUT = new URL('../../test-output/', import.meta.url).pathname

let harness: Harness
const contexts: BrowserContext[] = []

before(async () => {
  harness = await startHarness()
})

after(async () => {
  for (const context of contexts) await context.close()
  await harness?.close()
})

interface Opened {
  page: Page
  errors: string[]
}

async function open(options: PageOptions): Promise<Opened> {
  const context = await harness.browser.newContext({
    timezoneId: 'UTC',
    locale: 'en-US',
    viewport: { width: 820, height: 640 },
    colorScheme: options.theme === 'light' ? 'light' : 'dark'
  })
  contexts.push(context)
  // Fail fast when something does not appear (a failure bound, not a timing assertion).
  context.setDefaultTimeout(5000)
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', error => errors.push(`pageerror: ${error.message}`))
  page.on('console', message => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`)
  })
  await page.goto(harness.pageUrl(options))
  await page.locator('.parley-conversation[data-loaded="true"]').waitFor()
  return { page, errors }
}

function requests(page: Page, type?: string): Promise<WebviewRequest[]> {
  return page.evaluate(t => (window as any).fakeHost.requests.filter((r: any) => t === undefined || r.type === t), type)
}

/** Waits until the fake host has received `count` requests of `type`, and returns them. */
async function waitForRequests(page: Page, type: string, count = 1): Promise<WebviewRequest[]> {
  await page.waitForFunction(
    ([t, n]) => (window as any).fakeHost.requests.filter((r: any) => r.type === t).length >= (n as number),
    [type, count] as const
  )
  return requests(page, type)
}

function push(page: Page, type: string, payload: unknown): Promise<void> {
  return page.evaluate(([t, p]) => (window as any).fakeHost.push(t, p), [type, payload] as const)
}

async function violations(page: Page): Promise<unknown[]> {
  return page.evaluate(() => (window as any).fakeHost.violations)
}

/** A conversation over two days with every delivery state, Markdown, a mention and a code fence. */
function richConversation() {
  return snapshot({
    contact: contact({ unread: 2 }),
    hasOlder: true,
    messages: [
      incoming('Morning! Did you see the **relay** patch?', DAY1),
      incoming('It is in `node/dht/records.ts`', DAY1 + MINUTE),
      outgoing('Yes, reviewing it now.', DAY1 + 2 * MINUTE, { status: 'read' }),
      outgoing(
        'Found one thing:\n\n```ts\nconst limit: number = 64 * 1024 // bytes\nexport function check(size: number) { return size <= limit }\n```',
        DAY1 + 3 * MINUTE
      ),
      incoming('@alice thanks, see https://example.com/issue/4 and ping @carol', DAY2),
      outgoing('Queued while you were away', DAY2 + MINUTE, { status: 'queued', deliveredAt: undefined }),
      outgoing('This one failed', DAY2 + 2 * MINUTE, {
        status: 'failed',
        deliveredAt: undefined,
        error: 'peer unreachable'
      }),
      incoming('', DAY2 + 3 * MINUTE, {
        text: 'export const MAX_FRAME_SIZE = 64 * 1024\n',
        snippet: {
          language: 'typescript',
          path: 'node/messaging/envelope-constants.ts',
          startLine: 2,
          endLine: 2,
          text: 'export const MAX_FRAME_SIZE = 64 * 1024\n'
        }
      })
    ]
  })
}

describe('conversation webview in Chromium', () => {
  it('renders the snapshot grouped by day and sender, under the strict CSP without violations', async () => {
    const { page, errors } = await open({ snapshot: richConversation() })
    const ready = await requests(page, 'ready')
    assert.equal(ready.length, 1)
    assert.deepEqual(ready[0]?.payload, { protocol: 1 })

    const log = page.locator('.log')
    assert.equal(await log.getAttribute('role'), 'log')
    assert.equal(await log.getAttribute('aria-live'), 'polite')
    assert.equal(await log.getAttribute('aria-label'), 'Messages with bob')
    assert.equal(await page.locator('.contact-name').textContent(), 'bob')
    assert.equal(await page.locator('.presence').textContent(), 'online')

    // Two days; day one: bob ×2, me ×2; day two: bob, me ×2, bob (snippet).
    assert.deepEqual(await page.locator('.day').evaluateAll(days => days.map(d => (d as HTMLElement).dataset.day)), [
      '2025-03-03',
      '2025-03-04'
    ])
    assert.equal(await page.locator('.day').first().locator('.day-label').textContent(), 'Monday, March 3, 2025')
    const groups = await page
      .locator('.group')
      .evaluateAll(gs => gs.map(g => [g.querySelector('.sender')?.textContent, g.querySelectorAll('.message').length]))
    assert.deepEqual(groups, [
      ['bob', 2],
      ['You', 2],
      ['bob', 1],
      ['You', 2],
      ['bob', 1]
    ])
    assert.equal(await page.locator('.group').first().locator('time').textContent(), '9:00 AM')

    // Markdown, code highlighting, links, mentions.
    assert.equal(await page.locator('.message strong').first().textContent(), 'relay')
    assert.equal(await page.locator('.markdown code').first().textContent(), 'node/dht/records.ts')
    assert.ok((await page.locator('.markdown pre code .hljs-keyword').count()) >= 2, 'code fence is highlighted')
    assert.equal(await page.locator('.markdown a').first().getAttribute('data-href'), 'https://example.com/issue/4')
    assert.deepEqual(await page.locator('.mention').allTextContents(), ['@alice', '@carol'])
    assert.deepEqual(await page.locator('.mention-me').allTextContents(), ['@alice'])

    // Unread messages are marked read once the page is visible.
    await waitForRequests(page, 'markRead')
    assert.equal(await page.locator('.load-older').isVisible(), true)

    await mkdir(OUTPUT, { recursive: true })
    await page.screenshot({ path: `${OUTPUT}webview-conversation-dark.png` })
    assert.deepEqual(await violations(page), [])
    assert.deepEqual(errors, [])
    assert.deepEqual(harness.strayRequests, [])
  })

  it('the header names the contact as the tree does (one contactLabel): pinned, announced, or peer id', async () => {
    for (const who of [
      contact(),
      contact({ name: undefined, announcedName: 'carol' }),
      contact({ name: undefined, announcedName: 'car\u202Eol[x](command:y)' }),
      contact({ name: undefined })
    ]) {
      const { page, errors } = await open({ snapshot: snapshot({ contact: who }) })
      assert.equal(await page.locator('.contact-name').textContent(), contactLabel(who))
      assert.deepEqual(errors, [])
      await page.context().close()
    }
    assert.equal(contactLabel(contact({ name: undefined, announcedName: 'carol' })), 'carol (unverified)')
  })

  it('renders in the light and high-contrast themes too, without violations', async () => {
    for (const theme of ['light', 'high-contrast'] as const) {
      const { page, errors } = await open({ snapshot: richConversation(), theme })
      await page.screenshot({ path: `${OUTPUT}webview-conversation-${theme}.png` })
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
      assert.equal(background, theme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(0, 0, 0)')
      assert.deepEqual(await violations(page), [])
      assert.deepEqual(errors, [])
    }
  })

  it('reveal (a search result) scrolls to the message and marks it; a second one moves the mark', async () => {
    const messages = Array.from({ length: 80 }, (_, i) => incoming(`message number ${i}`, DAY1 + i * MINUTE))
    const { page, errors } = await open({ snapshot: snapshot({ messages }) })
    const target = messages[3]!
    const inView = (id: string): Promise<boolean> =>
      page.evaluate(i => {
        const box = document.querySelector(`[data-id="${i}"]`)!.getBoundingClientRect()
        return box.top >= 0 && box.bottom <= window.innerHeight
      }, id)
    assert.equal(await inView(target.id), false, 'an old message starts out of view')
    await push(page, 'reveal', { id: target.id })
    await page.locator(`[data-id="${target.id}"].revealed`).waitFor()
    assert.equal(await inView(target.id), true)
    await push(page, 'reveal', { id: messages[40]!.id })
    await page.locator(`[data-id="${messages[40]!.id}"].revealed`).waitFor()
    assert.equal(await page.locator('.revealed').count(), 1)
    assert.deepEqual(errors, [])
  })

  it('shows delivery states, retries a failed message, and applies pushed status updates', async () => {
    const { page, errors } = await open({ snapshot: richConversation() })
    const states = await page
      .locator('.message-out')
      .evaluateAll(ms => ms.map(m => [m.getAttribute('data-status'), m.querySelector('.delivery-text')?.textContent]))
    assert.deepEqual(states, [
      ['read', 'Read'],
      ['delivered', 'Delivered'],
      ['queued', 'Queued'],
      ['failed', 'Not delivered']
    ])
    const failed = page.locator('.message[data-status="failed"]')
    assert.match((await failed.locator('.delivery').textContent()) ?? '', /peer unreachable/)
    assert.equal(await page.locator('button.retry').count(), 1)

    // A failing retry keeps the button and says why.
    await page.evaluate(() => {
      ;(window as any).fakeHost.failures.retry = { name: 'TimeoutError', message: 'daemon did not answer' }
    })
    await failed.locator('button.retry').click()
    await page.locator('.notice', { hasText: 'daemon did not answer' }).waitFor()
    assert.equal(await failed.locator('button.retry').isEnabled(), true)

    // A successful retry: the request names the message; it becomes queued and loses its Retry button.
    const id = await failed.getAttribute('data-id')
    await failed.locator('button.retry').click()
    const retries = await waitForRequests(page, 'retry', 2)
    assert.deepEqual(retries[1]?.payload, { id })
    const retried = page.locator(`.message[data-id="${id}"]`)
    await page.locator(`.message[data-id="${id}"][data-status="queued"]`).waitFor()
    assert.equal(await retried.locator('button.retry').count(), 0)

    // The recipient is offline: a mailbox holds it (one tick), then the ack comes (two ticks).
    await push(page, 'status', { id, status: 'stored' })
    await page.locator(`.message[data-id="${id}"][data-status="stored"]`).waitFor()
    assert.equal(await retried.locator('.delivery-icon').textContent(), '✓')
    assert.equal(await retried.locator('.delivery-text').textContent(), 'Stored in a mailbox')
    await push(page, 'status', { id, status: 'delivered', deliveredAt: DAY2 + 10 * MINUTE })
    await page.locator(`.message[data-id="${id}"][data-status="delivered"]`).waitFor()
    assert.equal(await retried.locator('.delivery-text').textContent(), 'Delivered')
    assert.equal(await retried.locator('.delivery-icon').textContent(), '✓✓')
    // a group message: read receipts of members show as "read by N"
    assert.equal(await retried.locator('.delivery-read').count(), 0)
    await push(page, 'status', { id, status: 'delivered', readBy: 2 })
    await retried.locator('.delivery-read').waitFor()
    assert.equal(await retried.locator('.delivery-read').textContent(), '· read by 2')
    await push(page, 'status', { id, status: 'failed', error: 'recipient offline' })
    await page.locator(`.message[data-id="${id}"] button.retry`).waitFor()
    assert.deepEqual(errors, [])
  })

  it('composer: Enter sends, Shift+Enter adds a line, blank text is not sent, failures keep the text', async () => {
    const { page, errors } = await open({ snapshot: snapshot({ messages: [incoming('hi', DAY1)] }) })
    const composer = page.locator('textarea.composer-input')
    assert.equal(await composer.getAttribute('placeholder'), 'Message bob')
    await composer.focus()
    await page.keyboard.press('Enter')
    await page.keyboard.type('   ')
    await page.keyboard.press('Enter')
    await composer.fill('')
    await page.keyboard.type('hello')
    await page.keyboard.press('Shift+Enter')
    await page.keyboard.type('world')
    assert.equal(await composer.inputValue(), 'hello\nworld')
    assert.equal((await requests(page, 'send')).length, 0)
    const typed = await waitForRequests(page, 'saveDraft')
    assert.deepEqual(typed.at(-1)?.payload, { text: 'hello\nworld' })

    await page.evaluate(() => {
      ;(window as any).fakeHost.nextTime = Date.UTC(2025, 2, 3, 9, 5)
    })
    await page.keyboard.press('Enter')
    const sends = await waitForRequests(page, 'send')
    assert.equal(sends.length, 1)
    assert.deepEqual(sends[0]?.payload, { text: 'hello\nworld' })
    // The host echoes the queued message; it joins the log as a new group from me on the same day.
    const sent = page.locator('.message[data-id="sent-1"]')
    await sent.waitFor()
    assert.equal(await sent.getAttribute('data-status'), 'queued')
    assert.equal(await sent.locator('.markdown').innerHTML(), '<p>hello<br>\nworld</p>\n')
    assert.equal(await page.locator('.day').count(), 1)
    assert.deepEqual(await page.locator('.sender').allTextContents(), ['bob', 'You'])
    assert.equal(await composer.inputValue(), '')
    // The cleared draft is saved.
    const drafts = await waitForRequests(page, 'saveDraft', typed.length + 1)
    assert.deepEqual(drafts.at(-1)?.payload, { text: '' })

    // A second message continues my group.
    await page.keyboard.type('again')
    await page.keyboard.press('Enter')
    await page.locator('.message[data-id="sent-2"]').waitFor()
    assert.deepEqual(await page.locator('.sender').allTextContents(), ['bob', 'You'])
    assert.equal(await page.locator('.message[data-id="sent-2"] .sr-only').textContent(), 'You, 9:05 AM: ')

    // A send the host refuses keeps the text and tells why.
    await page.evaluate(() => {
      ;(window as any).fakeHost.failures.send = { name: 'KeyChangedError', message: 'the key of bob changed' }
    })
    await page.keyboard.type('do not lose me')
    await page.keyboard.press('Enter')
    await page.locator('.notice', { hasText: 'the key of bob changed' }).waitFor()
    assert.equal(await composer.inputValue(), 'do not lose me')
    assert.deepEqual(errors, [])
  })

  it('keeps the draft through the host and re-renders from a snapshot after being hidden', async () => {
    const first = await open({ snapshot: snapshot({ messages: [incoming('hi', DAY1)] }) })
    await first.page.locator('textarea.composer-input').fill('half a thought')
    const drafts = await waitForRequests(first.page, 'saveDraft')
    assert.deepEqual(drafts.at(-1)?.payload, { text: 'half a thought' })
    const saved = await first.page.evaluate(() => (window as any).fakeHost.draft)

    // VS Code discards a hidden webview; when shown again it loads anew and gets a fresh snapshot.
    const second = await open({ snapshot: snapshot({ messages: [incoming('hi', DAY1)], draft: saved }) })
    assert.equal(await second.page.locator('textarea.composer-input').inputValue(), 'half a thought')
    assert.equal(await second.page.locator('.message').count(), 1)

    // A pushed snapshot (e.g. after the daemon reconnected) replaces the whole state.
    await push(second.page, 'snapshot', snapshot({ contact: contact({ name: 'robert' }), messages: [], draft: '' }))
    await second.page.locator('.placeholder', { hasText: 'Say hello to robert' }).waitFor()
    assert.equal(await second.page.locator('.contact-name').textContent(), 'robert')
    // The user's unsaved text was the saved draft, so the snapshot's draft replaces it.
    assert.equal(await second.page.locator('textarea.composer-input').inputValue(), '')
    assert.deepEqual([...first.errors, ...second.errors], [])
  })

  it("loads in the host's own page template (extension/webview-html.ts) under its CSP", async () => {
    const { page, errors } = await open({ snapshot: richConversation(), hostTemplate: conversationHtml })
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')
    assert.match(csp ?? '', /default-src 'none'/)
    assert.equal(await page.locator('.message').count(), 8)
    assert.ok((await page.locator('.hljs-keyword').count()) > 0)
    // The stylesheet from dist/ applied (the log scrolls inside the page, the composer sits below it).
    assert.equal(await page.locator('.scroller').evaluate(e => getComputedStyle(e).overflowY), 'auto')
    assert.deepEqual(await violations(page), [])
    assert.deepEqual(errors, [])
  })

  it('keeps events the host pushes before the ready answer and applies them after the snapshot', async () => {
    const context = await harness.browser.newContext({ timezoneId: 'UTC', locale: 'en-US' })
    contexts.push(context)
    context.setDefaultTimeout(5000)
    const page = await context.newPage()
    await page.goto(
      harness.pageUrl({ snapshot: snapshot({ messages: [incoming('in the snapshot', DAY1)] }), hold: ['ready'] })
    )
    await waitForRequests(page, 'ready')
    await push(page, 'message', { message: incoming('pushed early', DAY1 + MINUTE, { id: 'early' }) })
    await push(page, 'presence', { presence: 'offline' })
    await page.evaluate(() => (window as any).fakeHost.release('ready'))
    await page.locator('.message[data-id="early"]').waitFor()
    assert.deepEqual(await page.locator('.message .markdown').allTextContents(), [
      'in the snapshot\n',
      'pushed early\n'
    ])
    assert.equal(await page.locator('.presence').textContent(), 'offline')
  })

  it('snippet card: language, location, line numbers, highlighted code, Copy and Open at Location', async () => {
    const text = 'function add(a, b) {\n  return a + b\n}\n'
    const { page, errors } = await open({
      snapshot: snapshot({
        messages: [
          incoming(text, DAY1, {
            id: 'snip',
            snippet: { language: 'javascript', path: 'src/math.js', startLine: 10, endLine: 12, text }
          })
        ]
      })
    })
    const card = page.locator('.message[data-id="snip"] .snippet')
    assert.equal(await card.locator('.snippet-language').textContent(), 'javascript')
    assert.equal(await card.locator('.snippet-location').textContent(), 'src/math.js:10–12')
    assert.equal(await card.locator('.snippet-gutter').textContent(), '10\n11\n12')
    assert.equal(await card.locator('.snippet-code code').textContent(), text)
    assert.ok((await card.locator('.hljs-keyword').count()) >= 2)
    assert.equal(await card.getAttribute('aria-label'), 'Code snippet src/math.js:10–12')

    await card.locator('button.snippet-copy').click()
    const copies = await waitForRequests(page, 'copy')
    assert.deepEqual(copies[0]?.payload, { text })
    await card.locator('button.snippet-copy', { hasText: 'Copied' }).waitFor()

    await card.locator('button.snippet-open').click()
    const opens = await waitForRequests(page, 'openSnippet')
    assert.deepEqual(opens[0]?.payload, { messageId: 'snip', path: 'src/math.js', startLine: 10, endLine: 12 })

    // Bidi controls in a path are shown, not obeyed; the request still carries the path as sent.
    await push(page, 'message', {
      message: incoming('x', DAY1 + MINUTE, {
        id: 'bidi',
        snippet: { language: 'text', path: 'src/\u202Egnp.ts', startLine: 1, endLine: 1, text: 'x' }
      })
    })
    await page.locator('.message[data-id="bidi"] .snippet-location', { hasText: 'src/\uFFFDgnp.ts:1' }).waitFor()
    // A message of another conversation is not shown here.
    await push(page, 'message', {
      message: incoming('elsewhere', DAY1 + 2 * MINUTE, { id: 'other', from: 'carol', to: 'me' })
    })
    await push(page, 'message', { message: incoming('here', DAY1 + 3 * MINUTE, { id: 'mine' }) })
    await page.locator('.message[data-id="mine"]').waitFor()
    assert.equal(await page.locator('.message[data-id="other"]').count(), 0)

    await page.evaluate(() => {
      ;(window as any).fakeHost.results.openSnippet = { opened: false }
    })
    await card.locator('button.snippet-open').click()
    await page.locator('.notice', { hasText: 'src/math.js is not in this workspace.' }).waitFor()
    assert.deepEqual(errors, [])
  })

  it('key-change banner pauses sending until the new key is accepted; unverified banner offers Verify', async () => {
    const { page, errors } = await open({
      snapshot: snapshot({ contact: contact({ keyChanged: true, verified: false }), messages: [incoming('hi', DAY1)] })
    })
    const banner = page.locator('[data-banner="key-changed"]')
    assert.equal(await banner.getAttribute('role'), 'alert')
    assert.match((await banner.textContent()) ?? '', /bob's key has changed/)
    assert.equal(await page.locator('button.send').isDisabled(), true)
    assert.equal(await page.locator('.composer-note').textContent(), 'Sending is paused until you accept the new key.')
    await page.locator('textarea.composer-input').fill('still typing')
    await page.locator('textarea.composer-input').press('Enter')
    assert.equal((await requests(page, 'send')).length, 0)

    await banner.getByRole('button', { name: 'Accept New Key' }).click()
    await waitForRequests(page, 'acceptKey')
    // Accepted but not verified yet: the unverified banner replaces the warning; sending resumes.
    const unverified = page.locator('[data-banner="unverified"]')
    await unverified.waitFor()
    assert.equal(await page.locator('[data-banner="key-changed"]').count(), 0)
    assert.equal(await page.locator('button.send').isEnabled(), true)
    assert.equal(await page.locator('.verified-badge').textContent(), 'Not verified')

    await unverified.getByRole('button', { name: 'Verify' }).click()
    await waitForRequests(page, 'verify')
    await page.locator('.verified-badge[data-verified="true"]').waitFor()
    assert.equal(await page.locator('.banner').count(), 0)

    // The host pushes a key change later: the banner comes back.
    await push(page, 'contact', { contact: contact({ keyChanged: true, verified: false }) })
    await page.locator('[data-banner="key-changed"]').waitFor()
    // Presence updates the header.
    await push(page, 'presence', { presence: 'offline', lastSeen: Date.now() - 5 * MINUTE })
    await page.locator('.presence', { hasText: 'last seen 5 minutes ago' }).waitFor()
    assert.deepEqual(errors, [])
  })

  it('links become openLink requests for every kind of click and never navigate or open by themselves', async () => {
    const { page, errors } = await open({
      snapshot: snapshot({
        messages: [
          incoming('[the docs](https://example.com/docs?a=1&b=2) and mail <mailto:bob@example.com>', DAY1),
          incoming('bare https://www.example.org/x and http://127.0.0.1:9/here', DAY1 + MINUTE),
          incoming(
            '[relative](/etc/passwd) [file](file:///etc/passwd) [cmd](command:workbench.action.quit)',
            DAY1 + 2 * MINUTE
          )
        ]
      })
    })
    const url = page.url()
    const targets = await page.locator('.log a').evaluateAll(as => as.map(a => a.getAttribute('data-href')))
    assert.deepEqual(targets, [
      'https://example.com/docs?a=1&b=2',
      'mailto:bob@example.com',
      'https://www.example.org/x',
      'http://127.0.0.1:9/here'
    ])
    // No href anywhere: VS Code's webview opens any clicked <a href> itself, before Parley could ask.
    assert.equal(await page.locator('.parley-conversation [href]').count(), 0)
    assert.deepEqual(
      await page.locator('.log a').evaluateAll(as => as.map(a => [a.getAttribute('role'), a.getAttribute('tabindex')])),
      Array(4).fill(['link', '0'])
    )
    assert.equal(await page.locator('.log a').first().getAttribute('title'), 'https://example.com/docs?a=1&b=2')
    // Refused schemes stay plain text.
    assert.match((await page.locator('.message').nth(2).textContent()) ?? '', /\[file\]\(file:\/\/\/etc\/passwd\)/)

    // VS Code's own handler, as its webview host page installs it: a bubbling click listener on the window.
    await page.evaluate(() => {
      const seen: string[] = []
      ;(window as any).__vscodeClicks = seen
      for (const type of ['click', 'auxclick']) {
        window.addEventListener(type, event => {
          const a = (event.target as Element).closest?.('a') as HTMLAnchorElement | null
          if (a?.href) seen.push(a.href)
        })
      }
    })
    await page.locator('.log a').first().click()
    await page.locator('.log a').nth(1).focus()
    await page.keyboard.press('Enter')
    await page.locator('.log a').nth(3).click({ button: 'middle' })
    await page
      .locator('.log a')
      .nth(2)
      .click({ modifiers: ['Control'] })
    await page
      .locator('.log a')
      .nth(2)
      .click({ modifiers: ['Shift'] })
    const opened = await waitForRequests(page, 'openLink', 5)
    assert.deepEqual(
      opened.map(r => r.payload),
      [
        { url: 'https://example.com/docs?a=1&b=2' },
        { url: 'mailto:bob@example.com' },
        { url: 'http://127.0.0.1:9/here' },
        { url: 'https://www.example.org/x' },
        { url: 'https://www.example.org/x' }
      ]
    )
    assert.deepEqual(await page.evaluate(() => (window as any).__vscodeClicks), [], 'no link reached a navigation')
    assert.equal(page.url(), url)
    assert.equal(page.context().pages().length, 1, 'no window was opened')
    assert.deepEqual(harness.strayRequests, [])
    assert.deepEqual(errors, [])
  })

  it('names of Object.prototype as fence language, snippet language and mention load and show as text', async () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty']
    const stored = names.flatMap((name, i) => [
      // (`_` escaped so that Markdown keeps `__proto__` as text instead of making it bold)
      incoming(`\`\`\`${name}\nlet ${name} = 1\n\`\`\`\n@${name.replaceAll('_', '\\_')} hi`, DAY1 + i * MINUTE),
      incoming('snippet', DAY1 + i * MINUTE + 1, {
        snippet: { language: name, path: `src/${name}.ts`, startLine: 1, endLine: 1, text: `code of ${name}` }
      })
    ])
    const { page, errors } = await open({ snapshot: snapshot({ messages: stored }) })
    assert.equal(await page.locator('.message').count(), stored.length, 'the stored conversation loads')
    const text = (await page.locator('.log').textContent()) ?? ''
    for (const name of names) {
      assert.ok(text.includes(`let ${name} = 1`), `fence ${name}`)
      assert.ok((await page.locator('.mention').allTextContents()).includes(`@${name}`), `mention ${name}`)
      assert.ok(text.includes(`code of ${name}`), `snippet ${name}`)
      assert.ok(text.includes(`src/${name}.ts`), `snippet path ${name}`)
    }
    // The same messages arriving live are shown too, not dropped.
    for (const [i, name] of names.entries()) {
      await push(page, 'message', {
        message: incoming(`\`\`\`${name}\nlive ${name}\n\`\`\``, DAY2 + i * MINUTE, {
          snippet: { language: name, path: `live/${name}.ts`, startLine: 1, endLine: 2, text: `live code ${name}` }
        })
      })
      await page.locator('.message', { hasText: `live code ${name}` }).waitFor()
    }
    assert.equal(await page.locator('.message').count(), stored.length + names.length)
    assert.deepEqual(errors, [])
  })

  it('load older asks for history before the oldest message and prepends it', async () => {
    const newest = incoming('newest', DAY2)
    const { page, errors } = await open({ snapshot: snapshot({ hasOlder: true, messages: [newest] }) })
    await page.evaluate(
      older => {
        ;(window as any).fakeHost.results.loadOlder = { messages: older, hasOlder: false }
      },
      [incoming('oldest', DAY1), incoming('older', DAY1 + MINUTE)]
    )
    await page.locator('button.load-older').click()
    const loads = await waitForRequests(page, 'loadOlder')
    assert.deepEqual(loads[0]?.payload, { before: DAY2, limit: 50 })
    await page.locator('.message', { hasText: 'oldest' }).waitFor()
    assert.deepEqual(await page.locator('.message .markdown').allTextContents(), ['oldest\n', 'older\n', 'newest\n'])
    assert.equal(await page.locator('button.load-older').isVisible(), false)
    assert.deepEqual(errors, [])
  })

  it('every action is a keyboard-reachable button with a visible focus ring', async () => {
    const { page, errors } = await open({ snapshot: richConversation() })
    const reached = new Set<string>()
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab')
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null
        if (el === null || el === document.body) return null
        const style = getComputedStyle(el)
        return { label: el.className || el.tagName, outline: style.outlineStyle, width: style.outlineWidth }
      })
      if (focused === null) continue
      reached.add(focused.label)
      assert.notEqual(focused.outline, 'none', `${focused.label} shows focus`)
      assert.notEqual(focused.width, '0px', `${focused.label} shows focus`)
    }
    for (const label of ['load-older', 'retry', 'snippet-copy', 'snippet-open', 'composer-input', 'send']) {
      assert.ok(reached.has(label), `Tab reaches ${label} (reached: ${[...reached].join(', ')})`)
    }
    // Retry works from the keyboard.
    await page.locator('button.retry').focus()
    await page.keyboard.press('Enter')
    await waitForRequests(page, 'retry')
    // The host can move focus to the composer.
    await push(page, 'focusComposer', {})
    await page.waitForFunction(() => document.activeElement?.classList.contains('composer-input'))
    // No inline handlers anywhere.
    assert.equal(
      await page.evaluate(
        () => [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).length
      ),
      0
    )
    assert.deepEqual(errors, [])
  })
})

/** Message texts that try to run script, load things or break out of the markup. */
const hostile: string[] = [
  '<script>window.__pwned = 1</script>',
  '<img src=x onerror="window.__pwned=1">',
  '<img src="/pixel.png">',
  '<div onmouseover="window.__pwned=1" style="position:fixed;inset:0">cover</div>',
  '<a href="javascript:window.__pwned=1">raw anchor</a>',
  '[md link](javascript:window.__pwned=1)',
  '[upper](JAVASCRIPT:window.__pwned=1)',
  '[entity](&#106;avascript:window.__pwned=1)',
  '[colon](javascript&colon;window.__pwned=1)',
  '[spaced]( javascript:window.__pwned=1 )',
  '[tab](java\tscript:window.__pwned=1)',
  '[vb](vbscript:msgbox(1))',
  '[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)',
  '[ref link][1]\n\n[1]: javascript:window.__pwned=1',
  '<javascript:window.__pwned=1>',
  '<https://example.com/"onmouseover="window.__pwned=1>',
  'https://example.com/"><img src=x onerror=window.__pwned=1>',
  "<mailto:a@b.c'onclick='window.__pwned=1>",
  '[titled](https://example.com "t\\" onmouseover=\\"window.__pwned=1")',
  '<svg onload="window.__pwned=1"><circle r="5"/></svg>',
  '<svg><script>window.__pwned=1</script></svg>',
  '<iframe src="javascript:window.__pwned=1"></iframe>',
  '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
  '<object data="javascript:window.__pwned=1"></object><embed src="javascript:window.__pwned=1">',
  '<style>body { display: none }</style><link rel="stylesheet" href="/evil.css">',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=1">',
  '<base href="javascript:window.__pwned=1//">',
  '<form action="javascript:window.__pwned=1"><button>go</button></form>',
  '<input autofocus onfocus="window.__pwned=1">',
  '<details open ontoggle="window.__pwned=1">x</details>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>',
  '**<img src=x onerror=window.__pwned=1>**',
  '[<img src=x onerror=window.__pwned=1>](https://example.com)',
  '![pixel](http://127.0.0.1:9/pixel.png)',
  '![x](javascript:window.__pwned=1)',
  '`<script>window.__pwned=1</script>`',
  '```html\n<script>window.__pwned=1</script>\n```',
  '```"><img src=x onerror=window.__pwned=1>\ncode\n```',
  '| a | b |\n|:--|--:|\n| <img src=x onerror=window.__pwned=1> | <script>window.__pwned=1</script> |',
  '> <iframe src="javascript:window.__pwned=1">',
  '@<img src=x onerror=window.__pwned=1> and @bob"onmouseover="window.__pwned=1',
  '<!-- comment --><![CDATA[ x ]]><?php echo 1 ?>',
  '&lt;script&gt;window.__pwned=1&lt;/script&gt;',
  '<scr<script>ipt>window.__pwned=1</scr</script>ipt>',
  '<noscript><p title="</noscript><img src=x onerror=window.__pwned=1>">',
  // VS Code's own link and icon syntax (issue 16): a command, a local file, a loopback URL
  '[Open](command:workbench.action.terminal.new?{"config":{"executable":"sh","args":["-c","touch /tmp/x"]}})',
  '[Open](command:workbench.action.terminal.new?%7B%22config%22%3A%7B%7D%7D)',
  '[notes](file:///etc/passwd) <file:///etc/passwd> [vs](vscode://file/etc/passwd)',
  '[local](http://localhost:8080/admin) http://169.254.169.254/latest/meta-data',
  '$(warning) $(sync~spin) urgent',
  // Object.prototype's names where a lookup could find the prototype
  '```__proto__\nx\n```\n```constructor\ny\n```\n```toString\nz\n```\n```hasOwnProperty\nw\n```',
  '@constructor @toString @hasOwnProperty @\\_\\_proto\\_\\_',
  // control, bidi and invisible characters
  'evil\u202Egnp.ts \u2066x\u2069 zero\u200Bwidth \u001B[31mred\u001B[0m'
]

function hostileConversation() {
  const evil = '<img src=x onerror="window.__pwned=1">'
  return snapshot({
    me: { peerId: 'me', name: evil },
    contact: contact({ name: evil, verified: false }),
    messages: [
      ...hostile.map((text, i) => incoming(text, DAY1 + i * MINUTE)),
      outgoing('x', DAY2, { status: 'failed', error: '<img src=x onerror="window.__pwned=1">' }),
      incoming('snippet', DAY2 + MINUTE, {
        snippet: {
          language: '"><img src=x onerror=window.__pwned=1>',
          path: '"><script>window.__pwned=1</script>.ts',
          startLine: 1,
          endLine: 2,
          text: '</code></pre><script>window.__pwned=1</script>\n<img src=x onerror=window.__pwned=1>'
        }
      })
    ]
  })
}

describe('hostile message texts render inert', () => {
  for (const csp of ['strict', 'none'] as const) {
    it(`with ${csp === 'strict' ? "the host's CSP" : 'no CSP at all (the renderer alone)'}`, async () => {
      const { page, errors } = await open({ snapshot: hostileConversation(), csp })
      const url = page.url()
      assert.equal(await page.locator('.message').count(), hostile.length + 2)

      // Poke everything a handler could hang on, then let timers and loads run.
      await page.evaluate(async () => {
        for (const el of document.querySelectorAll('.log *')) {
          for (const type of ['mouseover', 'focus', 'toggle', 'load', 'error', 'animationstart']) {
            el.dispatchEvent(new Event(type))
          }
        }
        await new Promise(resolve => setTimeout(resolve, 200))
      })
      for (const link of await page.locator('.log a').all()) await link.click()

      const report = await page.evaluate(() => {
        const log = document.querySelector('.log')!
        const all = [...document.querySelectorAll('.parley-conversation *')]
        return {
          pwned: (window as any).__pwned,
          handlers: all.filter(e => [...e.attributes].some(a => /^on/i.test(a.name))).map(e => e.outerHTML),
          styles: all.filter(e => e.hasAttribute('style')).map(e => e.outerHTML),
          hrefs: [...log.querySelectorAll('[href], [src], [action], [data], [srcdoc], [formaction]')].map(
            e => e.getAttribute('href') ?? e.outerHTML
          ),
          foreign: all
            .filter(
              e =>
                e.namespaceURI !== 'http://www.w3.org/1999/xhtml' ||
                /^(script|iframe|svg|math|img|object|embed|style|link|meta|base|form|input|details|noscript|video|audio|source|frame|frameset|template)$/.test(
                  e.localName
                )
            )
            .map(e => e.localName),
          bodyVisible: getComputedStyle(document.body).display !== 'none'
        }
      })
      assert.equal(report.pwned, false, 'no payload ran')
      assert.deepEqual(report.handlers, [])
      assert.deepEqual(report.styles, [])
      assert.deepEqual(report.foreign, [])
      assert.equal(report.bodyVisible, true)
      assert.deepEqual(report.hrefs, [], 'no href, src or action: links carry data-href only')
      for (const target of await page
        .locator('.log [data-href]')
        .evaluateAll(as => as.map(a => a.getAttribute('data-href')))) {
        assert.match(target ?? '', /^(https?|mailto):/, `only http(s)/mailto links: ${target}`)
      }
      const opened = (await requests(page, 'openLink')).map(r => (r.payload as { url: string }).url)
      for (const link of opened) assert.match(link, /^(https?|mailto):/)
      assert.equal(page.url(), url, 'the webview never navigated')

      // Raw HTML shows as the text the sender typed.
      const texts = await page.locator('.message .markdown').allTextContents()
      assert.equal(texts[0], '<script>window.__pwned = 1</script>\n')
      assert.equal(texts[1], '<img src=x onerror="window.__pwned=1">\n')
      assert.equal(await page.locator('.contact-name').textContent(), '<img src=x onerror="window.__pwned=1">')
      assert.match((await page.locator('.snippet-location').textContent()) ?? '', /^"><script>/)
      assert.match((await page.locator('.snippet-code').textContent()) ?? '', /^<\/code><\/pre><script>/)

      if (csp === 'strict') assert.deepEqual(await violations(page), [])
      assert.deepEqual(harness.strayRequests, [])
      assert.deepEqual(errors, [])
    })
  }
})
