import assert from 'node:assert/strict'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { connectDaemon, DaemonNotRunningError } from '../../node/daemon/client.ts'
import { RpcError } from '../../node/daemon/json-rpc.ts'
import { onlyKeys, requireString } from '../../node/daemon/params.ts'
import { RpcErrorCode } from '../../node/daemon/rpc-api.ts'
import { type RpcServer, startRpcServer } from '../../node/daemon/server.ts'
import { rawExchange } from '../helpers/rpc.ts'

describe('JSON-RPC server and client over a Unix socket', () => {
  let dir: string
  let server: RpcServer
  let socketPath: string

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-rpc-'))
    socketPath = join(dir, 'test.sock')
    server = await startRpcServer(socketPath, {
      'names.resolve': async params => {
        onlyKeys(params, ['name'])
        const name = requireString(params, 'name', { max: 32 })
        if (name === 'nobody')
          throw Object.assign(new Error('no claim'), {
            name: 'NameNotFoundError'
          })
        if (name === 'boom') throw new Error('unexpected')
        return {
          name,
          peerId: 'p',
          fingerprint: 'f',
          addresses: [],
          keyChanged: false
        }
      }
    })
  })

  after(async () => {
    await server.close()
    await rm(dir, { recursive: true, force: true })
  })

  test('the socket is 0600', {
    skip: process.platform === 'win32'
  }, async () => {
    assert.equal((await stat(socketPath)).mode & 0o777, 0o600)
  })

  test('a typed call returns the result', async () => {
    const client = await connectDaemon(socketPath)
    const result = await client.call('names.resolve', { name: 'alice' })
    assert.equal(result.name, 'alice')
    client.close()
  })

  test('errors carry stable codes: invalid params, not found, internal, unknown method', async () => {
    const client = await connectDaemon(socketPath)
    const codeOf = async (p: Promise<unknown>): Promise<number> => {
      const err = await p.then(
        () => assert.fail('expected a rejection'),
        (e: unknown) => e
      )
      assert.ok(err instanceof RpcError)
      return err.code
    }
    assert.equal(await codeOf(client.call('names.resolve', { name: 42 } as never)), RpcErrorCode.InvalidParams)
    assert.equal(
      await codeOf(client.call('names.resolve', { name: 'x', extra: 1 } as never)),
      RpcErrorCode.InvalidParams
    )
    assert.equal(await codeOf(client.call('names.resolve', { name: 'nobody' })), RpcErrorCode.NotFound)
    assert.equal(await codeOf(client.call('names.resolve', { name: 'boom' })), RpcErrorCode.Internal)
    assert.equal(await codeOf(client.call('node.status', {})), RpcErrorCode.MethodNotFound)
    client.close()
  })

  test('malformed lines get JSON-RPC errors and the connection keeps serving', async () => {
    const replies = await rawExchange(
      socketPath,
      [
        'not json',
        '[]',
        '{"jsonrpc":"1.0","id":1,"method":"names.resolve"}',
        '{"jsonrpc":"2.0","id":2,"method":"names.resolve","params":[1]}',
        '{"jsonrpc":"2.0","id":{},"method":"names.resolve"}',
        '{"jsonrpc":"2.0","id":3,"method":"__proto__","params":{}}',
        '{"jsonrpc":"2.0","id":4,"method":"names.resolve","params":{"name":"bob"}}'
      ].join('\n') + '\n',
      7
    )
    assert.deepEqual(
      replies.map(r => r.error?.code ?? 'ok'),
      [
        RpcErrorCode.ParseError,
        RpcErrorCode.InvalidRequest,
        RpcErrorCode.InvalidRequest,
        RpcErrorCode.InvalidParams,
        RpcErrorCode.InvalidRequest,
        RpcErrorCode.MethodNotFound,
        'ok'
      ]
    )
    assert.equal(replies[6]?.result.name, 'bob')
  })

  test('notifications reach every connected client', async () => {
    const a = await connectDaemon(socketPath)
    const b = await connectDaemon(socketPath)
    const got = Promise.all([a, b].map(c => new Promise(resolve => c.on('name.changed', resolve))))
    // both connections are registered once each has completed a round trip
    await a.call('names.resolve', { name: 'alice' })
    await b.call('names.resolve', { name: 'alice' })
    server.notify('name.changed', { name: 'alice' })
    assert.deepEqual(await got, [{ name: 'alice' }, { name: 'alice' }])
    a.close()
    b.close()
  })

  test('connecting where no daemon listens is DaemonNotRunningError', async () => {
    await assert.rejects(connectDaemon(join(dir, 'missing.sock')), {
      name: DaemonNotRunningError.name
    })
  })
})
