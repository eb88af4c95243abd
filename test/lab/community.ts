import assert from 'node:assert/strict'
import { join } from 'node:path'
import { eventually } from '../helpers/cli.ts'
import { type LabDaemon, type LabDaemonOptions, startLabDaemon } from './lab-daemon.ts'
import { ADDR, type Host, type NatLab } from './netlab.ts'

/**
 * Community scenarios' building blocks, written against the CLI contract of issue 11:
 * `parley daemon --community --listen … --announce …` (ready line with `"community": true`),
 * `community invite|join|members|remove|list|leave --json`, `status --json` with `reachability`,
 * `relayAddresses`, `communities`, and `peers --json` with `relayed`.
 */

/** The community node's fixed address on the public segment (fixed, so a restart keeps it). */
export const COMMUNITY_MA = `/ip4/${ADDR.comm}/tcp/4001`

/** The bound: a member gets its reservation back by itself within 30 s of a restart. */
export const RESERVATION_BACK_MS = 30_000

export interface Peer {
  peerId: string
  addresses: string[]
  relayed?: boolean
}

export interface Status {
  peerId: string
  reachability?: string
  relayAddresses?: string[]
  communities?: unknown[]
}

export async function startCommunity(lab: NatLab, options: LabDaemonOptions = {}): Promise<LabDaemon> {
  let node: LabDaemon
  try {
    node = await startLabDaemon(lab, 'comm', ADDR.comm, {
      community: true,
      listen: [COMMUNITY_MA],
      announce: [COMMUNITY_MA],
      ...options
    })
  } catch (err) {
    const message = (err as Error).message
    if (/--community|Unknown option|unknown option/i.test(message))
      throw new Error(
        'this branch has no community node: `parley daemon --community` is refused (issue 11 not implemented; ' +
          `merge the community branch). The daemon said:\n${message}`
      )
    throw err
  }
  assert.equal(
    node.ready.community,
    true,
    `the community node's ready line says "community": true: ${JSON.stringify(node.ready)}`
  )
  return node
}

export async function startMember(lab: NatLab, host: Host, options: LabDaemonOptions = {}): Promise<LabDaemon> {
  return await startLabDaemon(lab, host, ADDR[host], options)
}

/** The identity file in a daemon's home (for the probe's reservations with a member's key). */
export function keyFile(daemon: LabDaemon): string {
  return join(daemon.home, 'identity.key')
}

/** The full multiaddr of the community node (with /p2p/). */
export function communityAddress(community: LabDaemon): string {
  return `${COMMUNITY_MA}/p2p/${community.peerId}`
}

export async function invite(community: LabDaemon, extra: string[] = []): Promise<string> {
  const r = await community.cli(['community', 'invite', ...extra])
  assert.equal(r.code, 0, `community invite: ${r.stderr}`)
  const link = r.json?.link
  assert.ok(typeof link === 'string' && link.startsWith('parley://community?'), `an invite link: ${r.stdout}`)
  return link
}

export async function joinCommunity(member: LabDaemon, link: string, community: LabDaemon): Promise<void> {
  const r = await member.cli(['community', 'join', link])
  assert.equal(r.code, 0, `community join in ${member.role}: ${r.stderr}`)
  assert.equal(r.json?.community?.peerId, community.peerId, `join answers the community: ${r.stdout}`)
}

export async function status(daemon: LabDaemon): Promise<Status> {
  const r = await daemon.cli(['status'])
  assert.equal(r.code, 0, `status: ${r.stderr}`)
  return r.json as Status
}

export async function peers(daemon: LabDaemon): Promise<Peer[]> {
  const r = await daemon.cli(['peers'])
  assert.equal(r.code, 0, `peers: ${r.stderr}`)
  return r.json.peers as Peer[]
}

/** Relay addresses of `member` through `community` (from `status --json`). */
export async function reservationsAt(member: LabDaemon, community: LabDaemon): Promise<string[]> {
  const s = await status(member)
  return (s.relayAddresses ?? []).filter(a => a.includes(`/p2p/${community.peerId}/p2p-circuit`))
}

/** Waits until `member` listens through `community`'s relay; returns the addresses and how long it took. */
export async function waitForReservation(
  member: LabDaemon,
  community: LabDaemon,
  timeoutMs = 45_000
): Promise<{ addresses: string[]; ms: number }> {
  const start = performance.now()
  const addresses = await eventually(async () => {
    const a = await reservationsAt(member, community)
    return a.length > 0 ? a : undefined
  }, timeoutMs)
  return { addresses, ms: Math.round(performance.now() - start) }
}

/** `relayed` in `peers --json` is what the connections are: true iff every connection to the peer is relayed. */
export function assertRelayedTruthful(peer: Peer): void {
  assert.equal(
    typeof peer.relayed,
    'boolean',
    `peers --json gives "relayed" for ${peer.peerId}: ${JSON.stringify(peer)}`
  )
  const allRelayed = peer.addresses.length > 0 && peer.addresses.every(a => a.includes('/p2p-circuit'))
  assert.equal(peer.relayed, allRelayed, `"relayed" matches the connections' addresses: ${JSON.stringify(peer)}`)
}

/** A member of the community with its reservation, started in `host`. */
export async function joinedMember(
  lab: NatLab,
  host: Host,
  community: LabDaemon,
  options: LabDaemonOptions = {}
): Promise<{ daemon: LabDaemon; reservation: { addresses: string[]; ms: number } }> {
  const daemon = await startMember(lab, host, options)
  await joinCommunity(daemon, await invite(community), community)
  const reservation = await waitForReservation(daemon, community)
  return { daemon, reservation }
}

/** Sends with `--wait` and returns the result (does not assert delivery). */
export async function sendWait(from: LabDaemon, to: string, text: string, timeoutS: number) {
  const start = performance.now()
  const r = await from.cli(['send', to, text, '--wait', '--timeout', String(timeoutS)], {
    timeoutMs: (timeoutS + 30) * 1000
  })
  return { ...r, ms: Math.round(performance.now() - start) }
}

/** Texts of a conversation, in order. */
export async function texts(daemon: LabDaemon, target: string): Promise<Array<[string, string]>> {
  const r = await daemon.cli(['history', target])
  assert.equal(r.code, 0, `history: ${r.stderr}`)
  return (r.json.messages as Array<{ direction: string; text: string }>).map(m => [m.direction, m.text])
}

/** Environment that makes a daemon log js-libp2p's DCUtR steps on stderr (read by `dcutrOutcome`). */
export const DCUTR_DEBUG = { DEBUG: 'libp2p:dcutr*' }

export interface DcutrOutcome {
  /** DCUtR exchanges this side began (B sends CONNECT: counted once per exchange), and unilateral upgrade tries */
  attempts: number
  /** dials of the other side's observed addresses */
  dials: number
  successes: number
  /** exchanges given up because one side had no public address to offer */
  noAddresses: number
  errors: number
  /** the distinct log lines, without times and peer ids, for the report */
  lines: string[]
}

/** What DCUtR did, from a daemon started with DCUTR_DEBUG (since character `from` of its stderr). */
export function dcutrOutcome(stderr: string, from = 0): DcutrOutcome {
  const lines = stderr
    .slice(from)
    .split('\n')
    .filter(l => l.includes('libp2p:dcutr'))
  const count = (re: RegExp): number => lines.filter(l => re.test(l)).length
  return {
    attempts: count(/B sending connect|attempting unilateral/),
    dials: count(/[AB] dialing/),
    successes: count(/succeeded/),
    noAddresses: count(/had no dialable|did not have any dialable|sent no multiaddrs|has no public addresses/),
    errors: count(/error/),
    lines: [
      ...new Set(
        lines.map(l =>
          l
            .replace(/^\S+Z /, '')
            .replace(/12D3Koo\w+/g, '<peer>')
            .slice(0, 200)
        )
      )
    ]
  }
}
