/**
 * `npm run demo`: three Parley daemons in temporary homes on 127.0.0.1. They register alice, bob
 * and carol, resolve each other through the DHT and exchange messages while carol is offline for a
 * while; then the transcript is printed with delivery times and everything is cleaned up.
 */
import { type DaemonProcess, eventually, makeHome, removeHome, runCli, startDaemon } from './helpers/cli.ts'

const names = ['alice', 'bob', 'carol'] as const
type Name = (typeof names)[number]

const started = Date.now()
const homes = {} as Record<Name, string>
const daemons = {} as Record<Name, DaemonProcess>
const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`
const say = (line: string): void => console.log(`${elapsed()}  ${line}`)

async function cli(who: Name, ...args: string[]): Promise<any> {
  const r = await runCli(homes[who], [...args, '--json'])
  if (r.code !== 0) throw new Error(`${who}: parley ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`)
  return r.json
}

async function send(from: Name, to: Name, text: string): Promise<void> {
  const r = await cli(from, 'send', to, text)
  say(`${from} → ${to}: "${text}" (${r.status})`)
}

try {
  for (const name of names) homes[name] = await makeHome(`parley-demo-${name}-`)
  daemons.alice = await startDaemon(homes.alice)
  daemons.bob = await startDaemon(homes.bob, {
    bootstrap: daemons.alice.addresses
  })
  daemons.carol = await startDaemon(homes.carol, {
    bootstrap: daemons.alice.addresses
  })
  say('three daemons up on 127.0.0.1')

  for (const name of names) {
    const r = await cli(name, 'register', name)
    say(`${name} registered "${r.name}" (stored by ${r.stored} peers) as ${r.peerId}`)
  }
  for (const [who, whom] of [
    ['alice', 'bob'],
    ['bob', 'carol'],
    ['carol', 'alice']
  ] as const) {
    const r = await cli(who, 'resolve', whom)
    say(`${who} resolved ${whom} → ${r.peerId.slice(0, 16)}… fingerprint ${r.fingerprint}`)
  }

  await send('alice', 'bob', 'Hi Bob! Lunch at noon?')
  await send('bob', 'alice', 'Sure, see you there.')
  await send('alice', 'carol', 'Carol, are you coming too?')

  await daemons.carol.stop()
  say('carol goes offline')
  await send('bob', 'carol', 'We are leaving in 5 minutes')
  await send('alice', 'carol', 'Carol? (sent while you were offline)')
  await new Promise(resolve => setTimeout(resolve, 2000))

  daemons.carol = await startDaemon(homes.carol, {
    bootstrap: daemons.alice.addresses
  })
  say('carol is back online')
  await eventually(async () => {
    const { messages } = await cli('carol', 'history', 'alice')
    return messages.length >= 2
  }, 60_000)
  await eventually(async () => (await cli('carol', 'history', 'bob')).messages.length >= 1, 60_000)
  await send('carol', 'alice', 'Sorry, was offline. On my way!')
  await eventually(
    async () => (await cli('carol', 'history', 'alice')).messages.every((m: any) => m.status !== 'queued'),
    60_000
  )

  console.log('\nTranscript (as stored by the first of each pair; delivered = signed ack received):\n')
  for (const [a, b] of [
    ['alice', 'bob'],
    ['alice', 'carol'],
    ['bob', 'carol']
  ] as const) {
    const { messages } = await cli(a, 'history', b)
    console.log(`— ${a} ⇄ ${b}`)
    for (const m of messages) {
      const sender = m.direction === 'out' ? a : b
      const delay = m.deliveredAt !== undefined ? ` after ${((m.deliveredAt - m.sentAt) / 1000).toFixed(2)}s` : ''
      console.log(`  [${new Date(m.sentAt).toISOString().slice(11, 23)}] ${sender}: ${m.text}  (${m.status}${delay})`)
    }
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err)
  process.exitCode = 1
} finally {
  await Promise.all(Object.values(daemons).map(d => d.stop().catch(() => {})))
  await Promise.all(Object.values(homes).map(removeHome))
  say('cleaned up')
}
