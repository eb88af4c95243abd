import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { communityLabel, communityStateText, reachabilityText } from '../../extension/community-labels.ts'
import { isCommunityLink } from '../../node/community/community-link-syntax.ts'

const PEER = '12D3KooWCommunityCommunityCommunityCommunityXYZ12345'

describe('communities in the extension', () => {
  test('a community is named by the host and port its operator published, else its peer id', () => {
    assert.equal(
      communityLabel({ peerId: PEER, addresses: [`/ip4/198.51.100.7/tcp/4001/p2p/${PEER}`] }),
      '198.51.100.7:4001'
    )
    assert.equal(
      communityLabel({ peerId: PEER, addresses: [`/dns4/chat.example.org/tcp/443/p2p/${PEER}`] }),
      'chat.example.org:443'
    )
    assert.equal(communityLabel({ peerId: PEER, addresses: ['/ip4/1.2.3.4/udp/9/quic-v1'] }), '…XYZ12345')
    assert.equal(communityLabel({ peerId: PEER, addresses: [] }), '…XYZ12345')
    // an address is the operator's text: no link or icon syntax survives in a label
    assert.doesNotMatch(communityLabel({ peerId: PEER, addresses: ['/dns4/$(x)[a](command:b)/tcp/1'] }), /\$\(|\]\(/)
  })

  test('its row says whether we reach it and whether its relay carries us', () => {
    assert.equal(communityStateText({ connected: true, reserved: true }), 'relaying for you')
    assert.equal(communityStateText({ connected: true, reserved: false }), 'connected')
    assert.equal(communityStateText({ connected: false, reserved: false }), 'offline')
  })

  test('the status bar says how others reach this node: directly, relayed, not, offline', () => {
    const community = { peerId: PEER, addresses: [], connected: true, reserved: true }
    assert.equal(reachabilityText(undefined), 'Offline')
    assert.equal(
      reachabilityText({ reachability: 'public', relayAddresses: [], communities: [] }),
      'Reachable directly (public address)'
    )
    assert.equal(
      reachabilityText({ reachability: 'private', relayAddresses: ['/p2p-circuit'], communities: [community] }),
      'Reachable through 1 community relay'
    )
    assert.equal(
      reachabilityText({
        reachability: 'unknown',
        relayAddresses: ['a', 'b'],
        communities: [community, { ...community, peerId: 'other' }]
      }),
      'Reachable through 2 community relays'
    )
    assert.match(reachabilityText({ reachability: 'private', relayAddresses: [], communities: [] }), /^Not reachable/)
    assert.equal(
      reachabilityText({ reachability: 'unknown', relayAddresses: [], communities: [] }),
      'Reachability not known yet'
    )
  })

  test('community links are told apart from names and contact invites', () => {
    assert.equal(isCommunityLink('parley://community?peer=x&secret=y'), true)
    assert.equal(isCommunityLink('  parley://community?peer=x  '), true)
    for (const text of [
      'parley://community?',
      'parley://invite?x',
      'parley://community? x',
      'alice',
      '',
      'xparley://community?a'
    ]) {
      assert.equal(isCommunityLink(text), false, text)
    }
    assert.equal(isCommunityLink(undefined as unknown as string), false)
  })
})
