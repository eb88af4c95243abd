import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { multiaddr } from '@multiformats/multiaddr'
import type { ParleyNode } from '../../node/parley-node.ts'
import { isRelayedAddress } from '../../node/p2p/relayed.ts'
import { CommunityNet, eventually, tcpPort } from './helpers.ts'

const HOUR = 3_600_000
/** The bound: a member has its reservation back this soon after its community restarts. */
const RECOVERY_BOUND_MS = 30_000

/**
 * The community's relay between real nodes on 127.0.0.1. "Behind a NAT" is a member that listens
 * on no address at all: others can reach it only through its community's relay, so every
 * connection to it is relayed.
 */
describe('community relay', { timeout: 300_000 }, () => {
  const net = new CommunityNet()
  let community: ParleyNode
  let communityHome: string
  let communityIdentity: Awaited<ReturnType<CommunityNet['start']>>['identity']
  let port: number
  /** a member behind a "NAT" (no listen address) */
  let hidden: ParleyNode
  /** a member with a direct address */
  let open: ParleyNode

  const reservedAt = (node: ParleyNode): boolean => node.community.list().some(c => c.reserved)
  const holds = (peer: ParleyNode): boolean => community.libp2p.services.relay?.reservations.has(peer.peerId) === true

  before(async () => {
    const started = await net.start({ community: true })
    community = started.node
    communityHome = started.home
    communityIdentity = started.identity
    port = tcpPort(community)
    const bootstrap = community.addresses()
    hidden = (await net.start({ listen: [], bootstrap })).node
    open = (await net.start({ bootstrap })).node
    const link = community.community.invite({ uses: 2, ttlMs: HOUR })
    await hidden.community.join(link)
    await open.community.join(link)
  })
  after(() => net.close())

  test('a non-member is refused a reservation; a member gets one and a /p2p-circuit address', async () => {
    const stranger = (await net.start({ listen: [] })).node
    const relayAddr = multiaddr(community.addresses()[0]!)
    await assert.rejects(stranger.libp2p.services.relayControl.listenVia(relayAddr))
    assert.equal(holds(stranger), false)
    assert.equal(stranger.status().relayAddresses.length, 0)

    await eventually(() => reservedAt(hidden) && holds(hidden))
    const status = await eventually(() => {
      const s = hidden.status()
      return s.relayAddresses.length > 0 ? s : undefined
    })
    assert.ok(
      status.relayAddresses.every(a => a.startsWith(`${community.addresses()[0]}/p2p-circuit/p2p/${hidden.peerId}`))
    )
    assert.equal(status.reachability, 'private')
    assert.deepEqual(
      status.communities.map(c => [c.peerId, c.connected, c.reserved]),
      [[community.peerId.toString(), true, true]]
    )
  })

  test('a DM to a member behind the relay is delivered over a relayed connection', async () => {
    await eventually(() => reservedAt(hidden))
    const relayAddr = hidden.status().relayAddresses[0]!
    await open.libp2p.dial(multiaddr(relayAddr))
    const sent = await open.messenger.send(
      hidden.peerId.toString(),
      { text: 'through the relay' },
      { wait: true, timeoutMs: 60_000, signal: AbortSignal.timeout(90_000) }
    )
    assert.equal(sent.status, 'delivered')
    const peer = open.peers().peers.find(p => p.peerId === hidden.peerId.toString())
    assert.ok(peer !== undefined)
    assert.equal(peer.relayed, true)
    assert.ok(peer.addresses.every(a => isRelayedAddress(a)))
    // and back: the hidden member answers over the connection it has
    const back = await hidden.messenger.send(
      open.peerId.toString(),
      { text: 'and back' },
      { wait: true, timeoutMs: 60_000, signal: AbortSignal.timeout(90_000) }
    )
    assert.equal(back.status, 'delivered')
  })

  test('after the community node restarts, the member has its reservation back by itself within 30 s, and DMs flow again', async () => {
    await eventually(() => reservedAt(hidden))
    await net.stop(community)
    await eventually(() => !reservedAt(hidden))
    community = (
      await net.start({
        community: true,
        home: communityHome,
        identity: communityIdentity,
        listen: [`/ip4/127.0.0.1/tcp/${port}`]
      })
    ).node
    const restarted = Date.now()
    await eventually(() => reservedAt(hidden) && holds(hidden), RECOVERY_BOUND_MS)
    const tookMs = Date.now() - restarted
    process.stdout.write(`# reservation back ${tookMs} ms after the community node restarted\n`)

    const relayAddr = await eventually(() => hidden.status().relayAddresses[0])
    await open.libp2p.dial(multiaddr(relayAddr), { signal: AbortSignal.timeout(20_000) })
    const sent = await open.messenger.send(
      hidden.peerId.toString(),
      { text: 'after the restart' },
      { wait: true, timeoutMs: 60_000, signal: AbortSignal.timeout(90_000) }
    )
    assert.equal(sent.status, 'delivered')
  })

  test('with per-member limits, relayed connections to that member are limited, and DMs still go over them', async () => {
    await eventually(() => holds(hidden))
    const limits = community.community.setLimits(hidden.peerId.toString(), { durationMs: 600_000, dataBytes: 1 << 20 })
    assert.deepEqual(limits, { peerId: hidden.peerId.toString(), relayDurationMs: 600_000, relayDataBytes: 1 << 20 })
    const sender = (await net.start({ bootstrap: community.addresses() })).node
    const relayAddr = await eventually(() => hidden.status().relayAddresses[0])
    const connection = await sender.libp2p.dial(multiaddr(relayAddr), { signal: AbortSignal.timeout(20_000) })
    // what is left of the limits: the member's, counting down
    const { seconds, bytes } = connection.limits ?? {}
    assert.ok(seconds !== undefined && seconds > 0 && seconds <= 600, `seconds left: ${seconds}`)
    assert.ok(bytes !== undefined && bytes > 0n && bytes <= BigInt(1 << 20), `bytes left: ${bytes}`)
    const sent = await sender.messenger.send(
      hidden.peerId.toString(),
      { text: 'over a limited connection' },
      { wait: true, timeoutMs: 60_000, signal: AbortSignal.timeout(90_000) }
    )
    assert.equal(sent.status, 'delivered')
    assert.equal(sender.peers().peers.find(p => p.peerId === hidden.peerId.toString())?.relayed, true)
  })

  test('a removed member loses its reservation and its relayed address, and gets none back', async () => {
    await eventually(() => holds(hidden))
    await community.community.remove(hidden.peerId.toString())
    assert.equal(holds(hidden), false)
    await eventually(() => !reservedAt(hidden) && hidden.status().relayAddresses.length === 0)
    // it reconnects (the keeper dials its community) but is refused a reservation
    await eventually(() => hidden.community.list()[0]?.connected === true)
    assert.equal(holds(hidden), false)
    assert.equal(reservedAt(hidden), false)
  })
})
