import assert from 'node:assert/strict'
import { eventually } from '../helpers/cli.ts'
import { COMMUNITY_MA, invite, joinCommunity, startCommunity, startMember, status } from './community.ts'
import { type LabDaemon, startLabDaemon } from './lab-daemon.ts'
import { labTest, report } from './lab-test.ts'
import { contactQueues, history, type Message, pending } from './mailbox-checks.ts'
import { ADDR } from './netlab.ts'

/**
 * Issue 12's mailbox faults behind real NATs (members a1 and a2 behind the home-1 NAT, community
 * nodes on the public segment): one of two mailboxes down, both up, a full mailbox.
 */

/**
 * Alice adds Bob and greets him; both hold the other's queues, and neither outbox still waits for an
 * ack (a queue hand-over not yet acked would go into the mailbox with the next messages, and take a
 * place the full-mailbox test counts).
 */
async function contacts(alice: LabDaemon, bob: LabDaemon, queues: { alice: number; bob: number }): Promise<void> {
  const link = (await bob.cli(['invite'])).json?.link as string
  assert.equal((await alice.cli(['contact', 'add', link])).code, 0)
  const hello = await alice.cli(['send', bob.peerId, 'hello', '--wait', '--timeout', '60'], { timeoutMs: 90_000 })
  assert.equal(hello.json?.status, 'delivered', `hello: ${hello.stderr}`)
  await eventually(
    () =>
      contactQueues(alice, bob.peerId) === queues.bob &&
      contactQueues(bob, alice.peerId) === queues.alice &&
      pending(alice, bob.peerId) === 0 &&
      pending(bob, alice.peerId) === 0,
    90_000
  )
}

async function sendAll(alice: LabDaemon, bob: LabDaemon, texts: string[]): Promise<void> {
  for (const text of texts) {
    const r = await alice.cli(['send', bob.peerId, text])
    assert.equal(r.code, 0, `send: ${r.stderr}`)
  }
}

const outgoing = async (alice: LabDaemon, bob: LabDaemon): Promise<Message[]> =>
  (await history(alice, bob.peerId)).filter(m => m.direction === 'out')

labTest(
  'mailboxes: one of two community nodes down, both up, each message once',
  { timeout: 900_000 },
  async (lab, t) => {
    const comm1 = await startCommunity(lab)
    const comm2Address = `/ip4/${ADDR.comm}/tcp/4002`
    let comm2 = await startLabDaemon(lab, 'comm', ADDR.comm, {
      community: true,
      listen: [comm2Address],
      announce: [comm2Address]
    })
    assert.notEqual(COMMUNITY_MA, comm2Address)
    let bob = await startMember(lab, 'a1')
    let alice = await startMember(lab, 'a2')
    for (const m of [bob, alice]) {
      await joinCommunity(m, await invite(comm1), comm1)
      await joinCommunity(m, await invite(comm2), comm2)
    }
    // both are members: acks go back through alice's mailboxes too
    await contacts(alice, bob, { alice: 2, bob: 2 })

    // one mailbox down
    await comm2.stop()
    await bob.stop()
    const first = Array.from({ length: 5 }, (_, i) => `one down ${i}`)
    await sendAll(alice, bob, first)
    await eventually(async () => (await outgoing(alice, bob)).filter(m => m.status === 'stored').length === 5, 120_000)
    await alice.stop()
    bob = await bob.restart()
    await eventually(async () => (await history(bob, alice.peerId)).length === 6, 120_000)
    assert.deepEqual(
      (await history(bob, alice.peerId)).map(m => m.text),
      ['hello', ...first]
    )
    comm2 = await comm2.restart()
    alice = await alice.restart()
    await eventually(async () => (await outgoing(alice, bob)).every(m => m.status === 'delivered'), 180_000)
    report(t, 'one of two mailboxes down: all 5 delivered')

    // both up: the same envelopes in both mailboxes reach bob once
    await bob.stop()
    const second = Array.from({ length: 5 }, (_, i) => `both up ${i}`)
    await sendAll(alice, bob, second)
    await eventually(async () => (await outgoing(alice, bob)).filter(m => m.status === 'stored').length === 5, 120_000)
    await alice.stop()
    bob = await bob.restart()
    await eventually(async () => (await history(bob, alice.peerId)).length >= 11, 120_000)
    await eventually(async () => {
      const s = (await status(bob)) as unknown as { mailboxes: Array<{ waiting?: number }> }
      return s.mailboxes.length === 2 && s.mailboxes.every(m => m.waiting === 0)
    }, 120_000)
    assert.deepEqual(
      (await history(bob, alice.peerId)).map(m => m.text),
      ['hello', ...first, ...second],
      'each message once, in order'
    )
    // alice's acks wait in her mailboxes while she is away; they take the messages out of her outbox
    await bob.stop()
    alice = await alice.restart()
    await eventually(async () => (await outgoing(alice, bob)).every(m => m.status === 'delivered'), 180_000)
    report(
      t,
      "both mailboxes up: each of 5 stored once at bob; delivered through the acks in alice's mailboxes while bob is offline"
    )
  }
)

labTest(
  'mailboxes: a full mailbox gives the clear error, then delivery once space frees',
  { timeout: 900_000 },
  async (lab, t) => {
    const comm = await startCommunity(lab, { extraArgs: ['--mailbox-queue-deposits', '3'] })
    let bob = await startMember(lab, 'a1')
    await joinCommunity(bob, await invite(comm), comm)
    let alice = await startMember(lab, 'a2', { env: { DEBUG: 'parley:dm:delivery*,parley:mailbox*' } })
    await contacts(alice, bob, { alice: 0, bob: 1 })
    await bob.stop()
    const texts = Array.from({ length: 6 }, (_, i) => `full ${i}`)
    await sendAll(alice, bob, texts)
    let last: Message[] = []
    const out = await eventually(async () => {
      const o = await outgoing(alice, bob)
      last = o
      return o.filter(m => m.status === 'stored').length === 3 &&
        o.filter(m => m.status === 'queued' && /mailbox is full/.test(m.error ?? '')).length === 3
        ? o
        : undefined
    }, 120_000).catch(err => {
      throw new Error(
        `${(err as Error).message}; alice's messages: ${JSON.stringify(last.map(m => [m.text, m.status, m.error]))}\n${alice.stderr().slice(-6000)}`
      )
    })
    report(t, `a full mailbox: ${JSON.stringify(out.at(-1)?.error)}`)
    assert.match(out.at(-1)!.error!, /^.+'s mailbox is full$/)
    await alice.stop()
    // bob collects the 3 (space frees), and goes away again
    bob = await bob.restart()
    await eventually(async () => (await history(bob, alice.peerId)).length === 4, 120_000)
    await eventually(async () => {
      const s = (await status(bob)) as unknown as { mailboxes: Array<{ waiting?: number }> }
      return s.mailboxes[0]?.waiting === 0
    }, 60_000)
    await bob.stop()
    // alice deposits the rest now that there is room
    alice = await alice.restart()
    await eventually(async () => (await outgoing(alice, bob)).every(m => m.status !== 'queued'), 180_000)
    await alice.stop()
    bob = await bob.restart()
    await eventually(async () => (await history(bob, alice.peerId)).length === 7, 120_000)
    assert.deepEqual(
      (await history(bob, alice.peerId)).map(m => m.text),
      ['hello', ...texts]
    )
    alice = await alice.restart()
    await eventually(async () => (await outgoing(alice, bob)).every(m => m.status === 'delivered'), 180_000)
  }
)
