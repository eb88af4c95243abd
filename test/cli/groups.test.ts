import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type DaemonProcess, eventually, makeHome, removeHome, runCli, startDaemon } from '../helpers/cli.ts'

/**
 * Issue 13's CLI contract end to end: three real daemons as processes on 127.0.0.1, a group
 * created, written to, caught up by a member that was offline, a member removed, a member leaving,
 * all through the `parley` command line.
 */
const names = ['alice', 'bob', 'carol'] as const
type Name = (typeof names)[number]

describe('parley groups through the CLI', { timeout: 600_000 }, () => {
  const homes = {} as Record<Name, string>
  const daemons = {} as Record<Name, DaemonProcess>
  const ids = {} as Record<Name, string>

  async function cli(who: Name, ...args: string[]): Promise<any> {
    const r = await runCli(homes[who], [...args, '--json'])
    assert.equal(r.code, 0, `${who}: parley ${args.join(' ')} → ${r.code}: ${r.stderr}`)
    return r.json
  }

  async function start(who: Name): Promise<void> {
    const bootstrap = who === 'alice' ? [] : daemons.alice.addresses
    daemons[who] = await startDaemon(homes[who], { bootstrap })
    ids[who] = daemons[who].peerId
  }

  async function texts(who: Name): Promise<Array<{ text: string; from: string }>> {
    const { messages } = await cli(who, 'history', '#team', '--limit', '100')
    return messages.map((m: { text: string; from: string }) => ({ text: m.text, from: m.from }))
  }

  before(async () => {
    for (const name of names) homes[name] = await makeHome(`parley-grp-${name}-`)
    for (const name of names) await start(name)
    for (const name of names) await cli(name, 'register', name)
  })

  after(async () => {
    await Promise.all(Object.values(daemons).map(d => d.kill()))
    await Promise.all(Object.values(homes).map(removeHome))
  })

  test('create, send, an offline member catches up, remove, leave', async () => {
    await cli('alice', 'contact', 'add', 'bob')
    const { group } = await cli('alice', 'group', 'create', 'team', '--member', 'bob', '--member', ids.carol)
    assert.match(group.id, /^[0-9a-f]{32}$/)
    assert.equal(group.title, 'team')
    assert.deepEqual([...group.members].sort(), [ids.alice, ids.bob, ids.carol].sort())
    for (const who of ['bob', 'carol'] as const) {
      await eventually(async () => (await cli(who, 'groups')).groups.some((g: { id: string }) => g.id === group.id))
    }
    await cli('alice', 'send', '#team', 'hello team')
    for (const who of ['bob', 'carol'] as const) {
      await eventually(async () => (await texts(who)).length === 1)
      assert.deepEqual(await texts(who), [{ text: 'hello team', from: ids.alice }])
    }
    const { groups } = await cli('bob', 'groups')
    assert.equal(groups[0].unread, 1)
    assert.deepEqual(Object.keys(groups[0]).sort(), ['admins', 'id', 'left', 'members', 'title', 'unread'])

    // carol is offline while bob writes twice; back, she has both, in order
    await daemons.carol.stop()
    await cli('bob', 'send', group.id, 'while you were away')
    await cli('bob', 'send', '#team', 'and again')
    await eventually(async () => (await texts('alice')).length === 3)
    await start('carol')
    await eventually(async () => (await texts('carol')).length === 3, 120_000)
    assert.deepEqual(await texts('carol'), await texts('alice'))

    // full-text search finds group messages: in the group (--with #title) and everywhere; each carries its group
    const inGroup = await cli('carol', 'search', 'away', '--with', '#team')
    assert.deepEqual(
      inGroup.matches.map((m: { from: string; conversation: string; group: unknown }) => [
        m.from,
        m.conversation,
        m.group
      ]),
      [[ids.bob, group.id, { id: group.id, title: 'team' }]]
    )
    const everywhere = await cli('alice', 'search', 'hello')
    assert.deepEqual(
      everywhere.matches.map((m: { group?: { id: string } }) => m.group?.id),
      [group.id]
    )
    const line = await runCli(homes.carol, ['search', 'away'])
    assert.match(line.stdout, /in #team: while you were «away»/)

    // alice removes carol: carol is told, and gets nothing sent after
    const removed = await cli('alice', 'group', 'remove', '#team', ids.carol)
    assert.deepEqual([...removed.group.members].sort(), [ids.alice, ids.bob].sort())
    await eventually(async () => (await cli('carol', 'groups')).groups[0]?.left === true)
    await eventually(async () => (await cli('bob', 'groups')).groups[0]?.members.length === 2)
    const waited = await cli('bob', 'send', '#team', 'after carol', '--wait', '--timeout', '60')
    assert.equal(waited.status, 'delivered')
    assert.equal((await texts('alice')).length, 4)
    assert.equal((await texts('carol')).length, 3)
    const refused = await runCli(homes.carol, ['send', '#team', 'still here?', '--json'])
    assert.equal(refused.code, 1, refused.stderr)

    // bob leaves; a group that is not there is exit 2
    const left = await cli('bob', 'group', 'leave', '#team')
    assert.equal(left.group.left, true)
    await eventually(async () => (await cli('alice', 'groups')).groups[0]?.members.length === 1)
    const missing = await runCli(homes.alice, ['group', 'rename', '#nothing', 'x', '--json'])
    assert.equal(missing.code, 2, missing.stderr)
  })
})
