import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import type { TestContext } from 'node:test'
import { loadOrCreateIdentity } from '../../node/identity/index.ts'
import { eventually } from '../helpers/cli.ts'
import { invite, joinCommunity, startCommunity, startMember, status } from './community.ts'
import type { LabDaemon } from './lab-daemon.ts'
import { labTest, report } from './lab-test.ts'
import { contactQueues, history } from './mailbox-checks.ts'

/**
 * Issue 12's mailbox scenarios behind real NATs: a community node on the public segment holds
 * Bob's mailbox; Bob (a1) and Alice (a2) live behind the home-1 NAT. Alice is not a member of the
 * community: everything the community node learns of her comes from the mailbox path alone, which
 * the privacy check reads in its SQLite files and its log.
 */

/** Alice adds Bob by his invite link and greets him directly; Bob's queue address reaches Alice. */
async function contacts(alice: LabDaemon, bob: LabDaemon): Promise<void> {
  const link = (await bob.cli(['invite'])).json?.link as string
  assert.ok(link?.startsWith('parley://invite?'), 'an invite link')
  const added = await alice.cli(['contact', 'add', link])
  assert.equal(added.code, 0, `contact add: ${added.stderr}`)
  const hello = await alice.cli(['send', bob.peerId, 'hello', '--wait', '--timeout', '60'], { timeoutMs: 90_000 })
  assert.equal(hello.json?.status, 'delivered', `hello delivered directly: ${hello.stderr}`)
  await eventually(() => contactQueues(alice, bob.peerId) === 1, 60_000)
}

/** Every file of a home that SQLite writes (databases, their WAL and shared memory). */
function sqliteFiles(home: string): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name)
      if (e.isDirectory()) walk(path)
      else if (/\.(db|sqlite)(-wal|-shm|-journal)?$/.test(e.name)) out.push(path)
    }
  }
  walk(home)
  return out
}

/** The ways a key or id can be written: raw bytes, hex, base64, base64url, and for a peer id its base58 string. */
function encodings(name: string, bytes: Uint8Array, text?: string): Array<{ what: string; bytes: Buffer }> {
  const b = Buffer.from(bytes)
  return [
    { what: `${name} (raw bytes)`, bytes: b },
    { what: `${name} (hex)`, bytes: Buffer.from(b.toString('hex')) },
    { what: `${name} (HEX)`, bytes: Buffer.from(b.toString('hex').toUpperCase()) },
    { what: `${name} (base64)`, bytes: Buffer.from(b.toString('base64').replace(/=+$/, '')) },
    { what: `${name} (base64url)`, bytes: Buffer.from(b.toString('base64url')) },
    ...(text !== undefined ? [{ what: `${name} (string)`, bytes: Buffer.from(text) }] : [])
  ]
}

async function privacy(t: TestContext, comm: LabDaemon, alice: LabDaemon, logFile: string): Promise<void> {
  const id = await loadOrCreateIdentity(join(alice.home, 'identity.key'))
  const needles = [
    ...encodings("alice's peer id", id.peerId.toMultihash().bytes, id.peerId.toString()),
    ...encodings("alice's Ed25519 public key", id.peerId.publicKey!.raw),
    ...encodings("alice's X25519 key", id.dhKeyPair.publicKey)
  ]
  // the end of the peer id, as the loggers name a node (parley:…:<last 8>), and its CIDv1 form
  needles.push({ what: "alice's peer id (log suffix)", bytes: Buffer.from(id.peerId.toString().slice(-8)) })
  needles.push({ what: "alice's peer id (CID)", bytes: Buffer.from(id.peerId.toCID().toString()) })
  // the libp2p datastore is searched by entry: the DHT's records and the peer store name whoever
  // used this node as a DHT server (alice resolves bob's profile through it), which is the DHT's
  // doing, not the mailbox's (docs/SECURITY.md "Mailboxes"); every other entry must be clean
  const datastore = join(comm.home, 'datastore.db')
  const db = new DatabaseSync(datastore, { readOnly: true })
  const dhtOnly: string[] = []
  const found: string[] = []
  try {
    for (const row of db.prepare('SELECT key, value FROM kv').all() as Array<{ key: string; value: Uint8Array }>) {
      const entry = Buffer.concat([Buffer.from(row.key), Buffer.from(row.value)])
      for (const n of needles) {
        if (!entry.includes(n.bytes)) continue
        if (/^\/(dht\/record|peers)\//.test(row.key)) dhtOnly.push(`${n.what} in ${row.key.slice(0, 24)}…`)
        else found.push(`${n.what} in the datastore entry ${row.key}`)
      }
    }
  } finally {
    db.close()
  }
  const files = [...sqliteFiles(comm.home).filter(f => !f.startsWith(datastore)), logFile]
  assert.ok(
    files.some(f => f.endsWith('parley.db')),
    `the community's store is among ${files}`
  )
  for (const file of files) {
    const content = readFileSync(file)
    for (const n of needles) if (content.includes(n.bytes)) found.push(`${n.what} in ${file}`)
  }
  report(
    t,
    `privacy: searched ${files.length} files (${files.map(f => f.slice(comm.home.length)).join(', ')}) and every datastore entry for ${needles.length} encodings`
  )
  report(
    t,
    `privacy: the DHT's own entries that name alice (she used the node as a DHT server): ${dhtOnly.join('; ') || 'none'}`
  )
  assert.deepEqual(found, [], 'the community node holds nothing that names the sender')
}

labTest(
  'mailboxes: offline delivery through a community node, exactly once and in order; the node learns nothing of the sender',
  { timeout: 900_000 },
  async (lab, t) => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'parley-lab-log-')), 'community.log')
    const comm = await startCommunity(lab, { env: { DEBUG: 'parley:*' } })
    let bob = await startMember(lab, 'a1')
    await joinCommunity(bob, await invite(comm), comm)
    // alice is no member: she knows the community only from bob's queue address
    let alice = await startMember(lab, 'a2', { bootstrap: [] })
    await contacts(alice, bob)
    const s = await status(bob)
    const mailboxes = (s as unknown as { mailboxes: Array<{ community: string; queues: number }> }).mailboxes
    assert.equal(mailboxes[0]?.community, comm.peerId, `bob's status lists his mailbox: ${JSON.stringify(s)}`)
    assert.ok(mailboxes[0]!.queues >= 1)

    await bob.stop()
    const sent: string[] = []
    for (let i = 0; i < 20; i++) {
      const text = `offline ${String(i).padStart(2, '0')}`
      sent.push(text)
      const r = await alice.cli(['send', bob.peerId, text])
      assert.equal(r.code, 0, `send: ${r.stderr}`)
      assert.equal(r.json?.status, 'queued')
    }
    const storing = performance.now()
    await eventually(async () => {
      const out = (await history(alice, bob.peerId)).filter(m => m.direction === 'out' && m.text.startsWith('offline'))
      return out.length === 20 && out.every(m => m.status === 'stored')
    }, 120_000)
    report(t, `all 20 stored in bob's mailbox ${Math.round(performance.now() - storing)} ms after the last send`)
    await alice.stop()

    const began = performance.now()
    bob = await bob.restart()
    const got = await eventually(async () => {
      const h = await history(bob, alice.peerId)
      return h.filter(m => m.direction === 'in').length === 21 ? h : undefined
    }, 120_000)
    report(
      t,
      `bob had all 20 from his mailbox ${Math.round(performance.now() - began)} ms after his daemon started again`
    )
    assert.deepEqual(
      got.map(m => m.text),
      ['hello', ...sent],
      'all 20, in order, once each'
    )
    // deposits go once bob has them stored
    await eventually(async () => {
      const st = (await status(bob)) as unknown as { mailboxes: Array<{ waiting?: number }> }
      return st.mailboxes[0]?.waiting === 0
    }, 60_000)

    alice = await alice.restart()
    const delivering = performance.now()
    await eventually(async () => {
      const out = (await history(alice, bob.peerId)).filter(m => m.direction === 'out')
      return out.length === 21 && out.every(m => m.status === 'delivered')
    }, 180_000)
    report(
      t,
      `alice saw all 20 delivered ${Math.round(performance.now() - delivering)} ms after her daemon started again`
    )
    assert.deepEqual(
      (await history(bob, alice.peerId)).map(m => m.text),
      ['hello', ...sent],
      'nothing twice after the direct redelivery'
    )

    await comm.stop()
    writeFileSync(logFile, comm.stderr())
    await privacy(t, comm, alice, logFile)
  }
)
