import assert from 'node:assert/strict'
import { test } from 'node:test'

test('runs on Node 22 or later', () => {
  assert.ok(Number(process.versions.node.split('.')[0]) >= 22)
})
