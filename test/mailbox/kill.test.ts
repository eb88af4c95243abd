/**
 * A community daemon (a real process, a real SQLite file) killed with SIGKILL in the middle of a
 * burst of deposits, then started again on the same home and port: every deposit it answered OK
 * is there, none is there twice, and depositing the whole burst again stores nothing new. Also the
 * CLI side: `daemon --community --mailbox-…` and `community members --json`.
 */
import assert from 'node:assert/strict'
import { after, describe, test } from 'node:test'
import { createQueue, deposit, type StoredDeposit } from '../../node/mailbox/index.ts'
import { CommunityNet } from '../community/helpers.ts'
import { type DaemonProcess, eventually, makeHome, removeHome, runCli, startDaemon, freePort } from '../helpers/cli.ts'
import { blobs, Collector } from './helpers.ts'

const BURST = 400
const BLOB = 1024

describe('mailbox: kill -9 of the community daemon in a burst of deposits', { timeout: 300_000 }, () => {
  const members = new CommunityNet()
  let home: string
  let daemon: DaemonProcess | undefined
  after(async () => {
    await daemon?.stop()
    await members.close()
    if (home !== undefined) await removeHome(home)
  })

  test('mailbox options need --community', async () => {
    const r = await runCli(await makeHome('parley-mailbox-opt-'), ['daemon', '--mailbox-days', '3', '--json'])
    assert.notEqual(r.code, 0)
    assert.equal(JSON.parse(r.stderr.trim().split('\n').at(-1)!).error.name, 'UsageError')
  })

  test('nothing lost, nothing stored twice', async () => {
    home = await makeHome('parley-mailbox-kill-')
    const port = await freePort()
    const args = ['--community', '--listen', `/ip4/127.0.0.1/tcp/${port}`, '--mailbox-rate', '100000']
    const start = async (): Promise<DaemonProcess> => await startDaemon(home, { extraArgs: args })
    daemon = await start()
    const queueHome = { community: daemon.peerId, addresses: [`/ip4/127.0.0.1/tcp/${port}`] }

    const { node: alice } = await members.start()
    const invite = await runCli(home, ['community', 'invite', '--json'])
    await alice.community.join(JSON.parse(invite.stdout).link)
    const queue = await createQueue(alice.libp2p, queueHome)
    const address = { ...queueHome, ...queue }

    // the burst: batches of 10 from throwaway identities, 4 batches at a time; killed after ~1/3
    const burst = blobs(BURST, BLOB, 7)
    const acked = new Set<number>()
    let next = 0
    let killed = false
    const killAt = Math.floor(BURST / 4 + Math.random() * (BURST / 4))
    const worker = async (): Promise<void> => {
      while (next < BURST) {
        const from = next
        next += 10
        const batch = burst.slice(from, from + 10)
        try {
          await deposit(address, batch)
          for (let i = from; i < from + batch.length; i++) acked.add(i)
        } catch {
          // refused or cut by the kill: not acknowledged
        }
        if (!killed && acked.size >= killAt) {
          killed = true
          await daemon!.kill()
        }
      }
    }
    await Promise.all([worker(), worker(), worker(), worker()])
    assert.ok(killed, 'the daemon was killed in the burst')
    assert.ok(acked.size < BURST, `${acked.size} acknowledged before the burst ended`)

    daemon = await start()
    const stored = async (): Promise<StoredDeposit[]> => {
      const sub = await eventually(async () => {
        const c = new Collector(alice, queueHome)
        await c.ready
        return c
      })
      // every deposit the node holds, then nothing more for a moment
      let seen = -1
      await eventually(async () => {
        const n = sub.deposits.length
        const settled = n === seen
        seen = n
        await new Promise(resolve => setTimeout(resolve, 300))
        return settled
      })
      await sub.stop()
      return sub.deposits
    }
    const afterKill = await stored()
    const index = new Map(burst.map((b, i) => [Buffer.from(b).toString('hex'), i]))
    const found = afterKill.map(d => index.get(Buffer.from(d.blob).toString('hex')))
    assert.ok(found.every(i => i !== undefined))
    assert.equal(new Set(found).size, found.length, 'no deposit stored twice')
    for (const i of acked) assert.ok(found.includes(i), `acknowledged deposit ${i} lost`)

    // the whole burst again: the stored ones are replays
    for (let i = 0; i < BURST; i += 50) await deposit(address, burst.slice(i, i + 50))
    const all = await stored()
    assert.equal(all.length, BURST)
    assert.equal(new Set(all.map(d => Buffer.from(d.depositId).toString('hex'))).size, BURST)

    const members_ = await runCli(home, ['community', 'members', '--json'])
    const row = JSON.parse(members_.stdout).members[0]
    assert.deepEqual([row.queues, row.deposits, row.storedBytes], [1, BURST, BURST * BLOB])
    const text = await runCli(home, ['community', 'members'])
    assert.match(text.stdout, new RegExp(`1 queue, ${BURST} deposits \\(${(BURST * BLOB) / 1024} KiB\\)`))
  })
})
