import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { type DaemonProcess, eventually, runCli, startDaemon } from '../helpers/cli.ts'
import {
  answerQuickInput,
  closeWorkbench,
  conversationFrame,
  ensureOut,
  OUT,
  openWorkbench,
  reportFailure,
  requireCodeServer,
  runCommand,
  runCommandAnswering,
  type Workbench
} from './workbench.ts'

/**
 * Issue 13 in a real VS Code (code-server, Chromium): Alice's extension creates a group with two
 * peer daemons (started through the CLI) from the Groups commands and their contact picker,
 * messages go both ways in the group's tab, Alice removes Carol, and Carol receives nothing more.
 */
const BOB = 'bob-group-e2e'
const CAROL = 'carol-group-e2e'

test('Parley groups in a real VS Code: create with two peers, messages both ways, remove one', {
  timeout: 600_000
}, async t => {
  const env = requireCodeServer(t)
  if (env === undefined) return
  await ensureOut()
  const run = await mkdtemp(join(tmpdir(), 'parley-e2e-groups-'))
  const aliceHome = join(run, 'alice-home')
  const bobHome = join(run, 'bob-home')
  const carolHome = join(run, 'carol-home')
  const workspace = join(run, 'ws')
  let bob: DaemonProcess | undefined
  let carol: DaemonProcess | undefined
  const workbench: Partial<Workbench> = {}
  let page: Workbench['page'] | undefined
  const shot = async (name: string): Promise<void> => {
    await page?.screenshot({ path: join(OUT, `${name}.png`) })
  }
  const history = async (home: string): Promise<string[]> => {
    const h = await runCli(home, ['history', '#e2e-team', '--json'])
    return h.code === 0 ? h.json.messages.map((m: { text: string }) => m.text) : []
  }
  try {
    await mkdir(workspace, { recursive: true })
    await writeFile(
      join(workspace, 'greet.ts'),
      "export function greet(name: string): string {\n  return 'Hello, ' + name\n}\n"
    )
    for (const home of [aliceHome, bobHome, carolHome]) await mkdir(home, { recursive: true })
    bob = await startDaemon(bobHome)
    carol = await startDaemon(carolHome, { bootstrap: bob.addresses })
    const init = await runCli(aliceHome, ['init', '--json'])
    assert.equal(init.code, 0, init.stderr)
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
    page = workbench.page!
    await page.locator('.activitybar [aria-label^="Parley"]').first().click({ timeout: 60_000 })
    // the extension started Alice's daemon; Bob and Carol claim names and become Alice's contacts
    await eventually(async () => (await runCli(aliceHome, ['whoami', '--json'])).code === 0, 90_000)
    for (const [home, name] of [
      [bobHome, BOB],
      [carolHome, CAROL]
    ] as const) {
      await eventually(async () => (await runCli(home, ['register', name, '--json'])).code === 0, 90_000)
      await eventually(async () => (await runCli(aliceHome, ['contact', 'add', name, '--json'])).code === 0, 90_000)
    }
    await page.locator('.pane-body', { hasText: CAROL }).first().waitFor({ timeout: 60_000 })

    // 1. Create Group: a title, then both contacts from the picker
    await runCommand(page, 'Parley: Create Group')
    await answerQuickInput(page, 'e2e-team')
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: CAROL }).first().waitFor({ timeout: 15_000 })
    // the picker's "all" checkbox (before the rows), then OK
    const widget = page.locator('.quick-input-widget')
    await widget.getByRole('checkbox').first().click()
    await widget.locator('.quick-input-header', { hasText: '2 Selected' }).first().waitFor({ timeout: 15_000 })
    await widget.getByRole('button', { name: 'OK' }).click()
    const chat = conversationFrame(page)
    await chat.locator('h1.contact-name', { hasText: '#e2e-team' }).waitFor({ timeout: 60_000 })
    await chat.locator('.conversation-header', { hasText: CAROL }).first().waitFor({ timeout: 30_000 })
    await page.locator('.pane-body', { hasText: 'Groups (1)' }).first().waitFor({ timeout: 30_000 })
    await shot('groups-01-created')

    // 2. Alice writes in the group's tab; both peers have it
    const composer = chat.locator('#parley-composer')
    await composer.fill('Hello team, from VS Code')
    await composer.press('Enter')
    for (const home of [bobHome, carolHome]) {
      await eventually(async () => (await history(home)).includes('Hello team, from VS Code'), 120_000)
    }
    // every member acked it: the tab shows it delivered
    await chat
      .locator('.message-out[data-status="delivered"]', { hasText: 'Hello team' })
      .first()
      .waitFor({ timeout: 60_000 })
    // 3. Bob answers through the CLI; the open tab shows it under Bob's name
    const reply = await runCli(bobHome, ['send', '#e2e-team', 'Hi all, Bob here', '--json'])
    assert.equal(reply.code, 0, reply.stderr)
    await chat.getByText('Bob here').first().waitFor({ timeout: 120_000 })
    await chat.locator('.sender', { hasText: BOB }).first().waitFor({ timeout: 30_000 })
    await shot('groups-02-messages')

    // 3b. A selection of code goes to the group as a snippet (Send Selection to…: contacts and groups)
    await page.keyboard.press('F1')
    await answerQuickInput(page, 'greet.ts', 'greet.ts')
    const editor = page.locator('.editor-group-container .monaco-editor .view-lines', {
      hasText: 'export function greet'
    })
    await editor.first().waitFor({ timeout: 30_000 })
    await editor.first().click()
    await page.keyboard.press('Control+A')
    await runCommand(page, 'Parley: Send Selection to')
    await answerQuickInput(page, '#e2e-team', '#e2e-team')
    for (const home of [bobHome, carolHome]) {
      await eventually(async () => {
        const h = await runCli(home, ['history', '#e2e-team', '--json'])
        return h.code === 0 && h.json.messages.some((m: any) => m.snippet?.path === 'greet.ts')
      }, 120_000)
    }
    await runCommandAnswering(page, 'Parley: Open Group', 'e2e-team', '#e2e-team')

    // 4. Alice removes Carol; Carol is told, and gets nothing sent after
    await runCommandAnswering(page, 'Parley: Remove Group Member', 'e2e-team', '#e2e-team')
    await answerQuickInput(page, CAROL, CAROL)
    const header = chat.locator('.conversation-header', { hasText: '2 members:' }).first()
    await header.waitFor({ timeout: 60_000 })
    assert.match((await header.textContent()) ?? '', /You \(admin\)/)
    assert.doesNotMatch((await header.textContent()) ?? '', new RegExp(CAROL))
    assert.equal(await chat.locator('[data-banner="unverified"]').count(), 0)
    await eventually(
      async () => (await runCli(carolHome, ['groups', '--json'])).json?.groups[0]?.left === true,
      120_000
    )
    const carolBefore = (await history(carolHome)).length
    await composer.fill('After Carol left')
    await composer.press('Enter')
    await eventually(async () => (await history(bobHome)).includes('After Carol left'), 120_000)
    await runCli(bobHome, ['send', '#e2e-team', 'Bob after Carol', '--wait', '--timeout', '60', '--json'])
    await chat.getByText('Bob after Carol').first().waitFor({ timeout: 60_000 })
    assert.equal((await history(carolHome)).length, carolBefore)
    assert.ok(!(await history(carolHome)).includes('After Carol left'))
    await shot('groups-03-removed')
  } catch (err) {
    await reportFailure(t, workbench, aliceHome, { 'bob stderr': bob?.stderr(), 'carol stderr': carol?.stderr() })
    throw err
  } finally {
    await closeWorkbench(workbench, aliceHome)
    await bob?.stop().catch(() => {})
    await carol?.stop().catch(() => {})
    await rm(run, { recursive: true, force: true }).catch(() => {})
  }
})
