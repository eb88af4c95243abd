/** The webview stylesheet takes every colour and font from VS Code's --vscode-* theme variables. */
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { it } from 'node:test'

const css = await readFile(new URL('../../extension/webview/styles.css', import.meta.url), 'utf8')
const rules = css.replace(/\/\*[\s\S]*?\*\//g, '')

it('has no literal colours', () => {
  assert.doesNotMatch(rules, /#[0-9a-f]{3,8}\b/i)
  assert.doesNotMatch(rules, /\b(rgba?|hsla?|hwb|lab|lch|oklab|oklch|color-mix)\(/i)
})

it('sets colours and fonts only through --vscode-* variables (or transparent/none/inherit)', () => {
  const declarations = [
    ...rules.matchAll(
      /(?:^|[;{\s])((?:[a-z-]*color|background|color|border(?:-[a-z]+)?|outline|font-family|font-size|fill|stroke)):\s*([^;}]+)/g
    )
  ]
  assert.ok(declarations.length > 20)
  for (const [, property, value] of declarations) {
    const v = (value ?? '').trim()
    const colourless =
      /^(none|transparent|inherit|collapse|0|[\d.]+(px|em)?( solid| dotted)?;?|[\d.]+em|1px solid;?)$/.test(v)
    const themed = /var\(--vscode-[\w-]+/.test(v) && !/var\(--(?!vscode-)/.test(v)
    assert.ok(colourless || themed, `${property}: ${v}`)
  }
})
