/**
 * Crashes: two real daemons (separate processes, real SQLite files) and a burst of messages from A
 * to B. At a random point of the burst one of them is killed with SIGKILL (no cleanup at all), then
 * started again on the same home; the lock file and socket it left behind must not stop it. Once
 * everything settles: every message the sender accepted is delivered exactly once and in order, and
 * both histories are identical.
 *
 * Bursts of 1,000 messages. Short mode (npm test): two trials with the sender killed, two with the
 * receiver killed and two with the sender killed while 16 sends are in flight (group commit);
 * long mode (PARLEY_LONG=1): 20 trials each.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { after, describe, it } from 'node:test'
import { connectDaemon, type RpcClient } from '../../node/daemon/client.ts'
import { homePaths } from '../../node/daemon/home.ts'
import type { MessageView } from '../../node/daemon/rpc-api.ts'
import { type DaemonProcess, eventually, makeHome, removeHome, startDaemon, freePort } from '../helpers/cli.ts'
import { budget, LONG } from '../fuzz/harness.ts'

const TRIALS = budget(2, 20)
/** Messages per burst, in both modes. */
const BURST = 1000
/** Messages queued while the receiver is down. */
const WHILE_DOWN = 100
/** A guard for a broken run (not an assertion about speed): a burst settles far sooner. */
const SETTLE_GUARD_MS = 10 * 60_000

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

interface Side {
  home: string
  port: number
  daemon: DaemonProcess
  client: RpcClient
}

async function start(home: string, port: number, bootstrap: string[] = []): Promise<Side> {
  const daemon = await startDaemon(home, {
    bootstrap,
    extraArgs: ['--listen', `/ip4/127.0.0.1/tcp/${port}`]
  })
  const client = await connectDaemon(homePaths(home).socket)
  return { home, port, daemon, client }
}

async function history(side: Side, peer: string): Promise<MessageView[]> {
  const { messages } = await side.client.call('messages.history', { target: peer, limit: 10_000 })
  return messages
}

const text = (i: number): string => `burst message ${i}`

/** Two daemons, A bootstrapped to B, and the conversation shown to work before anything is killed. */
async function startPair(): Promise<{ a: Side; b: Side }> {
  const b = await start(await makeHome('parley-crash-b-'), await freePort())
  const started: Side[] = [b]
  try {
    const a = await start(await makeHome('parley-crash-a-'), await freePort(), b.daemon.addresses)
    started.push(a)
    const first = await a.client.call('messages.send', {
      target: b.daemon.peerId,
      text: 'before the burst',
      wait: true,
      timeoutMs: 120_000
    })
    assert.equal(first.status, 'delivered')
    // B takes A as a contact, as a teammate would: a stranger's request holds only a few messages
    await b.client.call('contacts.accept', { target: a.daemon.peerId })
    return { a, b }
  } catch (err) {
    await stopPair(started)
    throw err
  }
}

/** Kills the daemons (whatever state they are in) and removes their homes. */
async function stopPair(sides: Side[]): Promise<void> {
  for (const side of sides) {
    side.client.close()
    await side.daemon.kill()
  }
  await Promise.all(sides.map(side => removeHome(side.home)))
}

/** One trial: a burst from A to B, `victim` killed at a random point, restarted, then checked. */
async function trial(victim: 'sender' | 'receiver', t: { diagnostic: (s: string) => void }): Promise<void> {
  let { a, b } = await startPair()
  try {
    const bId = b.daemon.peerId
    const aId = a.daemon.peerId

    const killAt = Math.floor(Math.random() * BURST)
    const accepted: string[] = []
    let i = 0
    for (; i < BURST; i++) {
      if (i === killAt) break
      const r = await a.client.call('messages.send', { target: bId, text: text(i) })
      accepted.push(r.id)
    }
    if (victim === 'sender') {
      // one more send in flight, a random moment of deliveries in flight, then SIGKILL
      const inFlight = a.client.call('messages.send', { target: bId, text: text(i) }).catch(() => undefined)
      await sleep(Math.floor(Math.random() * 50))
      await a.daemon.kill()
      await inFlight
      a.client.close()
      assert.ok(existsSync(homePaths(a.home).lock), 'SIGKILL leaves the lock file behind')
      a = await start(a.home, a.port, b.daemon.addresses)
      // what the sender stored before it died is a prefix of the burst (nothing out of order, no gaps)
      const stored = (await history(a, bId)).filter(m => m.direction === 'out').map(m => m.text)
      const expectedPrefix = ['before the burst', ...Array.from({ length: stored.length - 1 }, (_, n) => text(n))]
      assert.deepEqual(stored, expectedPrefix)
      assert.ok(stored.length - 1 >= i, `an accepted message was lost: stored ${stored.length - 1}, accepted ${i}`)
      i = stored.length - 1
    } else {
      await sleep(Math.floor(Math.random() * 50))
      await b.daemon.kill()
      b.client.close()
      assert.ok(existsSync(homePaths(b.home).lock), 'SIGKILL leaves the lock file behind')
      // the sender keeps queuing while the receiver is down
      for (let n = 0; n < WHILE_DOWN && i < BURST; n++, i++) {
        accepted.push((await a.client.call('messages.send', { target: bId, text: text(i) })).id)
      }
      b = await start(b.home, b.port, a.daemon.addresses)
    }
    for (; i < BURST; i++) {
      accepted.push((await a.client.call('messages.send', { target: bId, text: text(i) })).id)
    }
    t.diagnostic(`${victim} killed after ${killAt} of ${BURST} messages`)

    // settle: every outgoing message delivered
    const sent = await eventually(async () => {
      const out = (await history(a, bId)).filter(m => m.direction === 'out')
      return out.length === BURST + 1 && out.every(m => m.status === 'delivered') ? out : undefined
    }, SETTLE_GUARD_MS)
    const received = (await history(b, aId)).filter(m => m.direction === 'in')

    const expected = ['before the burst', ...Array.from({ length: BURST }, (_, n) => text(n))]
    assert.deepEqual(
      sent.map(m => m.text),
      expected,
      'the sender has every message once, in order'
    )
    assert.deepEqual(
      received.map(m => m.text),
      expected,
      'the receiver has every message once, in order'
    )
    assert.deepEqual(
      received.map(m => [m.id, m.from, m.to, m.text, m.sentAt]),
      sent.map(m => [m.id, m.from, m.to, m.text, m.sentAt]),
      'identical histories'
    )
    for (const id of accepted)
      assert.ok(
        sent.some(m => m.id === id),
        `accepted ${id} is in the history`
      )
  } finally {
    await stopPair([a, b])
  }
}

/** Sends in flight at once in the concurrent trial: they share the sender's commits (group commit). */
const IN_FLIGHT = 16

/**
 * A burst with IN_FLIGHT sends in flight at once (so they are sealed and committed together), the
 * sender killed at a random point. Every send answered is stored (an answer comes only after its
 * commit); everything stored is delivered exactly once, in the sender's order; both histories end
 * identical, and the conversation goes on.
 */
async function concurrentTrial(t: { diagnostic: (s: string) => void }): Promise<void> {
  const pair = await startPair()
  const b = pair.b
  let a = pair.a
  try {
    const bId = b.daemon.peerId
    const aId = a.daemon.peerId

    const killAt = Math.floor(Math.random() * BURST)
    const answered = new Map<string, string>()
    let next = 0
    let killed = false
    const reached = Promise.withResolvers<void>()
    const worker = async (): Promise<void> => {
      while (next < BURST && !killed) {
        const body = text(next++)
        try {
          const r = await a.client.call('messages.send', { target: bId, text: body })
          // an answer, even one read after the kill began, means the daemon had committed it
          answered.set(r.id, body)
          if (answered.size >= killAt) reached.resolve()
        } catch {
          return // the daemon died under this call: not answered, may or may not be stored
        }
      }
    }
    const workers = Array.from({ length: IN_FLIGHT }, worker)
    // at the kill point, with IN_FLIGHT sends still in flight
    await Promise.race([reached.promise, Promise.all(workers)])
    killed = true
    await a.daemon.kill()
    await Promise.all(workers)
    a.client.close()
    a = await start(a.home, a.port, b.daemon.addresses)
    t.diagnostic(`sender killed after ${answered.size} answered sends, ${next} issued, ${IN_FLIGHT} in flight`)

    // everything answered is stored, once; nothing but what was issued
    const stored = (await history(a, bId)).filter(m => m.direction === 'out')
    const storedIds = new Set(stored.map(m => m.id))
    for (const id of answered.keys()) assert.ok(storedIds.has(id), `answered ${id} was lost`)
    assert.equal(new Set(stored.map(m => m.text)).size, stored.length, 'no message stored twice')
    const issued = new Set(Array.from({ length: next }, (_, n) => text(n)))
    assert.ok(
      stored.slice(1).every(m => issued.has(m.text)),
      'only issued messages are stored'
    )

    // settle: every stored message delivered, exactly once, in the sender's order
    const sent = await eventually(async () => {
      const out = (await history(a, bId)).filter(m => m.direction === 'out')
      return out.length === stored.length && out.every(m => m.status === 'delivered') ? out : undefined
    }, SETTLE_GUARD_MS)
    const received = (await history(b, aId)).filter(m => m.direction === 'in')
    assert.deepEqual(
      received.map(m => [m.id, m.from, m.to, m.text, m.sentAt]),
      sent.map(m => [m.id, m.from, m.to, m.text, m.sentAt]),
      'identical histories, each message once, in order'
    )
    // the conversation goes on after the crash
    const last = await a.client.call('messages.send', {
      target: bId,
      text: 'after the crash',
      wait: true,
      timeoutMs: 120_000
    })
    assert.equal(last.status, 'delivered')
    assert.equal((await history(b, aId)).at(-1)?.text, 'after the crash')
  } finally {
    await stopPair([a, b])
  }
}

describe('crash: kill -9 during a burst between two daemons', { timeout: LONG ? 24 * 3600_000 : 600_000 }, () => {
  const unhandled: unknown[] = []
  const onRejection = (reason: unknown): void => {
    unhandled.push(reason)
  }
  process.on('unhandledRejection', onRejection)
  after(() => {
    process.off('unhandledRejection', onRejection)
    assert.deepEqual(unhandled, [])
  })

  for (let n = 0; n < TRIALS; n++) {
    it(`sender killed at a random point of a ${BURST}-message burst (trial ${n + 1}/${TRIALS})`, async t => {
      await trial('sender', t)
    })
  }
  for (let n = 0; n < TRIALS; n++) {
    it(`receiver killed at a random point of a ${BURST}-message burst (trial ${n + 1}/${TRIALS})`, async t => {
      await trial('receiver', t)
    })
  }

  for (let n = 0; n < TRIALS; n++) {
    it(`sender killed during a burst with ${IN_FLIGHT} sends in flight (trial ${n + 1}/${TRIALS})`, async t => {
      await concurrentTrial(t)
    })
  }

  it('a killed daemon leaves nothing that stops it from starting again', async () => {
    const home = await makeHome('parley-crash-restart-')
    try {
      for (let round = 0; round < 3; round++) {
        const port = await freePort()
        const side = await start(home, port)
        const status = await side.client.call('node.status', {})
        assert.equal(status.peerId, side.daemon.peerId)
        side.client.close()
        await side.daemon.kill()
        // SIGKILL: the lock and the socket file are still there, and must not matter
        assert.ok(existsSync(homePaths(home).lock))
        assert.ok(existsSync(homePaths(home).socket))
      }
      const side = await start(home, await freePort())
      assert.equal((await side.client.call('node.status', {})).peerId, side.daemon.peerId)
      side.client.close()
      assert.equal(await side.daemon.stop(), 0)
      // a clean stop removes both
      assert.ok(!existsSync(homePaths(home).lock))
      assert.ok(!existsSync(homePaths(home).socket))
    } finally {
      await removeHome(home)
    }
  })
})
