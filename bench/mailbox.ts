/**
 * `node bench/mailbox.ts` — a message through a mailbox against the direct path of the same pair
 * (issue 12, "Benchmarks"), in one run on this machine: three real Parley nodes on 127.0.0.1 (a
 * community node, alice and bob, both members), real SQLite stores.
 *
 *   direct:  alice `send --wait` → bob's signed ack on the dm stream (both online, connected)
 *   mailbox: the same send with bob's dm protocol switched off, so delivery falls back at once:
 *            seal + deposit from a throwaway identity → pushed to bob's subscription → stored →
 *            bob's ack sealed into alice's queue → pushed to alice → delivered
 *
 *   node bench/mailbox.ts [--rounds N]   (default 30)
 *
 * Prints p50/p99 of both and their ratio; the ratio is the figure (no absolute threshold).
 */
import { parseArgs } from 'node:util'
import { DM_PROTOCOL } from '../node/messaging/constants.ts'
import type { ParleyNode } from '../node/parley-node.ts'
import { CommunityNet, eventually } from '../test/community/helpers.ts'
import { admit } from '../test/mailbox/helpers.ts'
import { type Summary, summarize } from './stats.ts'

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '30' } } })
const rounds = Number(values.rounds)

async function sendWait(from: ParleyNode, to: string, text: string): Promise<number> {
  const start = performance.now()
  const r = await from.messenger.send(
    to,
    { text },
    { wait: true, timeoutMs: 60_000, signal: AbortSignal.timeout(90_000) }
  )
  if (r.status !== 'delivered') throw new Error(`not delivered: ${r.status}`)
  return performance.now() - start
}

async function samples(from: ParleyNode, to: string, label: string): Promise<Summary> {
  const out: number[] = []
  for (let i = 0; i < rounds; i++) out.push(await sendWait(from, to, `${label} ${i}`))
  return summarize(out)
}

const net = new CommunityNet()
try {
  const { node: community } = await net.start({ community: true })
  // the community is the DHT's bootstrap, as a joined community is for a daemon
  const bootstrap = community.addresses()
  const { node: alice } = await net.start({ bootstrap, memberMailboxes: true })
  const { node: bob } = await net.start({ bootstrap, memberMailboxes: true })
  await admit(community, alice)
  await admit(community, bob)
  const aliceId = alice.peerId.toString()
  const bobId = bob.peerId.toString()
  await bob.messenger.addContact(await alice.messenger.invite(), { signal: AbortSignal.timeout(60_000) })
  await sendWait(bob, aliceId, 'hello')
  await eventually(
    () => alice.mailboxes.status()[0]?.contactQueues === 1 && bob.mailboxes.status()[0]?.contactQueues === 1,
    60_000
  ).catch(err => {
    const a = (alice as unknown as { store: any }).store
    const b = (bob as unknown as { store: any }).store
    throw new Error(
      `${err.message}: ${JSON.stringify([alice.mailboxes.status(), bob.mailboxes.status()])} alice holds ${a.mailboxes.contactQueues(bobId).length} of bob's; bob's outbox to alice: ${JSON.stringify(b.outbox.forPeer(aliceId).map((e: any) => [e.kind, e.envelope.length, e.attempts, e.lastError]))}; alice's contacts: ${JSON.stringify(a.contacts.list().map((c: any) => [c.peerId.slice(-6), c.state]))}`
    )
  })
  console.error('# contacts, queues exchanged')
  // warm-up of both paths
  await sendWait(alice, bobId, 'warm-up')
  const direct = await samples(alice, bobId, 'direct')
  console.error('# direct path measured')
  await bob.libp2p.unhandle(DM_PROTOCOL)
  await sendWait(alice, bobId, 'warm-up through the mailbox').catch(err => {
    throw new Error(`${err.message}: ${JSON.stringify([alice.mailboxes.status(), bob.mailboxes.status()])}`)
  })
  const mailbox = await samples(alice, bobId, 'mailbox')
  const row = (name: string, s: Summary): string =>
    `${name.padEnd(8)} n=${s.n} p50=${s.p50.toFixed(1)} ms p99=${s.p99.toFixed(1)} ms`
  console.log(row('direct', direct))
  console.log(row('mailbox', mailbox))
  console.log(`mailbox / direct p50: ${(mailbox.p50 / direct.p50).toFixed(2)}×`)
  console.log(JSON.stringify({ rounds, direct, mailbox, ratioP50: mailbox.p50 / direct.p50 }))
} finally {
  await net.close()
}
