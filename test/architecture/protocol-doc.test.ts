/**
 * docs/PROTOCOL.md stands alone: it quotes dm.proto and mailbox.proto verbatim, and every field (type, name, number)
 * of every message of the other normative schemas (records.proto, identity.proto) appears in its
 * proto blocks, so the document cannot drift from the code that implements it.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { ROOT } from '../helpers/cli.ts'

const doc = readFileSync(join(ROOT, 'docs', 'PROTOCOL.md'), 'utf8')
const blocks = [...doc.matchAll(/```proto\n([\s\S]*?)```/g)].map(m => m[1]!).join('\n')

/** message name → its fields as `type name = number` (comments and options removed). */
function fields(proto: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const text = proto.replace(/\/\/.*$/gm, '').replace(/\[[^\]]*\]/g, '')
  for (const m of text.matchAll(/message\s+(\w+)\s*\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g)) {
    const body = m[2]!.replace(/oneof\s+\w+\s*\{/, '').replace(/\}/g, '')
    const list = [...body.matchAll(/((?:optional|repeated)\s+)?(\w+)\s+(\w+)\s*=\s*(\d+)\s*;/g)].map(f =>
      `${f[1] ?? ''}${f[2]} ${f[3]} = ${f[4]}`.replace(/\s+/g, ' ')
    )
    out.set(m[1]!, list)
  }
  return out
}

describe('PROTOCOL.md quotes the normative schemas', () => {
  it('dm.proto verbatim', () => {
    const dm = readFileSync(join(ROOT, 'node', 'messaging', 'pb', 'dm.proto'), 'utf8').trimEnd()
    assert.ok(doc.includes(dm), 'docs/PROTOCOL.md §3.0 must hold node/messaging/pb/dm.proto exactly')
  })

  it('mailbox.proto verbatim', () => {
    const mailbox = readFileSync(join(ROOT, 'node', 'mailbox', 'pb', 'mailbox.proto'), 'utf8').trimEnd()
    assert.ok(doc.includes(mailbox), 'docs/PROTOCOL.md §7.1 must hold node/mailbox/pb/mailbox.proto exactly')
  })

  for (const file of ['node/names/pb/records.proto', 'node/identity/pb/identity.proto']) {
    it(`${file}: every message and field`, () => {
      const quoted = fields(blocks)
      const schema = fields(readFileSync(join(ROOT, file), 'utf8'))
      assert.ok(schema.size >= 2, `no messages parsed from ${file}`)
      for (const [message, list] of schema) {
        assert.ok(list.length > 0, `no fields parsed in ${message}`)
        assert.ok(quoted.has(message), `message ${message} is not quoted`)
        assert.deepEqual(quoted.get(message), list, `message ${message} differs`)
      }
    })
  }
})
