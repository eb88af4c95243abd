import { test } from 'node:test'
import { labAvailability, NatLab, type LabOptions } from './netlab.ts'

/**
 * `test()` for a lab scenario: builds a fresh lab, runs `fn`, tears the lab down whatever happens.
 * Where the lab cannot be built the test FAILS saying why; PARLEY_LAB=skip reports it as skipped
 * with the reason instead (as PARLEY_E2E=skip does for the real-VS-Code suite).
 */
const availability = labAvailability()

export const LONG = process.env.PARLEY_LONG === '1'

export function labTest(
  name: string,
  options: { timeout: number; lab?: LabOptions },
  fn: (lab: NatLab, t: import('node:test').TestContext) => Promise<void>
): void {
  test(name, { skip: availability.skip, timeout: options.timeout }, async t => {
    const lab = await NatLab.build(options.lab)
    try {
      await fn(lab, t)
    } finally {
      await lab.teardown()
    }
  })
}

/** One line into the test's output (node:test diagnostics), for the measured facts of a scenario. */
export function report(t: import('node:test').TestContext, line: string): void {
  t.diagnostic(line)
  if (process.env.PARLEY_LAB_VERBOSE === '1') process.stderr.write(`lab: ${line}\n`)
}
