// The extension's integration suite, run inside a desktop VS Code by run.ts (@vscode/test-electron
// loads this file in the extension host and calls run()). Plain CommonJS: the extension host
// requires it as is. Real parts only: the built extension, its bundled CLI, a real daemon.
const assert = require('node:assert/strict')
const { existsSync } = require('node:fs')
const net = require('node:net')
const path = require('node:path')
const vscode = require('vscode')

const COMMANDS = [
  'parley.registerName',
  'parley.addContact',
  'parley.openConversation',
  'parley.sendSelection',
  'parley.copyInviteLink',
  'parley.showSafetyNumber',
  'parley.verifyContact',
  'parley.blockContact',
  'parley.restartNode',
  'parley.showLog',
  'parley.createIdentity',
  'parley.importInvite'
]

async function waitFor(check, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise(resolve => setTimeout(resolve, 200))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** One JSON-RPC call on the daemon socket, without the extension in between. */
function rpc(socketPath, method, params = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath)
    let buffer = ''
    socket.setEncoding('utf8')
    socket.on('error', reject)
    socket.on('connect', () => socket.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method, params })}\n`))
    socket.on('data', chunk => {
      buffer += chunk
      const line = buffer.split('\n').find(l => l.includes('"id":1'))
      if (line === undefined) return
      socket.end()
      const message = JSON.parse(line)
      if (message.error) reject(new Error(message.error.message))
      else resolve(message.result)
    })
  })
}

const tests = [
  [
    'the extension activates and contributes every command with the Parley category',
    async () => {
      const extension = vscode.extensions.getExtension('parley.parley')
      assert.ok(extension, 'parley.parley is installed')
      await extension.activate()
      const all = await vscode.commands.getCommands(true)
      for (const id of COMMANDS) assert.ok(all.includes(id), `${id} is registered`)
      const contributed = extension.packageJSON.contributes.commands
      for (const c of contributed) assert.equal(c.category, 'Parley', c.command)
    }
  ],
  [
    'Create Identity writes the identity and starts a daemon the extension connects to',
    async () => {
      const home = process.env.PARLEY_TEST_HOME
      assert.ok(home, 'PARLEY_TEST_HOME is set by run.ts')
      await vscode.commands.executeCommand('parley.createIdentity')
      assert.ok(existsSync(path.join(home, 'identity.key')), 'identity.key exists')
      const socket = path.join(home, 'daemon.sock')
      await waitFor(() => existsSync(socket), 'the daemon socket')
      const me = await rpc(socket, 'node.whoami')
      assert.match(me.peerId, /^12D3KooW/)
      assert.equal(me.name, null)
    }
  ],
  [
    'Restart Node brings a fresh daemon back on the same identity',
    async () => {
      const socket = path.join(process.env.PARLEY_TEST_HOME, 'daemon.sock')
      const before = await rpc(socket, 'node.whoami')
      await vscode.commands.executeCommand('parley.restartNode')
      await waitFor(async () => {
        try {
          return (await rpc(socket, 'node.whoami')).peerId === before.peerId
        } catch {
          return false
        }
      }, 'the restarted daemon')
      await rpc(socket, 'node.stop').catch(() => {})
    }
  ]
]

async function run() {
  const failures = []
  for (const [name, fn] of tests) {
    try {
      await fn()
      console.log(`ok - ${name}`)
    } catch (err) {
      console.error(`not ok - ${name}\n${err?.stack ?? err}`)
      failures.push(name)
    }
  }
  if (failures.length > 0) throw new Error(`${failures.length} of ${tests.length} tests failed`)
}

module.exports = { run }
