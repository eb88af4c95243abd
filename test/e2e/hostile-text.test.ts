import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Page } from 'playwright-core'
import { connectDaemon } from '../../node/daemon/client.ts'
import { homePaths } from '../../node/daemon/home.ts'
import { type DaemonProcess, eventually, runCli, startDaemon } from '../helpers/cli.ts'
import { type Stranger, startStranger } from '../helpers/stranger.ts'
import {
  answerQuickInput,
  closeWorkbench,
  conversationFrame,
  ensureOut,
  focusWorkbench,
  OUT,
  openWorkbench,
  reportFailure,
  requireCodeServer,
  runCommand,
  type Workbench
} from './workbench.ts'

/**
 * Hostile text from real peers against the real extension in a real VS Code (code-server), as a
 * user meets it (issue 16): a contact's messages and a stranger's announced name carry VS Code
 * command links (a shell that creates a marker file), `file:` links and `http:` links to a server
 * of the test's own; every link in every notification is clicked, and nothing runs, opens or
 * loads. Links in the conversation open nothing until the user confirms the URL Parley shows,
 * whatever the click (plain, middle, Ctrl), loopback included; and Object.prototype's names as a
 * fence language, a snippet language and a mention leave the conversation loadable.
 *
 * Without code-server this test FAILS and says why; PARLEY_E2E=skip reports it as skipped instead.
 */

const ALICE = 'alice-hostile'
const BOB = 'bob-hostile'
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty']

/**
 * A command link as VS Code's linked text parses it: a new terminal that runs `touch marker`, through
 * `sh -c` or directly. Short, so that a notification's preview (140 characters) keeps it whole.
 */
function terminalLink(label: string, marker: string, viaShell: boolean): string {
  const config = viaShell
    ? { executable: 'sh', args: ['-c', `touch ${marker}`] }
    : { executable: 'touch', args: [marker] }
  return `[${label}](command:workbench.action.terminal.new?${JSON.stringify({ config })})`
}

/** Every link VS Code rendered in a notification's message, in the toasts and the notification center. */
async function notificationLinks(page: Page): Promise<Array<{ text: string; href: string }>> {
  return await page
    .locator('.notification-list-item-message a')
    .evaluateAll(as => as.map(a => ({ text: a.textContent ?? '', href: a.getAttribute('href') ?? '' })))
}

test('hostile peer text in a real VS Code: notifications run and open nothing; links wait for the user', {
  timeout: 600_000
}, async t => {
  const env = requireCodeServer(t)
  if (env === undefined) return
  await ensureOut()
  const run = await mkdtemp(join(tmpdir(), 'parley-e2e-hostile-'))
  const aliceHome = join(run, 'alice-home')
  const bobHome = join(run, 'bob-home')
  const workspace = join(run, 'ws')
  // Marker paths are short: a link cut by the preview or the 128-byte announced name would prove nothing.
  const markers = ['a', 'b', 'c'].map(tag => `/tmp/pw${process.pid}${tag}`)
  const secret = join(workspace, 'secret-notes.txt')
  let bob: DaemonProcess | undefined
  let stranger: Stranger | undefined
  const workbench: Partial<Workbench> = {}
  // A web server of the test's own, on loopback: a request to it means a link was followed.
  const hits: string[] = []
  const web: Server = createServer((req, res) => {
    hits.push(req.url ?? '')
    res.end('opened')
  })
  await new Promise<void>(resolve => web.listen(0, '127.0.0.1', resolve))
  const port = (web.address() as AddressInfo).port
  const shot = async (name: string): Promise<void> => {
    await workbench.page?.screenshot({ path: join(OUT, `hostile-${name}.png`) })
  }

  try {
    await mkdir(workspace, { recursive: true })
    await writeFile(secret, 'nobody should open this from a link\n')
    await mkdir(aliceHome, { recursive: true, mode: 0o700 })
    const init = await runCli(aliceHome, ['init', '--json'])
    assert.equal(init.code, 0, init.stderr)
    const alicePeerId: string = init.json.peerId
    await mkdir(bobHome, { recursive: true })
    bob = await startDaemon(bobHome)
    Object.assign(
      workbench,
      await openWorkbench(t, env, run, workspace, {
        'parley.home': aliceHome,
        'parley.bootstrap': bob.addresses,
        'parley.listen': ['/ip4/127.0.0.1/tcp/0'],
        'parley.mdns': false,
        'parley.notifications': 'all'
      })
    )
    const page = workbench.page!

    // The extension starts Alice's daemon (her identity exists); names, and Bob as her contact.
    await page.locator('.activitybar [aria-label^="Parley"]').first().click({ timeout: 60_000 })
    const parleyItem = page.locator('#workbench\\.parts\\.statusbar [aria-label^="Parley, "]').first()
    await eventually(async () => / [1-9]\d* peers/.test((await parleyItem.getAttribute('aria-label')) ?? ''), 90_000)
    await eventually(async () => (await runCli(aliceHome, ['register', ALICE, '--json'])).code === 0, 90_000)
    await eventually(async () => (await runCli(bobHome, ['register', BOB, '--json'])).code === 0, 90_000)
    const added = await eventually(async () => {
      const r = await runCli(aliceHome, ['contact', 'add', BOB, '--json'])
      return r.code === 0 && r.json.contact
    }, 90_000)
    assert.equal(added.state, 'contact')
    await page.locator('.pane-body', { hasText: BOB }).first().waitFor({ timeout: 30_000 })

    const terminalsBefore = await page.locator('.xterm').count()
    /** Asserts that no notification shows a command: or file: link, and clicks every link there is (none, if Parley is right). */
    const clickEveryLink = async (where: string): Promise<void> => {
      for (const link of await notificationLinks(page)) {
        assert.doesNotMatch(link.href, /^(command|file):/i, `${where}: a ${link.href} link (${link.text})`)
      }
      // (in the message only: the action buttons, such as Open, are anchors too)
      const anchors = page.locator('.notification-list-item-message a')
      for (let i = 0; i < (await anchors.count()); i++)
        await anchors
          .nth(i)
          .click({ timeout: 2_000 })
          .catch(() => {})
    }
    /** One hostile notification: as soon as it shows (toasts fade), its links are checked and clicked. */
    const hostileToast = async (shows: string, step: string): Promise<void> => {
      const item = page.locator('.notifications-toasts .notification-toast', { hasText: shows }).first()
      await item.waitFor({ state: 'visible', timeout: 120_000 })
      await clickEveryLink(step)
      await shot(step)
      // VS Code shows three toasts at most: make room for the next one.
      await runCommand(page, 'Notifications: Clear All Notifications')
      await item.waitFor({ state: 'hidden', timeout: 15_000 })
    }

    // 1. A contact's messages: command links (raw and encoded arguments), file links, an http link.
    // (each is found by words that show whether VS Code made a link of it or not)
    const messages: Array<[string, string]> = [
      [`${terminalLink('Open', markers[0]!, true)} please`, 'Open'],
      [terminalLink('Review', markers[1]!, false), 'Review'],
      [`[notes](file://${secret}) and [passwd](file:///etc/passwd)`, 'passwd'],
      [`[the docs](http://127.0.0.1:${port}/from-notification)`, 'the docs']
    ]
    for (const [i, [text, shows]] of messages.entries()) {
      const sent = await runCli(bobHome, ['send', ALICE, text, '--json'])
      assert.equal(sent.code, 0, sent.stderr)
      await hostileToast(shows, `0${i + 1}-message`)
    }

    // 2. A stranger whose announced name is a command link: the request notification.
    stranger = await startStranger(bob.addresses)
    const acks = await stranger.write(peerIdFromString(alicePeerId), {
      content: { type: 'text', markdown: 'hi, it is me' },
      senderName: terminalLink('Accept', markers[2]!, true)
    })
    assert.equal(acks, 1, 'Alice stored the stranger’s first message')
    await hostileToast('wants to chat with you', '05-request')

    for (const marker of markers) assert.equal(existsSync(marker), false, `${marker} was created: a command ran`)
    assert.equal(await page.locator('.xterm').count(), terminalsBefore, 'no terminal was started')
    assert.equal(
      await page.locator('.tabs-container .tab', { hasText: /secret-notes|passwd/ }).count(),
      0,
      'no file was opened'
    )
    assert.deepEqual(hits, [], 'no link was followed')
    assert.equal(workbench.browser!.pages().length, 1, 'no window was opened')

    // 3. Links in the conversation: nothing opens until the user confirms the URL Parley shows.
    const remote = `http://127.0.0.1:${port}/from-conversation`
    const loopback = `http://localhost:${port}/loopback`
    const linkText = `[the docs](${remote}) and ${loopback}`
    assert.equal((await runCli(bobHome, ['send', ALICE, linkText, '--json'])).code, 0)
    await runCommand(page, 'Parley: Open Conversation')
    await answerQuickInput(page, BOB, BOB)
    const chat = conversationFrame(page)
    await chat.locator('a', { hasText: 'the docs' }).last().waitFor({ timeout: 60_000 })
    const dialog = page.locator('.monaco-dialog-box')
    const clicks: Array<[string, string, Parameters<ReturnType<typeof chat.locator>['click']>[0]]> = [
      ['plain', remote, {}],
      ['middle', remote, { button: 'middle' }],
      ['ctrl', remote, { modifiers: ['Control'] }],
      ['loopback', loopback, {}]
    ]
    for (const [kind, url, options] of clicks) {
      const link =
        url === remote
          ? chat.locator('a', { hasText: 'the docs' }).last()
          : chat.locator(`a[data-href^="${url}"]`).last()
      await link.click(options)
      await dialog.waitFor({ state: 'visible', timeout: 15_000 })
      const shown = (await dialog.textContent()) ?? ''
      assert.ok(shown.includes(new URL(url).href), `${kind}: the dialog shows the URL: ${shown}`)
      if (kind === 'loopback') assert.match(shown, /this computer or your local network/)
      if (kind === 'plain') await shot('06-confirm-link')
      assert.deepEqual(hits, [], `${kind}: nothing opened before the user decided`)
      await dialog.getByRole('button', { name: 'Cancel' }).click()
      await dialog.waitFor({ state: 'hidden', timeout: 15_000 })
      await page.waitForTimeout(500)
      assert.deepEqual(hits, [], `${kind}: nothing opened after Cancel`)
      assert.equal(workbench.browser!.pages().length, 1, `${kind}: no window was opened`)
    }
    // The user confirms: now, and only now, the link opens.
    const opened = workbench.browser!.waitForEvent('page', { timeout: 30_000 })
    await chat.locator('a', { hasText: 'the docs' }).last().click()
    await dialog.getByRole('button', { name: 'Open Link' }).click()
    const tab = await opened
    t.diagnostic(`the confirmed link opened ${tab.url()}`)
    await tab.close()
    await page.bringToFront()

    // 4. Object.prototype's names as fence language, snippet language and mention: the conversation
    // shows them live, and again after it is closed and opened.
    const client = await connectDaemon(homePaths(bobHome).socket)
    try {
      for (const name of PROTOTYPE_NAMES) {
        const escaped = name.replaceAll('_', '\\_')
        await client.call('messages.send', { target: ALICE, text: `\`\`\`${name}\nfence ${name}\n\`\`\`\n@${escaped}` })
        await client.call('messages.send', {
          target: ALICE,
          snippet: { language: name, path: `src/${name}.ts`, startLine: 1, endLine: 1, text: `snippet ${name}` }
        })
      }
    } finally {
      client.close()
    }
    const showsAll = async (): Promise<void> => {
      for (const name of PROTOTYPE_NAMES) {
        await chat.getByText(`fence ${name}`).first().waitFor({ timeout: 60_000 })
        await chat.getByText(`snippet ${name}`).first().waitFor({ timeout: 60_000 })
        await chat
          .locator('.mention', { hasText: `@${name}` })
          .first()
          .waitFor({ timeout: 60_000 })
      }
    }
    await showsAll()
    await focusWorkbench(page)
    await runCommand(page, 'View: Close All Editors')
    await chat.locator('#parley-composer').waitFor({ state: 'detached', timeout: 15_000 })
    await runCommand(page, 'Parley: Open Conversation')
    await answerQuickInput(page, BOB, BOB)
    await showsAll()
    assert.equal(await chat.getByText('Could not load the conversation').count(), 0)
    await shot('07-prototype-names')
  } catch (err) {
    await reportFailure(t, workbench, aliceHome, { 'bob daemon stderr': bob?.stderr() })
    throw err
  } finally {
    await closeWorkbench(workbench, aliceHome)
    await stranger?.stop().catch(() => {})
    await bob?.stop().catch(() => {})
    await new Promise(resolve => web.close(resolve))
    await rm(run, { recursive: true, force: true }).catch(() => {})
    for (const marker of markers) await rm(marker, { force: true }).catch(() => {})
  }
})
