/**
 * Figure 12: opening a long conversation in the webview, in headless Chromium (the real bundle
 * under the host's CSP, test/webview/harness.ts). The conversation has 100,000 messages (quick:
 * 10,000) on the host side; the extension hands the webview its newest page (HISTORY_PAGE, 100) and
 * then one older page per "Load older messages". Timed inside the page (performance.now() when the
 * log reaches the expected number of messages): the last page rendered after navigation, against a
 * conversation of one message opened the same way (the page and bundle alone); then each older
 * page from the click to its messages in the log, against the first older page. Goal (issue 14):
 * the last page in under 100 ms of rendering, older pages page by page without loading everything.
 */
import type { Page } from 'playwright-core'
import type { MessageView } from '../../node/daemon/rpc-api.ts'
import { HISTORY_PAGE } from '../../extension/constants.ts'
import { incoming, outgoing, snapshot, startHarness } from '../../test/webview/harness.ts'
import type { Figure } from '../report.ts'
import { now, round, summarize } from '../stats.ts'

/** The webview's "load older" page (extension/webview/conversation.ts OLDER_PAGE). */
const OLDER_PAGE = 50
const START = Date.UTC(2025, 0, 1)

/** Message `i` of the conversation (0 = oldest), a minute apart, alternating sides, some Markdown. */
function message(i: number): MessageView {
  const text = i % 7 === 0 ? `**release ${i}** is out: see \`CHANGELOG.md\`` : `message ${i}: looks good, merging`
  return i % 2 === 0
    ? incoming(text, START + i * 60_000, { id: `m${i}` })
    : outgoing(text, START + i * 60_000, { id: `m${i}`, status: 'read' })
}

/** Records, in the page, when the log's message count changes (performance.now(), since navigation). */
const MARKS = `(() => {
  window.__marks = []
  // the host's answer to 'ready' (the snapshot) arrives: rendering starts with the page's own listener
  window.addEventListener('message', e => {
    if (e.data && e.data.kind === 'response' && e.data.type === 'ready') window.__snapshotAt ??= performance.now()
  })
  new MutationObserver(() => {
    const n = document.querySelectorAll('.message').length
    const last = window.__marks.at(-1)
    if (last === undefined || last[0] !== n) window.__marks.push([n, performance.now()])
  }).observe(document, { childList: true, subtree: true })
})()`

async function reached(page: Page, count: number): Promise<number> {
  await page.waitForFunction(n => document.querySelectorAll('.message').length >= n, count, { timeout: 60_000 })
  return await page.evaluate(n => (window as any).__marks.find((m: [number, number]) => m[0] >= n)[1] as number, count)
}

export async function webviewFigure(options: { quick: boolean }): Promise<Figure> {
  const started = now()
  const total = options.quick ? 10_000 : 100_000
  const olderPages = options.quick ? 5 : 20
  const opens = options.quick ? 3 : 7
  const harness = await startHarness()
  try {
    const all = Array.from({ length: total }, (_, i) => message(i))
    const open = async (
      messages: MessageView[],
      hasOlder: boolean
    ): Promise<{ page: Page; ms: number; renderMs: number }> => {
      const context = await harness.browser.newContext({ viewport: { width: 820, height: 640 } })
      await context.addInitScript(MARKS)
      const page = await context.newPage()
      await page.goto(harness.pageUrl({ snapshot: snapshot({ messages, hasOlder }) }))
      const ms = await reached(page, messages.length)
      return { page, ms, renderMs: ms - (await page.evaluate(() => (window as any).__snapshotAt as number)) }
    }
    // alternate: one message, then the last page, so both see the same machine
    const one: number[] = []
    const last: number[] = []
    const oneRender: number[] = []
    const lastRender: number[] = []
    let kept: Page | undefined
    for (let i = 0; i < opens; i++) {
      const a = await open(all.slice(-1), true)
      one.push(a.ms)
      oneRender.push(a.renderMs)
      await a.page.context().close()
      const b = await open(all.slice(-HISTORY_PAGE), true)
      last.push(b.ms)
      lastRender.push(b.renderMs)
      if (i < opens - 1) await b.page.context().close()
      else kept = b.page
    }
    // scroll back: each click asks the host for the page before the oldest shown
    const page = kept!
    const pageTimes: number[] = []
    let shown = HISTORY_PAGE
    for (let p = 0; p < olderPages; p++) {
      const older = all.slice(Math.max(0, total - shown - OLDER_PAGE), total - shown)
      await page.evaluate(
        result => {
          ;(window as any).fakeHost.results.loadOlder = result
        },
        { messages: older, hasOlder: total - shown - OLDER_PAGE > 0 }
      )
      const clicked = await page.evaluate(() => {
        const t = performance.now()
        ;(document.querySelector('button.load-older') as HTMLButtonElement).click()
        return t
      })
      shown += older.length
      pageTimes.push((await reached(page, shown)) - clicked)
    }
    const requests = await page.evaluate(
      () => (window as any).fakeHost.requests.filter((r: { type: string }) => r.type === 'loadOlder').length as number
    )
    const inLog = await page.locator('.message').count()
    await page.context().close()
    const oneS = summarize(one)
    const lastS = summarize(last)
    const older = summarize(pageTimes)
    const render = summarize(lastRender)
    const renderOne = summarize(oneRender)
    return {
      figure: 12,
      id: 'webview',
      title: 'Webview: a long conversation, last page and scrolling back',
      status: 'measured',
      measurements: [
        {
          id: 'webview-last-page',
          label: `open a conversation of ${total.toLocaleString('en')}: its last ${HISTORY_PAGE} messages rendered, p50 from navigation`,
          value: round(lastS.p50),
          unit: 'ms',
          baseline: { label: 'a conversation of 1 message, same way', value: round(oneS.p50), unit: 'ms' },
          ratio: round(lastS.p50 / oneS.p50, 3)
        },
        {
          id: 'webview-last-page-render',
          label: `the last page's render: snapshot received → ${HISTORY_PAGE} messages in the log, p50`,
          value: round(render.p50),
          unit: 'ms',
          baseline: { label: 'the same for 1 message', value: round(renderOne.p50), unit: 'ms' },
          ratio: round(render.p50 / renderOne.p50, 3),
          goal: { text: '< 100 ms', met: render.p50 < 100 }
        },
        {
          id: 'webview-older-page',
          label: `each older page of ${OLDER_PAGE}, click → in the log, p50 of ${olderPages}`,
          value: round(older.p50),
          unit: 'ms',
          baseline: { label: 'the first older page', value: round(pageTimes[0]!), unit: 'ms' },
          ratio: round(older.p50 / pageTimes[0]!, 3)
        },
        {
          id: 'webview-older-page-last',
          label: `the ${olderPages}th older page (${shown.toLocaleString('en')} messages in the log)`,
          value: round(pageTimes.at(-1)!),
          unit: 'ms',
          baseline: { label: 'the first older page', value: round(pageTimes[0]!), unit: 'ms' },
          ratio: round(pageTimes.at(-1)! / pageTimes[0]!, 3)
        },
        { id: 'webview-older-requests', label: `history requests for ${olderPages} clicks`, value: requests, unit: '' }
      ],
      details: { total, opens, one: oneS, last: lastS, render, renderOne, olderPages: pageTimes, inLog },
      durationMs: Math.round(now() - started),
      notes: [
        `headless Chromium, the real webview bundle; the host side is the harness's fake (figure 10 times the daemon's history pages); ${inLog} messages in the log after ${olderPages} older pages`
      ]
    }
  } finally {
    await harness.close()
  }
}
