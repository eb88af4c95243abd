import { logger } from '@libp2p/logger'
import type { MailboxLimits } from '../mailbox/index.ts'
import { ParleyNode } from '../parley-node.ts'
import { ensureHome } from './home.ts'
import { loadHomeIdentity } from './init.ts'
import { acquireDaemonLock } from './lock.ts'
import { rpcHandlers } from './methods.ts'
import type { RpcServer } from './server.ts'
import { startRpcServer } from './server.ts'

const log = logger('parley:daemon')

/** Listen on every IPv4 interface by default, so LAN peers (found by mDNS) can reach us. */
export const DEFAULT_LISTEN = ['/ip4/0.0.0.0/tcp/0']

export interface DaemonInit {
  home: string
  /** @default DEFAULT_LISTEN */
  listen?: string[]
  bootstrap: string[]
  mdns: boolean
  /** run as a community node; @default false */
  community?: boolean
  /** addresses to advertise (a public host's) */
  announce?: string[]
  /** a community node's mailbox retention and quotas (`--mailbox-…`); @default DEFAULT_MAILBOX_LIMITS */
  mailbox?: Partial<MailboxLimits>
  /** UPnP port mapping; @default false */
  upnp?: boolean
  /** Called once the node listens and the socket accepts clients. */
  onReady(info: { peerId: string; addresses: string[] }): void
  /** Asks for the passphrase of an encrypted identity when PARLEY_PASSPHRASE is unset. */
  prompt?: (question: string) => Promise<string>
  /** Stops the daemon when aborted (tests); SIGINT and SIGTERM always do. */
  signal?: AbortSignal
}

/**
 * `parley daemon`: one node for one home. Takes the home's lock (a second daemon refuses to
 * start), opens the identity and database, starts libp2p and the RPC socket, and runs until
 * SIGINT/SIGTERM, `node.stop` or the signal, then stops libp2p and closes the database cleanly.
 */
export async function runDaemon(init: DaemonInit): Promise<void> {
  const paths = ensureHome(init.home)
  const lock = await acquireDaemonLock(paths.lock, {
    socketPath: paths.socket,
    signal: init.signal
  })
  let node: ParleyNode | undefined
  let server: RpcServer | undefined
  try {
    const identity = await loadHomeIdentity(init.home, { prompt: init.prompt })
    const stopped = Promise.withResolvers<void>()
    node = await ParleyNode.start({
      paths,
      identity,
      listen: init.listen ?? DEFAULT_LISTEN,
      bootstrap: init.bootstrap,
      mdns: init.mdns,
      community: init.community,
      announce: init.announce,
      mailbox: init.mailbox,
      upnp: init.upnp,
      notify: (method, params) => server?.notify(method, params),
      onStopRequested: () => stopped.resolve()
    })
    server = await startRpcServer(
      paths.socket,
      rpcHandlers({ node, messaging: node.messenger, community: node.community, groups: node.messenger.groups })
    )

    const onSignal = (signal: NodeJS.Signals): void => {
      log('received %s, stopping', signal)
      stopped.resolve()
    }
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    init.signal?.addEventListener('abort', () => stopped.resolve(), {
      once: true
    })

    init.onReady({
      peerId: node.peerId.toString(),
      addresses: node.addresses()
    })
    await stopped.promise
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  } finally {
    await server?.close().catch(err => log.error('closing the socket failed %e', err))
    await node?.stop().catch(err => log.error('stopping the node failed %e', err))
    await lock.release()
  }
}
