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
  focusWorkbench,
  OUT,
  openWorkbench,
  reportFailure,
  requireCodeServer,
  runCommand,
  toast,
  type Workbench
} from './workbench.ts'

/**
 * The whole extension in a real VS Code (code-server 4.106.3 = VS Code 1.106.3) driven through
 * Chromium, against a second real daemon started through the CLI: the built .vsix is installed,
 * the identity, a community membership and the name come from the welcome view, the peer is added by name, a
 * message goes out (the peer's CLI sees it), the peer's reply shows in the open conversation, and
 * an editor selection goes out as a snippet. A screenshot of each step lands in test-output/e2e/.
 *
 * Without code-server this test FAILS and says why (see SETUP_HINT); PARLEY_E2E=skip reports it
 * as skipped instead, for a machine where the real-VS-Code suite is knowingly left out.
 */

const ALICE = 'alice-e2e'
const BOB = 'bob-e2e'
const CAROL = 'carol-e2e'

test('Parley in a real VS Code: identity and name from the welcome view, contact, messages both ways, a snippet', {
  timeout: 600_000
}, async t => {
  const env = requireCodeServer(t)
  if (env === undefined) return
  await ensureOut()
  const run = await mkdtemp(join(tmpdir(), 'parley-e2e-'))
  const aliceHome = join(run, 'alice-home')
  const bobHome = join(run, 'bob-home')
  const carolHome = join(run, 'carol-home')
  const communityHome = join(run, 'community-home')
  const workspace = join(run, 'ws')
  let peer: DaemonProcess | undefined
  let carol: DaemonProcess | undefined
  let community: DaemonProcess | undefined
  const workbench: Partial<Workbench> = {}
  let page: Workbench['page'] | undefined
  const shot = async (name: string): Promise<void> => {
    await page?.screenshot({ path: join(OUT, `${name}.png`) })
  }
  try {
    await mkdir(join(workspace, 'src'), { recursive: true })
    await writeFile(
      join(workspace, 'src', 'greet.ts'),
      "export function greet(name: string): string {\n  return 'Hello, ' + name + '!'\n}\n"
    )

    // The peer: a second daemon through the CLI, on 127.0.0.1 without mDNS.
    await mkdir(bobHome, { recursive: true })
    peer = await startDaemon(bobHome)
    // The team's community node, on the same loopback (issue 11's NAT lab tests the relay for real).
    await mkdir(communityHome, { recursive: true })
    community = await startDaemon(communityHome, { extraArgs: ['--community'] })
    Object.assign(
      workbench,
      await openWorkbench(t, env, run, workspace, {
        'parley.home': aliceHome,
        'parley.bootstrap': peer.addresses,
        'parley.listen': ['/ip4/127.0.0.1/tcp/0'],
        'parley.mdns': false,
        'parley.notifications': 'all'
      })
    )
    page = workbench.page!

    // 1. The welcome view: no identity yet.
    await page.locator('.activitybar [aria-label^="Parley"]').first().click({ timeout: 60_000 })
    const create = page.getByRole('button', { name: 'Create Identity' })
    await create.waitFor({ state: 'visible', timeout: 60_000 })
    await shot('01-welcome')
    await create.click()

    // 2. The identity exists and the daemon runs: the view offers a name.
    const chooseName = page.getByRole('button', { name: 'Choose a Name' })
    await chooseName.waitFor({ state: 'visible', timeout: 90_000 })
    const alice = await runCli(aliceHome, ['whoami', '--json'])
    assert.equal(alice.code, 0, alice.stderr)
    const alicePeerId: string = alice.json.peerId
    // Its daemon joined the peer (bootstrap setting): the status bar counts it.
    const statusBar = page.locator('#workbench\\.parts\\.statusbar')
    const parleyItem = statusBar.locator('[aria-label^="Parley, "]').first()
    await eventually(
      async () => /^Parley, no name, [1-9]\d* peers/.test((await parleyItem.getAttribute('aria-label')) ?? ''),
      60_000
    )
    await shot('02-identity')

    // 2b. Join the team's community from the welcome view, beside Import Invite Link; the welcome
    // (and its Choose a Name) stays until there is a name.
    const invite = await runCli(communityHome, ['community', 'invite', '--json'])
    assert.equal(invite.code, 0, invite.stderr)
    await page.getByRole('button', { name: 'Join Community' }).click()
    await answerQuickInput(page, invite.json.link)
    await toast(page, 'you joined the community at 127.0.0.1:', 60_000)
    const joined = await runCli(aliceHome, ['community', 'list', '--json'])
    assert.deepEqual(
      joined.json.communities.map((c: { peerId: string }) => c.peerId),
      [community.peerId]
    )
    const members = await runCli(communityHome, ['community', 'members', '--json'])
    assert.ok(
      members.json.members.some((m: { peerId: string }) => m.peerId === alicePeerId),
      'alice is a member'
    )
    await chooseName.waitFor({ state: 'visible', timeout: 10_000 })
    await shot('02b-community')

    // 3. Register the name, with a progress notification.
    await chooseName.click()
    await answerQuickInput(page, ALICE)
    await toast(page, `you are "${ALICE}"`)
    await shot('03-name')
    await statusBar.locator(`[aria-label*="Parley, ${ALICE}"]`).first().waitFor({ timeout: 30_000 })
    const whoami = await runCli(aliceHome, ['whoami', '--json'])
    assert.equal(whoami.json.name, ALICE)
    // With a name, the Contacts view lists the joined community with its state.
    await page.locator('.pane-body', { hasText: 'Communities (1)' }).first().waitFor({ timeout: 30_000 })
    await page.locator('.pane-body .monaco-list-row', { hasText: '127.0.0.1:' }).first().waitFor({ timeout: 30_000 })

    // The peer claims its name too (now that the DHT has two nodes).
    await eventually(async () => (await runCli(bobHome, ['register', BOB, '--json'])).code === 0, 90_000)

    // 4. With code open, add the peer by name: its conversation opens beside the code.
    await page.keyboard.press('F1')
    await answerQuickInput(page, 'greet.ts', 'greet.ts')
    const editor = page.locator('.editor-group-container .monaco-editor .view-lines', {
      hasText: 'export function greet'
    })
    await editor.first().waitFor({ timeout: 30_000 })
    await runCommand(page, 'Parley: Add Contact')
    await answerQuickInput(page, BOB)
    const chat = conversationFrame(page)
    const composer = chat.locator('#parley-composer')
    await composer.waitFor({ state: 'visible', timeout: 120_000 })
    // The page rendered the host's snapshot (until then the composer does not send).
    await chat.locator('h1.contact-name', { hasText: BOB }).waitFor({ timeout: 30_000 })
    await page.locator('.pane-body', { hasText: BOB }).first().waitFor({ timeout: 30_000 })

    // 5. Send a message; the peer's CLI has it.
    await composer.fill('Hello **Bob**, this is Alice from VS Code')
    await composer.press('Enter')
    await chat.getByText('this is Alice from VS Code').first().waitFor({ timeout: 30_000 })
    const delivered = await eventually(async () => {
      const h = await runCli(bobHome, ['history', alicePeerId, '--json'])
      return h.code === 0 && h.json.messages.find((m: any) => m.text.includes('this is Alice from VS Code'))
    }, 120_000)
    assert.equal(delivered.direction, 'in')
    assert.equal(delivered.from, alicePeerId)
    await shot('04-sent')

    // 6. The peer replies; the open conversation shows it.
    const reply = await runCli(bobHome, ['send', ALICE, 'Hi Alice! Got it. Can you send me `greet`?', '--json'])
    assert.equal(reply.code, 0, reply.stderr)
    await chat.getByText('Hi Alice! Got it.').first().waitFor({ timeout: 120_000 })
    await shot('05-reply')

    // 7. Select the function in the editor beside the conversation and send it as a snippet.
    await editor.first().click()
    await page.keyboard.press('Control+A')
    await runCommand(page, 'Parley: Send Selection to')
    await answerQuickInput(page, BOB, BOB)
    await toast(page, `snippet sent to ${BOB}`, 30_000)
    const snippet = await eventually(async () => {
      const h = await runCli(bobHome, ['history', alicePeerId, '--json'])
      return h.code === 0 && h.json.messages.find((m: any) => m.snippet !== undefined)
    }, 120_000)
    assert.deepEqual(
      { path: snippet.snippet.path, startLine: snippet.snippet.startLine, language: snippet.snippet.language },
      { path: 'src/greet.ts', startLine: 1, language: 'typescript' }
    )
    assert.match(snippet.snippet.text, /return 'Hello, ' \+ name \+ '!'/)
    await chat.locator('.snippet', { hasText: 'src/greet.ts' }).first().waitFor({ timeout: 30_000 })
    await shot('06-snippet')

    // The README picture: the same view without the toasts.
    await runCommand(page, 'Notifications: Clear All Notifications')
    await page
      .locator('.notifications-toasts .notification-toast')
      .first()
      .waitFor({ state: 'hidden', timeout: 10_000 })
    await shot('07-overview')

    // 8. A message while the conversation is closed: a notification, the unread count in the
    // status bar, whose click opens the conversation and reads it.
    await focusWorkbench(page)
    await runCommand(page, 'View: Close All Editors')
    await chat.locator('#parley-composer').waitFor({ state: 'detached', timeout: 15_000 })
    const ping = await runCli(bobHome, ['send', ALICE, `@${ALICE} one more thing`, '--json'])
    assert.equal(ping.code, 0, ping.stderr)
    await toast(page, `${BOB}: @${ALICE} one more thing`, 120_000)
    // (1, or 2 where the headless window never had focus while the reply came into the open conversation)
    await eventually(async () => / [1-9]\d* unread$/.test((await parleyItem.getAttribute('aria-label')) ?? ''), 30_000)
    await shot('08-notification')
    await parleyItem.click()
    await chat.getByText('one more thing').first().waitFor({ timeout: 30_000 })
    await eventually(async () => / 0 unread$/.test((await parleyItem.getAttribute('aria-label')) ?? ''), 30_000)

    // 9. The snippet card's "Open at Location" opens the file of this workspace with lines 1-3 selected.
    await chat.locator('.snippet-open').first().click()
    await page.locator('.tabs-container .tab.active', { hasText: 'greet.ts' }).first().waitFor({ timeout: 30_000 })
    await page
      .locator('#workbench\\.parts\\.statusbar', { hasText: 'Ln 3, Col 2 (79 selected)' })
      .first()
      .waitFor({ timeout: 30_000 })
    await shot('09-open-at-location')

    // 9b. Search Messages: live results from the daemon; choosing one opens the conversation at it.
    await runCommand(page, 'Parley: Search Messages')
    await page.locator('.quick-input-widget input.input').fill('can you send gre')
    const result = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Can you send me' }).first()
    await result.waitFor({ timeout: 30_000 })
    await result.click()
    await chat.locator('.message.revealed', { hasText: 'Can you send me' }).waitFor({ timeout: 30_000 })
    await shot('09b-search')

    // 10. A stranger writes: a Requests section with inline Accept; accepting opens the conversation.
    await mkdir(carolHome, { recursive: true })
    carol = await startDaemon(carolHome, { bootstrap: peer.addresses })
    await eventually(async () => (await runCli(carolHome, ['register', CAROL, '--json'])).code === 0, 90_000)
    const hello = await runCli(carolHome, ['send', ALICE, 'Hi, Carol here. Bob said you know about greet.', '--json'])
    assert.equal(hello.code, 0, hello.stderr)
    // A stranger's name is only what it announces: shown, marked unverified.
    await toast(page, `${CAROL} (unverified) wants to chat with you`, 120_000)
    const contacts = page.locator('.pane-body', { hasText: 'Requests (1)' }).first()
    await contacts.waitFor({ timeout: 30_000 })
    await eventually(async () => / 1 unread$/.test((await parleyItem.getAttribute('aria-label')) ?? ''), 30_000)
    const request = contacts.locator('.monaco-list-row', { hasText: CAROL }).first()
    await request.hover()
    await shot('10-request')
    await request.locator('.action-label[aria-label="Accept"]').click()
    await page.locator('.pane-body', { hasText: 'Requests (' }).first().waitFor({ state: 'detached', timeout: 30_000 })
    await page.locator('.tabs-container .tab.active', { hasText: CAROL }).first().waitFor({ timeout: 30_000 })
    await eventually(async () => {
      const frames = page!.locator('iframe.webview.ready')
      for (let i = 0; i < (await frames.count()); i++) {
        const text = frames.nth(i).contentFrame().frameLocator('#active-frame').getByText('Carol here')
        if (await text.first().isVisible()) return true
      }
      return false
    }, 30_000)
    await shot('11-accepted')
    await eventually(async () => / 0 unread$/.test((await parleyItem.getAttribute('aria-label')) ?? ''), 30_000)
    const accepted = await runCli(aliceHome, ['contacts', '--json'])
    assert.equal(accepted.json.contacts.find((c: any) => c.peerId === carol!.peerId)?.state, 'contact')
  } catch (err) {
    await reportFailure(t, workbench, aliceHome, { 'peer daemon stderr': peer?.stderr() })
    throw err
  } finally {
    await closeWorkbench(workbench, aliceHome)
    await peer?.stop().catch(() => {})
    await carol?.stop().catch(() => {})
    await community?.stop().catch(() => {})
    await rm(run, { recursive: true, force: true }).catch(() => {})
  }
})
