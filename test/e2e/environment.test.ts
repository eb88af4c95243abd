import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { codeServerEnvironment } from './environment.ts'

test('the e2e environment comes from the variables, else from env.sh, else names what is missing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'parley-e2e-env-'))
  try {
    const node = process.execPath
    const entry = join(dir, 'entry.js')
    await writeFile(entry, '')
    const vars = { CODE_SERVER_NODE: node, CODE_SERVER_ENTRY: entry, CHROMIUM_PATH: node }
    assert.deepEqual(codeServerEnvironment({ ...vars, VSCODE_E2E_HOME: dir }), {
      node,
      entry,
      chromium: node,
      source: 'environment variables'
    })

    const missing = codeServerEnvironment({ VSCODE_E2E_HOME: dir })
    assert.ok('missing' in missing)
    assert.match(missing.missing, /CODE_SERVER_NODE, CODE_SERVER_ENTRY, CHROMIUM_PATH are unset/)

    await writeFile(
      join(dir, 'env.sh'),
      `export CODE_SERVER_NODE=${node}\nexport CODE_SERVER_ENTRY=${entry}\nexport CHROMIUM_PATH=${join(dir, 'nope')}\n`
    )
    const broken = codeServerEnvironment({ VSCODE_E2E_HOME: dir })
    assert.ok('missing' in broken)
    assert.match(broken.missing, /CHROMIUM_PATH=.*nope does not exist/)

    const fixed = codeServerEnvironment({ VSCODE_E2E_HOME: dir, CHROMIUM_PATH: node })
    assert.ok(!('missing' in fixed))
    assert.equal(fixed.entry, entry)
    assert.equal(fixed.source, join(dir, 'env.sh'))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
