import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { parseInviteLink } from '../../node/messaging/invite-link.ts'
import type { ParleyNode } from '../../node/parley-node.ts'
import { CommunityNet, eventually } from './helpers.ts'

const HOUR = 3_600_000

/**
 * One network, many communities: two community nodes that know each other (bootstrap), one member
 * behind each ("behind a NAT": no listen address, reachable only through its community's relay).
 * A contact invite carries the inviter's community; the invitee reaches the inviter through that
 * community's relay, and the inviter answers through its own.
 */
describe('two communities, one member behind each', { timeout: 300_000 }, () => {
  const net = new CommunityNet()
  let north: ParleyNode
  let south: ParleyNode
  let ann: ParleyNode
  let ben: ParleyNode

  before(async () => {
    north = (await net.start({ community: true })).node
    south = (await net.start({ community: true, bootstrap: north.addresses() })).node
    ann = (await net.start({ listen: [], bootstrap: north.addresses() })).node
    ben = (await net.start({ listen: [], bootstrap: south.addresses() })).node
    await ann.community.join(north.community.invite({ uses: 1, ttlMs: HOUR }))
    await ben.community.join(south.community.invite({ uses: 1, ttlMs: HOUR }))
    await eventually(() => ann.status().relayAddresses.length > 0 && ben.status().relayAddresses.length > 0)
  })
  after(() => net.close())

  test("a contact invite carries the inviter's community, and messages flow both ways through the two relays", async () => {
    const link = await ann.messenger.invite()
    const parsed = parseInviteLink(link)
    assert.deepEqual(parsed.communities?.map(String), [north.addresses()[0]])
    assert.ok(parsed.addresses.some(a => a.toString().includes('/p2p-circuit')))

    await ben.messenger.addContact(link, { signal: AbortSignal.timeout(30_000) })
    const there = await ben.messenger.send(
      ann.peerId.toString(),
      { text: 'hello from the south' },
      { wait: true, timeoutMs: 60_000, signal: AbortSignal.timeout(90_000) }
    )
    assert.equal(there.status, 'delivered')
    const back = await ann.messenger.send(
      ben.peerId.toString(),
      { text: 'hello from the north' },
      { wait: true, timeoutMs: 60_000, signal: AbortSignal.timeout(90_000) }
    )
    assert.equal(back.status, 'delivered')
    // neither has an address the other could dial directly
    assert.equal(ben.peers().peers.find(p => p.peerId === ann.peerId.toString())?.relayed, true)
    assert.equal(ann.peers().peers.find(p => p.peerId === ben.peerId.toString())?.relayed, true)
  })

  test('a name registered in one community resolves in the other', async () => {
    await eventually(() => ann.registry.routingTableSize() > 0)
    await ann.registry.register('ann-north')
    const resolved = await eventually(async () => {
      const r = await ben.registry.resolve('ann-north', { cache: false })
      return r.profile?.addresses.some(a => a.toString().includes('/p2p-circuit')) ? r : undefined
    })
    assert.ok(resolved.claim.peerId.equals(ann.peerId))
  })
})
