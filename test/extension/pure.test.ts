import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { ContactStore } from '../../extension/contact-store.ts'
import { cliSpawnPlan, daemonArgs } from '../../extension/daemon-launch.ts'
import { isInviteLink, nameInputProblem } from '../../extension/input-rules.ts'
import { linkConfirmation } from '../../extension/link-rules.ts'
import { mentions } from '../../extension/mentions.ts'
import { notificationText, shouldNotify } from '../../extension/notify-rules.ts'
import { SnippetTooLargeError, snippetCandidates, snippetFromSelection } from '../../extension/snippet.ts'
import { conversationHtml } from '../../extension/webview-html.ts'
import type { ContactView, GroupView, MessageView } from '../../node/daemon/rpc-api.ts'
import { contactLabel } from '../../node/text/contact-label.ts'

describe('mentions', () => {
  test('@name as a word mentions, in any case and Unicode form', () => {
    assert.equal(mentions('hey @alice can you look', 'alice'), true)
    assert.equal(mentions('@Alice, look', 'alice'), true)
    assert.equal(mentions('thanks @alice.', 'alice'), true)
    assert.equal(mentions('(@alice.dev)', 'alice.dev'), true)
    assert.equal(mentions('ｈｉ @ＡＬＩＣＥ', 'alice'), true)
  })
  test('a longer name, an address or no name does not', () => {
    assert.equal(mentions('@alice2 look', 'alice'), false)
    assert.equal(mentions('mail bob@alice.dev', 'alice'), false)
    assert.equal(mentions('@alice.dev', 'alice'), false)
    assert.equal(mentions('@alice_b', 'alice'), false)
    assert.equal(mentions('alice', 'alice'), false)
    assert.equal(mentions('@alice', null), false)
    assert.equal(mentions('@alice2 and then @alice', 'alice'), true)
  })
})

describe('snippets', () => {
  const base = { languageId: 'typescript', relativePath: 'src/a.ts', text: 'const a = 1\nconst b = 2\n' }
  test('lines are 1-based; a selection ending at column 0 leaves that line out', () => {
    const s = snippetFromSelection({ ...base, start: { line: 4, character: 0 }, end: { line: 6, character: 0 } })
    assert.deepEqual(s, {
      language: 'typescript',
      path: 'src/a.ts',
      startLine: 5,
      endLine: 6,
      text: 'const a = 1\nconst b = 2'
    })
    const t = snippetFromSelection({
      ...base,
      text: 'a',
      start: { line: 0, character: 2 },
      end: { line: 0, character: 3 }
    })
    assert.equal(t.startLine, 1)
    assert.equal(t.endLine, 1)
  })
  test('Windows separators become forward slashes', () => {
    const s = snippetFromSelection({
      ...base,
      relativePath: 'src\\lib\\a.ts',
      start: { line: 0, character: 0 },
      end: { line: 0, character: 5 }
    })
    assert.equal(s.path, 'src/lib/a.ts')
  })
  test('too large a selection is refused by name', () => {
    assert.throws(
      () =>
        snippetFromSelection({
          ...base,
          text: 'x'.repeat(40_000),
          start: { line: 0, character: 0 },
          end: { line: 9, character: 1 }
        }),
      { name: 'SnippetTooLargeError' }
    )
    assert.equal(SnippetTooLargeError.name, 'SnippetTooLargeError')
  })
  test('received paths resolve only inside the workspace folders', () => {
    assert.deepEqual(snippetCandidates(['/w/one', '/w/two'], 'src/a.ts'), [
      join('/w/one', 'src/a.ts'),
      join('/w/two', 'src/a.ts')
    ])
    for (const hostile of ['../etc/passwd', 'src/../../x', '/etc/passwd', 'C:/x', 'C:\\x', '..\\x', '', 'a\0b']) {
      assert.deepEqual(snippetCandidates(['/w/one'], hostile), [], hostile)
    }
  })
})

describe('input rules', () => {
  test('names', () => {
    assert.equal(nameInputProblem('alice'), undefined)
    assert.equal(nameInputProblem('Alice.Dev'), undefined)
    assert.match(nameInputProblem('al') ?? '', /3 to 32/)
    assert.match(nameInputProblem('a b c') ?? '', /a-z/)
    assert.match(nameInputProblem('-alice') ?? '', /Start and end/)
  })
  test('invite links', () => {
    assert.equal(isInviteLink('parley://invite?p=abc&s=def'), true)
    assert.equal(isInviteLink('https://example.test/invite'), false)
    assert.equal(isInviteLink('parley://invite?'), false)
  })
})

describe('daemon launch', () => {
  const launch = {
    home: '/h',
    cliPath: '/ext/dist/cli.js',
    nodePath: '',
    bootstrap: ['/ip4/127.0.0.1/tcp/1/p2p/X'],
    listen: ['/ip4/127.0.0.1/tcp/0'],
    mdns: false
  }
  test('settings become daemon arguments', () => {
    assert.deepEqual(daemonArgs(launch), [
      'daemon',
      '--json',
      '--listen',
      '/ip4/127.0.0.1/tcp/0',
      '--bootstrap',
      '/ip4/127.0.0.1/tcp/1/p2p/X',
      '--no-mdns'
    ])
    assert.deepEqual(daemonArgs({ ...launch, bootstrap: [], listen: [], mdns: true }), ['daemon', '--json'])
  })
  test('the host runtime runs as Node unless a Node path is set; the home is explicit', () => {
    const plan = cliSpawnPlan(launch, ['init'], { execPath: '/electron', env: { PARLEY_HOME: '/other', PATH: '/bin' } })
    assert.equal(plan.command, '/electron')
    assert.deepEqual(plan.args, ['/ext/dist/cli.js', '--home', '/h', 'init'])
    assert.equal(plan.env.ELECTRON_RUN_AS_NODE, '1')
    assert.equal(plan.env.PARLEY_HOME, undefined)
    assert.equal(plan.env.PATH, '/bin')
    assert.equal(
      cliSpawnPlan({ ...launch, nodePath: ' /usr/bin/node ' }, [], { execPath: '/e', env: {} }).command,
      '/usr/bin/node'
    )
  })
})

describe('conversation page', () => {
  test('CSP allows only the nonce script and dist/ styles; attributes are escaped', () => {
    const html = conversationHtml(
      { cspSource: 'vscode-resource:', scriptUri: 'vscode-resource:/dist/webview.js?a="b"', title: '<bob>' },
      'NONCE'
    )
    const csp = /content="([^"]*)"/.exec(html)?.[1] ?? ''
    assert.match(csp, /^default-src 'none'; /)
    assert.match(csp, /script-src 'nonce-NONCE'/)
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/)
    assert.match(html, /<script nonce="NONCE" src="vscode-resource:\/dist\/webview.js\?a=&#34;b&#34;"><\/script>/)
    assert.match(html, /<title>&#60;bob&#62;<\/title>/)
    assert.equal((html.match(/<script/g) ?? []).length, 1)
  })
})

function contact(peerId: string, extra: Partial<ContactView> = {}): ContactView {
  return {
    peerId,
    state: 'contact',
    verified: false,
    keyChanged: false,
    presence: 'offline',
    unread: 0,
    fingerprint: 'f',
    ...extra
  }
}

function incoming(from: string, storedAt: number, text = 'hi'): MessageView {
  return {
    id: `${from}-${storedAt}`,
    from,
    to: 'me',
    direction: 'in',
    text,
    sentAt: storedAt,
    storedAt,
    status: 'received'
  }
}

describe('contact store', () => {
  test('unread counts, ordering, requests and the next unread', () => {
    const store = new ContactStore()
    let changes = 0
    store.changed.on(() => changes++)
    store.replaceContacts([
      contact('P1', { name: 'zed' }),
      contact('P2', { name: 'amy' }),
      contact('P3', { name: 'bob', presence: 'online' }),
      contact('P4', { state: 'request' }),
      contact('P5', { name: 'eve', state: 'blocked', unread: 9 })
    ])
    assert.deepEqual(
      store.list().map(c => c.name),
      ['bob', 'amy', 'zed']
    )
    assert.deepEqual(
      store.requests().map(c => c.peerId),
      ['P4']
    )
    assert.equal(store.totalUnread(), 0)
    store.messageReceived(incoming('P1', 2000), false)
    store.messageReceived(incoming('P2', 1000), false)
    store.messageReceived(incoming('P2', 3000), false)
    store.messageReceived(incoming('P3', 4000), true)
    assert.equal(store.totalUnread(), 3)
    assert.equal(store.get('P3')?.unread, 0)
    assert.deepEqual(
      store.list().map(c => c.name),
      ['amy', 'zed', 'bob']
    )
    assert.equal(store.nextUnread()?.peerId, 'P1')
    store.markRead('P1')
    assert.equal(store.nextUnread()?.peerId, 'P2')
    assert.equal(store.find('AMY')?.peerId, 'P2')
    assert.equal(store.get('P2')?.lastMessage?.text, 'hi')
    store.presence({ peerId: 'P1', presence: 'online' })
    assert.equal(store.get('P1')?.presence, 'online')
    assert.equal(changes, 7)
    assert.equal(store.label('P4'), 'P4')
    assert.equal(store.label('12D3KooWAbcdefghXYZ12345'), '…XYZ12345')
  })

  test('the unread total (status bar) counts the groups we are in; the next unread falls back to a group', () => {
    const store = new ContactStore()
    store.replaceContacts([contact('P1', { name: 'zed' })])
    const group = (id: string, unread: number, left = false): GroupView => ({
      id,
      title: id,
      members: [],
      unread,
      left,
      admin: false
    })
    store.replaceGroups([group('g1', 2), group('g2', 0), group('gone', 5, true)])
    assert.equal(store.totalUnread(), 2)
    store.messageReceived(incoming('P1', 1000), false)
    assert.equal(store.totalUnread(), 3)
    assert.equal(store.nextUnread()?.peerId, 'P1')
    store.markRead('P1')
    assert.equal(store.nextUnread()?.peerId, 'g1')
    store.markRead('g1')
    assert.equal(store.totalUnread(), 0)
    assert.equal(store.nextUnread(), undefined)
  })
})

describe('notification rules', () => {
  const base = { mode: 'all', visible: false, myName: 'alice', senderState: 'contact' } as const
  const msg = { direction: 'in', text: 'lunch?' } as const
  test('all: every message of a contact whose conversation is not visible', () => {
    assert.equal(shouldNotify(msg, base), true)
    assert.equal(shouldNotify(msg, { ...base, visible: true }), false)
    assert.equal(shouldNotify({ ...msg, direction: 'out' }, base), false)
    assert.equal(shouldNotify(msg, { ...base, mode: 'off' }), false)
  })
  test('mentions: only @myname', () => {
    assert.equal(shouldNotify(msg, { ...base, mode: 'mentions' }), false)
    assert.equal(shouldNotify({ ...msg, text: 'lunch @alice?' }, { ...base, mode: 'mentions' }), true)
    assert.equal(shouldNotify({ ...msg, text: 'lunch @alice?' }, { ...base, mode: 'mentions', myName: null }), false)
  })
  test('requests, blocked and unknown senders never raise a message notification', () => {
    for (const senderState of ['request', 'blocked', 'declined', undefined] as const) {
      assert.equal(shouldNotify(msg, { ...base, senderState }), false, String(senderState))
    }
  })
  test('text: sender, one line, cut; snippets say where from', () => {
    assert.equal(notificationText('bob', { text: 'a\n\n  b' }), 'bob: a b')
    assert.equal(notificationText('bob', { text: 'x'.repeat(500) }).length, 'bob: '.length + 140)
    assert.equal(
      notificationText('bob', {
        text: 'code',
        snippet: { language: 'ts', path: 'src/a.ts', startLine: 3, endLine: 9, text: 'code' }
      }),
      'bob: sent a snippet: src/a.ts:3-9'
    )
  })
  test('text: no link, command or file syntax of the sender survives (message, snippet path, sender label)', () => {
    const link = /\[[^\]]+\]\((?:https?:\/\/|command:|file:)/i
    const hostile =
      '[Open](command:workbench.action.terminal.new?{"config":{"executable":"sh"}}) [f](file:///etc/passwd)'
    assert.doesNotMatch(notificationText('bob', { text: hostile }), link)
    assert.doesNotMatch(
      notificationText('bob', {
        text: 'code',
        snippet: { language: 'ts', path: '[x](command:y)', startLine: 1, endLine: 2, text: 'code' }
      }),
      link
    )
    const label = contactLabel({ peerId: '12D3KooWAbcdefghXYZ12345', announcedName: '[a](command:b)' })
    assert.doesNotMatch(notificationText(label, { text: 'hi' }), link)
    assert.equal(notificationText('bob', { text: 'x\u202Ey' }), 'bob: x\uFFFDy')
  })
})

test('a contact is labelled by its pinned name, else its announced name marked unverified, else its peer id', () => {
  assert.equal(contactLabel({ peerId: '12D3KooWAbcdefghXYZ12345', name: 'bob', announcedName: 'mallory' }), 'bob')
  assert.equal(contactLabel({ peerId: '12D3KooWAbcdefghXYZ12345', announcedName: 'carol' }), 'carol (unverified)')
  assert.equal(contactLabel({ peerId: '12D3KooWAbcdefghXYZ12345' }), '…XYZ12345')
})

test('an announced name is the stranger’s text: cleaned of bidi controls, icons and links, one line, capped', () => {
  const peerId = '12D3KooWAbcdefghXYZ12345'
  assert.equal(
    contactLabel({ peerId, announcedName: 'evil\u202Egnp\n$(verified)' }),
    'evil\uFFFDgnp $ (verified) (unverified)'
  )
  assert.equal(contactLabel({ peerId, announcedName: '[ok](command:x)' }), '[ok] (command:x) (unverified)')
  assert.equal(contactLabel({ peerId, announcedName: '\u200B' }), '\uFFFD (unverified)')
  assert.equal(contactLabel({ peerId, announcedName: '  ' }), '…XYZ12345')
  assert.ok(contactLabel({ peerId, announcedName: 'a'.repeat(500) }).length < 100)
})

describe('links from messages: what the user confirms before anything opens', () => {
  test('the normalized URL is shown; an internationalized host shows as punycode', () => {
    const c = linkConfirmation('https://exämple.com/a b')
    assert.equal(c?.url, 'https://xn--exmple-cua.com/a%20b')
    assert.match(c?.detail ?? '', /^https:\/\/xn--exmple-cua\.com\/a%20b\n/)
    assert.equal(c?.local, false)
  })
  test('loopback, private, link-local and local names are marked local', () => {
    for (const url of [
      'http://localhost:8080/',
      'http://127.0.0.1/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://10.1.2.3/',
      'http://172.20.0.1/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data',
      'http://100.64.0.1/',
      'http://[fd00::1]/',
      'http://[fe80::1]/',
      'http://printer.local/',
      'http://router/',
      'http://app.localhost/'
    ]) {
      const c = linkConfirmation(url)
      assert.equal(c?.local, true, url)
      assert.match(c?.detail ?? '', /this computer or your local network/, url)
    }
    for (const url of ['https://example.com/', 'http://8.8.8.8/', 'http://172.32.0.1/', 'http://[2001:db8::1]/']) {
      assert.equal(linkConfirmation(url)?.local, false, url)
    }
  })
  test('schemes other than http, https and mailto are never offered', () => {
    for (const url of [
      'command:workbench.action.terminal.new',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'vscode://x',
      'data:text/html,x',
      ''
    ]) {
      assert.equal(linkConfirmation(url), undefined, url)
    }
    assert.equal(linkConfirmation('mailto:bob@example.com')?.message, 'Write an email from a link in a message?')
  })
})

describe('contact store: groups', () => {
  test('groups listed unread first, left ones last; a group is labelled #title; markRead clears its count', () => {
    const store = new ContactStore()
    const group = (id: string, title: string, unread: number, left = false) => ({
      id,
      title,
      members: [{ peerId: 'P1', admin: true }],
      unread,
      left,
      admin: true
    })
    store.replaceGroups([
      group('a'.repeat(32), 'zeta', 0),
      group('b'.repeat(32), 'alpha', 0, true),
      group('c'.repeat(32), 'mid', 3)
    ])
    assert.deepEqual(
      store.groupList().map(g => g.title),
      ['mid', 'zeta', 'alpha']
    )
    assert.equal(store.label('c'.repeat(32)), '#mid')
    store.markRead('c'.repeat(32))
    assert.equal(store.group('c'.repeat(32))?.unread, 0)
    store.upsertGroup(group('a'.repeat(32), 'renamed', 1))
    assert.equal(store.label('a'.repeat(32)), '#renamed')
  })
})
