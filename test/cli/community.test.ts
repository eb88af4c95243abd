import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type DaemonProcess, eventually, makeHome, removeHome, runCli, startDaemon } from '../helpers/cli.ts'

/**
 * The community CLI contract of issue 11 (the NAT lab drives exactly this): real daemons as
 * separate processes on 127.0.0.1, only through `parley … --json`.
 */
describe('parley community through the CLI', { timeout: 300_000 }, () => {
  const homes: string[] = []
  let community: DaemonProcess
  let ann: DaemonProcess
  let ben: DaemonProcess

  async function ok(home: string, ...args: string[]): Promise<any> {
    const r = await runCli(home, [...args, '--json'])
    assert.equal(r.code, 0, `parley ${args.join(' ')} → ${r.code}: ${r.stderr}`)
    return r.json
  }
  async function fails(home: string, ...args: string[]): Promise<{ code: number; error: any }> {
    const r = await runCli(home, [...args, '--json'])
    assert.notEqual(r.code, 0, `parley ${args.join(' ')} should fail: ${r.stdout}`)
    return { code: r.code, error: JSON.parse(r.stderr.trim().split('\n').at(-1)!).error }
  }

  before(async () => {
    for (let i = 0; i < 3; i++) homes.push(await makeHome('parley-cli-community-'))
    community = await startDaemon(homes[0]!, { extraArgs: ['--community'] })
    ann = await startDaemon(homes[1]!, { bootstrap: community.addresses })
    ben = await startDaemon(homes[2]!, { bootstrap: community.addresses })
  })
  after(async () => {
    await Promise.all([community, ann, ben].map(d => d?.stop()))
    await Promise.all(homes.map(removeHome))
  })

  test('the ready line of a community node says so; a plain daemon says nothing', () => {
    assert.equal(community.ready.community, true)
    assert.equal('community' in ann.ready, false)
  })

  test('invite → join → members, list, status and peers; a used link and a non-community refuse by name', async () => {
    const { link } = await ok(homes[0]!, 'community', 'invite', '--uses', '1', '--expires', '1h')
    assert.match(link, /^parley:\/\/community\?peer=12D3KooW/)

    const joined = await ok(homes[1]!, 'community', 'join', link)
    assert.deepEqual(Object.keys(joined), ['community'])
    assert.equal(joined.community.peerId, community.peerId)
    assert.ok(joined.community.addresses.every((a: string) => a.endsWith(`/p2p/${community.peerId}`)))

    const used = await fails(homes[2]!, 'community', 'join', link)
    assert.deepEqual([used.error.name, used.error.code], ['CommunityInviteUsedError', 1010])
    const notCommunity = await fails(homes[1]!, 'community', 'invite')
    assert.deepEqual([notCommunity.error.name, notCommunity.error.code], ['NotACommunityNodeError', 1012])
    const badExpiry = await fails(homes[0]!, 'community', 'invite', '--expires', 'soon')
    assert.equal(badExpiry.error.name, 'UsageError')

    const { members } = await ok(homes[0]!, 'community', 'members')
    assert.equal(members.length, 1)
    assert.deepEqual(Object.keys(members[0]).sort(), [
      'deposits',
      'joinedAt',
      'name',
      'online',
      'peerId',
      'queues',
      'storedBytes'
    ])
    assert.equal(members[0].peerId, ann.peerId)
    assert.equal(members[0].online, true)

    const listed = await eventually(async () => {
      const r = await ok(homes[1]!, 'community', 'list')
      return r.communities[0]?.reserved === true ? r : undefined
    })
    assert.deepEqual(
      listed.communities.map((c: any) => [c.peerId, c.connected, c.reserved]),
      [[community.peerId, true, true]]
    )
    const status = await ok(homes[1]!, 'status')
    for (const key of ['reachability', 'relayAddresses', 'communities', 'community']) assert.ok(key in status, key)
    assert.equal(status.community, false)
    assert.equal(status.reachability, 'private')
    assert.ok(status.relayAddresses[0].startsWith(`${community.addresses[0]}/p2p-circuit/p2p/${ann.peerId}`))
    assert.deepEqual(status.communities, listed.communities)
    const communityStatus = await ok(homes[0]!, 'status')
    assert.equal(communityStatus.community, true)

    const { peers } = await ok(homes[0]!, 'peers')
    const annPeer = peers.find((p: any) => p.peerId === ann.peerId)
    assert.equal(annPeer.relayed, false)
  })

  test('limit, remove and leave', async () => {
    const limited = await ok(homes[0]!, 'community', 'limit', ann.peerId, '--duration', '10m', '--data', '1048576')
    assert.deepEqual(limited, { member: { peerId: ann.peerId, relayDurationMs: 600_000, relayDataBytes: 1_048_576 } })
    const removed = await ok(homes[0]!, 'community', 'remove', ann.peerId)
    assert.deepEqual(removed, { removed: { peerId: ann.peerId, name: null } })
    assert.deepEqual((await ok(homes[0]!, 'community', 'members')).members, [])
    await eventually(async () => (await ok(homes[1]!, 'status')).relayAddresses.length === 0)
    const missing = await fails(homes[0]!, 'community', 'remove', ann.peerId)
    assert.deepEqual([missing.error.name, missing.code], ['MemberNotFoundError', 2])

    assert.deepEqual(await ok(homes[1]!, 'community', 'leave', community.peerId), { left: community.peerId })
    assert.deepEqual((await ok(homes[1]!, 'community', 'list')).communities, [])
  })
})
