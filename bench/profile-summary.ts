/**
 * Summarizes a `node --cpu-prof` profile: self time by package and by function, so that
 * docs/PERFORMANCE.md can say where the time goes.
 *
 *   node bench/profile-summary.ts CPU.*.cpuprofile [--top 25]
 *
 * It also prints the inclusive time of our own functions (node/…): the samples with the function
 * anywhere on their stack, each sample counted once per function even under recursion.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** `@scope/name` or `name` of a node_modules path, `parley:<dir>` for our sources, else the kind. */
function owner(url: string, functionName: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (match != null) {
    return match[1]!
  }
  const ours = /\/(node|bench|test)\/([^/]+)\//.exec(url)
  if (ours != null) {
    return `parley:${ours[1]}/${ours[2]}`
  }
  if (url.startsWith('node:')) {
    return 'node: internals'
  }
  if (url === '') {
    return functionName === '(garbage collector)' ? '(gc)' : functionName.startsWith('(') ? functionName : '(native)'
  }
  return url
}

const LIBP2P =
  /^(@libp2p\/|@chainsafe\/|libp2p$|@multiformats\/|multiformats$|uint8arraylist$|uint8arrays$|uint8-varint$|it-|race-signal$|main-event$|weald$|mortice$|p-queue$|any-signal$|@noble\/)/

/**
 * The layer a sample belongs to, for "where does the time go": SQLite (node:sqlite's natives and
 * our store), fsync, crypto (node:crypto's natives and our crypto layer), protobuf, libp2p (streams,
 * yamux, noise, peer store), Node's internals, our other code, and GC / idle / the profiler. A
 * native function (`exec`, `run`: node:sqlite and node:crypto share the name) takes its caller's.
 */
function layer(node: ProfileNode, parentOf: (node: ProfileNode) => ProfileNode | undefined): string {
  const { functionName, url } = node.callFrame
  if (url === '') {
    if (functionName === 'fdatasync' || functionName === 'fsync') return 'fsync (WAL, off the thread)'
    if (functionName.startsWith('(')) return functionName === '(garbage collector)' ? '(gc)' : functionName
    const parent = parentOf(node)
    return parent === undefined ? '(native)' : layer(parent, parentOf)
  }
  if (/node:inspector/.test(url)) return '(profiler)'
  if (/node:internal\/crypto|\/node\/crypto\//.test(url)) return 'crypto'
  if (/\/pb\/[^/]+\.js$|protons-runtime/.test(url)) return 'protobuf'
  if (/node:sqlite|\/node\/store\/|\/bench\/durable\.ts|sqlite-datastore/.test(url)) return 'SQLite'
  const who = owner(url, functionName)
  if (LIBP2P.test(who)) return 'libp2p (streams, yamux, noise, peer store)'
  if (who === 'node: internals') return 'node: internals (sockets, timers, events)'
  if (who.startsWith('parley:')) return `ours: ${who.slice('parley:'.length)}`
  return who
}

export function summarizeProfile(profile: Profile, top: number): string {
  const byId = new Map(profile.nodes.map(n => [n.id, n]))
  const parents = new Map<number, ProfileNode>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parents.set(c, n)
  const self = new Map<number, number>()
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const byOwner = new Map<string, number>()
  const byFunction = new Map<string, number>()
  const byLayer = new Map<string, number>()
  for (const [id, micros] of self) {
    const node = byId.get(id)!
    const where = layer(node, n => parents.get(n.id))
    byLayer.set(where, (byLayer.get(where) ?? 0) + micros)
    const { functionName, url, lineNumber } = node.callFrame
    const who = owner(url, functionName)
    byOwner.set(who, (byOwner.get(who) ?? 0) + micros)
    const at = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(node|bench)\//, '$1/')}:${lineNumber + 1}`
    byFunction.set(at, (byFunction.get(at) ?? 0) + micros)
  }
  // inclusive time of our functions: every sample adds its time to each of ours on its stack, once
  const inclusive = new Map<string, number>()
  for (const [id, micros] of self) {
    const seen = new Set<string>()
    for (let n: ProfileNode | undefined = byId.get(id); n !== undefined; n = parents.get(n.id)) {
      const { functionName, url, lineNumber } = n.callFrame
      const ours = /\/node\/(.+)$/.exec(url)
      if (ours == null || url.includes('node_modules')) continue
      seen.add(`${functionName || '(anonymous)'} node/${ours[1]}:${lineNumber + 1}`)
    }
    for (const at of seen) inclusive.set(at, (inclusive.get(at) ?? 0) + micros)
  }
  const table = (map: Map<string, number>): string =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, micros]) =>
          `${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}`
      )
      .join('\n')
  return [
    `total sampled ${(total / 1000).toFixed(0)} ms`,
    '',
    'self time by layer:',
    table(byLayer),
    '',
    'self time by package:',
    table(byOwner),
    '',
    'self time by function:',
    table(byFunction),
    '',
    'inclusive time of our functions (node/…):',
    table(inclusive)
  ].join('\n')
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const { values, positionals } = parseArgs({
    options: { top: { type: 'string', default: '25' } },
    allowPositionals: true
  })
  for (const file of positionals) {
    process.stdout.write(`${file}\n${summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), Number(values.top))}\n\n`)
  }
}
