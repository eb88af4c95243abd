/**
 * What a conversation does outside its webview, for the panel and for commands alike: send through
 * the daemon, verify a safety number, open a link the user confirmed, open a snippet's location.
 */
import { statSync } from 'node:fs'
import * as vscode from 'vscode'
import type { ContactView, MessageView, SendContent } from '../node/daemon/rpc-api.ts'
import { peerText } from '../node/text/peer-text.ts'
import type { ChatHost } from './chat-host.ts'
import { linkConfirmation } from './link-rules.ts'
import { snippetCandidates } from './snippet.ts'

/** Sends through the daemon and builds the queued message as the conversation shows it. */
export async function sendAndRecord(
  host: ChatHost,
  peerId: string,
  content: SendContent
): Promise<{ id: string; status: MessageView['status']; message: MessageView }> {
  const result = await host.call('messages.send', { target: peerId, ...content })
  const now = Date.now()
  const message: MessageView = {
    id: result.id,
    from: host.store.me?.peerId ?? '',
    to: peerId,
    direction: 'out',
    text: 'text' in content ? content.text : content.snippet.text,
    ...('snippet' in content ? { snippet: content.snippet } : {}),
    sentAt: now,
    storedAt: now,
    status: result.status
  }
  host.store.messageSent(message)
  return { ...result, message }
}

/** Shows the safety number and marks the contact verified when the user confirms it matches. */
export async function verifyWithSafetyNumber(host: ChatHost, peerId: string): Promise<ContactView> {
  const { safetyNumber, name } = await host.call('safety.number', { target: peerId })
  const who = name ?? host.store.label(peerId)
  const verify = 'They Match: Mark Verified'
  const choice = await vscode.window.showInformationMessage(
    `Safety number with ${who}`,
    {
      modal: true,
      detail: `${safetyNumber}\n\nCompare it with the one ${who} sees, in person or on a call. If they match, nobody is in the middle.`
    },
    verify
  )
  if (choice !== verify)
    return host.store.get(peerId) ?? (await host.call('contacts.list', {})).contacts.find(c => c.peerId === peerId)!
  const { contact } = await host.call('contacts.verify', { target: peerId })
  host.store.upsert(contact)
  return contact
}

/**
 * Opens a link from a message only after the user confirmed the URL Parley shows (linkConfirmation):
 * the webview never opens links itself, so this modal is the one way out, for every kind of click.
 */
export async function confirmAndOpenLink(url: string): Promise<boolean> {
  const confirmation = linkConfirmation(url)
  if (confirmation === undefined) return false
  const open = 'Open Link'
  const copy = 'Copy Link'
  const choice = await vscode.window.showWarningMessage(
    confirmation.message,
    { modal: true, detail: confirmation.detail },
    open,
    copy
  )
  if (choice === copy) await vscode.env.clipboard.writeText(confirmation.url)
  if (choice !== open) return false
  return await vscode.env.openExternal(vscode.Uri.parse(confirmation.url, true))
}

/** Opens a received snippet's file at its lines when the file exists in this workspace. */
export async function openSnippetLocation(
  path: string,
  startLine: number,
  endLine: number,
  besideOf: vscode.ViewColumn | undefined
): Promise<boolean> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter(f => f.uri.scheme === 'file').map(f => f.uri.fsPath)
  const file = snippetCandidates(folders, path).find(candidate => {
    try {
      return statSync(candidate).isFile()
    } catch {
      return false
    }
  })
  if (file === undefined) {
    void vscode.window.showInformationMessage(peerText(`${path} is not in this workspace.`, 'notification'))
    return false
  }
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file))
  const last = Math.min(endLine, document.lineCount) - 1
  const first = Math.min(startLine - 1, last)
  const range = new vscode.Range(first, 0, last, document.lineAt(last).range.end.character)
  await vscode.window.showTextDocument(document, {
    selection: range,
    preview: true,
    viewColumn: besideOf === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One
  })
  return true
}
