/**
 * A long conversation in the real webview (headless Chromium): the page shows the page of history
 * the host gave it and asks for older ones one page at a time, only when the user asks; it never
 * pulls the rest of the conversation on its own (bench figure 12 times the same path).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { MessageView } from '../../node/daemon/rpc-api.ts'
import { type Harness, incoming, outgoing, snapshot, startHarness } from './harness.ts'

/** As many messages as the host's conversation has; the page sees only what it asks for. */
const TOTAL = 100_000
const FIRST_PAGE = 100
const START = Date.UTC(2025, 0, 1)

function message(i: number): MessageView {
  const at = START + i * 60_000
  return i % 2 === 0 ? incoming(`message ${i}`, at, { id: `m${i}` }) : outgoing(`message ${i}`, at, { id: `m${i}` })
}

let harness: Harness

before(async () => {
  harness = await startHarness()
})

after(async () => {
  await harness?.close()
})

describe('a conversation of 100,000 messages', () => {
  it('shows the newest page, asks for one older page per request, never for the rest', async () => {
    const context = await harness.browser.newContext({ viewport: { width: 820, height: 640 } })
    try {
      context.setDefaultTimeout(30_000)
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', error => errors.push(error.message))
      const newest = Array.from({ length: FIRST_PAGE }, (_, k) => message(TOTAL - FIRST_PAGE + k))
      await page.goto(harness.pageUrl({ snapshot: snapshot({ messages: newest, hasOlder: true }) }))
      await page.waitForFunction(n => document.querySelectorAll('.message').length === n, FIRST_PAGE)
      const loads = async (): Promise<Array<{ before: number; limit: number }>> =>
        await page.evaluate(() =>
          (window as any).fakeHost.requests
            .filter((r: { type: string }) => r.type === 'loadOlder')
            .map((r: { payload: unknown }) => r.payload)
        )
      // scrolled to the top and left there: nothing more is asked for
      await page.evaluate(() => {
        ;(document.querySelector('.scroller') as HTMLElement).scrollTop = 0
      })
      await page.evaluate(() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve))))
      assert.deepEqual(await loads(), [])
      assert.equal(await page.locator('.message').count(), FIRST_PAGE)

      // three requests for older messages: three pages, each before the oldest shown, bounded in size
      let shown = FIRST_PAGE
      for (let p = 0; p < 3; p++) {
        const oldest = TOTAL - shown
        await page.evaluate(
          result => {
            ;(window as any).fakeHost.results.loadOlder = result
          },
          { messages: Array.from({ length: 50 }, (_, k) => message(oldest - 50 + k)), hasOlder: true }
        )
        await page.locator('button.load-older').click()
        shown += 50
        await page.waitForFunction(n => document.querySelectorAll('.message').length === n, shown)
        const asked = await loads()
        assert.equal(asked.length, p + 1, 'one request per click')
        assert.deepEqual(asked[p], { before: message(oldest).storedAt, limit: 50 })
      }
      assert.equal(await page.locator('.message').count(), FIRST_PAGE + 150, 'the log holds only the pages asked for')
      assert.deepEqual(errors, [])
    } finally {
      await context.close()
    }
  })
})
