/**
 * A small program the lab runs inside a namespace (`ip netns exec NS node test/lab/probe.ts …`) to
 * test reachability from there with plain sockets and a bare libp2p node. Prints JSON lines.
 *
 *   connect HOST PORT TIMEOUT_MS           a plain TCP connect: {"ok","ms","error"}
 *   dial MULTIADDR TIMEOUT_MS              a libp2p dial (TCP + Noise + Yamux, circuit relay; a fresh identity)
 *   reserve RELAY_MA TIMEOUT_MS [KEYFILE]  a circuit-relay-v2 reservation at RELAY_MA (with the
 *                                          identity in a Parley home's identity.key, else a fresh one)
 *   echo-serve RELAY_MA KEYFILE            reserve, then serve a length-prefixed echo (on limited
 *                                          connections too); prints {"ready","addresses"}, runs until killed
 *   echo-client MULTIADDR ROUNDS BYTES     ROUNDS echo round trips, a new stream each: {"ok","samples"}
 */
import { connect } from 'node:net'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import type { PrivateKey, Stream } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { lpStream } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { loadOrCreateIdentity } from '../../node/identity/index.ts'

const ECHO_PROTOCOL = '/parley-lab/echo/1.0.0'

interface ProbeResult {
  ok: boolean
  ms: number
  error?: string
  remotePeer?: string
  addresses?: string[]
  samples?: number[]
}

function elapsed(start: number): number {
  return Math.round((performance.now() - start) * 1000) / 1000
}

function failure(start: number, err: unknown): ProbeResult {
  const e = err as Error
  return { ok: false, ms: elapsed(start), error: `${e.name}: ${e.message}` }
}

async function tcpConnect(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const start = performance.now()
  return await new Promise(resolve => {
    const socket = connect({ host, port })
    const done = (ok: boolean, error?: string): void => {
      socket.destroy()
      resolve({ ok, ms: Math.round(elapsed(start)), ...(error === undefined ? {} : { error }) })
    }
    socket.setTimeout(timeoutMs, () => done(false, `ETIMEDOUT: no answer in ${timeoutMs} ms`))
    socket.once('connect', () => done(true))
    socket.once('error', err => done(false, `${(err as NodeJS.ErrnoException).code ?? 'error'}: ${err.message}`))
  })
}

async function bareNode(options: { privateKey?: PrivateKey; relay?: boolean; listen?: string[] } = {}) {
  return await createLibp2p({
    ...(options.privateKey === undefined ? {} : { privateKey: options.privateKey }),
    addresses: { listen: options.listen ?? [] },
    transports: options.relay === true ? [tcp(), circuitRelayTransport()] : [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() },
    start: false
  })
}

async function keyOf(keyFile: string | undefined): Promise<PrivateKey | undefined> {
  if (keyFile === undefined) return undefined
  return (await loadOrCreateIdentity(keyFile)).privateKey
}

async function libp2pDial(address: string, timeoutMs: number): Promise<ProbeResult> {
  const node = await bareNode({ relay: true })
  await node.start()
  const start = performance.now()
  try {
    const connection = await node.dial(multiaddr(address), { signal: AbortSignal.timeout(timeoutMs) })
    return { ok: true, ms: elapsed(start), remotePeer: connection.remotePeer.toString() }
  } catch (err) {
    return failure(start, err)
  } finally {
    await node.stop()
  }
}

/** Listens on RELAY/p2p-circuit: ok once the relay granted a reservation (a circuit address appears). */
async function reserve(relay: string, timeoutMs: number, keyFile?: string): Promise<ProbeResult> {
  const privateKey = await keyOf(keyFile)
  const node = await bareNode({ privateKey, relay: true, listen: [`${relay}/p2p-circuit`] })
  const start = performance.now()
  try {
    await Promise.race([
      node.start(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no reservation in ${timeoutMs} ms`)), timeoutMs))
    ])
    const addresses = node.getMultiaddrs().map(String)
    const circuit = addresses.filter(a => a.includes('/p2p-circuit'))
    if (circuit.length === 0)
      return { ok: false, ms: elapsed(start), error: 'started without a circuit address', addresses }
    return { ok: true, ms: elapsed(start), addresses: circuit }
  } catch (err) {
    return failure(start, err)
  } finally {
    await Promise.resolve(node.stop()).catch(() => {})
  }
}

async function serveEcho(stream: Stream): Promise<void> {
  const lp = lpStream(stream)
  try {
    for (;;) await lp.write(await lp.read())
  } catch {
    // the client closed the stream
  }
  await stream.close().catch(() => {})
}

async function echoServe(relay: string, keyFile: string): Promise<void> {
  const node = await bareNode({ privateKey: await keyOf(keyFile), relay: true, listen: [`${relay}/p2p-circuit`] })
  await node.handle(ECHO_PROTOCOL, stream => serveEcho(stream), {
    runOnLimitedConnection: true,
    maxInboundStreams: 1024
  })
  await node.start()
  const addresses = node.getMultiaddrs().map(String)
  process.stdout.write(`${JSON.stringify({ ready: true, addresses })}\n`)
  process.on('SIGTERM', () => {
    void Promise.resolve(node.stop()).finally(() => process.exit(0))
  })
}

async function echoClient(address: string, rounds: number, bytes: number): Promise<ProbeResult> {
  const node = await bareNode({ relay: true })
  await node.start()
  const start = performance.now()
  try {
    const target = multiaddr(address)
    await node.dial(target, { signal: AbortSignal.timeout(20_000) })
    const payload = crypto.getRandomValues(new Uint8Array(bytes))
    const samples: number[] = []
    const warmUp = Math.max(5, Math.floor(rounds / 10))
    for (let i = 0; i < warmUp + rounds; i++) {
      const t = performance.now()
      const stream = await node.dialProtocol(target, ECHO_PROTOCOL, { runOnLimitedConnection: true })
      const lp = lpStream(stream)
      await lp.write(payload)
      const back = await lp.read()
      if (back.byteLength !== bytes) throw new Error(`echo returned ${back.byteLength} bytes, sent ${bytes}`)
      await stream.close()
      if (i >= warmUp) samples.push(Math.round((performance.now() - t) * 1000) / 1000)
    }
    return { ok: true, ms: elapsed(start), samples }
  } catch (err) {
    return failure(start, err)
  } finally {
    await node.stop()
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv
  let result: ProbeResult
  if (command === 'connect' && args.length === 3) {
    result = await tcpConnect(args[0]!, Number(args[1]), Number(args[2]))
  } else if (command === 'dial' && args.length === 2) {
    result = await libp2pDial(args[0]!, Number(args[1]))
  } else if (command === 'reserve' && (args.length === 2 || args.length === 3)) {
    result = await reserve(args[0]!, Number(args[1]), args[2])
  } else if (command === 'echo-serve' && args.length === 2) {
    await echoServe(args[0]!, args[1]!)
    return
  } else if (command === 'echo-client' && args.length === 3) {
    result = await echoClient(args[0]!, Number(args[1]), Number(args[2]))
  } else {
    process.stderr.write('usage: see the top of test/lab/probe.ts\n')
    process.exit(64)
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
  process.exit(0)
}

await main(process.argv.slice(2))
