import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * `npm run test:vscode`: the extension's integration suite (suite.cjs) inside a desktop VS Code
 * through @vscode/test-electron, for machines that have one. Give it the executable with
 * VSCODE_EXECUTABLE (this runner never downloads VS Code). Where it is not given, the suite says
 * that it did not run and why, and exits 1; test/e2e/vscode.test.ts covers the same ground in
 * code-server, which installs offline.
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const executable = process.env.VSCODE_EXECUTABLE

if (executable === undefined || executable === '' || !existsSync(executable)) {
  process.stderr.write(
    `The @vscode/test-electron suite did NOT run: ${
      executable ? `VSCODE_EXECUTABLE=${executable} does not exist` : 'VSCODE_EXECUTABLE is unset'
    }. This machine cannot download VS Code, and this runner never tries. Set VSCODE_EXECUTABLE to a desktop ` +
      'VS Code (e.g. /usr/share/code/code) to run it. The real-VS-Code end-to-end test (test/e2e/vscode.test.ts, ' +
      'code-server + Chromium) covers the same ground and runs in `npm test`.\n'
  )
  process.exit(1)
}

// A fresh build of what the suite loads (dist/extension.cjs, dist/cli.js, dist/webview.js).
execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' })

const { runTests } = await import('@vscode/test-electron')
const run = await mkdtemp(join(tmpdir(), 'parley-electron-'))
const home = join(run, 'home')
await mkdir(join(run, 'ud', 'User'), { recursive: true })
await writeFile(
  join(run, 'ud', 'User', 'settings.json'),
  JSON.stringify({
    'parley.home': home,
    'parley.mdns': false,
    'parley.listen': ['/ip4/127.0.0.1/tcp/0'],
    'update.mode': 'none',
    'telemetry.telemetryLevel': 'off',
    'workbench.startupEditor': 'none'
  })
)
let code = 1
try {
  code = await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: join(ROOT, 'test', 'extension', 'electron', 'suite.cjs'),
    extensionTestsEnv: { PARLEY_TEST_HOME: home },
    launchArgs: [
      '--user-data-dir',
      join(run, 'ud'),
      '--extensions-dir',
      join(run, 'ext'),
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes'
    ]
  })
} catch (err) {
  process.stderr.write(`the @vscode/test-electron suite failed: ${(err as Error).message}\n`)
} finally {
  await rm(run, { recursive: true, force: true })
}
process.exit(code)
