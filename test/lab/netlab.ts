import { execFile, execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { randomBytes } from 'node:crypto'

/**
 * The NAT lab: real networks on this machine out of Linux network namespaces, veth pairs, bridges
 * and nftables NAT routers (issue 11, "Tests behind real NATs"). Every address is the lab's own;
 * nothing is routed out of the namespaces and nothing leaves the machine.
 *
 *   inet  (the "internet": bridge `pub`, no address)          198.18.0.0/24 (benchmark range)
 *     ├── comm  eth0 198.18.0.10        the community-node host
 *     ├── r1    wan  198.18.0.11 ── NAT ── lan (bridge) 10.77.1.1/24
 *     │                                      ├── a1  eth0 10.77.1.10
 *     │                                      └── a2  eth0 10.77.1.11   (same home LAN as a1)
 *     └── r2    wan  198.18.0.12 ── NAT ── lan (bridge) 10.77.2.1/24
 *                                            └── b1  eth0 10.77.2.10
 *
 * Routers: `net.ipv4.ip_forward=1`, an nft `nat` table masquerading what leaves `wan`, and a
 * `filter` table whose forward and input chains drop what comes in on `wan` unless it belongs to a
 * connection from inside (`ct state established,related`). To make sure a failed dial is the NAT's
 * doing and not a missing route, the public side routes each home's private range to its router's
 * WAN address (an ISP that leaks private routes): packets to a home's private address reach its
 * router and are dropped there by the filter.
 *
 * Namespaces are named `plab-<pid>-<random>-<role>` so parallel runs never meet, `teardown()` kills
 * what runs inside and deletes them even after a failure, and `sweepLeftovers()` deletes the
 * namespaces of runs whose process is gone (a killed test).
 */

export const NS_PREFIX = 'plab-'

export type Role = 'inet' | 'comm' | 'r1' | 'r2' | 'a1' | 'a2' | 'b1'
export type Host = 'comm' | 'a1' | 'a2' | 'b1'

/** The lab's fixed addresses (each run has its own namespaces, so they never collide). */
export const ADDR = {
  comm: '198.18.0.10',
  r1: '198.18.0.11',
  r2: '198.18.0.12',
  r1Lan: '10.77.1.1',
  r2Lan: '10.77.2.1',
  a1: '10.77.1.10',
  a2: '10.77.1.11',
  b1: '10.77.2.10'
} as const

export interface CommandResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command (no shell); resolves with its exit code and output, never rejects on a non-zero code. */
export function run(file: string, args: string[], input?: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      if (err !== null && typeof (err as { code?: unknown }).code !== 'number') {
        reject(new Error(`${file} ${args.join(' ')}: ${err.message}\n${stderr}`))
        return
      }
      resolve({ code: err === null ? 0 : Number((err as { code: number }).code), stdout, stderr })
    })
    if (input !== undefined) child.stdin?.end(input)
  })
}

/** Like `run`, but throws with the command and its stderr when it fails. */
export async function must(file: string, args: string[], input?: string): Promise<string> {
  const r = await run(file, args, input)
  if (r.code !== 0) throw new Error(`\`${file} ${args.join(' ')}\` exited with ${r.code}: ${r.stderr.trim()}`)
  return r.stdout
}

function whichSync(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin', '/usr/bin', '/bin'])) {
    if (dir !== '' && existsSync(`${dir}/${command}`)) return `${dir}/${command}`
  }
  return undefined
}

/**
 * Whether this machine can build the lab: root, `ip` (iproute2) and `nft` (nftables), and a
 * namespace that can actually be created. Returns the reason when it cannot, so the suite fails
 * (or, with PARLEY_LAB=skip, is skipped) saying why.
 */
export function labEnvironment(): { ip: string; nft: string } | { missing: string } {
  if (process.platform !== 'linux') return { missing: `network namespaces need Linux (this is ${process.platform})` }
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return { missing: `the lab needs root to create network namespaces (uid ${process.getuid()})` }
  const ip = whichSync('ip')
  if (ip === undefined) return { missing: '`ip` (Debian package iproute2) is not installed' }
  const nft = whichSync('nft')
  if (nft === undefined) return { missing: '`nft` (Debian package nftables) is not installed' }
  const probe = `${NS_PREFIX}${process.pid}-probe${randomBytes(2).toString('hex')}`
  try {
    execFileSync(ip, ['netns', 'add', probe], { stdio: 'pipe' })
    execFileSync(ip, ['netns', 'exec', probe, nft, 'list', 'ruleset'], { stdio: 'pipe' })
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? (err as Error).message).trim()
    return { missing: `could not create a network namespace with nftables in it: ${stderr}` }
  } finally {
    try {
      execFileSync(ip, ['netns', 'del', probe], { stdio: 'pipe' })
    } catch {}
  }
  return { ip, nft }
}

export const LAB_HINT =
  'The NAT lab needs Linux, root, `ip` (iproute2) and `nft` (nftables): `apt-get install iproute2 nftables` ' +
  '(`.ci/run` does it). PARLEY_LAB=skip leaves the lab suites out knowingly (reported as skipped).'

/**
 * The lab's state for a test file: the environment check done once. `skip` is the reason to give
 * `test(..., { skip })` when PARLEY_LAB=skip; otherwise a missing environment throws from `build`.
 */
export function labAvailability(): { skip: string | false; missing: string | undefined } {
  const env = labEnvironment()
  const missing = 'missing' in env ? env.missing : undefined
  if (missing !== undefined && process.env.PARLEY_LAB === 'skip')
    return { skip: `PARLEY_LAB=skip and the NAT lab cannot run here: ${missing}`, missing }
  return { skip: false, missing }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function listNamespaces(): string[] {
  try {
    return readdirSync('/run/netns')
  } catch {
    return []
  }
}

/** Kills whatever runs inside a namespace (a lab's daemons), then deletes it. */
async function deleteNamespace(ns: string): Promise<void> {
  const pids = await run('ip', ['netns', 'pids', ns]).catch(() => undefined)
  for (const pid of (pids?.stdout ?? '')
    .split('\n')
    .map(Number)
    .filter(n => n > 0)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
  await run('ip', ['netns', 'del', ns]).catch(() => undefined)
}

/** Deletes the namespaces of lab runs whose process no longer exists; returns their names. */
export async function sweepLeftovers(): Promise<string[]> {
  const swept: string[] = []
  for (const ns of listNamespaces()) {
    const m = /^plab-(\d+)-/.exec(ns)
    if (m === null || pidAlive(Number(m[1]))) continue
    await deleteNamespace(ns)
    swept.push(ns)
  }
  return swept
}

export interface LabOptions {
  /** which homes and hosts to build (default: everything) */
  hosts?: Host[]
}

export class NatLab {
  readonly id: string
  readonly namespaces: string[] = []
  private torn = false
  /** Callbacks run at teardown before the namespaces go (daemons stop, homes are removed). */
  private readonly cleanups: Array<() => Promise<void>> = []

  private constructor() {
    this.id = `${process.pid}-${randomBytes(3).toString('hex')}`
  }

  /** The namespace name of a role in this run. */
  ns(role: Role): string {
    return `${NS_PREFIX}${this.id}-${role}`
  }

  /** Builds the whole topology (see the top of this file); tears down what it built if a step fails. */
  static async build(options: LabOptions = {}): Promise<NatLab> {
    const env = labEnvironment()
    if ('missing' in env) throw new Error(`the NAT lab cannot run here: ${env.missing}. ${LAB_HINT}`)
    await sweepLeftovers()
    const lab = new NatLab()
    try {
      await lab.create(new Set(options.hosts ?? ['comm', 'a1', 'a2', 'b1']))
    } catch (err) {
      await lab.teardown()
      throw err
    }
    return lab
  }

  onTeardown(fn: () => Promise<void>): void {
    this.cleanups.push(fn)
  }

  private async addNs(role: Role): Promise<string> {
    const ns = this.ns(role)
    await must('ip', ['netns', 'add', ns])
    this.namespaces.push(ns)
    await must('ip', ['-n', ns, 'link', 'set', 'lo', 'up'])
    return ns
  }

  /** A veth pair between two namespaces, created in place (no name ever exists in the root namespace). */
  private async veth(nsA: string, nameA: string, nsB: string, nameB: string): Promise<void> {
    await must('ip', ['link', 'add', 'name', nameA, 'netns', nsA, 'type', 'veth', 'peer', 'name', nameB, 'netns', nsB])
  }

  private async up(ns: string, dev: string, cidr?: string): Promise<void> {
    if (cidr !== undefined) await must('ip', ['-n', ns, 'addr', 'add', cidr, 'dev', dev])
    await must('ip', ['-n', ns, 'link', 'set', dev, 'up'])
  }

  private async create(hosts: Set<Host>): Promise<void> {
    const inet = await this.addNs('inet')
    await must('ip', ['-n', inet, 'link', 'add', 'pub', 'type', 'bridge'])
    await this.up(inet, 'pub')
    const toInternet = async (ns: string, dev: string, ip: string, port: string): Promise<void> => {
      await this.veth(ns, dev, inet, port)
      await this.up(ns, dev, `${ip}/24`)
      await must('ip', ['-n', inet, 'link', 'set', port, 'master', 'pub'])
      await this.up(inet, port)
    }
    if (hosts.has('comm')) {
      const comm = await this.addNs('comm')
      await toInternet(comm, 'eth0', ADDR.comm, 'p-comm')
      // the ISP leaks private routes: a packet to a home's private address reaches its router
      await must('ip', ['-n', comm, 'route', 'add', '10.77.1.0/24', 'via', ADDR.r1])
      await must('ip', ['-n', comm, 'route', 'add', '10.77.2.0/24', 'via', ADDR.r2])
    }
    const homes: Array<{ router: 'r1' | 'r2'; other: 'r1' | 'r2'; net: number; hosts: Array<'a1' | 'a2' | 'b1'> }> = [
      { router: 'r1', other: 'r2', net: 1, hosts: (['a1', 'a2'] as const).filter(h => hosts.has(h)) },
      { router: 'r2', other: 'r1', net: 2, hosts: (['b1'] as const).filter(h => hosts.has(h)) }
    ]
    for (const home of homes) {
      if (home.hosts.length === 0) continue
      const r = await this.addNs(home.router)
      await toInternet(r, 'wan', ADDR[home.router], `p-${home.router}`)
      await must('ip', ['-n', r, 'route', 'add', `10.77.${3 - home.net}.0/24`, 'via', ADDR[home.other]])
      await must('ip', ['-n', r, 'link', 'add', 'lan', 'type', 'bridge', 'mcast_snooping', '0'])
      await this.up(r, 'lan', `10.77.${home.net}.1/24`)
      await must('ip', ['netns', 'exec', r, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'])
      await must('ip', ['netns', 'exec', r, 'nft', '-f', '-'], ROUTER_RULES)
      for (const host of home.hosts) {
        const h = await this.addNs(host)
        await this.veth(h, 'eth0', r, `l-${host}`)
        await this.up(h, 'eth0', `${ADDR[host]}/24`)
        await must('ip', ['-n', r, 'link', 'set', `l-${host}`, 'master', 'lan'])
        await this.up(r, `l-${host}`)
        await must('ip', ['-n', h, 'route', 'add', 'default', 'via', `10.77.${home.net}.1`])
      }
    }
  }

  /** Runs a command inside a namespace. */
  exec(role: Role, file: string, args: string[], input?: string): Promise<CommandResult> {
    return run('ip', ['netns', 'exec', this.ns(role), file, ...args], input)
  }

  /** The argv prefix that runs a program inside a namespace (for spawn). */
  prefix(role: Role): string[] {
    return ['netns', 'exec', this.ns(role)]
  }

  /** Packet counters of a router's filter (drops of inbound WAN traffic show the NAT at work). */
  async routerRules(router: 'r1' | 'r2'): Promise<string> {
    return await must('ip', ['netns', 'exec', this.ns(router), 'nft', 'list', 'ruleset'])
  }

  /** Packets a router's filter dropped so far from its WAN side (the counter rules at the end of its chains). */
  async drops(router: 'r1' | 'r2'): Promise<{ forward: number; input: number }> {
    const rules = await this.routerRules(router)
    const count = (comment: string): number => {
      const m = new RegExp(`counter packets (\\d+) bytes \\d+ comment "${comment}"`).exec(rules)
      if (m === null) throw new Error(`no counter "${comment}" in ${router}'s rules:\n${rules}`)
      return Number(m[1])
    }
    return { forward: count('dropped from wan'), input: count('dropped to router from wan') }
  }

  /**
   * Cuts (or restores) the direct path between the hosts of home 1's LAN: a bridge-family rule in
   * r1 drops IPv4 frames bridged from one host port to another, so a1 and a2 still reach their
   * router (and the internet through it) but not each other. The benchmarks use it to measure the
   * same pair relayed and then direct.
   */
  async isolateLan(on: boolean): Promise<void> {
    const r1 = this.ns('r1')
    if (on) {
      await must('ip', ['netns', 'exec', r1, 'nft', '-f', '-'], LAN_BLOCK_RULES)
    } else {
      await run('ip', ['netns', 'exec', r1, 'nft', 'delete', 'table', 'bridge', 'lanblock'])
    }
  }

  /** Stops what the tests started in the lab (callbacks), kills anything left inside, deletes the namespaces. */
  async teardown(): Promise<void> {
    if (this.torn) return
    this.torn = true
    for (const fn of this.cleanups.reverse()) {
      await fn().catch(() => {})
    }
    for (const ns of [...this.namespaces].reverse()) await deleteNamespace(ns)
  }

  /** Namespaces of this run that still exist (empty after teardown). */
  remaining(): string[] {
    const mine = `${NS_PREFIX}${this.id}-`
    return listNamespaces().filter(ns => ns.startsWith(mine))
  }
}

/** A home router: NAT out of `wan`, nothing in from `wan` but replies to connections from inside. */
export const ROUTER_RULES = `
table ip nat {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan" masquerade
  }
}
table inet filter {
  chain forward {
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    iifname != "wan" accept
    counter comment "dropped from wan"
  }
  chain input {
    type filter hook input priority filter; policy drop;
    ct state established,related accept
    iifname != "wan" accept
    counter comment "dropped to router from wan"
  }
}
`

/** home 1's LAN with its hosts cut from each other (see `isolateLan`). */
export const LAN_BLOCK_RULES = `
table bridge lanblock {
  chain forward {
    type filter hook forward priority filter; policy accept;
    meta protocol ip counter drop comment "host to host on the LAN"
  }
}
`
