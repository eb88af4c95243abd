/**
 * Group conversations (issue 13), two numbers with their same-run baselines:
 *
 * 1. Time until one group message has reached all 50 members (every member's messenger stored it),
 *    against one direct message reaching one member, both on 127.0.0.1 between real libp2p nodes
 *    with SQLite files (the test network of test/messaging/helpers.ts: real messengers, a fake DHT).
 * 2. The sender's CPU time per group message (process.cpuUsage around `groups.send`, until every
 *    member's pairwise envelope is sealed and committed) for 10 and for 100 members, against one
 *    direct message: the cost of encrypting once plus one pairwise envelope per member.
 *
 *   npm exec -- node bench/figures/groups.ts [--quick]
 *
 * Prints one JSON document.
 */
import { eventually, type TestNet, type TestPeer } from '../../test/messaging/helpers.ts'
import { summarize } from '../stats.ts'

const quick = process.argv.includes('--quick')
const SLOW = {
  presenceIntervalMs: 600_000,
  keyCheckIntervalMs: 600_000,
  profileRefreshMs: 600_000,
  retryMinMs: 100,
  retryMaxMs: 500
}

async function arrival(peers: TestPeer[], id: string, method: 'group.message' | 'message.received'): Promise<void> {
  const has = (p: TestPeer): boolean =>
    p.events.some(e => e.method === method && (e.params as { message: { id: string } }).message.id === id)
  for (;;) {
    if (peers.every(has)) return
    await new Promise(resolve => setTimeout(resolve, 2))
  }
}

function cpuMs(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start)
  return (d.user + d.system) / 1000
}

async function main(): Promise<void> {
  const { TestNet } = await import('../../test/messaging/helpers.ts')
  const net: TestNet = new TestNet()
  const memberCount = quick ? 10 : 50
  const cpuSizes = quick ? [5, 10] : [10, 100]
  const rounds = quick ? 3 : 10
  try {
    const sender = await net.peer('sender', { messenger: SLOW })
    const members: TestPeer[] = []
    const total = Math.max(memberCount, ...cpuSizes)
    for (let i = 0; i < total; i++) members.push(await net.peer(`member${i}`, { messenger: SLOW }))
    const ids = members.map(m => m.identity.peerId.toString())
    const signal = (): AbortSignal => AbortSignal.timeout(120_000)

    // --- 1. time to all members, against one direct message
    const reach = members.slice(0, memberCount)
    const group = await sender.messenger.groups.create('bench', ids.slice(0, memberCount), { signal: signal() })
    await eventually(() => reach.every(m => m.messenger.groups.list().length > 0), 120_000)
    const send = async (target: string, text: string): Promise<string> =>
      (await sender.messenger.send(target, { text }, { wait: false, timeoutMs: 1000, signal: signal() })).id
    // warm-up: sessions (X3DH) and sender keys to every member
    await arrival(reach, await send(group.id, 'warm-up'), 'group.message')
    await arrival([reach[0]!], await send(ids[0]!, 'warm-up'), 'message.received')
    const groupMs: number[] = []
    const directMs: number[] = []
    for (let r = 0; r < rounds; r++) {
      let t = performance.now()
      await arrival([reach[0]!], await send(ids[0]!, `direct ${r}`), 'message.received')
      directMs.push(performance.now() - t)
      t = performance.now()
      await arrival(reach, await send(group.id, `group ${r}`), 'group.message')
      groupMs.push(performance.now() - t)
    }

    // --- 2. sender CPU per message, members offline (sealing and committing only, no network)
    const cpu: Record<string, number> = {}
    const groupsBySize: Record<number, string> = {}
    for (const size of cpuSizes) {
      const g = await sender.messenger.groups.create(`cpu${size}`, ids.slice(0, size), { signal: signal() })
      groupsBySize[size] = g.id
      await eventually(
        () => members.slice(0, size).every(m => m.messenger.groups.list().some(x => x.id === g.id)),
        120_000
      )
      // sessions and sender keys first
      await arrival(members.slice(0, size), await send(g.id, 'warm-up'), 'group.message')
    }
    for (const m of members) await net.stop(m)
    const cpuRounds = quick ? 5 : 20
    let start = process.cpuUsage()
    for (let r = 0; r < cpuRounds; r++) await send(ids[0]!, `direct cpu ${r}`)
    cpu.direct = cpuMs(start) / cpuRounds
    for (const size of cpuSizes) {
      start = process.cpuUsage()
      for (let r = 0; r < cpuRounds; r++) await send(groupsBySize[size]!, `cpu ${r}`)
      cpu[`group${size}`] = cpuMs(start) / cpuRounds
    }
    const g = summarize(groupMs)
    const d = summarize(directMs)
    process.stdout.write(
      `${JSON.stringify(
        {
          quick,
          reach: {
            members: memberCount,
            rounds,
            groupToAllMs: { p50: g.p50, max: g.max },
            directToOneMs: { p50: d.p50, max: d.max },
            ratioP50: g.p50 / d.p50
          },
          senderCpuPerMessageMs: Object.fromEntries(
            Object.entries(cpu).map(([k, v]) => [k, Math.round(v * 100) / 100])
          ),
          cpuRatios: Object.fromEntries(
            cpuSizes.map(s => [`group${s}/direct`, Math.round((cpu[`group${s}`]! / cpu.direct!) * 10) / 10])
          ),
          cpuPerMemberMs: Object.fromEntries(
            cpuSizes.map(s => [`group${s}`, Math.round((cpu[`group${s}`]! / s) * 100) / 100])
          )
        },
        null,
        2
      )}\n`
    )
  } finally {
    await net.close()
  }
}

await main()
