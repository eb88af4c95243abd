/**
 * "Parley: Search Messages": a quick pick whose results follow what is typed (the daemon's full-text
 * search), each with who, when and an excerpt; choosing one opens its conversation at the message.
 */
import * as vscode from 'vscode'
import type { MessageMatch } from '../node/daemon/rpc-api.ts'
import { peerText } from '../node/text/peer-text.ts'
import { type ChatHost, describe } from './chat-host.ts'
import { SEARCH_DELAY_MS, SEARCH_RESULTS } from './constants.ts'

interface MatchItem extends vscode.QuickPickItem {
  match: MessageMatch
}

/** Shows the search; `open(peerId, messageId)` for the match the user chooses. */
export async function searchMessages(host: ChatHost, open: (peerId: string, messageId: string) => void): Promise<void> {
  const pick = vscode.window.createQuickPick<MatchItem>()
  pick.title = 'Parley: Search Messages'
  pick.placeholder = 'Words from a message (every word must match; the start of a word is enough)'
  pick.matchOnDescription = false
  pick.matchOnDetail = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let generation = 0
  const run = (query: string): void => {
    const mine = ++generation
    if (query.trim() === '') {
      pick.items = []
      pick.busy = false
      return
    }
    pick.busy = true
    host.call('messages.search', { query, limit: SEARCH_RESULTS }).then(
      ({ matches }) => {
        if (mine !== generation) return
        pick.items = matches.map(match => item(host, match))
        pick.busy = false
      },
      err => {
        if (mine !== generation) return
        pick.busy = false
        pick.items = []
        pick.placeholder = `The search failed: ${peerText(describe(err), 'notification')}`
      }
    )
  }
  const done = new Promise<void>(resolve => {
    pick.onDidChangeValue(value => {
      clearTimeout(timer)
      timer = setTimeout(() => run(value), SEARCH_DELAY_MS)
    })
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0]
      if (chosen === undefined) return
      open(conversationOf(chosen.match), chosen.match.message.id)
      pick.hide()
    })
    pick.onDidHide(() => {
      clearTimeout(timer)
      pick.dispose()
      resolve()
    })
  })
  pick.show()
  await done
}

/** The conversation a match opens: its group (keyed by the group's id), else the other peer. */
function conversationOf(match: MessageMatch): string {
  const m = match.message
  return match.group !== undefined ? match.group.id : m.direction === 'in' ? m.from : m.to
}

function item(host: ChatHost, match: MessageMatch): MatchItem {
  const m = match.message
  const peer = conversationOf(match)
  const who =
    match.group !== undefined
      ? `${m.direction === 'in' ? host.store.label(m.from) : 'You'} in ${host.store.label(peer)}`
      : m.direction === 'in'
        ? host.store.label(peer)
        : `You → ${host.store.label(peer)}`
  return {
    // the daemon already chose these: the quick pick must not filter them again by its own rule
    alwaysShow: true,
    label: who,
    description: new Date(m.sentAt).toLocaleString(),
    detail: peerText(match.excerpt, 'notification'),
    match
  }
}
