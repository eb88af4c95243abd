// Bundles the three entry points, as in the official VS Code extension sample:
//   dist/cli.js        the `parley` command and daemon (ESM, Node)
//   dist/extension.cjs the VS Code extension host code (CJS, `vscode` external)
//   dist/webview.js    the chat UI loaded into webviews (browser IIFE)
// `--production` minifies, `--watch` rebuilds on change. Type-checking is `tsc --noEmit`, separately.
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import * as esbuild from 'esbuild'

const production = process.argv.includes('--production')
const watch = process.argv.includes('--watch')

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
 * @achingbrain/ssdp (under @libp2p/upnp-nat) reads its own package.json at load time through a
 * require relative to its file, which a bundle cannot resolve (the installed extension's daemon died
 * with "Cannot find module '../../package.json'"): inline the two fields it reads.
 */
const inlineSsdpPackageJson = {
  name: 'inline-ssdp-package-json',
  setup(build) {
    build.onLoad({ filter: /[\\/]@achingbrain[\\/]ssdp[\\/]dist[\\/]src[\\/]ssdp\.js$/ }, async args => {
      const source = await readFile(args.path, 'utf8')
      const { name, version } = JSON.parse(await readFile(join(dirname(args.path), '..', '..', 'package.json'), 'utf8'))
      const read = "req('../../package.json')"
      if (!source.includes(read)) throw new Error(`${args.path} no longer reads its package.json as ${read}`)
      return { contents: source.replace(read, JSON.stringify({ name, version })), loader: 'js' }
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
    entryPoints: ['node/cli/main.ts'],
    outfile: 'dist/cli.js',
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
    outfile: 'dist/extension.cjs',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode']
  },
  {
    ...common,
    entryPoints: ['extension/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022'
  }
]

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch()
} else {
  const results = await Promise.allSettled(builds.map(options => esbuild.build(options)))
  const failed = results.filter(r => r.status === 'rejected')
  for (const r of failed) console.error(r.reason?.message ?? r.reason)
  if (failed.length > 0) process.exit(1)
}
