/**
 * The webview's second wall and its Markdown renderer on their own, in Chromium without any CSP:
 * raw hostile HTML (as if markdown-it had let it through) must come out of toSafeFragment inert, and
 * the renderer must keep what chat needs.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { type Harness, snapshot, startHarness } from './harness.ts'

let harness: Harness
let page: Page

before(async () => {
  harness = await startHarness()
  const context = await harness.browser.newContext()
  context.setDefaultTimeout(5000)
  page = await context.newPage()
  await page.goto(harness.pageUrl({ snapshot: snapshot(), csp: 'none', bundle: 'units' }))
  await page.waitForFunction(() => 'parleyUnits' in window)
})

after(async () => {
  await harness?.close()
})

/** Puts `toSafeFragment(html)` into the page and reports what survived. */
function sanitize(html: string) {
  return page.evaluate(async source => {
    const box = document.createElement('div')
    box.append((window as any).parleyUnits.toSafeFragment(source))
    document.body.append(box)
    for (const el of box.querySelectorAll('*')) {
      for (const type of ['mouseover', 'focus', 'load', 'error', 'toggle']) el.dispatchEvent(new Event(type))
    }
    await new Promise(resolve => setTimeout(resolve, 50))
    const result = {
      html: box.innerHTML,
      text: box.textContent,
      pwned: (window as any).__pwned,
      tags: [...box.querySelectorAll('*')].map(e => e.localName),
      attributes: [...box.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))
    }
    box.remove()
    return result
  }, html)
}

describe('toSafeFragment (raw HTML, no CSP)', () => {
  const cases: Array<[string, string]> = [
    ['<script>window.__pwned=1</script>', 'window.__pwned=1'],
    ['<img src=x onerror="window.__pwned=1">', ''],
    ['<svg onload="window.__pwned=1"><circle/></svg>', ''],
    ['<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>', ''],
    // The mutation-XSS classic: the <img> stays text of the dropped <style>, shown, never parsed as a tag.
    ['<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>', '<img src=x onerror=window.__pwned=1>'],
    ['<details open ontoggle="window.__pwned=1">x</details>', 'x'],
    ['<template><script>window.__pwned=1</script></template>', ''],
    [
      '<form action="javascript:window.__pwned=1"><button formaction="javascript:window.__pwned=1">go</button></form>',
      'go'
    ]
  ]
  for (const [html, text] of cases) {
    it(`drops ${html.slice(0, 40)}`, async () => {
      const result = await sanitize(html)
      assert.equal(result.pwned, false)
      assert.deepEqual(
        result.tags.filter(t => !['p', 'span', 'code', 'a', 'em', 'strong'].includes(t)),
        [],
        result.html
      )
      assert.equal(result.text, text)
      assert.deepEqual(result.attributes, [])
    })
  }

  it('strips attributes that are not allowlisted, every href, and link targets that are not http(s)/mailto', async () => {
    const result = await sanitize(
      '<p style="color:red" onclick="window.__pwned=1" id="x">' +
        '<a data-href="javascript:window.__pwned=1">a</a>' +
        '<a data-href=" javascript:window.__pwned=1">b</a>' +
        '<a data-href="jav&#x09;ascript:window.__pwned=1" role="button" tabindex="-1">c</a>' +
        '<a data-href="data:text/html,x">d</a>' +
        '<a href="https://example.com/href" data-href="vscode://file/etc/passwd">e</a>' +
        '<a data-href="https://example.com/ok" title="t" target="_top" rel="opener" role="link" tabindex="0">ok</a>' +
        '<code class="language-ts&quot; onmouseover=&quot;x">c</code>' +
        '<span class="hljs-keyword">k</span></p><ol start="3" type="i"><li>i</li></ol><ol start="x"><li>j</li></ol>'
    )
    assert.equal(
      result.html,
      '<p><a>a</a><a>b</a><a>c</a><a>d</a><a>e</a>' +
        '<a data-href="https://example.com/ok" title="t" role="link" tabindex="0">ok</a>' +
        '<code>c</code><span class="hljs-keyword">k</span></p><ol start="3"><li>i</li></ol><ol><li>j</li></ol>'
    )
    assert.equal(result.pwned, false)
  })

  it('keeps comments and processing instructions out', async () => {
    const result = await sanitize('<p>a<!-- hidden --><?xml x?>b</p>')
    assert.equal(result.html, '<p>ab</p>')
  })
})

describe('renderMarkdown', () => {
  function render(source: string, me?: string): Promise<string> {
    return page.evaluate(([s, m]) => (window as any).parleyUnits.renderMarkdown(s, { me: m }), [source, me] as const)
  }

  it('escapes raw HTML instead of passing it through', async () => {
    assert.equal(await render('<b>x</b>'), '<p>&lt;b&gt;x&lt;/b&gt;</p>\n')
  })

  it('renders no images (a remote image would leak the reader address)', async () => {
    assert.doesNotMatch(await render('![x](https://example.com/a.png)'), /<img/)
  })

  it('links only http, https and mailto, with the real target as the title and no href', async () => {
    assert.equal(
      await render('[a](https://example.com) [b](ftp://example.com)'),
      '<p><a data-href="https://example.com" title="https://example.com" role="link" tabindex="0">a</a> [b](ftp://example.com)</p>\n'
    )
  })

  it('marks mentions, and mentions of me, but not addresses or text inside links and code', async () => {
    assert.equal(
      await render('@Alice and @bob. mail bob@example.com `@carol` [@dave](https://example.com)', 'alice'),
      '<p><span class="mention mention-me">@Alice</span> and <span class="mention">@bob</span>. mail ' +
        '<a data-href="mailto:bob@example.com" title="mailto:bob@example.com" role="link" tabindex="0">bob@example.com</a> <code>@carol</code> ' +
        '<a data-href="https://example.com" title="https://example.com" role="link" tabindex="0">@dave</a></p>\n'
    )
  })

  it('turns table alignment into classes (the CSP allows no inline styles)', async () => {
    const html = await render('| a | b |\n|:-:|--:|\n| 1 | 2 |')
    assert.match(html, /<th class="align-center">a<\/th>/)
    assert.match(html, /<td class="align-right">2<\/td>/)
    assert.doesNotMatch(html, /style=/)
  })

  it('highlights fenced code in bundled languages and escapes unknown ones', async () => {
    assert.match(await render('```python\ndef f(): pass\n```'), /<span class="hljs-keyword">def<\/span>/)
    assert.equal(
      await render('```nosuchlang\n<b>\n```'),
      '<pre><code class="language-nosuchlang">&lt;b&gt;\n</code></pre>\n'
    )
  })

  it('renders a snippet with a VS Code language id through the same fence renderer', async () => {
    const html = await page.evaluate(() => (window as any).parleyUnits.renderCodeBlock('echo "$HOME"', 'shellscript'))
    assert.match(html, /^<pre><code class="language-shellscript">/)
    assert.match(html, /hljs-(built_in|string|variable)/)
  })
})
