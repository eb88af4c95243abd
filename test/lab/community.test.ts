import assert from 'node:assert/strict'
import { eventually } from '../helpers/cli.ts'
import {
  assertRelayedTruthful,
  communityAddress,
  invite,
  joinCommunity,
  joinedMember,
  keyFile,
  peers,
  RESERVATION_BACK_MS,
  reservationsAt,
  sendWait,
  startCommunity,
  startMember,
  status,
  texts,
  waitForReservation
} from './community.ts'
import { probe } from './lab-daemon.ts'
import { LONG, labTest, report } from './lab-test.ts'

/**
 * Issue 11's community scenarios behind real NATs: a community node on the public segment, members
 * a1 (home 1) and b1 (home 2), each behind its own NAT router. Only the relay connects them.
 */

labTest(
  'two members behind different NATs join, register, resolve each other and talk both ways over the relay',
  { timeout: 180_000 },
  async (lab, t) => {
    const comm = await startCommunity(lab)
    const [a, b] = await Promise.all([joinedMember(lab, 'a1', comm), joinedMember(lab, 'b1', comm)])
    const a1 = a.daemon
    const b1 = b.daemon
    report(t, `reservations after join: a1 ${a.reservation.ms} ms, b1 ${b.reservation.ms} ms`)

    const members = (await comm.cli(['community', 'members'])).json?.members as Array<{ peerId: string }>
    assert.deepEqual(members.map(m => m.peerId).sort(), [a1.peerId, b1.peerId].sort(), 'both are on the allowlist')
    for (const m of [a1, b1]) {
      const s = await status(m)
      assert.notEqual(s.reachability, 'public', `a member behind a NAT is not reported public: ${JSON.stringify(s)}`)
      assert.ok(
        ['private', 'unknown'].includes(String(s.reachability)),
        `reachability is private or unknown: ${s.reachability}`
      )
      assert.ok(
        Array.isArray(s.communities) && s.communities.length === 1,
        `status lists the community: ${JSON.stringify(s)}`
      )
      const list = (await m.cli(['community', 'list'])).json?.communities as Array<{
        peerId: string
        connected: boolean
      }>
      assert.deepEqual(
        list.map(c => [c.peerId, c.connected]),
        [[comm.peerId, true]]
      )
    }

    const ra = await a1.cli(['register', 'alice'])
    assert.equal(ra.code, 0, `register alice: ${ra.stderr}`)
    const rb = await b1.cli(['register', 'bob'])
    assert.equal(rb.code, 0, `register bob: ${rb.stderr}`)
    const resolved = await eventually(async () => {
      const r = await b1.cli(['resolve', 'alice'])
      return r.code === 0 && (r.json.addresses as string[]).some(x => x.includes('/p2p-circuit')) ? r.json : undefined
    })
    assert.equal(resolved.peerId, a1.peerId)
    const bobAtA = (await a1.cli(['resolve', 'bob'])).json
    assert.equal(bobAtA?.peerId, b1.peerId, 'a1 resolves bob')
    assert.ok(
      (bobAtA.addresses as string[]).some(x => x.startsWith(`${communityAddress(comm)}/p2p-circuit`)),
      `bob's profile carries his relayed address: ${bobAtA.addresses}`
    )

    const before = { r1: await lab.drops('r1'), r2: await lab.drops('r2') }
    const there = await sendWait(a1, 'bob', 'hello from home 1', 60)
    assert.equal(there.json?.status, 'delivered', `a1 → bob delivered: ${there.stderr}`)
    assert.equal((await b1.cli(['contact', 'accept', a1.peerId])).code, 0)
    const back = await sendWait(b1, 'alice', 'hello from home 2', 60)
    assert.equal(back.json?.status, 'delivered', `b1 → alice delivered: ${back.stderr}`)
    assert.deepEqual(await texts(b1, a1.peerId), [
      ['in', 'hello from home 1'],
      ['out', 'hello from home 2']
    ])

    // `relayed` tells the truth, whichever path the connection took.
    const atA = (await peers(a1)).find(p => p.peerId === b1.peerId)
    assert.ok(atA, 'a1 is connected to b1')
    assertRelayedTruthful(atA)
    const atB = (await peers(b1)).find(p => p.peerId === a1.peerId)
    assert.ok(atB, 'b1 is connected to a1')
    assertRelayedTruthful(atB)
    for (const p of [...(await peers(a1)), ...(await peers(b1))]) assertRelayedTruthful(p)

    // The direct upgrade (DCUtR) is attempted, or not, and its outcome reported, never assumed:
    // Node has no SO_REUSEPORT for outgoing sockets (js-libp2p #2620), so TCP hole punching fails.
    const direct = await eventually(async () => {
      const p = (await peers(a1)).find(x => x.peerId === b1.peerId)
      return p !== undefined && p.relayed === false ? p : undefined
    }, 10_000).catch(() => undefined)
    const after = { r1: await lab.drops('r1'), r2: await lab.drops('r2') }
    const punched = after.r1.forward + after.r1.input - before.r1.forward - before.r1.input
    const punched2 = after.r2.forward + after.r2.input - before.r2.forward - before.r2.input
    report(
      t,
      `a1 ↔ b1: sends ${there.ms} / ${back.ms} ms (send --wait), connection ${atA.relayed ? 'relayed' : 'direct'}; ` +
        `direct upgrade within 10 s: ${direct === undefined ? 'no' : `yes (${direct.addresses})`}; ` +
        `inbound packets the routers dropped meanwhile (hole-punch attempts): r1 ${punched}, r2 ${punched2}`
    )
  }
)

labTest(
  'the community node restarts: reservations come back within 30 s and messages flow again, nothing lost',
  { timeout: 240_000 },
  async (lab, t) => {
    let comm = await startCommunity(lab)
    const [a, b] = await Promise.all([joinedMember(lab, 'a1', comm), joinedMember(lab, 'b1', comm)])
    const a1 = a.daemon
    const b1 = b.daemon
    const first = await sendWait(a1, b1.peerId, 'before the restart', 60)
    assert.equal(first.json?.status, 'delivered', `first message: ${first.stderr}`)
    assert.equal((await b1.cli(['contact', 'accept', a1.peerId])).code, 0)

    await comm.stop()
    const whileDown = ['while down 1', 'while down 2', 'while down 3']
    for (const text of whileDown) {
      const r = await a1.cli(['send', b1.peerId, text])
      assert.equal(r.json?.status, 'queued', `queued while the community is down: ${r.stdout}${r.stderr}`)
    }
    const back = await b1.cli(['send', a1.peerId, 'reply while down'])
    assert.equal(back.json?.status, 'queued')

    comm = await comm.restart()
    const restarted = performance.now()
    // js-libp2p #3601: a static reservation is not made again by itself; Parley must (issue 11).
    const [ra, rb] = await Promise.all([
      waitForReservation(a1, comm, RESERVATION_BACK_MS),
      waitForReservation(b1, comm, RESERVATION_BACK_MS)
    ])
    report(t, `reservations back ${ra.ms} ms (a1) and ${rb.ms} ms (b1) after the community node was ready again`)

    // Everything queued while it was down arrives once, in order, both ways.
    const expected: Array<[string, string]> = [
      ['in', 'before the restart'],
      ...whileDown.map((text): [string, string] => ['in', text]),
      ['out', 'reply while down']
    ]
    const got = await eventually(async () => {
      const h = await texts(b1, a1.peerId)
      return h.length >= expected.length ? h : undefined
    }, 90_000)
    const sorted = (h: Array<[string, string]>) => [...h].sort((x, y) => x[1].localeCompare(y[1]))
    assert.deepEqual(sorted(got), sorted(expected), 'every message exactly once')
    assert.deepEqual(
      got.filter(m => m[0] === 'in'),
      expected.filter(m => m[0] === 'in'),
      "a1's messages in order"
    )
    await eventually(async () => {
      const h = await texts(a1, b1.peerId)
      return h.some(m => m[1] === 'reply while down') ? h : undefined
    }, 60_000)
    const after = await sendWait(a1, b1.peerId, 'after the restart', 60)
    assert.equal(after.json?.status, 'delivered', `a message after the restart: ${after.stderr}`)
    report(t, `all queued messages delivered ${Math.round(performance.now() - restarted)} ms after the restart`)
  }
)

labTest(
  'a non-member cannot reserve; a removed member loses its reservation and cannot reserve again',
  { timeout: 180_000 },
  async (lab, t) => {
    const comm = await startCommunity(lab)
    const relay = communityAddress(comm)
    // a2 joins and goes offline: its key is a member's key the probe can use without a daemon in the way
    const a2 = await startMember(lab, 'a2')
    await joinCommunity(a2, await invite(comm), comm)
    await a2.stop()
    const [a, b] = await Promise.all([joinedMember(lab, 'a1', comm), joinedMember(lab, 'b1', comm)])
    const a1 = a.daemon
    const b1 = b.daemon

    const stranger = await probe(lab, 'b1', ['reserve', relay, '15000'])
    assert.equal(stranger.ok, false, `a stranger's reservation is refused: ${JSON.stringify(stranger)}`)
    assert.match(stranger.error ?? '', /RESERVATION_REFUSED|PERMISSION_DENIED|refused|denied/i)
    const member = await probe(lab, 'a2', ['reserve', relay, '15000', keyFile(a2)])
    assert.equal(member.ok, true, `the same probe with a member's key gets a reservation: ${member.error}`)

    // A wrong secret: clear error, not added.
    const link = await invite(comm)
    const wrong = link.replace(/secret=[^&]+/, `secret=${Buffer.alloc(32, 7).toString('base64url')}`)
    const outsider = await startMember(lab, 'a2', {})
    const refused = await outsider.cli(['community', 'join', wrong])
    assert.notEqual(refused.code, 0, 'a wrong secret is refused')
    assert.ok(refused.stderr.length > 0, 'with an error message')
    const listed = (await comm.cli(['community', 'members'])).json?.members as Array<{ peerId: string }>
    assert.ok(!listed.some(m => m.peerId === outsider.peerId), 'and is not added')
    await outsider.stop()

    const delivered = await sendWait(b1, a1.peerId, 'while a1 is a member', 60)
    assert.equal(delivered.json?.status, 'delivered', `b1 → a1 before removal: ${delivered.stderr}`)

    const removed = await comm.cli(['community', 'remove', a1.peerId])
    assert.equal(removed.code, 0, `community remove: ${removed.stderr}`)
    const members = (await comm.cli(['community', 'members'])).json?.members as Array<{ peerId: string }>
    assert.ok(!members.some(m => m.peerId === a1.peerId), 'a1 is off the allowlist')
    const start = performance.now()
    await eventually(async () => ((await reservationsAt(a1, comm)).length === 0 ? true : undefined), 60_000)
    const lostMs = Math.round(performance.now() - start)
    const afterRemoval = await sendWait(b1, a1.peerId, 'after removal', 10)
    assert.notEqual(afterRemoval.json?.status, 'delivered', 'nothing reaches a removed member through the relay')
    assert.ok(!(await texts(a1, b1.peerId)).some(m => m[1] === 'after removal'))

    await comm.cli(['community', 'remove', a2.peerId])
    const again = await probe(lab, 'a2', ['reserve', relay, '15000', keyFile(a2)])
    assert.equal(again.ok, false, `a removed member's key is refused: ${JSON.stringify(again)}`)
    report(
      t,
      `stranger refused (${stranger.error?.split('\n')[0]}); removed member's relay addresses gone after ${lostMs} ms`
    )
  }
)

labTest(
  "a member's name still resolves while the member is offline (its records kept by the community)",
  { timeout: 180_000 },
  async (lab, t) => {
    const comm = await startCommunity(lab)
    const [a, b] = await Promise.all([joinedMember(lab, 'a1', comm), joinedMember(lab, 'b1', comm)])
    const a1 = a.daemon
    const b1 = b.daemon
    assert.equal((await a1.cli(['register', 'alice'])).code, 0)
    await eventually(async () => ((await b1.cli(['resolve', 'alice'])).json?.peerId === a1.peerId ? true : undefined))

    // Both members go offline: only the community node still holds anything.
    await a1.stop()
    await b1.stop()
    const c = await startMember(lab, 'a2')
    await joinCommunity(c, await invite(comm), comm)
    const start = performance.now()
    const r = await eventually(async () => {
      const x = await c.cli(['resolve', 'alice'])
      return x.code === 0 ? x.json : undefined
    }, 30_000)
    assert.equal(r.peerId, a1.peerId, "alice resolves to a1's key while a1 is offline")
    report(t, `offline member's name resolved by a newcomer in ${Math.round(performance.now() - start)} ms`)
    if (LONG) {
      // The owner comes back and its name is still its own.
      const back = await a1.restart()
      assert.equal((await back.cli(['whoami'])).json?.name, 'alice')
    }
  }
)
