import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { childEnv, collect, eventually } from '../helpers/cli.ts'
import { invite, startCommunity, communityAddress } from './community.ts'
import type { LabDaemon } from './lab-daemon.ts'
import { labTest, LONG, report } from './lab-test.ts'
import type { NatLab, Role } from './netlab.ts'

/**
 * Issue 12's hostile mailbox scenario behind real NATs: the community node on the public segment,
 * a queue owner in home 1 (a1), an honest depositor in home 2 (b1), and from a2 (home 1, another
 * host) a flood of deposits from 1,000 fresh identities and slow streams that never finish their
 * request. The honest deposits all go through, the flood is rate limited, the slow streams are cut,
 * the owner receives every stored deposit, the community daemon's memory stays flat, and its
 * mailbox log names no depositor.
 */

const ACTOR = join(dirname(fileURLToPath(import.meta.url)), 'mailbox-actor.ts')
const FLOOD = LONG ? 5000 : 1000

async function actor(lab: NatLab, role: Role, args: string[], timeoutMs = 600_000): Promise<Record<string, any>> {
  const child = spawn('ip', [...lab.prefix(role), process.execPath, ACTOR, ...args], {
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const r = await collect(child, timeoutMs)
  const line = r.stdout.trim().split('\n').pop() ?? ''
  try {
    return JSON.parse(line)
  } catch {
    throw new Error(`mailbox-actor ${args[0]} in ${role} printed no result (exit ${r.code}):\n${r.stdout}\n${r.stderr}`)
  }
}

/** The resident set of the community daemon (the node process whose command line names its home), KiB. */
function rssKiB(daemon: LabDaemon): number {
  for (const pid of readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      if (!cmdline.includes(daemon.home) || !cmdline.includes('daemon') || cmdline.startsWith('ip\0')) continue
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      if (m !== null) return Number(m[1])
    } catch {
      // the process went away while we looked
    }
  }
  throw new Error(`no process for the daemon of ${daemon.home}`)
}

labTest(
  'mailboxes: a flood from 1,000 fresh identities and slow streams; the honest deposits go through, memory stays flat',
  { timeout: 1_200_000 },
  async (lab, t) => {
    // its mailbox log on: it must never name a depositor (no peer id, no address)
    // and a rate low enough that the flood meets it however fast this machine makes identities
    const comm = await startCommunity(lab, {
      env: { DEBUG: 'parley:mailbox*' },
      extraArgs: ['--mailbox-rate', '10', '--mailbox-queue-deposits', '100000']
    })
    const link = await invite(comm)

    // the owner in home 1: its queue, then a subscription that prints each deposit it receives
    const owner = spawn('ip', [...lab.prefix('a1'), process.execPath, ACTOR, 'owner', link], {
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe']
    })
    lab.onTeardown(async () => {
      owner.kill('SIGKILL')
    })
    let ownerOut = ''
    let received = 0
    owner.stdout.setEncoding('utf8').on('data', (d: string) => {
      ownerOut += d
      for (const m of d.matchAll(/"deposits":(\d+)/g)) received = Math.max(received, Number(m[1]))
    })
    const queueLine = await eventually(() => /\{"queue":.*\}/.exec(ownerOut)?.[0], 60_000)
    const queue = JSON.stringify(JSON.parse(queueLine).queue)

    // warm-up from home 2, then the memory before
    const warm = await actor(lab, 'b1', ['deposit', queue, '20', '1024'])
    assert.deepEqual([warm.stored, warm.refused], [20, []], JSON.stringify(warm))
    await eventually(() => received >= 20, 60_000)
    const before = rssKiB(comm)

    // the flood and the slow streams from a2, the honest depositor in b1, all at once
    const [flood, slow, honest] = await Promise.all([
      actor(lab, 'a2', ['flood', queue, String(FLOOD), '24']),
      actor(lab, 'a2', ['slow', communityAddress(comm), '4', '30']),
      actor(lab, 'b1', ['deposit', queue, '40', '4096'])
    ])
    report(
      t,
      `flood of ${FLOOD}: ${JSON.stringify(flood)}; slow streams: ${JSON.stringify(slow)}; honest: ${JSON.stringify(honest)}`
    )
    assert.deepEqual([honest.stored, honest.refused], [40, []], 'every honest deposit went through')
    assert.equal(flood.stored + flood.limited + flood.other, FLOOD)
    assert.ok(flood.limited > 0, 'the flood was rate limited')
    assert.ok(flood.other <= FLOOD / 100, `few flood deposits failed otherwise: ${JSON.stringify(flood.errors)}`)
    assert.deepEqual([slow.open, slow.cut], [0, 120], 'every slow stream was cut')

    // the owner was served through it all: every stored deposit reached it
    const stored = 20 + 40 + flood.stored
    await eventually(() => received >= stored, 120_000)
    const members = (await comm.cli(['community', 'members'])).json?.members as Array<{ deposits: number }>
    assert.equal(members[0]?.deposits, stored)

    const after = rssKiB(comm)
    report(t, `community daemon RSS: ${Math.round(before / 1024)} MiB before, ${Math.round(after / 1024)} MiB after`)
    assert.ok(after < before * 2.5, `RSS ${before} KiB → ${after} KiB`)

    const log = comm.stderr()
    assert.match(log, /parley:mailbox/, 'the mailbox log was on')
    assert.doesNotMatch(log, /198\.18\.0\.1[12]|10\.77\.[12]\./, 'the log names no depositor address')
    assert.doesNotMatch(log, /12D3KooW/, 'the log names no peer id')
  }
)

labTest(
  'mailboxes: kill -9 of the community daemon in a burst of deposits, restart: nothing lost, nothing twice',
  { timeout: 900_000 },
  async (lab, t) => {
    let comm = await startCommunity(lab, { extraArgs: ['--mailbox-rate', '100000'] })
    const link = await invite(comm)
    const owner = spawn('ip', [...lab.prefix('a1'), process.execPath, ACTOR, 'owner', link], {
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe']
    })
    lab.onTeardown(async () => {
      owner.kill('SIGKILL')
    })
    let ownerOut = ''
    const received: string[] = []
    owner.stdout.setEncoding('utf8').on('data', (d: string) => {
      ownerOut += d
      for (const m of d.matchAll(/"blob":"([0-9a-f]{16})"/g)) received.push(m[1]!)
    })
    const queueLine = await eventually(() => /\{"queue":.*\}/.exec(ownerOut)?.[0], 60_000)
    const queue = JSON.stringify(JSON.parse(queueLine).queue)

    const BURST = LONG ? 2000 : 400
    const SEED = 0x5eed
    const burst = spawn(
      'ip',
      [...lab.prefix('b1'), process.execPath, ACTOR, 'burst', queue, String(BURST), String(SEED)],
      {
        env: childEnv(),
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    lab.onTeardown(async () => {
      burst.kill('SIGKILL')
    })
    const acked = new Set<number>()
    let done = false
    burst.stdout.setEncoding('utf8').on('data', (d: string) => {
      for (const m of d.matchAll(/"acked":\[([\d,]*)\]/g)) for (const i of m[1]!.split(',')) acked.add(Number(i))
      if (d.includes('"done":true')) done = true
    })
    const killAt = Math.floor(BURST / 4 + Math.random() * (BURST / 4))
    await eventually(() => acked.size >= killAt || done, 300_000)
    await comm.kill()
    const atKill = acked.size
    comm = await comm.restart()
    await eventually(() => done, 300_000)
    report(t, `${atKill} of ${BURST} deposits acknowledged when the daemon was killed`)
    assert.ok(atKill < BURST, 'killed in the middle of the burst')
    // the depositor sent every batch again until the restarted node acknowledged it (replays included)
    assert.equal(acked.size, BURST)

    // the node holds each deposit once; the owner (subscribed again after the restart) got them all
    const members = (await comm.cli(['community', 'members'])).json?.members as Array<{ deposits: number }>
    assert.equal(members?.[0]?.deposits, BURST, 'every deposit stored, none twice')
    const hex = (i: number): string => {
      const b = Buffer.alloc(8)
      b.writeUInt32BE(SEED, 0)
      b.writeUInt32BE(i, 4)
      return b.toString('hex')
    }
    await eventually(() => new Set(received).size === BURST, 300_000)
    for (let i = 0; i < BURST; i++) assert.ok(received.includes(hex(i)), `deposit ${i} reached the owner`)
    report(t, `the node holds ${BURST} deposits; the owner received each (${received.length} deliveries)`)
  }
)
