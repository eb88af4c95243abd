/**
 * Every RPC error code is reachable: each one is produced here by a call through the real socket
 * server and the real parameter checks (node/daemon/methods.ts), with the messaging codes thrown by
 * a real Messenger between real libp2p nodes and the name codes by the real name rules. And the
 * one error-class → code map (node/daemon/error-codes.ts) holds only real classes.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { type RpcClient, connectDaemon } from '../../node/daemon/client.ts'
import { ERROR_CLASSES, errorCodeOf } from '../../node/daemon/error-codes.ts'
import { RpcError } from '../../node/daemon/json-rpc.ts'
import { type RpcServices, rpcHandlers } from '../../node/daemon/methods.ts'
import { RpcErrorCode } from '../../node/daemon/rpc-api.ts'
import { type RpcServer, startRpcServer, toRpcError } from '../../node/daemon/server.ts'
import { LookupFailedError } from '../../node/names/errors.ts'
import { normalizeName } from '../../node/names/name-rules.ts'
import { createNameClaim, nameKey } from '../../node/names/records.ts'
import { checkReplacement } from '../../node/names/validators.ts'
import { rawExchange } from '../helpers/rpc.ts'
import { eventually, TestNet, type TestPeer } from '../messaging/helpers.ts'
import { formatCommunityLink, parseCommunityLink } from '../../node/community/index.ts'
import type { ParleyNode } from '../../node/parley-node.ts'
import { TestClock } from '../names/helpers.ts'
import { CommunityNet } from '../community/helpers.ts'
import { createQueue, deposit } from '../../node/mailbox/index.ts'

const T0 = 1_700_000_000_000

/** The RPC services: messaging is `peer`'s real Messenger; the node's names follow the real rules. */
function service(peer: TestPeer, community: RpcServices['community']): RpcServices {
  const unused = (): never => {
    throw new Error('not used by this test')
  }
  return {
    node: {
      status: unused,
      whoami: unused,
      stop: unused,
      peers: unused,
      safetyNumber: unused,
      // the registry's first step is the name rules; a name held live by another key is refused by
      // the storing rule, both real here (a DHT is not needed to produce the codes)
      register: async name => {
        const normalized = normalizeName(name)
        const held = await createNameClaim(await generateKeyPair('Ed25519'), {
          name: normalized,
          claimedAt: T0,
          sequence: 1n,
          expiresAt: T0 + 86_400_000
        })
        const ours = await createNameClaim(peer.identity.privateKey, {
          name: normalized,
          claimedAt: T0,
          sequence: 2n,
          expiresAt: T0 + 86_400_000
        })
        checkReplacement(nameKey(normalized), held, ours, { now: () => T0 })
        return { name: normalized, peerId: peer.identity.peerId.toString(), stored: 1 }
      },
      // a lookup that most DHT peers did not answer (the registry's LookupFailedError) is a Timeout too
      resolve: async () => {
        throw new LookupFailedError('2 of 3 DHT peers did not answer')
      }
    },
    messaging: peer.messenger,
    community,
    groups: peer.messenger.groups
  }
}

async function codeOf(call: Promise<unknown>): Promise<{ code: number; name?: string }> {
  const err = await call.then(
    () => assert.fail('expected the call to fail'),
    (e: unknown) => e
  )
  assert.ok(err instanceof RpcError, String(err))
  return { code: err.code, name: (err.data as { name?: string } | undefined)?.name }
}

describe('every RPC error code comes from a real call', () => {
  const testNet = new TestNet()
  let dir: string
  let socketPath: string
  let server: RpcServer
  let client: RpcClient
  let alice: TestPeer
  const communityNet = new CommunityNet()
  const clock = new TestClock()
  let communityNode: ParleyNode
  let member: ParleyNode
  const seen = new Set<number>()
  const expectCode = async (call: Promise<unknown>, code: number, name?: string): Promise<void> => {
    const got = await codeOf(call)
    assert.equal(got.code, code, `expected code ${code}, got ${got.code} (${got.name})`)
    if (name !== undefined) assert.equal(got.name, name)
    seen.add(got.code)
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-codes-'))
    socketPath = join(dir, 'daemon.sock')
    alice = await testNet.peer('alice-ec')
    communityNode = (await communityNet.start({ community: true, now: clock.now })).node
    member = (await communityNet.start()).node
    server = await startRpcServer(socketPath, rpcHandlers(service(alice, member.community)))
    client = await connectDaemon(socketPath)
  })

  after(async () => {
    client.close()
    await server.close()
    await testNet.close()
    await communityNet.close()
    await rm(dir, { recursive: true, force: true })
  })

  test('JSON-RPC codes: parse error, invalid request, unknown method, invalid params, internal', async () => {
    for (const [line, code] of [
      ['not json', RpcErrorCode.ParseError],
      ['{"jsonrpc":"1.0","id":1,"method":"contacts.list"}', RpcErrorCode.InvalidRequest],
      ['{"jsonrpc":"2.0","id":2,"method":"no.such.method","params":{}}', RpcErrorCode.MethodNotFound]
    ] as const) {
      const [reply] = await rawExchange(socketPath, `${line}\n`, 1)
      assert.equal(reply?.error?.code, code)
      seen.add(code)
    }
    await expectCode(
      client.call('messages.send', { target: 'bob', text: 'x'.repeat(40_000) }),
      RpcErrorCode.InvalidParams
    )
    // a handler failing in a way no error class describes: Internal, without internals
    await expectCode(client.call('node.status', {}), RpcErrorCode.Internal)
  })

  test('names: InvalidName from the name rules, NameTaken from the storing rule, Timeout from a failed lookup', async () => {
    await expectCode(client.call('names.register', { name: 'No Spaces' }), RpcErrorCode.InvalidName, 'InvalidNameError')
    await expectCode(client.call('names.register', { name: 'alice' }), RpcErrorCode.NameTaken, 'NameTakenError')
    await expectCode(client.call('names.resolve', { name: 'alice' }), RpcErrorCode.Timeout, 'LookupFailedError')
  })

  test('messaging: NotFound, InvalidInvite, Blocked, Timeout and KeyChanged from a real messenger', async () => {
    await expectCode(client.call('messages.retry', { id: '00'.repeat(16) }), RpcErrorCode.NotFound, 'NotFoundError')
    await expectCode(client.call('contacts.add', { target: 'nobody-here' }), RpcErrorCode.NotFound, 'NameNotFoundError')
    await expectCode(
      client.call('contacts.add', { target: 'parley://invite?peer=nope&secret=abc' }),
      RpcErrorCode.InvalidInvite,
      'InvalidInviteError'
    )

    const blocked = await testNet.peer('blocked-ec')
    await client.call('contacts.block', { target: blocked.identity.peerId.toString() })
    await expectCode(
      client.call('messages.send', { target: 'blocked-ec', text: 'hi' }),
      RpcErrorCode.Blocked,
      'BlockedError'
    )

    const away = await testNet.peer('away-ec')
    await testNet.stop(away)
    await expectCode(
      client.call('messages.send', { target: 'away-ec', text: 'hi', wait: true, timeoutMs: 300 }),
      RpcErrorCode.Timeout,
      'TimeoutError'
    )

    await testNet.peer('moved-ec')
    await client.call('messages.send', { target: 'moved-ec', text: 'before', wait: true, timeoutMs: 20_000 })
    const newKey = await testNet.peer('moved-ec-new', { register: false })
    testNet.dht.names.set('moved-ec', newKey.identity.peerId)
    await eventually(() => alice.messenger.listContacts().find(c => c.name === 'moved-ec')?.keyChanged)
    await expectCode(
      client.call('messages.send', { target: 'moved-ec', text: 'after' }),
      RpcErrorCode.KeyChanged,
      'KeyChangedError'
    )
  })

  test('community: NotACommunity, the three invite codes, CommunityUnreachable and NotFound from real nodes', async () => {
    const HOUR = 3_600_000
    // the member's daemon is no community node
    await expectCode(client.call('community.invite', {}), RpcErrorCode.NotACommunity, 'NotACommunityNodeError')
    await expectCode(
      client.call('community.leave', { peerId: communityNode.peerId.toString() }),
      RpcErrorCode.NotFound,
      'CommunityNotFoundError'
    )
    const used = communityNode.community.invite({ uses: 1, ttlMs: HOUR })
    await (await communityNet.start()).node.community.join(used)
    await expectCode(
      client.call('community.join', { link: used }),
      RpcErrorCode.CommunityInviteUsed,
      'CommunityInviteUsedError'
    )
    const fresh = parseCommunityLink(communityNode.community.invite({ uses: 1, ttlMs: HOUR }))
    await expectCode(
      client.call('community.join', { link: formatCommunityLink({ ...fresh, secret: new Uint8Array(32).fill(9) }) }),
      RpcErrorCode.CommunityInviteUnknown,
      'CommunityInviteUnknownError'
    )
    const expiring = communityNode.community.invite({ uses: 1, ttlMs: HOUR })
    clock.advance(HOUR + 1)
    await expectCode(
      client.call('community.join', { link: expiring }),
      RpcErrorCode.CommunityInviteExpired,
      'CommunityInviteExpiredError'
    )
    await expectCode(
      client.call('community.join', { link: 'parley://community?peer=x' }),
      RpcErrorCode.InvalidInvite,
      'InvalidCommunityLinkError'
    )
    // a community nobody runs: nothing listens on port 1
    const nowhere = formatCommunityLink({
      peerId: peerIdFromPrivateKey(await generateKeyPair('Ed25519')),
      addresses: [multiaddr('/ip4/127.0.0.1/tcp/1')],
      secret: fresh.secret
    })
    await expectCode(
      client.call('community.join', { link: nowhere }),
      RpcErrorCode.CommunityUnreachable,
      'CommunityUnreachableError'
    )
  })

  test('mailbox: MailboxFull, MailboxUnreachable, MailboxRefused, MailboxRateLimited from real client calls', async () => {
    // a daemon passes these on from the mailbox client calls (docs/PROTOCOL.md §7.2): each one
    // here from a real community node, mapped by the server's own toRpcError
    const mailboxCode = async (call: Promise<unknown>, code: number, name: string): Promise<void> => {
      const err = await call.then(
        () => assert.fail('expected the mailbox call to fail'),
        (e: unknown) => e as Error
      )
      const rpc = toRpcError(err)
      assert.deepEqual([rpc.code, (rpc.data as { name: string }).name], [code, name])
      seen.add(rpc.code)
    }
    const mailboxNode = (
      await communityNet.start({
        community: true,
        mailbox: { queueMaxDeposits: 1, depositRate: 1, depositBurst: 2, powDifficulty: 0 }
      })
    ).node
    const owner = (await communityNet.start()).node
    const home = {
      community: mailboxNode.peerId.toString(),
      addresses: mailboxNode.libp2p.getMultiaddrs().map(a => a.decapsulateCode(421).toString())
    }
    await mailboxCode(createQueue(owner.libp2p, home), RpcErrorCode.MailboxRefused, 'MailboxRefusedError')
    await owner.community.join(mailboxNode.community.invite({ uses: 1, ttlMs: 3_600_000 }))
    const queue = await createQueue(owner.libp2p, home)
    await deposit({ ...home, ...queue }, [new Uint8Array(100).fill(1)])
    await mailboxCode(
      deposit({ ...home, ...queue }, [new Uint8Array(100).fill(2)]),
      RpcErrorCode.MailboxFull,
      'MailboxFullError'
    )
    await mailboxCode(
      deposit({ ...home, ...queue }, [new Uint8Array(100).fill(3)]),
      RpcErrorCode.MailboxRateLimited,
      'MailboxRateLimitedError'
    )
    // a node that keeps no mailboxes (no --community)
    const plain = {
      community: member.peerId.toString(),
      addresses: member.libp2p.getMultiaddrs().map(a => a.decapsulateCode(421).toString())
    }
    await mailboxCode(createQueue(owner.libp2p, plain), RpcErrorCode.MailboxUnreachable, 'MailboxUnreachableError')
  })

  test('groups: GroupNotFound, NotGroupAdmin, NotGroupMember, InvalidGroupChange from a real messenger', async () => {
    const bob = await testNet.peer('bob-ec')
    const bobId = bob.identity.peerId.toString()
    await expectCode(client.call('groups.leave', { group: '#none' }), RpcErrorCode.GroupNotFound, 'GroupNotFoundError')
    await expectCode(
      client.call('messages.send', { target: '#none', text: 'x' }),
      RpcErrorCode.GroupNotFound,
      'GroupNotFoundError'
    )
    await expectCode(
      client.call('groups.create', { title: ' ', members: [bobId] }),
      RpcErrorCode.InvalidGroupChange,
      'InvalidGroupChangeError'
    )
    const { group } = await client.call('groups.create', { title: 'codes', members: [bobId] })
    await expectCode(
      client.call('groups.add', { group: group.id, member: bobId }),
      RpcErrorCode.InvalidGroupChange,
      'InvalidGroupChangeError'
    )
    // bob is made a member by alice's create; bob is no admin
    await eventually(() => bob.messenger.groups.list().length === 1)
    await assert.rejects(bob.messenger.groups.rename(group.id, 'mine'), { name: 'NotGroupAdminError' })
    await expectCode(
      rpcHandlers(service(bob, member.community))['groups.rename']!(
        { group: group.id, title: 'mine' },
        {
          signal: AbortSignal.timeout(10_000)
        }
      ).catch(err => {
        throw toRpcError(err)
      }),
      RpcErrorCode.NotGroupAdmin,
      'NotGroupAdminError'
    )
    await client.call('groups.leave', { group: '#codes' })
    await expectCode(
      client.call('messages.send', { target: group.id, text: 'after leaving' }),
      RpcErrorCode.NotGroupMember,
      'NotGroupMemberError'
    )
  })

  test('every code of RpcErrorCode was produced above', () => {
    assert.deepEqual([...seen].sort(), Object.values(RpcErrorCode).sort())
  })
})

describe('the error → code map', () => {
  test('lists real classes whose instances carry the class name, each once', () => {
    const names: string[] = []
    for (const [code, classes] of Object.entries(ERROR_CLASSES)) {
      for (const ErrorClass of classes) {
        const err = new ErrorClass('m')
        assert.ok(err instanceof Error)
        assert.equal(err.name, ErrorClass.name, `${ErrorClass.name}: the instance name is the static name`)
        assert.equal(errorCodeOf(err.name), RpcErrorCode[code as keyof typeof RpcErrorCode])
        const rpc = toRpcError(err)
        assert.equal(rpc.code, RpcErrorCode[code as keyof typeof RpcErrorCode])
        assert.deepEqual(rpc.data, { name: ErrorClass.name })
        names.push(ErrorClass.name)
      }
    }
    assert.equal(new Set(names).size, names.length)
  })

  test('a name no class in the map has is Internal, never a Parley code', () => {
    for (const name of ['NoNameError', 'InvalidParamsError', 'Error', 'TypeError', 'toString', '__proto__']) {
      assert.equal(errorCodeOf(name), undefined)
      assert.equal(toRpcError(Object.assign(new Error('x'), { name })).code, RpcErrorCode.Internal)
    }
  })
})
