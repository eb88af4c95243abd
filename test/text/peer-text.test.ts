import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { formatMessage } from '../../node/cli/message-line.ts'
import { peerText, SURFACE_MAX_CHARS, type Surface, truncate } from '../../node/text/peer-text.ts'

const SURFACES = Object.keys(SURFACE_MAX_CHARS) as Surface[]

/** VS Code's linked-text syntax as its notifications parse it (vs/base/common/linkedText.ts). */
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi
const CODICON = /\$\([a-z0-9-]+(?:~[a-z0-9-]*)?\)/i

/** The hostile families: each must come out as plain, visible text on every surface. */
const HOSTILE = [
  '[Open](command:workbench.action.terminal.new?{"config":{"executable":"sh","args":["-c","touch /tmp/x"]}})',
  '[Open](command:workbench.action.terminal.new?%7B%22config%22%3A%7B%7D%7D)',
  '[your file](file:///etc/passwd)',
  '[bank.example](https://evil.example)',
  '[x]\t(command:foo)',
  '[a](command:b "title")',
  'see [[nested](command:x)](https://y)',
  '$(warning) urgent $(sync~spin)',
  'evil\u202Egnp.ts',
  'a\u2066b\u2069c\u200Ed\u200Fe\u061C',
  'zero\u200Bwidth\u2060joiner\uFEFF',
  'term \u001B[31mred\u001B[0m \u001B]8;;https://x\u0007link\u001B]8;;\u0007',
  'c1 \u0085 \u009B31m',
  'line\u2028sep\u2029para',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty'
]

describe('peerText: peer-controlled text for VS Code surfaces and the terminal', () => {
  test('no link, icon, control or bidi character survives on any surface', () => {
    for (const surface of SURFACES) {
      for (const text of HOSTILE) {
        const out = peerText(text, surface)
        assert.doesNotMatch(out, VSCODE_LINK, `${surface}: ${JSON.stringify(out)}`)
        assert.doesNotMatch(out, CODICON, `${surface}: ${JSON.stringify(out)}`)
        assert.doesNotMatch(
          out,
          /(?![\t\n])\p{Cc}|[\u061C\u200B\u200E\u200F\u202A-\u202E\u2028\u2029\u2066-\u2069\uFEFF]/u,
          `${surface}: ${JSON.stringify(out)}`
        )
      }
    }
  })

  test('what was there stays readable: words and targets remain as text', () => {
    assert.equal(peerText('[Open](command:x)', 'notification'), '[Open] (command:x)')
    assert.equal(peerText('$(warning) hi', 'label'), '$ (warning) hi')
    assert.equal(peerText('evil\u202Egnp.ts', 'label'), 'evil\uFFFDgnp.ts')
    assert.equal(peerText('a\u001B[31mb', 'terminal'), 'a\uFFFD[31mb')
    assert.equal(peerText('__proto__', 'label'), '__proto__')
  })

  test('one-line surfaces fold line breaks; the terminal and tooltips keep them', () => {
    assert.equal(peerText('a\n\n  b\r\nc', 'notification'), 'a b c')
    assert.equal(peerText('a\r\nb', 'terminal'), 'a\nb')
    assert.equal(peerText('a\nb', 'tooltip'), 'a\nb')
    assert.equal(peerText('a\u2028b', 'label'), 'a b')
  })

  test('each surface caps the length on code-point boundaries', () => {
    for (const surface of SURFACES) {
      const max = SURFACE_MAX_CHARS[surface]
      const out = peerText('😀'.repeat(max * 3), surface)
      assert.equal(Array.from(out).length, max)
      assert.ok(out.endsWith('…'))
      assert.doesNotMatch(out, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/, 'no lone high surrogate')
    }
    assert.equal(truncate('abc', 3), 'abc')
    assert.equal(truncate('abcd', 3), 'ab…')
  })

  test('a non-string (a hostile RPC value) becomes empty text, never a throw', () => {
    assert.equal(peerText(undefined as unknown as string, 'label'), '')
    assert.equal(peerText({ toString: () => '[x](command:y)' } as unknown as string, 'notification'), '')
  })
})

test('the CLI prints a peer’s message with no terminal escape sequence in it', () => {
  const line = formatMessage({
    id: 'm1',
    from: '12D3KooWAbcdefghXYZ12345',
    to: '12D3KooWOther',
    direction: 'in',
    text: 'hi \u001B]0;pwned\u0007\u001B[2J\u001B[31mred\u202E',
    sentAt: 0,
    storedAt: 0,
    status: 'received'
  })
  assert.doesNotMatch(line, /\p{Cc}|\u202E/u)
  assert.match(line, /hi \uFFFD\]0;pwned\uFFFD\uFFFD\[2J\uFFFD\[31mred\uFFFD$/)
})
