/**
 * Figure 10: a year of history. The daemon (`parley daemon --json`, a real process) on a home with
 * 1,000 contacts and 1,000,000 messages (bench/big-home.ts; quick: 50 and 20,000) against the same
 * daemon on an empty home, started alternately in the same run: start → ready, RSS once the
 * contacts view has been built, a history page of 100 messages over RPC (the newest page and older
 * pages of the biggest conversation), the contacts view. Goals (issue 14): start ≤ 1.2× and RSS
 * ≤ 1.2× the empty home's, a history page p50 ≤ 10 ms.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { connectDaemon } from '../../node/daemon/client.ts'
import { homePaths } from '../../node/daemon/home.ts'
import { bigHome } from '../big-home.ts'
import { type ReadyProcess, startParleyDaemon } from '../processes.ts'
import type { Figure } from '../report.ts'
import { now, round, summarize } from '../stats.ts'

/** Settle time after the first requests before reading RSS: timers that run at start have run. */
const SETTLE_MS = 5_000
const QUICK_SETTLE_MS = 1_000

interface Visit {
  readyMs: number
  rssMiB: number
  contactsMs: number
}

/** Starts a daemon on `home`, asks for the contacts view as a client does, waits, reads its RSS. */
async function visit(home: string, settleMs: number, keep?: (daemon: ReadyProcess) => Promise<void>): Promise<Visit> {
  const daemon = await startParleyDaemon(home)
  try {
    const client = await connectDaemon(homePaths(home).socket)
    let contactsMs: number
    try {
      const t = now()
      await client.call('contacts.list', {})
      contactsMs = now() - t
    } finally {
      client.close()
    }
    await sleep(settleMs)
    const rssMiB = daemon.rssMiB()
    await keep?.(daemon)
    return { readyMs: daemon.readyMs, rssMiB, contactsMs }
  } finally {
    await daemon.stop()
  }
}

export async function bigHomeFigure(options: { quick: boolean; progress?: (line: string) => void }): Promise<Figure> {
  const started = now()
  const contacts = options.quick ? 50 : 1_000
  const messages = options.quick ? 20_000 : 1_000_000
  const restarts = options.quick ? 2 : 3
  const pages = options.quick ? 20 : 50
  const settleMs = options.quick ? QUICK_SETTLE_MS : SETTLE_MS
  const big = await bigHome({ contacts, messages, progress: options.progress })
  options.progress?.(
    big.cached
      ? `big home: reusing ${big.home}`
      : `big home: generated in ${Math.round(big.generatedMs / 1000)} s (${big.home})`
  )
  const empty = await mkdtemp(join(tmpdir(), 'parley-bench-empty-home-'))
  try {
    // the first start of the empty home creates its identity; not a sample
    await (await startParleyDaemon(empty)).stop()
    const emptyVisits: Visit[] = []
    const bigVisits: Visit[] = []
    const history: { rpc: number[]; newest: number[]; older: number[]; small: number[] } = {
      rpc: [],
      newest: [],
      older: [],
      small: []
    }
    for (let i = 0; i < restarts; i++) {
      emptyVisits.push(await visit(empty, settleMs))
      bigVisits.push(
        await visit(big.home, settleMs, async () => {
          if (i !== restarts - 1) return
          // history pages, on the last visit: RPC round trip alone (node.status) as the floor
          const client = await connectDaemon(homePaths(big.home).socket)
          try {
            const time = async (fn: () => Promise<unknown>, into: number[]): Promise<void> => {
              const t = now()
              await fn()
              into.push(now() - t)
            }
            for (let p = 0; p < pages; p++) await time(() => client.call('node.status', {}), history.rpc)
            for (let p = 0; p < pages; p++) {
              await time(
                () => client.call('messages.history', { target: big.contacts[0]!, limit: 100 }),
                history.newest
              )
            }
            // scrolling back: each page before the oldest of the previous one
            let before: number | undefined
            for (let p = 0; p < pages; p++) {
              const t = now()
              const page = await client.call('messages.history', {
                target: big.contacts[0]!,
                limit: 100,
                ...(before === undefined ? {} : { before })
              })
              history.older.push(now() - t)
              before = page.messages[0]?.storedAt
            }
            for (let p = 0; p < pages; p++) {
              const target = big.contacts[1 + (p % (big.contacts.length - 1))]!
              await time(() => client.call('messages.history', { target, limit: 100 }), history.small)
            }
          } finally {
            client.close()
          }
        })
      )
    }
    const emptyReady = summarize(emptyVisits.map(v => v.readyMs))
    const bigReady = summarize(bigVisits.map(v => v.readyMs))
    const emptyRss = summarize(emptyVisits.map(v => v.rssMiB))
    const bigRss = summarize(bigVisits.map(v => v.rssMiB))
    const emptyContacts = summarize(emptyVisits.map(v => v.contactsMs))
    const bigContacts = summarize(bigVisits.map(v => v.contactsMs))
    const rpc = summarize(history.rpc)
    const newest = summarize(history.newest)
    const older = summarize(history.older)
    const small = summarize(history.small)
    const size = `${contacts.toLocaleString('en')} contacts, ${messages.toLocaleString('en')} msgs${options.quick ? ', QUICK' : ''}`
    const page = (id: string, label: string, s: typeof rpc): Figure['measurements'][number] => ({
      id,
      label,
      value: round(s.p50),
      unit: 'ms',
      baseline: { label: 'RPC round trip (node.status) p50', value: round(rpc.p50), unit: 'ms' },
      ratio: round(s.p50 / rpc.p50, 3),
      goal: { text: '≤ 10 ms', met: s.p50 <= 10 }
    })
    return {
      figure: 10,
      id: 'big-home',
      title: 'A year of history: start, RSS, history pages',
      status: 'measured',
      measurements: [
        {
          id: 'big-home-start-ready',
          label: `daemon start → ready p50 (${size})`,
          value: round(bigReady.p50),
          unit: 'ms',
          baseline: { label: 'empty home', value: round(emptyReady.p50), unit: 'ms' },
          ratio: round(bigReady.p50 / emptyReady.p50, 3),
          goal: { text: '≤ 1.2× empty', met: bigReady.p50 <= 1.2 * emptyReady.p50 }
        },
        {
          id: 'big-home-rss',
          label: `RSS ${settleMs / 1000} s after the contacts view, p50`,
          value: round(bigRss.p50),
          unit: 'MiB',
          baseline: { label: 'empty home', value: round(emptyRss.p50), unit: 'MiB' },
          ratio: round(bigRss.p50 / emptyRss.p50, 3),
          goal: { text: '≤ 1.2× empty', met: bigRss.p50 <= 1.2 * emptyRss.p50 }
        },
        {
          id: 'big-home-contacts-view',
          label: `contacts.list just after ready, p50 (${contacts} contacts)`,
          value: round(bigContacts.p50),
          unit: 'ms',
          baseline: { label: 'empty home', value: round(emptyContacts.p50), unit: 'ms' },
          ratio: round(bigContacts.p50 / emptyContacts.p50, 3)
        },
        page(
          'big-home-history-newest',
          `history: newest 100 of ${big.bigConversation.toLocaleString('en')} msgs, p50`,
          newest
        ),
        page('big-home-history-older', `history: ${pages} older pages of 100, scrolling back, p50`, older),
        page('big-home-history-small', 'history: newest 100 of another conversation, p50', small)
      ],
      details: {
        home: big.home,
        cached: big.cached,
        generatedMs: big.generatedMs,
        contacts,
        messages,
        bigConversation: big.bigConversation,
        ready: { empty: emptyReady, big: bigReady },
        rssMiB: { empty: emptyRss, big: bigRss },
        contactsView: { empty: emptyContacts, big: bigContacts },
        history: { rpc, newest, older, small, olderP99: older.p99 }
      },
      durationMs: Math.round(now() - started),
      notes: [
        `${big.cached ? 'cached home reused' : `home generated through the store in ${Math.round(big.generatedMs / 1000)} s`}; daemons started alternately, empty then big, ${restarts} times each`
      ]
    }
  } finally {
    await rm(empty, { recursive: true, force: true })
  }
}
