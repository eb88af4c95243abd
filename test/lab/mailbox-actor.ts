/**
 * The mailbox parts of a lab scenario, run inside a namespace (`ip netns exec NS node
 * test/lab/mailbox-actor.ts …`). Prints JSON lines.
 *
 *   owner LINK [delete]                 joins the community with a fresh key, creates a queue, prints
 *                                       {"queue"}, then subscribes (again whenever the subscription
 *                                       ends) and prints {"deposits": n, "blob": first 8 bytes hex}
 *                                       on each deposit (with `delete`: then deletes it); runs until killed
 *   burst QUEUE_JSON N SEED             N blobs (SEED || index) in batches of 10 from throwaway
 *                                       identities, 2 batches at a time, each sent again until the
 *                                       node answers OK: {"acked": [indexes]} per batch, then {"done": true}
 *   deposit QUEUE_JSON N BYTES          N deposits one after another, each from a fresh identity:
 *                                       {"stored","refused","ms"}
 *   flood QUEUE_JSON N CONCURRENCY      N fresh identities, CONCURRENCY at a time, one junk-filled
 *                                       deposit each: {"stored","limited","other"}
 *   slow COMMUNITY_MA NODES STREAMS     NODES throwaway nodes, each opening STREAMS mailbox streams
 *                                       with half a request and then silence: {"cut","open"} once
 *                                       every stream was cut (or after 60 s)
 */
import { randomBytes } from 'node:crypto'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { parseCommunityLink } from '../../node/community/community-link.ts'
import { requestJoin } from '../../node/community/join-client.ts'
import { createQueue, deleteDeposits, deposit, MAILBOX_PROTOCOL, subscribe } from '../../node/mailbox/index.ts'
import { createThrowawayNode } from '../../node/mailbox/throwaway-node.ts'

const print = (o: unknown): void => {
  process.stdout.write(`${JSON.stringify(o)}\n`)
}

interface QueueJson {
  community: string
  addresses: string[]
  queueId: string
  credential: string
}

function queueOf(json: string): {
  community: string
  addresses: string[]
  queueId: Uint8Array
  credential: Uint8Array
} {
  const q = JSON.parse(json) as QueueJson
  return { ...q, queueId: Buffer.from(q.queueId, 'hex'), credential: Buffer.from(q.credential, 'hex') }
}

async function owner(link: string, deleteAfter: boolean): Promise<void> {
  const privateKey = await generateKeyPair('Ed25519')
  const node = await createLibp2p({
    privateKey,
    addresses: { listen: [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()]
  })
  const parsed = parseCommunityLink(link)
  await requestJoin({ libp2p: node, privateKey }, parsed)
  const home = { community: parsed.peerId.toString(), addresses: parsed.addresses.map(a => a.toString()) }
  const queue = await createQueue(node, home)
  print({
    queue: {
      ...home,
      queueId: Buffer.from(queue.queueId).toString('hex'),
      credential: Buffer.from(queue.credential).toString('hex')
    }
  })
  let deposits = 0
  for (;;) {
    await subscribe(
      node,
      home,
      async d => {
        print({ deposits: ++deposits, blob: Buffer.from(d.blob.subarray(0, 8)).toString('hex') })
        if (deleteAfter) await deleteDeposits(node, home, [d.depositId])
      },
      new AbortController().signal
    ).catch(err => print({ error: (err as Error).message }))
    await new Promise(resolve => setTimeout(resolve, 500))
  }
}

async function depositSome(json: string, n: number, bytes: number): Promise<void> {
  const queue = queueOf(json)
  let stored = 0
  const refused: string[] = []
  const t = performance.now()
  for (let i = 0; i < n; i++) {
    try {
      await deposit(queue, [new Uint8Array(randomBytes(bytes))])
      stored++
    } catch (err) {
      refused.push((err as Error).name)
    }
  }
  print({ stored, refused, ms: Math.round(performance.now() - t) })
}

/** Blob `i` of a burst: SEED (4 bytes) || i (4 bytes) || zeros, 1 KiB. */
function burstBlob(seed: number, i: number): Uint8Array {
  const b = new Uint8Array(1024)
  const view = new DataView(b.buffer)
  view.setUint32(0, seed)
  view.setUint32(4, i)
  return b
}

async function burst(json: string, n: number, seed: number): Promise<void> {
  const queue = queueOf(json)
  let next = 0
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      while (next < n) {
        const from = next
        next += 10
        const indexes = Array.from({ length: Math.min(10, n - from) }, (_, k) => from + k)
        // as an outbox does: a batch not acknowledged is sent again, whole, until it is
        for (;;) {
          try {
            await deposit(
              queue,
              indexes.map(i => burstBlob(seed, i))
            )
            print({ acked: indexes })
            break
          } catch (err) {
            print({ retry: indexes[0], error: (err as Error).name })
            await new Promise(resolve => setTimeout(resolve, 250))
          }
        }
      }
    })
  )
  print({ done: true })
}

async function flood(json: string, n: number, concurrency: number): Promise<void> {
  const queue = queueOf(json)
  const counts = { stored: 0, limited: 0, other: 0, errors: [] as string[] }
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) {
        try {
          await deposit(queue, [new Uint8Array(randomBytes(1024))])
          counts.stored++
        } catch (err) {
          if ((err as Error).name === 'MailboxRateLimitedError') counts.limited++
          else {
            counts.other++
            if (counts.errors.length < 5) counts.errors.push(`${(err as Error).name}: ${(err as Error).message}`)
          }
        }
      }
    })
  )
  print(counts)
}

async function slow(address: string, nodes: number, streams: number): Promise<void> {
  const ma = multiaddr(address)
  const peer = peerIdFromString(ma.getComponents().find(c => c.name === 'p2p')!.value!)
  const opened: Stream[] = []
  const throwaways = await Promise.all(Array.from({ length: nodes }, () => createThrowawayNode()))
  for (const node of throwaways) {
    const connection = await node.dial(ma)
    for (let i = 0; i < streams; i++) {
      try {
        const stream = await connection.newStream(MAILBOX_PROTOCOL)
        stream.send(new Uint8Array([0x90, 0x03, 1, 2, 3]))
        opened.push(stream)
      } catch {
        // refused at once: as good as cut
      }
    }
  }
  void peer
  const deadline = performance.now() + 60_000
  while (performance.now() < deadline && opened.some(s => s.status === 'open')) {
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  print({ cut: opened.filter(s => s.status !== 'open').length, open: opened.filter(s => s.status === 'open').length })
  await Promise.all(throwaways.map(n => n.stop()))
}

const [command, ...args] = process.argv.slice(2)
switch (command) {
  case 'owner':
    await owner(args[0]!, args[1] === 'delete')
    break
  case 'burst':
    await burst(args[0]!, Number(args[1]), Number(args[2]))
    break
  case 'deposit':
    await depositSome(args[0]!, Number(args[1]), Number(args[2]))
    break
  case 'flood':
    await flood(args[0]!, Number(args[1]), Number(args[2]))
    break
  case 'slow':
    await slow(args[0]!, Number(args[1]), Number(args[2]))
    break
  default:
    throw new Error(`unknown command ${command}`)
}
process.exit(0)
