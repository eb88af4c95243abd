import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { formatInviteLink, parseInviteLink } from '../../node/messaging/invite-link.ts'

const peerId = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(1)))

describe('invite links', () => {
  it('formats byte for byte and parses back', () => {
    const link = formatInviteLink({
      peerId,
      name: 'alice',
      addresses: [multiaddr('/ip4/127.0.0.1/tcp/4001'), multiaddr('/ip6/::1/tcp/4001')],
      secret: new Uint8Array(16).fill(0xab)
    })
    assert.equal(
      link,
      'parley://invite?peer=12D3KooWK99VoVxNE7XzyBwXEzW7xhK7Gpv85r9F3V3fyKSUKPH5&name=alice' +
        '&addr=%2Fip4%2F127.0.0.1%2Ftcp%2F4001&addr=%2Fip6%2F%3A%3A1%2Ftcp%2F4001&secret=q6urq6urq6urq6urq6urqw'
    )
    const parsed = parseInviteLink(link)
    assert.ok(parsed.peerId.equals(peerId))
    assert.equal(parsed.name, 'alice')
    assert.deepEqual(parsed.addresses.map(String), ['/ip4/127.0.0.1/tcp/4001', '/ip6/::1/tcp/4001'])
    assert.deepEqual(parsed.secret, new Uint8Array(16).fill(0xab))
    const bare = parseInviteLink(`parley://invite?peer=${peerId}&secret=AQ`)
    assert.equal(bare.name, undefined)
    assert.deepEqual(bare.addresses, [])
  })

  it("carries the inviter's communities (issue 11), byte for byte; a link without them parses as before", () => {
    const community = `/ip4/198.51.100.7/tcp/4001/p2p/${peerId}`
    const link = formatInviteLink({
      peerId,
      addresses: [multiaddr(`/ip4/198.51.100.7/tcp/4001/p2p/${peerId}/p2p-circuit`)],
      communities: [multiaddr(community)],
      secret: new Uint8Array(16).fill(0xab)
    })
    assert.equal(
      link,
      `parley://invite?peer=${peerId}` +
        `&addr=%2Fip4%2F198.51.100.7%2Ftcp%2F4001%2Fp2p%2F${peerId}%2Fp2p-circuit` +
        `&community=%2Fip4%2F198.51.100.7%2Ftcp%2F4001%2Fp2p%2F${peerId}&secret=q6urq6urq6urq6urq6urqw`
    )
    assert.deepEqual(parseInviteLink(link).communities?.map(String), [community])
    assert.equal(parseInviteLink(`parley://invite?peer=${peerId}&secret=AQ`).communities, undefined)
    for (const bad of [
      `parley://invite?peer=${peerId}&secret=AQ&community=nope`,
      `parley://invite?peer=${peerId}&secret=AQ&community=%2Fip4%2F1.2.3.4%2Ftcp%2F1`,
      `parley://invite?peer=${peerId}&secret=AQ${'&community=%2Fip4%2F1.2.3.4%2Ftcp%2F1%2Fp2p%2F'.concat(peerId.toString()).repeat(5)}`
    ]) {
      assert.throws(() => parseInviteLink(bad), { name: 'InvalidInviteError' }, bad)
    }
  })

  it('rejects anything else by name', () => {
    const bad = [
      'https://invite?peer=x',
      'parley://invite?secret=AQ',
      `parley://invite?peer=${peerId}`,
      `parley://invite?peer=${peerId}&secret=not+base64url`,
      `parley://invite?peer=${peerId}&secret=${'A'.repeat(200)}`,
      `parley://invite?peer=${peerId}&secret=AQ&addr=nope`,
      `parley://invite?peer=${peerId}&secret=AQ${'&addr=/ip4/1.2.3.4/tcp/1'.repeat(9)}`,
      `parley://invite?peer=${peerId}&secret=AQ&name=`,
      `parley://invite?peer=QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N&secret=AQ`,
      `parley://invite?peer=${peerId}&secret=AQ&x=${'y'.repeat(3000)}`
    ]
    for (const link of bad) {
      assert.throws(() => parseInviteLink(link), { name: 'InvalidInviteError' }, link)
    }
  })
})
