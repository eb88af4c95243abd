/**
 * A small program the lab runs inside a namespace (`ip netns exec NS node test/lab/probe.ts …`) to
 * test reachability from there. Prints one JSON line per result.
 *
 *   connect HOST PORT TIMEOUT_MS   a plain TCP connect: {"ok","ms","error"}
 *   dial MULTIADDR TIMEOUT_MS      a libp2p dial (TCP + Noise + Yamux, a fresh identity): {"ok","ms","error","remotePeer"}
 */
import { connect } from 'node:net'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'

export interface ProbeResult {
  ok: boolean
  ms: number
  error?: string
  remotePeer?: string
}

async function tcpConnect(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const start = performance.now()
  return await new Promise(resolve => {
    const socket = connect({ host, port })
    const done = (ok: boolean, error?: string): void => {
      socket.destroy()
      resolve({ ok, ms: Math.round(performance.now() - start), ...(error === undefined ? {} : { error }) })
    }
    socket.setTimeout(timeoutMs, () => done(false, `ETIMEDOUT: no answer in ${timeoutMs} ms`))
    socket.once('connect', () => done(true))
    socket.once('error', err => done(false, `${(err as NodeJS.ErrnoException).code ?? 'error'}: ${err.message}`))
  })
}

async function libp2pDial(address: string, timeoutMs: number): Promise<ProbeResult> {
  const node = await createLibp2p({
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()]
  })
  const start = performance.now()
  try {
    const connection = await node.dial(multiaddr(address), { signal: AbortSignal.timeout(timeoutMs) })
    return { ok: true, ms: Math.round(performance.now() - start), remotePeer: connection.remotePeer.toString() }
  } catch (err) {
    const e = err as Error
    return { ok: false, ms: Math.round(performance.now() - start), error: `${e.name}: ${e.message}` }
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
  } else {
    process.stderr.write('usage: probe.ts connect HOST PORT TIMEOUT_MS | dial MULTIADDR TIMEOUT_MS\n')
    process.exit(64)
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

await main(process.argv.slice(2))
