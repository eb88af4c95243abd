/**
 * What the real-VS-Code suites share: the code-server environment (or a loud failure), the .vsix,
 * a browser on the workbench, and the gestures a user makes there (the palette, quick inputs,
 * toasts, the conversation's frame). Each suite starts its own code-server in its own folder.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { promisify } from 'node:util'
import { type BrowserContext, chromium, type FrameLocator, type Page } from 'playwright-core'
import { connectDaemon } from '../../node/daemon/client.ts'
import { homePaths } from '../../node/daemon/home.ts'
import { ROOT } from '../helpers/cli.ts'
import { CHROMIUM_ARGS } from '../webview/harness.ts'
import { type CodeServer, installExtension, startCodeServer, writeUserSettings } from './code-server.ts'
import { type CodeServerEnvironment, codeServerEnvironment, SETUP_HINT } from './environment.ts'

const execFileAsync = promisify(execFile)
export const OUT = join(ROOT, 'test-output', 'e2e')

/**
 * The code-server install, or: the test FAILS saying why (see SETUP_HINT); PARLEY_E2E=skip reports
 * it as skipped instead, for a machine where the real-VS-Code suite is knowingly left out.
 */
export function requireCodeServer(t: TestContext): CodeServerEnvironment | undefined {
  const env = codeServerEnvironment()
  if ('missing' in env) {
    const why = `the real-VS-Code suite did not run: ${env.missing}.`
    if (process.env.PARLEY_E2E === 'skip') {
      t.skip(`PARLEY_E2E=skip: ${why}`)
      return undefined
    }
    assert.fail(`${why} ${SETUP_HINT} (PARLEY_E2E=skip leaves it out knowingly; it is then reported as skipped.)`)
  }
  t.diagnostic(`code-server from ${env.source}`)
  return env
}

export async function buildVsix(dir: string): Promise<string> {
  const vsix = join(dir, 'parley.vsix')
  // `npm test` builds dist/ before the suites run; rebuilding here would race the webview suite
  // that loads dist/webview.js in parallel. Build only when there is nothing to package.
  if (!existsSync(join(ROOT, 'dist', 'extension.cjs')) || !existsSync(join(ROOT, 'dist', 'cli.js'))) {
    await execFileAsync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, timeout: 120_000 })
  }
  await execFileAsync(
    process.execPath,
    [
      join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'),
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--skip-license',
      '--no-rewrite-relative-links',
      '-o',
      vsix
    ],
    { cwd: ROOT, timeout: 120_000 }
  )
  return vsix
}

export interface Workbench {
  server: CodeServer
  browser: BrowserContext
  page: Page
}

/** Installs the .vsix into `run`, starts code-server on `workspace` and opens the workbench in Chromium. */
export async function openWorkbench(
  t: TestContext,
  env: CodeServerEnvironment,
  run: string,
  workspace: string,
  settings: Record<string, unknown>
): Promise<Workbench> {
  const vsix = await buildVsix(run)
  await writeUserSettings(run, settings)
  t.diagnostic(await installExtension(env, run, vsix))
  const server = await startCodeServer(env, run, workspace)
  const browser = await chromium.launchPersistentContext(join(run, 'profile'), {
    executablePath: env.chromium,
    headless: true,
    viewport: { width: 1400, height: 860 },
    args: CHROMIUM_ARGS
  })
  const page = browser.pages()[0] ?? (await browser.newPage())
  await page.goto(server.url)
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 })
  return { server, browser, page }
}

/** Closes the browser and code-server, and stops the daemon the extension started (detached by design). */
export async function closeWorkbench(workbench: Partial<Workbench>, extensionHome: string): Promise<void> {
  await workbench.browser?.close().catch(() => {})
  await workbench.server?.stop().catch(() => {})
  try {
    const client = await connectDaemon(homePaths(extensionHome).socket)
    const closed = new Promise<void>(resolve => client.onClose(resolve))
    await client.call('node.stop', {}).catch(() => {})
    await Promise.race([closed, new Promise(resolve => setTimeout(resolve, 5_000))])
    client.close()
  } catch {}
}

/** The tails of the logs that explain a failure, as test diagnostics. */
export async function reportFailure(
  t: TestContext,
  workbench: Partial<Workbench>,
  extensionHome: string,
  others: Record<string, string | undefined> = {}
): Promise<void> {
  await workbench.page?.screenshot({ path: join(OUT, `${t.name.slice(0, 40).replace(/\W+/g, '-')}-failure.png`) })
  const serverLog = await workbench.server?.log().catch(() => '')
  const daemonLog = await readFile(join(extensionHome, 'daemon.log'), 'utf8').catch(() => '(no daemon.log)')
  t.diagnostic(`code-server log (tail):\n${(serverLog ?? '').split('\n').slice(-40).join('\n')}`)
  t.diagnostic(`extension's daemon log (tail):\n${daemonLog.split('\n').slice(-40).join('\n')}`)
  for (const [name, text] of Object.entries(others)) {
    t.diagnostic(`${name} (tail):\n${(text ?? '').split('\n').slice(-20).join('\n')}`)
  }
}

export async function ensureOut(): Promise<void> {
  await mkdir(OUT, { recursive: true })
}

/** Keys typed while a webview has focus go to the webview: give the focus back to the workbench. */
export async function focusWorkbench(page: Page): Promise<void> {
  const inWebview = await page.evaluate(() => document.activeElement?.tagName === 'IFRAME')
  if (inWebview) await page.locator('.tabs-container .tab.active').first().click()
}

export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input')
  // The extension host registers commands a moment after the workbench shows, and a window that
  // just lost the focus (a closed popup) misses the first key: retry.
  for (let attempt = 0; attempt < 30; attempt++) {
    await focusWorkbench(page)
    await page.keyboard.press('F1')
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first()
    try {
      await input.waitFor({ state: 'visible', timeout: 5_000 })
      await input.fill(`>${title}`)
      await row.waitFor({ state: 'visible', timeout: 2_000 })
      await page.keyboard.press('Enter')
      return
    } catch {
      await page.keyboard.press('Escape')
      await page.waitForTimeout(500)
    }
  }
  throw new Error(`command "${title}" never showed in the palette`)
}

/** Answers the open input box / quick pick. */
export async function answerQuickInput(page: Page, value: string, pick?: string, timeout = 15_000): Promise<void> {
  const input = page.locator('.quick-input-widget input.input')
  await input.waitFor({ state: 'visible', timeout })
  await input.fill(value)
  if (pick !== undefined) {
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: pick }).first().waitFor({ timeout: 15_000 })
  }
  await page.keyboard.press('Enter')
}

/**
 * Runs a command that asks with a quick input and answers it. A webview that takes the focus as it
 * finishes loading (a conversation tab just opened) closes a quick input that opened meanwhile, as
 * it would for a person who clicked there: then the command runs again.
 */
export async function runCommandAnswering(page: Page, title: string, value: string, pick?: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, title)
    try {
      await answerQuickInput(page, value, pick, 10_000)
      return
    } catch (err) {
      if (attempt === 3) throw err
      await page.keyboard.press('Escape')
    }
  }
}

export function conversationFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame')
}

/**
 * A notification with `text` was shown: as a toast, or, for one that hid itself already (VS Code
 * hides a toast without buttons after a few seconds, which a loaded machine can outlast), in the
 * notification center, where it stays.
 */
export async function toast(page: Page, text: string, timeout = 120_000): Promise<void> {
  const shown = page.locator('.notifications-toasts', { hasText: text }).first()
  try {
    await shown.waitFor({ state: 'visible', timeout })
    return
  } catch (err) {
    await runCommand(page, 'Notifications: Show Notifications')
    const kept = page.locator('.notifications-center', { hasText: text }).first()
    await kept.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {
      throw err
    })
    await page.keyboard.press('Escape')
  }
}
