/**
 * The import graph of node/ and extension/, read with a small static parse of `import`/`export …
 * from` specifiers (and `import('…')`), checked for cycles and for the layer rules of
 * docs/ARCHITECTURE.md. Run alone: `node --test test/architecture/imports.test.ts`.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, test } from 'node:test'

const ROOT = resolve(import.meta.dirname, '../..')
const SOURCE_DIRS = ['node', 'extension']

interface Edge {
  from: string
  /** a repository path for relative specifiers, else the bare specifier (`vscode`, `node:fs`, `libp2p`) */
  to: string
  typeOnly: boolean
}

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...sourceFiles(path))
    else if (/\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path)
  }
  return out
}

const STATIC = /^[ \t]*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"\n]+)['"]/gm
const DYNAMIC = /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g

/** The specifiers a file imports or re-exports. */
export function importsOf(source: string): Array<{ specifier: string; typeOnly: boolean }> {
  const found: Array<{ specifier: string; typeOnly: boolean }> = []
  for (const m of source.matchAll(STATIC)) found.push({ specifier: m[3]!, typeOnly: m[2] !== undefined })
  for (const m of source.matchAll(DYNAMIC)) found.push({ specifier: m[1]!, typeOnly: false })
  return found
}

function readGraph(): { files: string[]; edges: Edge[]; sources: Map<string, string> } {
  const files = SOURCE_DIRS.flatMap(sourceFiles).sort()
  const sources = new Map(files.map(f => [f, readFileSync(join(ROOT, f), 'utf8')]))
  const edges: Edge[] = []
  for (const file of files) {
    for (const { specifier, typeOnly } of importsOf(sources.get(file)!)) {
      const to = specifier.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), specifier)) : specifier
      edges.push({ from: file, to, typeOnly })
    }
  }
  return { files, edges, sources }
}

const graph = readGraph()

/** Strongly connected components with more than one file (or a file importing itself): Tarjan. */
function cycles(files: string[], edges: Edge[]): string[][] {
  const next = new Map<string, string[]>(files.map(f => [f, []]))
  for (const e of edges) if (next.has(e.to)) next.get(e.from)!.push(e.to)
  let index = 0
  const indices = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (v: string): void => {
    indices.set(v, index)
    low.set(v, index++)
    stack.push(v)
    onStack.add(v)
    for (const w of next.get(v)!) {
      if (!indices.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!))
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1 || next.get(v)!.includes(v)) found.push(component.sort())
    }
  }
  for (const f of files) if (!indices.has(f)) visit(f)
  return found
}

/** One path around a component, for the failure message: a → b → … → a. */
function describeCycle(component: string[], edges: Edge[]): string {
  const inside = new Set(component)
  const start = component[0]!
  const path = [start]
  const seen = new Set([start])
  for (;;) {
    const here = path[path.length - 1]!
    const step = edges.find(e => e.from === here && inside.has(e.to) && (e.to === start || !seen.has(e.to)))
    if (step === undefined || step.to === start) break
    path.push(step.to)
    seen.add(step.to)
  }
  return [...path, start].join(' → ')
}

const isBuiltin = (specifier: string): boolean =>
  specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!)
const under = (file: string, ...dirs: string[]): boolean => dirs.some(d => file === d || file.startsWith(`${d}/`))

/** Every file reachable from `entry` through relative imports (type-only ones included). */
/** Every file a bundle built from `entry` contains: type-only imports are erased, so they are not followed. */
function closure(entry: string): Set<string> {
  const seen = new Set<string>()
  const todo = [entry]
  while (todo.length > 0) {
    const file = todo.pop()!
    if (seen.has(file) || !graph.sources.has(file)) continue
    seen.add(file)
    for (const e of graph.edges) if (e.from === file && !e.typeOnly && graph.sources.has(e.to)) todo.push(e.to)
  }
  return seen
}

describe('architecture: the import graph', () => {
  test('the parse sees every kind of import', () => {
    const specs = importsOf(
      [
        "import a from './a.ts'",
        "import type { B } from './b.ts'",
        "import {\n  c,\n  type D\n} from './c.ts'",
        "export { e } from './e.ts'",
        "export * from './f.ts'",
        "import './g.ts'",
        "const h = await import('./h.ts')",
        " * import x from './in-a-comment.ts'",
        "const s = 'parley://invite?'"
      ].join('\n')
    )
    assert.deepEqual(
      specs.map(s => `${s.specifier}${s.typeOnly ? ' (type)' : ''}`),
      ['./a.ts', './b.ts (type)', './c.ts', './e.ts', './f.ts', './g.ts', './h.ts']
    )
    assert.ok(graph.files.length > 80, `read ${graph.files.length} files`)
    assert.ok(graph.edges.length > 300, `read ${graph.edges.length} imports`)
  })

  test('every relative import resolves to a file', () => {
    const missing = graph.edges.filter(
      e => e.to.includes('/') && !e.to.startsWith('@') && under(e.to, 'node', 'extension') && !graph.sources.has(e.to)
    )
    // generated protobuf modules are .js beside their .d.ts; the webview's stylesheet is bundled by esbuild
    const real = missing.filter(e => !/\/pb\/[\w-]+\.js$/.test(e.to) && !e.to.endsWith('.css'))
    assert.deepEqual(
      real.map(e => `${e.from} -> ${e.to}`),
      []
    )
  })

  test('no import cycles (node/ and extension/)', () => {
    assert.deepEqual(
      cycles(graph.files, graph.edges).map(c => describeCycle(c, graph.edges)),
      [],
      'import cycles (break each by moving what both sides need into a module of its own)'
    )
  })

  test('node/ never imports extension/ or vscode', () => {
    const bad = graph.edges.filter(e => under(e.from, 'node') && (under(e.to, 'extension') || e.to === 'vscode'))
    assert.deepEqual(
      bad.map(e => `${e.from} -> ${e.to}`),
      []
    )
  })

  test('domain layers (crypto, identity, mailbox, names, messaging, community, groups, store, p2p, text) never import node/daemon or node/cli', () => {
    const domain = [
      'node/crypto',
      'node/community',
      'node/groups',
      'node/identity',
      'node/mailbox',
      'node/names',
      'node/messaging',
      'node/store',
      'node/p2p',
      'node/text'
    ]
    const upward = graph.edges
      .filter(e => under(e.from, ...domain) && under(e.to, 'node/daemon', 'node/cli', 'node/parley-node.ts'))
      .map(e => `${e.from} -> ${e.to}`)
    assert.deepEqual(upward, [])
  })

  test('node/crypto and node/text are the bottom: they import no other part of node/', () => {
    const bad = graph.edges.filter(
      e =>
        under(e.from, 'node/crypto', 'node/text') &&
        under(e.to, 'node') &&
        !under(e.to, dirname(e.from)) &&
        e.to !== 'node/errors.ts'
    )
    assert.deepEqual(
      bad.map(e => `${e.from} -> ${e.to}`),
      []
    )
  })

  test("the store's database handle is for tests only: no module of node/ or extension/ uses databaseForTests", () => {
    const users = [...graph.sources]
      .filter(([file, code]) => file !== 'node/store/index.ts' && /\bdatabaseForTests\b/.test(code))
      .map(([file]) => file)
    assert.deepEqual(users, [])
  })

  test('node/daemon never imports node/cli; nothing in node/ but node/cli imports node/cli', () => {
    const bad = graph.edges.filter(e => !under(e.from, 'node/cli') && under(e.from, 'node') && under(e.to, 'node/cli'))
    assert.deepEqual(
      bad.map(e => `${e.from} -> ${e.to}`),
      []
    )
  })

  test('the webview is browser code: no vscode, no node builtins, no extension host module, in all it imports', () => {
    const bundle = closure('extension/webview/main.ts')
    assert.ok(bundle.has('extension/protocol.ts') && bundle.size > 8, [...bundle].join(', '))
    const bad: string[] = []
    for (const file of bundle) {
      for (const e of graph.edges.filter(e => e.from === file)) {
        if (e.to === 'vscode' || isBuiltin(e.to)) bad.push(`${file} -> ${e.to}`)
        // the host's modules stay out; the one protocol module is shared by design
        if (under(e.to, 'extension') && !under(e.to, 'extension/webview') && e.to !== 'extension/protocol.ts') {
          bad.push(`${file} -> ${e.to}`)
        }
      }
      // Node globals do not exist in a webview either
      const code = graph.sources.get(file)!.replace(/^\s*(\/\/|\*|\/\*).*$/gm, '')
      for (const global of code.match(/\b(Buffer|process|require)\s*[.(]/g) ?? []) bad.push(`${file} uses ${global}`)
    }
    assert.deepEqual(bad, [])
  })

  test('the extension host reaches node/ only through the daemon client and pure rule modules (no libp2p in its bundle)', () => {
    const host = closure('extension/extension.ts')
    const heavy = graph.edges.filter(
      e => host.has(e.from) && /^(libp2p|@libp2p\/|@chainsafe\/|@multiformats\/|it-|protons-runtime)/.test(e.to)
    )
    assert.deepEqual(
      heavy.map(e => `${e.from} -> ${e.to}`),
      []
    )
  })
})

describe('architecture: one source for each rule', () => {
  /** Functions and classes that must be defined exactly once in node/ and extension/. */
  const ONCE = [
    'bytesEqual',
    'sha256',
    'normalizeName',
    'foldName',
    'nameProblem',
    'isInviteLink',
    'contactLabel',
    'shortPeerId',
    'peerText',
    'textLengthProblem',
    'utf8Length',
    'readReceiptsTo',
    'newMessageId',
    'messageBody'
  ]

  test('each shared rule is defined once', () => {
    const definitions = new Map<string, string[]>()
    for (const [file, source] of graph.sources) {
      for (const m of source.matchAll(/^\s*(?:export\s+)?(?:async\s+)?function\s+(\w+)/gm)) {
        if (!ONCE.includes(m[1]!)) continue
        definitions.set(m[1]!, [...(definitions.get(m[1]!) ?? []), file])
      }
    }
    for (const name of ONCE) assert.equal(definitions.get(name)?.length, 1, `${name}: ${definitions.get(name)}`)
  })

  test('each error class is defined once', () => {
    const classes = new Map<string, string[]>()
    for (const [file, source] of graph.sources) {
      for (const m of source.matchAll(/^\s*(?:export\s+)?class\s+(\w+)\s+extends\s+\w*Error\b/gm)) {
        classes.set(m[1]!, [...(classes.get(m[1]!) ?? []), file])
      }
    }
    const twice = [...classes].filter(([, files]) => files.length > 1)
    assert.deepEqual(twice, [])
    assert.ok(classes.has('NotFoundError') && classes.has('InvalidSignatureError'))
  })

  test('no text-length limit but the one: no other MAX_TEXT constant with its own number', () => {
    const limits = [...graph.sources].flatMap(([file, source]) =>
      [...source.matchAll(/export const (MAX_\w*(?:TEXT|SNIPPET)\w*)\s*=\s*([^\n]+)/g)].map(
        m => `${file}: ${m[1]} = ${m[2]}`
      )
    )
    assert.deepEqual(limits, [
      'node/daemon/methods.ts: MAX_TEXT_LENGTH = MAX_TEXT_BYTES',
      'node/messaging/text-limit.ts: MAX_TEXT_BYTES = 32 * 1024'
    ])
  })
})
