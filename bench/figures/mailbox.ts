/**
 * Figure 10: a community node's mailboxes (issue 12).
 *
 * - Deposits per second one community node accepts on one core: a real community ParleyNode (its
 *   SQLite store, synchronous = FULL, every deposit durable before OK) and depositors over
 *   throwaway libp2p identities, all in this process (one JavaScript thread: the figure is a lower
 *   bound of the node's own rate). Baselines of the same run: one durable SQLite commit per
 *   deposit (the rate without group commit), and a libp2p echo of the same size on fresh streams
 *   with the same concurrency (the transport's floor for one request/answer per stream).
 * - The same with a fresh identity per deposit (the real `deposit()` of one blob: dial, Noise, Yamux).
 * - Envelopes stored per GiB of disk: N padded blobs of each bucket size inserted through the store,
 *   the SQLite file's growth measured; baseline the blobs' own bytes (2^30 / bucket).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import type { Connection, Libp2p } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { lpStream } from '@libp2p/utils'
import { createLibp2p } from 'libp2p'
import { ensureHome } from '../../node/daemon/home.ts'
import { generateIdentityKeys, identityFromKeys } from '../../node/identity/index.ts'
import { createQueue, deposit, MAILBOX_PROTOCOL } from '../../node/mailbox/index.ts'
import { MailboxRequest, MailboxResponse } from '../../node/mailbox/pb/mailbox.js'
import { createThrowawayNode } from '../../node/mailbox/throwaway-node.ts'
import { mailboxStream } from '../../node/mailbox/wire.ts'
import { ParleyNode } from '../../node/parley-node.ts'
import { openStore } from '../../node/store/index.ts'
import { measureCommits } from '../durable.ts'
import type { Figure, Measurement } from '../report.ts'
import { now, round } from '../stats.ts'

const BLOB = 1024
/** Depositor connections, and requests in flight on each. */
const CONNECTIONS = 4
const WINDOW = 8
const BUCKETS = [1024, 4096, 16384, 65536]
const GIB = 2 ** 30

async function startNode(dir: string, name: string, community: boolean): Promise<ParleyNode> {
  return await ParleyNode.start({
    paths: ensureHome(join(dir, name)),
    identity: await identityFromKeys(await generateIdentityKeys(), true),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    bootstrap: [],
    mdns: false,
    community,
    // the figure measures the node's work, not its flood guard
    mailbox: {
      depositRate: 1_000_000,
      depositBurst: 1_000_000,
      queueMaxDeposits: 1_000_000,
      memberMaxDeposits: 1_000_000,
      queueMaxBytes: 2 ** 40,
      memberMaxBytes: 2 ** 40
    },
    notify: () => {},
    onStopRequested: () => {}
  })
}

/** Runs `total` requests over `connections`, WINDOW at a time each; requests per second. */
async function rate(
  connections: Connection[],
  total: number,
  one: (c: Connection, i: number) => Promise<void>
): Promise<number> {
  let next = 0
  const t = now()
  await Promise.all(
    connections.flatMap(c =>
      Array.from({ length: WINDOW }, async () => {
        while (next < total) await one(c, next++)
      })
    )
  )
  return (total * 1000) / (now() - t)
}

async function depositRate(total: number): Promise<{ perSecond: number; freshPerSecond: number; freshTotal: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-mailbox-'))
  const community = await startNode(dir, 'community', true)
  const member = await startNode(dir, 'member', false)
  const depositors: Libp2p[] = []
  try {
    await member.community.join(community.community.invite({ uses: 1, ttlMs: 3_600_000 }))
    const home = {
      community: community.peerId.toString(),
      addresses: community.libp2p.getMultiaddrs().map(a => a.decapsulateCode(421).toString())
    }
    const queue = await createQueue(member.libp2p, home)
    const connections: Connection[] = []
    for (let i = 0; i < CONNECTIONS; i++) {
      const node = await createThrowawayNode()
      depositors.push(node)
      connections.push(await node.dial(community.libp2p.getMultiaddrs()))
    }
    const blob = (i: number): Uint8Array<ArrayBuffer> => {
      const b = new Uint8Array(BLOB)
      new DataView(b.buffer).setUint32(0, i)
      return b
    }
    const one = async (c: Connection, i: number): Promise<void> => {
      const stream = await c.newStream(MAILBOX_PROTOCOL)
      const pb = mailboxStream(stream)
      await pb.write(
        {
          deposit: {
            queueId: queue.queueId as Uint8Array<ArrayBuffer>,
            credential: queue.credential as Uint8Array<ArrayBuffer>,
            blob: blob(i),
            powNonce: 0
          }
        },
        MailboxRequest
      )
      const { status } = await pb.read(MailboxResponse)
      if (status !== 'OK') throw new Error(`deposit ${i} answered ${status}`)
      await stream.close()
    }
    await rate(connections, Math.min(200, total), (c, i) => one(c, 10_000_000 + i)) // warm-up
    const perSecond = await rate(connections, total, one)
    // the real client call: a new identity, dial and handshake for each blob
    const freshTotal = Math.max(20, Math.floor(total / 20))
    let next = 0
    const t = now()
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < freshTotal) await deposit({ ...home, ...queue }, [blob(20_000_000 + next++)])
      })
    )
    const freshPerSecond = (freshTotal * 1000) / (now() - t)
    return { perSecond, freshPerSecond, freshTotal }
  } finally {
    await Promise.all(depositors.map(d => d.stop()))
    await member.stop()
    await community.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

/** A libp2p echo of BLOB + 40 bytes (a deposit request's size) on fresh streams, with the same concurrency. */
async function echoRate(total: number): Promise<number> {
  const make = (listen: string[]): Promise<Libp2p> =>
    createLibp2p({
      addresses: { listen },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()]
    })
  const server = await make(['/ip4/127.0.0.1/tcp/0'])
  const clients: Libp2p[] = []
  try {
    await server.handle(
      '/parley-bench/mailbox-echo/1.0.0',
      async stream => {
        const lp = lpStream(stream)
        await lp.write(await lp.read())
        await stream.close()
      },
      { maxInboundStreams: 1024 }
    )
    const connections: Connection[] = []
    for (let i = 0; i < CONNECTIONS; i++) {
      const c = await make([])
      clients.push(c)
      connections.push(await c.dial(server.getMultiaddrs()))
    }
    const payload = new Uint8Array(BLOB + 40)
    const one = async (c: Connection): Promise<void> => {
      const stream = await c.newStream('/parley-bench/mailbox-echo/1.0.0')
      const lp = lpStream(stream)
      await lp.write(payload)
      await lp.read()
      await stream.close()
    }
    await rate(connections, Math.min(200, total), one)
    return await rate(connections, total, one)
  } finally {
    await Promise.all(clients.map(c => c.stop()))
    await server.stop()
  }
}

/** Envelopes per GiB for each bucket: the store file's growth for `bytesPerBucket` of blobs. */
async function perGiB(
  bytesPerBucket: number
): Promise<Array<{ bucket: number; count: number; perGiB: number; overhead: number }>> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-disk-'))
  try {
    const out = []
    for (const bucket of BUCKETS) {
      const path = join(dir, `${bucket}.db`)
      const store = openStore(path)
      store.transaction(() =>
        store.mailbox.createQueue({
          queueId: new Uint8Array(16),
          owner: 'bench',
          public: false,
          credentialHash: new Uint8Array(32),
          createdAt: 0
        })
      )
      store.close()
      const empty = statSync(path).size
      const again = openStore(path)
      const count = Math.floor(bytesPerBucket / bucket)
      const blob = crypto.getRandomValues(new Uint8Array(bucket))
      const id = new Uint8Array(16)
      const view = new DataView(id.buffer)
      for (let i = 0; i < count; i += 500) {
        again.transaction(() => {
          for (let j = i; j < Math.min(count, i + 500); j++) {
            view.setUint32(0, j)
            again.mailbox.addDeposit({ depositId: id, queueId: new Uint8Array(16), storedAt: Date.now(), blob })
          }
        })
      }
      again.close() // checkpoints the WAL into the file
      const grown = statSync(path).size - empty
      out.push({ bucket, count, perGiB: count / (grown / GIB), overhead: grown / (count * bucket) })
    }
    return out
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export async function mailboxFigure(options: { quick: boolean }): Promise<Figure> {
  const started = now()
  const total = options.quick ? 300 : 3000
  const commits = measureCommits({ ms: options.quick ? 500 : 2000, rowBytes: BLOB })
  const echo = await echoRate(total)
  const deposits = await depositRate(total)
  const disk = await perGiB(options.quick ? 4 * 2 ** 20 : 64 * 2 ** 20)
  const measurements: Measurement[] = [
    {
      id: 'mailbox-deposits-per-second',
      label: `deposits of ${BLOB} B accepted, durable (${CONNECTIONS}×${WINDOW} in flight)`,
      value: round(deposits.perSecond),
      unit: '/s',
      baseline: {
        label: 'durable SQLite commits, one after another',
        value: round(commits.commitsPerSecond),
        unit: '/s'
      },
      ratio: deposits.perSecond / commits.commitsPerSecond
    },
    {
      id: 'mailbox-deposits-vs-echo',
      label: 'the same deposits against a libp2p echo of their size',
      value: round(deposits.perSecond),
      unit: '/s',
      baseline: {
        label: `libp2p echo ${BLOB + 40} B, new stream each, same concurrency`,
        value: round(echo),
        unit: '/s'
      },
      ratio: deposits.perSecond / echo
    },
    {
      id: 'mailbox-fresh-identity-deposits-per-second',
      label: 'deposit() of one blob from a fresh identity each (dial + Noise + Yamux)',
      value: round(deposits.freshPerSecond),
      unit: '/s',
      baseline: { label: 'deposits over open connections (above)', value: round(deposits.perSecond), unit: '/s' },
      ratio: deposits.freshPerSecond / deposits.perSecond
    },
    ...disk.map(d => ({
      id: `mailbox-envelopes-per-gib-${d.bucket}`,
      label: `envelopes stored per GiB of disk, ${d.bucket} B bucket`,
      value: Math.round(d.perGiB),
      unit: '/GiB',
      baseline: { label: 'the blobs alone (2^30 / bucket)', value: GIB / d.bucket, unit: '/GiB' },
      ratio: d.perGiB / (GIB / d.bucket)
    }))
  ]
  return {
    figure: 10,
    id: 'mailbox',
    title: 'Mailboxes: deposits per second, envelopes per GiB',
    status: 'measured',
    measurements,
    details: { commits, echoPerSecond: echo, deposits, disk },
    durationMs: Math.round(now() - started),
    notes: [
      'figure 10: the community node and its depositors share one thread (a lower bound of the node alone); deposits arriving together share one durable commit',
      'figure 10: per GiB = blobs / SQLite file growth (WAL checkpointed), ratio to the blobs alone'
    ]
  }
}
