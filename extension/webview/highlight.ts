/**
 * Code highlighting with highlight.js core and a fixed set of common languages (the full build would
 * triple the bundle). Output is highlight.js HTML: the code escaped, tokens in `<span class="hljs-…">`.
 */
import hljs from 'highlight.js/lib/core'
import bash from 'highlight.js/lib/languages/bash'
import c from 'highlight.js/lib/languages/c'
import cpp from 'highlight.js/lib/languages/cpp'
import csharp from 'highlight.js/lib/languages/csharp'
import css from 'highlight.js/lib/languages/css'
import diff from 'highlight.js/lib/languages/diff'
import dockerfile from 'highlight.js/lib/languages/dockerfile'
import go from 'highlight.js/lib/languages/go'
import ini from 'highlight.js/lib/languages/ini'
import java from 'highlight.js/lib/languages/java'
import javascript from 'highlight.js/lib/languages/javascript'
import json from 'highlight.js/lib/languages/json'
import kotlin from 'highlight.js/lib/languages/kotlin'
import makefile from 'highlight.js/lib/languages/makefile'
import markdown from 'highlight.js/lib/languages/markdown'
import php from 'highlight.js/lib/languages/php'
import plaintext from 'highlight.js/lib/languages/plaintext'
import powershell from 'highlight.js/lib/languages/powershell'
import python from 'highlight.js/lib/languages/python'
import ruby from 'highlight.js/lib/languages/ruby'
import rust from 'highlight.js/lib/languages/rust'
import scss from 'highlight.js/lib/languages/scss'
import shell from 'highlight.js/lib/languages/shell'
import sql from 'highlight.js/lib/languages/sql'
import swift from 'highlight.js/lib/languages/swift'
import typescript from 'highlight.js/lib/languages/typescript'
import xml from 'highlight.js/lib/languages/xml'
import yaml from 'highlight.js/lib/languages/yaml'

const languages = {
  bash,
  c,
  cpp,
  csharp,
  css,
  diff,
  dockerfile,
  go,
  ini,
  java,
  javascript,
  json,
  kotlin,
  makefile,
  markdown,
  php,
  plaintext,
  powershell,
  python,
  ruby,
  rust,
  scss,
  shell,
  sql,
  swift,
  typescript,
  xml,
  yaml
}
for (const [name, language] of Object.entries(languages)) hljs.registerLanguage(name, language)

/**
 * VS Code language ids that highlight.js knows under another name. A Map: the language comes from a
 * peer, and `__proto__` or `constructor` looked up on an object would find its prototype.
 */
const vscodeLanguageIds: ReadonlyMap<string, string> = new Map([
  ['shellscript', 'bash'],
  ['typescriptreact', 'typescript'],
  ['javascriptreact', 'javascript'],
  ['jsonc', 'json'],
  ['html', 'xml'],
  ['objective-c', 'c'],
  ['properties', 'ini'],
  ['toml', 'ini']
])

/** The highlight.js language for a fence info string or a VS Code language id, if it is one we bundle. */
export function resolveLanguage(language: string): string | undefined {
  const id = language.trim().toLowerCase()
  if (id === '') return undefined
  const name = vscodeLanguageIds.get(id) ?? id
  // hljs keeps languages and aliases in prototype-free objects: any string is a safe key there
  return hljs.getLanguage(name) === undefined ? undefined : name
}

/** Highlighted HTML for `code`, or undefined when the language is unknown (the caller escapes the code itself). */
export function highlightCode(code: string, language: string): string | undefined {
  const name = resolveLanguage(language)
  if (name === undefined) return undefined
  return hljs.highlight(code, { language: name, ignoreIllegals: true }).value
}
