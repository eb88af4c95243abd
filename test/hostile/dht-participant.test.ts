/**
 * A hostile DHT participant: a network of honest Parley nodes on 127.0.0.1 (real libp2p, kad-dht on
 * /parley/kad/1.0.0 with Parley's validators, the storing rule as a datastore guard, NameRegistry)
 * and several attacker nodes that join it as DHT servers without the storing rule. The attackers
 * claim a taken name with every trick the claimant controls (docs/PROTOCOL.md §2: a higher or the
 * highest sequence, an earlier or zero claim time, the longest expiry, a name that only normalizes to
 * the taken one), push the owner's own stale claim, forge the owner's profile, and flood the storing
 * peers with junk records. No honest storing peer accepts any of it, and no honest resolver — nor a
 * fresh node that joins afterwards with no pin — ever answers with an attacker's key.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Ed25519PrivateKey } from '@libp2p/interface'
import { Record as DhtRecord } from '@libp2p/kad-dht'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { Key } from 'interface-datastore'
import { toString as uint8ArrayToString } from 'uint8arrays/to-string'
import { SignatureDomain, signWithDomain } from '../../node/crypto/signing.ts'
import { generateX25519KeyPair } from '../../node/crypto/primitives.ts'
import { signPrekey } from '../../node/crypto/x3dh.ts'
import { MAX_RECORD_LIFETIME_MS, RECORD_LIFETIME_MS } from '../../node/names/constants.ts'
import { NameClaimBody, NameClaimRecord } from '../../node/names/pb/records.js'
import { createNameClaim, createProfileRecord, nameKey, profileKey } from '../../node/names/records.ts'
import type { Resolution } from '../../node/names/registry.ts'
import { createParleyLibp2p, type ParleyLibp2p } from '../../node/p2p/index.ts'
import { budget, HeapWatch, watchUnhandled } from '../fuzz/harness.ts'
import { createNetwork, createTestNode, stopNetwork, TestClock, type TestNode, waitFor } from '../names/helpers.ts'

const HONEST = budget(8, 30)
const ATTACKERS = budget(1, 8)
const JUNK = budget(60, 3000)
const NAME = 'alice'
/** Namespaces no validator is for, among them the names of Object.prototype's members. */
const FOREIGN_NAMESPACES = ['other-namespace', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__']

/** The record a node stores under a DHT key, if any. */
function stored(node: TestNode, key: Uint8Array): Uint8Array | undefined {
  try {
    const raw = node.datastore.get(new Key(`/dht/record/${uint8ArrayToString(key, 'base32')}`, false))
    return DhtRecord.deserialize(raw).value
  } catch {
    return undefined
  }
}

describe(`hostile DHT participants among ${HONEST} honest nodes`, { timeout: LONG_TIMEOUT() }, () => {
  const clock = new TestClock()
  let nodes: TestNode[] = []
  let owner: TestNode
  const attackers: Array<{ key: Ed25519PrivateKey; libp2p: ParleyLibp2p }> = []
  let staleClaim: Uint8Array
  const unhandled = watchUnhandled()
  let heap: HeapWatch

  /** Puts a value from an attacker to the closest peers; returns how many honest peers accepted it. */
  async function put(attacker: ParleyLibp2p, key: Uint8Array, value: Uint8Array, timeoutMs = 30_000): Promise<number> {
    const honest = new Set(nodes.map(n => n.libp2p.peerId.toString()))
    let accepted = 0
    try {
      for await (const event of attacker.services.dht.put(key, value, { signal: AbortSignal.timeout(timeoutMs) })) {
        if (event.name === 'PEER_RESPONSE' && event.messageName === 'PUT_VALUE' && honest.has(event.from.toString())) {
          accepted++
        }
      }
    } catch {
      // kad-dht gives up when every peer refused: that is the point
    }
    return accepted
  }

  /** Lookups retried after a LookupFailedError (reported at the end). */
  let retried = 0
  /**
   * Resolves the name from each node, five at a time (one process carries every node: thirty
   * lookups at once would be a load no real node sees). A lookup the DHT could not answer
   * (LookupFailedError: most peers asked timed out) is retried; it never counts as an answer.
   */
  async function resolveFrom(resolvers: TestNode[], check: (r: Resolution, node: TestNode) => void): Promise<void> {
    const one = async (node: TestNode): Promise<void> => {
      for (let attempt = 1; ; attempt++) {
        try {
          check(await node.registry.resolve(NAME), node)
          return
        } catch (err) {
          if ((err as Error).name !== 'LookupFailedError' || attempt === 5) throw err
          retried++
        }
      }
    }
    for (let i = 0; i < resolvers.length; i += 5) await Promise.all(resolvers.slice(i, i + 5).map(one))
  }

  /** Every honest node resolves the name to the owner (claim and profile). */
  async function assertResolvesToOwner(resolvers: TestNode[] = nodes): Promise<void> {
    await resolveFrom(resolvers, (r, node) => {
      assert.equal(
        r.claim.peerId.toString(),
        owner.libp2p.peerId.toString(),
        `node ${nodes.indexOf(node)} resolved wrongly`
      )
      assert.ok(r.profile?.peerId.equals(owner.libp2p.peerId), 'the profile is the owner’s')
      for (const a of attackers) assert.ok(!r.claim.peerId.equals(peerIdFromPrivateKey(a.key)))
    })
  }

  before(async () => {
    nodes = await createNetwork(HONEST, clock)
    owner = nodes[1] as TestNode
    await owner.registry.register(NAME, {})
    // the owner's first claim, captured as any peer can: it becomes stale once the owner renews
    staleClaim = (await nodes[5]?.registry.resolve(NAME))?.selection.winner.value as Uint8Array
    clock.advance(60_000)
    await owner.registry.register(NAME, {})
    const bootstrap = nodes.slice(0, 4).map(n => n.libp2p.getMultiaddrs()[0]?.toString() as string)
    for (let i = 0; i < ATTACKERS; i++) {
      const key = (await generateKeyPair('Ed25519')) as Ed25519PrivateKey
      // no datastore given: no storing rule at home, so an attacker stores and serves its own claims
      const libp2p = await createParleyLibp2p({
        privateKey: key,
        listen: ['/ip4/127.0.0.1/tcp/0'],
        mdns: false,
        now: clock.now,
        bootstrap
      })
      attackers.push({ key, libp2p })
    }
    for (const { libp2p } of attackers) {
      await waitFor(() => libp2p.getConnections().length >= 2)
      for (const n of nodes) await libp2p.dial(n.libp2p.getMultiaddrs()[0] as never).catch(() => {})
      await libp2p.services.dht.refreshRoutingTable()
    }
    heap = await HeapWatch.start()
  })

  after(async () => {
    await Promise.all(attackers.map(a => a.libp2p.stop()))
    await stopNetwork(nodes)
    unhandled.dispose()
  })

  it('claims for the taken name with every trick are refused by every honest storing peer', async t => {
    const real = await nodes[0]?.registry.resolve(NAME)
    assert.ok(real !== undefined)
    const tricks: Array<[string, (key: Ed25519PrivateKey) => Promise<Uint8Array>]> = [
      ['a higher sequence', k => claim(k, { sequence: real.claim.sequence + 1n })],
      ['the highest sequence (2^64-1)', k => claim(k, { sequence: (1n << 64n) - 1n })],
      ['the same sequence', k => claim(k, { sequence: real.claim.sequence })],
      ['an earlier claim time', k => claim(k, { claimedAt: real.claim.claimedAt - 365 * 86_400_000 })],
      ['claim time zero', k => claim(k, { claimedAt: 0 })],
      ['the longest expiry allowed', k => claim(k, { expiresAt: clock.now() + MAX_RECORD_LIFETIME_MS })],
      [
        'all of them at once',
        k => claim(k, { sequence: (1n << 64n) - 1n, claimedAt: 0, expiresAt: clock.now() + MAX_RECORD_LIFETIME_MS })
      ],
      ['"ALICE" (normalizes to the taken name)', k => claim(k, { name: 'ALICE' })],
      ['a raw un-normalized name under the taken key', k => rawClaim(k, 'Alice')]
    ]
    function claim(
      key: Ed25519PrivateKey,
      fields: { name?: string; sequence?: bigint; claimedAt?: number; expiresAt?: number }
    ): Promise<Uint8Array> {
      return createNameClaim(key, {
        name: fields.name ?? NAME,
        claimedAt: fields.claimedAt ?? clock.now(),
        sequence: fields.sequence ?? 1n,
        expiresAt: fields.expiresAt ?? clock.now() + RECORD_LIFETIME_MS
      })
    }
    async function rawClaim(key: Ed25519PrivateKey, name: string): Promise<Uint8Array> {
      const body = NameClaimBody.encode({
        name,
        peerId: key.publicKey.toMultihash().bytes as Uint8Array<ArrayBuffer>,
        claimedAt: BigInt(clock.now()),
        sequence: 1n,
        expiresAt: BigInt(clock.now() + RECORD_LIFETIME_MS)
      })
      const signature = await signWithDomain(key, SignatureDomain.NameClaim, body)
      return NameClaimRecord.encode({ body, signature: signature as Uint8Array<ArrayBuffer> })
    }
    await Promise.all(
      tricks.map(async ([trick, make]) => {
        await Promise.all(
          attackers.map(async attacker => {
            const accepted = await put(attacker.libp2p, nameKey(NAME), await make(attacker.key), 10_000)
            assert.equal(accepted, 0, `an honest peer accepted ${trick}`)
          })
        )
        t.diagnostic(`refused everywhere: ${trick}`)
      })
    )
    for (const node of nodes) {
      const value = stored(node, nameKey(NAME))
      if (value !== undefined) {
        const owners = attackers.map(a => a.key.publicKey.toMultihash().bytes)
        const body = NameClaimBody.decode(NameClaimRecord.decode(value).body)
        for (const o of owners) assert.notDeepEqual(body.peerId, o, 'an honest node stores an attacker claim')
      }
    }
    await assertResolvesToOwner()
  })

  it("the owner's stale claim pushed to the storing peers is refused; resolvers see the renewal", async () => {
    const accepted = await Promise.all(attackers.map(a => put(a.libp2p, nameKey(NAME), staleClaim, 10_000)))
    assert.deepEqual(
      accepted,
      attackers.map(() => 0)
    )
    const staleSequence = NameClaimBody.decode(NameClaimRecord.decode(staleClaim).body).sequence
    await resolveFrom(nodes, r =>
      assert.ok(r.claim.sequence > staleSequence, 'a resolver answered with the stale claim')
    )
    await assertResolvesToOwner()
  })

  it("a forged profile under the owner's key is refused; resolvers keep the owner's addresses", async () => {
    const attacker = attackers[0] as (typeof attackers)[number]
    const dh = generateX25519KeyPair()
    const prekey = await signPrekey(attacker.key, { id: 1, publicKey: generateX25519KeyPair().publicKey })
    const profile = await createProfileRecord(attacker.key, {
      dhKey: dh.publicKey,
      prekey,
      addresses: attacker.libp2p.getMultiaddrs(),
      sequence: (1n << 64n) - 1n,
      expiresAt: clock.now() + RECORD_LIFETIME_MS
    })
    assert.equal(await put(attacker.libp2p, profileKey(owner.libp2p.peerId), profile, 10_000), 0)
    await resolveFrom(nodes, r =>
      assert.deepEqual(
        r.profile?.addresses.map(a => a.toString()),
        owner.libp2p.getMultiaddrs().map(a => a.toString())
      )
    )
  })

  it(`a flood of ${JUNK} junk records is stored nowhere and changes nothing`, async () => {
    const encoder = new TextEncoder()
    /** [key, value, whether the key is the taken name's own (where the owner's claim legitimately is)] */
    const junk: Array<[Uint8Array, Uint8Array, boolean]> = []
    for (let i = 0; i < JUNK; i++) {
      const random = crypto.getRandomValues(new Uint8Array(1 + (i % 97)))
      const kind = i % 5
      const key =
        kind === 0
          ? nameKey(`junk${i}`)
          : kind === 1
            ? profileKey(peerIdFromPrivateKey(await generateKeyPair('Ed25519')))
            : kind === 2
              ? encoder.encode(`/parley-name/${uint8ArrayToString(random, 'base64')}`)
              : kind === 3
                ? // namespaces kad-dht looks up as validators[namespace]: Object's prototype must not answer
                  encoder.encode(`/${FOREIGN_NAMESPACES[(i >> 2) % FOREIGN_NAMESPACES.length]}/${i}`)
                : nameKey(NAME)
      const value = i % 7 === 0 ? new Uint8Array(8192).fill(i % 256) : random
      junk.push([key, value, kind === 4])
    }
    const attacker = attackers[attackers.length - 1] as (typeof attackers)[number]
    let accepted = 0
    // 50 puts at a time; a refused put waits for the peers' answers, so each gets a few seconds (whether
    // any honest node stored junk is checked in their datastores below, not by the put's events)
    for (let i = 0; i < junk.length; i += 50) {
      const counts = await Promise.all(junk.slice(i, i + 50).map(([k, v]) => put(attacker.libp2p, k, v, 5000)))
      accepted += counts.reduce((a, b) => a + b, 0)
    }
    assert.equal(accepted, 0, 'an honest peer accepted junk')
    for (const node of nodes) {
      for (const [key, value, taken] of junk) {
        if (taken) assert.notDeepEqual(stored(node, key), value, 'junk replaced the owner’s claim')
        else assert.equal(stored(node, key), undefined, 'an honest node stores junk')
      }
    }
    await assertResolvesToOwner()
  })

  it('a fresh node that joins now, with no pin, resolves the owner too', async () => {
    const fresh = await createTestNode(clock)
    try {
      for (const n of nodes.slice(2, 6)) await fresh.libp2p.dial(n.libp2p.getMultiaddrs()[0] as never)
      await waitFor(() => fresh.registry.routingTableSize() >= 3)
      await fresh.libp2p.services.dht.refreshRoutingTable()
      await assertResolvesToOwner([fresh])
      assert.equal(fresh.pins.get(NAME)?.peerId ?? owner.libp2p.peerId.toString(), owner.libp2p.peerId.toString())
    } finally {
      await stopNetwork([fresh])
    }
  })

  it('memory of the honest nodes is flat and nothing was unhandled', async t => {
    t.diagnostic(`lookups retried after LookupFailedError: ${retried}`)
    await heap.assertFlat(2)
    unhandled.assertNone()
  })
})

function LONG_TIMEOUT(): number {
  return 30 * 60_000
}
