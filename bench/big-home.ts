/**
 * A big home for figure 10: a real daemon home (identity created by `parley daemon` itself) whose
 * database holds `contacts` contacts and `messages` messages, written through the real store code
 * (`contacts.put`, `messages.insert`) in transactions of BATCH messages, not by copying files.
 *
 * One conversation (the first contact) holds BIG_CONVERSATION_SHARE of the messages, what the
 * webview figure opens; the rest are spread evenly. The last few incoming messages of every
 * conversation are unread, as after a holiday.
 *
 * Generating a million messages takes minutes, so the home is cached in the temp directory under
 * a key made of this file's content and the sizes: a changed generator makes a new home, a rerun
 * reuses it (daemons started on it change only their own small tables).
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { homePaths } from '../node/daemon/home.ts'
import { openStore } from '../node/store/index.ts'
import { startParleyDaemon } from './processes.ts'
import { now } from './stats.ts'

/** Messages per transaction: one fsync per batch, and no transaction holds gigabytes of journal. */
const BATCH = 10_000
/** Share of all messages in the first conversation (100,000 of 1,000,000). */
export const BIG_CONVERSATION_SHARE = 0.1
/** Incoming messages left unread at the end of each conversation. */
const UNREAD_PER_CONVERSATION = 3
/** One message every 30 s of a year-long history. */
const START_AT = 1_700_000_000_000
const STEP_MS = 30_000

export interface BigHome {
  home: string
  /** peer ids of the contacts; [0] holds the big conversation */
  contacts: string[]
  messages: number
  /** messages in the big conversation */
  bigConversation: number
  /** ms spent generating (0 when the cached home was reused) */
  generatedMs: number
  cached: boolean
}

function words(i: number): string {
  const vocabulary = [
    'the',
    'deploy',
    'build',
    'review',
    'merge',
    'test',
    'branch',
    'release',
    'fix',
    'ship',
    'looks',
    'good'
  ]
  const out: string[] = []
  for (let w = 0; w < 6 + (i % 10); w++) out.push(vocabulary[(i * 7 + w * 3) % vocabulary.length]!)
  return `${out.join(' ')} #${i}`
}

/** Contact `i`'s peer id: an Ed25519 key from a fixed seed, so every run names the same contacts. */
async function contactPeerId(i: number): Promise<string> {
  const seed = createHash('sha256').update(`parley-bench-big-home-contact-${i}`).digest()
  return peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', seed)).toString()
}

/** The cached big home, generated first if absent. */
export async function bigHome(options: {
  contacts: number
  messages: number
  progress?: (line: string) => void
}): Promise<BigHome> {
  const say = options.progress ?? (() => {})
  const generator = readFileSync(fileURLToPath(import.meta.url))
  const key = createHash('sha256')
    .update(generator)
    .update(`${options.contacts}/${options.messages}`)
    .digest('hex')
    .slice(0, 12)
  const home = join(tmpdir(), `parley-bench-big-home-${key}`)
  const done = join(home, 'generated.json')
  const bigConversation = Math.round(options.messages * BIG_CONVERSATION_SHARE)
  if (existsSync(done)) {
    const meta = JSON.parse(readFileSync(done, 'utf8')) as { contacts: string[] }
    return { home, contacts: meta.contacts, messages: options.messages, bigConversation, generatedMs: 0, cached: true }
  }
  rmSync(home, { recursive: true, force: true })
  const started = now()
  // the daemon creates the identity and the schema, as for a user
  await (await startParleyDaemon(home)).stop()
  const contacts: string[] = []
  for (let i = 0; i < options.contacts; i++) contacts.push(await contactPeerId(i))
  const store = openStore(homePaths(home).database)
  try {
    store.transaction(() => {
      contacts.forEach((peerId, i) => {
        store.contacts.put({
          peerId,
          name: `teammate-${i}`,
          state: 'contact',
          verified: false,
          keyChanged: false,
          addresses: [],
          createdAt: START_AT,
          updatedAt: START_AT
        })
      })
    })
    const rest = options.messages - bigConversation
    const perOther = Math.max(1, Math.ceil(rest / Math.max(1, contacts.length - 1)))
    const sizes = contacts.map((_, c) =>
      c === 0 ? bigConversation : Math.min(perOther, Math.max(0, rest - (c - 1) * perOther))
    )
    const seqs = new Array<number>(contacts.length).fill(0)
    // conversations take turns (a full one is skipped), so every conversation spans the year and
    // the big one's last messages are the newest
    let written = 0
    let conversation = 0
    while (written < options.messages) {
      store.transaction(
        () => {
          for (let n = 0; n < BATCH && written < options.messages; n++) {
            while (seqs[conversation]! >= sizes[conversation]!) conversation = (conversation + 1) % contacts.length
            const k = seqs[conversation]!
            seqs[conversation] = k + 1
            const incoming = k % 2 === 0
            const unread = incoming && k >= sizes[conversation]! - UNREAD_PER_CONVERSATION * 2
            const at = START_AT + written * STEP_MS
            store.messages.insert({
              id: createHash('sha256').update(`${conversation}/${k}`).digest('hex').slice(0, 32),
              peerId: contacts[conversation]!,
              direction: incoming ? 'in' : 'out',
              text: words(written),
              sentAt: at,
              storedAt: at,
              seq: Math.floor(k / 2) + 1,
              prevHash: new Uint8Array(32),
              status: incoming ? 'received' : 'read',
              deliveredAt: incoming ? undefined : at + 1_000,
              unread,
              outOfOrder: false
            })
            written++
            conversation = (conversation + 1) % contacts.length
          }
        },
        { durable: false }
      )
      if (written % 100_000 === 0 || written === options.messages) {
        say(`big home: ${written.toLocaleString('en')} messages written in ${Math.round((now() - started) / 1000)} s`)
      }
    }
  } finally {
    store.close()
  }
  writeFileSync(done, JSON.stringify({ contacts }))
  return {
    home,
    contacts,
    messages: options.messages,
    bigConversation,
    generatedMs: Math.round(now() - started),
    cached: false
  }
}
