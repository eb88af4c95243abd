// Bundles the three entry points, as in the official VS Code extension sample:
//   dist/cli.js        the `parley` command and daemon (ESM, Node)
//   dist/extension.cjs the VS Code extension host code (CJS, `vscode` external)
//   dist/webview.js    the chat UI loaded into webviews (browser IIFE)
// `--production` minifies, `--watch` rebuilds on change, `--outdir DIR` writes to DIR instead of dist
// (the bench builds the production daemon there). Type-checking is `tsc --noEmit`, separately.
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import * as esbuild from 'esbuild'

const production = process.argv.includes('--production')
const watch = process.argv.includes('--watch')
const outdirAt = process.argv.indexOf('--outdir')
const outdir = outdirAt === -1 ? 'dist' : process.argv[outdirAt + 1]
if (outdir === undefined) throw new Error('--outdir needs a directory')

/** Prints errors in the form the `$esbuild-watch` problem matcher of VS Code understands. */
const problemMatcher = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started')
    })
    build.onEnd(result => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`)
        if (location != null) console.error(`    ${location.file}:${location.line}:${location.column}:`)
      }
      if (watch) console.log('[watch] build finished')
    })
  }
}

/**
 * @achingbrain/ssdp (under @libp2p/upnp-nat, `daemon --upnp`) reads its own package.json at load
 * through createRequire('../../package.json'), a path that does not exist next to dist/cli.js.
 * Bundle that JSON instead: same name and version, no file at run time.
 */
const inlineSsdpPackageJson = {
  name: 'inline-ssdp-package-json',
  setup(build) {
    build.onLoad({ filter: /@achingbrain[\\/]ssdp[\\/]dist[\\/]src[\\/]ssdp\.js$/ }, async args => {
      const { readFile } = await import('node:fs/promises')
      const source = await readFile(args.path, 'utf8')
      const patched = source.replace(
        "const { name, version } = req('../../package.json');",
        "import ssdpPackage from '../../package.json' with { type: 'json' };\nconst { name, version } = ssdpPackage;"
      )
      if (patched === source) throw new Error(`${args.path}: the package.json read to inline was not found`)
      return { contents: patched, loader: 'js', resolveDir: args.path.replace(/[\\/][^\\/]*$/, '') }
    })
  }
}

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcher]
}

const builds = [
  {
    ...common,
    // dist/cli.js is the launcher (node/cli/bin.ts): it checks the Node version before it loads the
    // program, which esbuild splits into dist/cli-*.js chunks (a static import of node:sqlite in
    // dist/cli.js itself would fail on an old Node before any check could run).
    entryPoints: { cli: 'node/cli/bin.ts' },
    outdir,
    splitting: true,
    chunkNames: 'cli-[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node22',
    plugins: [problemMatcher, inlineSsdpPackageJson],
    // Some dependencies still call require(); give the ESM bundle one.
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __parleyCreateRequire } from 'node:module'; const require = __parleyCreateRequire(import.meta.url);"
    }
  },
  {
    ...common,
    entryPoints: ['extension/extension.ts'],
    outfile: join(outdir, 'extension.cjs'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode']
  },
  {
    ...common,
    entryPoints: ['extension/webview/main.ts'],
    outfile: join(outdir, 'webview.js'),
    platform: 'browser',
    format: 'iife',
    target: 'es2022'
  }
]

// chunks of earlier builds (their names hold a hash)
for (const file of existsSync(outdir) ? readdirSync(outdir) : []) {
  if (/^cli-.*\.js(\.map)?$/.test(file)) rmSync(join(outdir, file))
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch()
} else {
  const results = await Promise.allSettled(builds.map(options => esbuild.build(options)))
  const failed = results.filter(r => r.status === 'rejected')
  for (const r of failed) console.error(r.reason?.message ?? r.reason)
  if (failed.length > 0) process.exit(1)
}
