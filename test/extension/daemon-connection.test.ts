import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, test } from 'node:test'
import { ChatHost } from '../../extension/chat-host.ts'
import { backoffDelay, type ConnectionState, DaemonConnection } from '../../extension/daemon-connection.ts'
import type { DaemonLaunch } from '../../extension/daemon-launch.ts'
import type { ContactView, MessageView, StatusResult } from '../../node/daemon/rpc-api.ts'
import { type RpcServer, startRpcServer } from '../../node/daemon/server.ts'

/**
 * The extension's daemon link against a real JSON-RPC server on a real Unix socket (the daemon's
 * own server code with a small method table): find, start, reconnect, give up loudly.
 */

const bob: ContactView = {
  peerId: '12D3KooWBob',
  name: 'bob',
  state: 'contact',
  verified: false,
  keyChanged: false,
  presence: 'offline',
  unread: 0,
  fingerprint: 'ff'
}

/** The fake daemon's node.status: a node with `connections` peers, in no community. */
function status(name: string, connections: number): StatusResult {
  return {
    peerId: '12D3KooWAlice',
    name,
    addresses: [],
    connections,
    routingTable: 1,
    community: false,
    reachability: 'unknown',
    relayAddresses: [],
    communities: [],
    mailboxes: []
  }
}

async function fakeDaemon(socket: string, name = 'alice'): Promise<RpcServer> {
  return await startRpcServer(socket, {
    'node.whoami': async () => ({ peerId: '12D3KooWAlice', name, fingerprint: 'aa' }),
    'node.status': async () => status(name, 2),
    'contacts.list': async () => ({ contacts: [bob] }),
    'settings.get': async () => ({ readReceipts: true, failAfterHours: 168 })
  })
}

function waitFor(connection: DaemonConnection, state: ConnectionState): Promise<void> {
  if (connection.state === state) return Promise.resolve()
  return new Promise(resolve => {
    const off = connection.onState(s => {
      if (s === state) {
        off()
        resolve()
      }
    })
  })
}

describe('DaemonConnection', () => {
  let home: string
  let paths: { socket: string; identity: string }
  let server: RpcServer | undefined
  let connection: DaemonConnection | undefined
  const lines: string[] = []
  const launch = (): DaemonLaunch => ({
    home,
    cliPath: '/nonexistent',
    nodePath: '',
    bootstrap: [],
    listen: [],
    mdns: false
  })

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'parley-ext-'))
    paths = { socket: join(home, 'daemon.sock'), identity: join(home, 'identity.key') }
  })
  afterEach(async () => {
    connection?.dispose()
    await server?.close()
    server = undefined
    await rm(home, { recursive: true, force: true })
  })

  test('backoff doubles from 250 ms up to 5 s', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 50].map(backoffDelay), [250, 500, 1000, 2000, 4000, 5000, 5000])
  })

  test('without an identity nothing is started: the state is noIdentity', async () => {
    let spawned = 0
    connection = new DaemonConnection({ paths, launch, log: l => lines.push(l), spawn: () => void spawned++ })
    await connection.start()
    assert.equal(connection.state, 'noIdentity')
    assert.equal(spawned, 0)
    assert.equal(connection.client, undefined)
  })

  test('a running daemon is found even without an identity file, and its state loads', async () => {
    server = await fakeDaemon(paths.socket)
    connection = new DaemonConnection({ paths, launch, log: l => lines.push(l), spawn: () => assert.fail('spawned') })
    const host = new ChatHost(connection, l => lines.push(l))
    const synced = new Promise<void>(resolve => host.synced.on(resolve))
    await connection.start()
    assert.equal(connection.state, 'ready')
    await synced
    assert.equal(host.store.me?.name, 'alice')
    assert.equal(host.store.status?.connections, 2)
    assert.deepEqual(
      host.store.list().map(c => c.name),
      ['bob']
    )
  })

  test('with an identity and no daemon it starts one, then reconnects when the daemon restarts', async () => {
    await writeFile(paths.identity, 'x')
    let spawned = 0
    connection = new DaemonConnection({
      paths,
      launch,
      log: l => lines.push(l),
      spawn: () => {
        spawned++
        // The daemon's socket appears a little after the spawn, as with a real start.
        setTimeout(() => {
          void fakeDaemon(paths.socket).then(s => {
            server = s
          })
        }, 300)
        return undefined
      }
    })
    let clients = 0
    connection.onClient(() => clients++)
    await connection.start()
    assert.equal(connection.state, 'ready')
    assert.equal(spawned, 1)
    assert.equal(clients, 1)

    // The daemon restarts (someone ran `Restart Node` in another window): we follow it.
    const reconnecting = waitFor(connection, 'reconnecting')
    await server!.close()
    await reconnecting
    server = await fakeDaemon(paths.socket, 'alice2')
    await waitFor(connection, 'ready')
    assert.equal(clients, 2)
    assert.equal(spawned, 1, 'a restarting daemon is waited for, not respawned at once')
    const me = await connection.client!.call('node.whoami', {})
    assert.equal(me.name, 'alice2')
  })

  test('a daemon that dies at start ends in the error state with the reason', async () => {
    await writeFile(paths.identity, 'x')
    await writeFile(join(home, 'daemon.log'), 'Error: the database is locked\n')
    connection = new DaemonConnection({
      paths,
      launch,
      log: l => lines.push(l),
      startTimeoutMs: 800,
      spawn: () => spawn(process.execPath, ['-e', 'process.exit(3)'], { stdio: 'ignore' })
    })
    const failed = waitFor(connection, 'error')
    void connection.start()
    await failed
    assert.match(connection.lastError ?? '', /exited with code 3/)
    assert.match(connection.lastError ?? '', /database is locked/)
    assert.ok(lines.some(l => l.includes('connection: error')))
  })

  test('notifications update the store: a message for a closed conversation counts as unread', async () => {
    server = await fakeDaemon(paths.socket)
    connection = new DaemonConnection({ paths, launch, log: () => {} })
    const host = new ChatHost(connection, () => {})
    const synced = new Promise<void>(resolve => host.synced.on(resolve))
    await connection.start()
    await synced
    const received = new Promise<MessageView>(resolve => host.messageReceived.on(resolve))
    const message: MessageView = {
      id: 'm1',
      from: bob.peerId,
      to: '12D3KooWAlice',
      direction: 'in',
      text: 'hello @alice',
      sentAt: 1,
      storedAt: 2,
      status: 'received'
    }
    server!.notify('message.received', { message })
    assert.equal((await received).id, 'm1')
    assert.equal(host.store.totalUnread(), 1)
    server!.notify('presence.changed', { peerId: bob.peerId, presence: 'online' })
    server!.notify('name.changed', { name: 'alice.dev' })
    await new Promise(resolve => setTimeout(resolve, 100))
    assert.equal(host.store.get(bob.peerId)?.presence, 'online')
    assert.equal(host.store.me?.name, 'alice.dev')
    host.dispose()
  })

  test("a restarted session is announced to the host's listeners and the contact reloads with its time", async () => {
    let contacts: ContactView[] = [bob]
    server = await startRpcServer(paths.socket, {
      'node.whoami': async () => ({ peerId: '12D3KooWAlice', name: 'alice', fingerprint: 'aa' }),
      'node.status': async () => status('alice', 1),
      'contacts.list': async () => ({ contacts }),
      'settings.get': async () => ({ readReceipts: false, failAfterHours: 168 })
    })
    connection = new DaemonConnection({ paths, launch, log: () => {} })
    const host = new ChatHost(connection, () => {})
    const synced = new Promise<void>(resolve => host.synced.on(resolve))
    await connection.start()
    await synced
    const restarted = new Promise<{ peerId: string; by: string }>(resolve => host.sessionRestarted.on(resolve))
    contacts = [{ ...bob, sessionRestartedAt: 1_800_000_000_000 }]
    server!.notify('session.restarted', { peerId: bob.peerId, at: 1_800_000_000_000, by: 'peer' })
    assert.deepEqual(await restarted, { peerId: bob.peerId, at: 1_800_000_000_000, by: 'peer' })
    for (let i = 0; i < 50 && host.store.get(bob.peerId)?.sessionRestartedAt === undefined; i++) {
      await new Promise(resolve => setTimeout(resolve, 20))
    }
    assert.equal(host.store.get(bob.peerId)?.sessionRestartedAt, 1_800_000_000_000)
    host.dispose()
  })

  test('a message for a conversation in view is read at once: the host asks the predicate it was built with', async () => {
    server = await fakeDaemon(paths.socket)
    connection = new DaemonConnection({ paths, launch, log: () => {} })
    const asked: string[] = []
    const host = new ChatHost(connection, () => {}, {
      isReading: peerId => {
        asked.push(peerId)
        return true
      }
    })
    const synced = new Promise<void>(resolve => host.synced.on(resolve))
    await connection.start()
    await synced
    const received = new Promise<MessageView>(resolve => host.messageReceived.on(resolve))
    server!.notify('message.received', {
      message: {
        id: 'r1',
        from: bob.peerId,
        to: '12D3KooWAlice',
        direction: 'in',
        text: 'seen at once',
        sentAt: 1,
        storedAt: 2,
        status: 'received'
      }
    })
    assert.equal((await received).id, 'r1')
    assert.deepEqual(asked, [bob.peerId])
    assert.equal(host.store.totalUnread(), 0)
    assert.equal(host.store.get(bob.peerId)?.lastMessage?.text, 'seen at once')
    host.dispose()
  })

  test("a stranger's first message counts once: the daemon's count replaces the local one", async () => {
    const carol: ContactView = { ...bob, peerId: '12D3KooWCarol', name: 'carol', state: 'request', unread: 1 }
    const contacts: ContactView[] = [bob]
    server = await startRpcServer(paths.socket, {
      'node.whoami': async () => ({ peerId: '12D3KooWAlice', name: 'alice', fingerprint: 'aa' }),
      'node.status': async () => status('alice', 1),
      'contacts.list': async () => ({ contacts }),
      'settings.get': async () => ({ readReceipts: false, failAfterHours: 168 })
    })
    connection = new DaemonConnection({ paths, launch, log: () => {} })
    const host = new ChatHost(connection, () => {})
    const synced = new Promise<void>(resolve => host.synced.on(resolve))
    await connection.start()
    await synced
    // What the daemon sends for a first message from a stranger: the request (its view already
    // counts the message), then the message.
    contacts.push(carol)
    server!.notify('contact.request', { contact: carol })
    server!.notify('message.received', {
      message: {
        id: 'c1',
        from: carol.peerId,
        to: '12D3KooWAlice',
        direction: 'in',
        text: 'hi',
        sentAt: 1,
        storedAt: 2,
        status: 'received'
      }
    })
    const deadline = Date.now() + 5_000
    while (host.store.totalUnread() !== 1 || host.store.requests().length !== 1) {
      assert.ok(Date.now() < deadline, `unread stays at ${host.store.totalUnread()}`)
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    await new Promise(resolve => setTimeout(resolve, 600))
    assert.equal(host.store.totalUnread(), 1)
    host.dispose()
  })
})
