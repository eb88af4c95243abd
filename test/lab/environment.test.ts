import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'node:test'
import { collect, ROOT } from '../helpers/cli.ts'
import { labAvailability, labEnvironment } from './netlab.ts'

/**
 * Where the lab cannot be built, its suites fail saying why; PARLEY_LAB=skip turns that into a
 * skip with the reason. Shown by running a lab suite as an unprivileged user (nobody).
 */

async function asNobody(env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn(
    'setpriv',
    [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      process.execPath,
      '--test',
      join(ROOT, 'test', 'lab', 'nat.test.ts')
    ],
    { env: { PATH: process.env.PATH ?? '', HOME: '/tmp', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }
  )
  const r = await collect(child, 60_000)
  return { code: r.code, out: r.stdout + r.stderr }
}

test('this machine can build the lab (root, ip, nft, a namespace)', { skip: labAvailability().skip }, () => {
  const env = labEnvironment()
  assert.ok(!('missing' in env), `the NAT lab cannot run here: ${'missing' in env ? env.missing : ''}`)
})

test('without root the lab suites fail saying why, and PARLEY_LAB=skip skips them with the reason', {
  skip: labAvailability().skip,
  timeout: 120_000
}, async () => {
  const failed = await asNobody({})
  assert.equal(failed.code, 1, `the suite fails:\n${failed.out}`)
  assert.match(failed.out, /the NAT lab cannot run here: the lab needs root to create network namespaces \(uid 65534\)/)
  assert.match(failed.out, /apt-get install iproute2 nftables/, 'and says how to get it')

  const skipped = await asNobody({ PARLEY_LAB: 'skip' })
  assert.equal(skipped.code, 0, `the suite is skipped:\n${skipped.out}`)
  assert.match(skipped.out, /# SKIP PARLEY_LAB=skip and the NAT lab cannot run here: the lab needs root/)
  assert.match(skipped.out, /# skipped 2/)
})
