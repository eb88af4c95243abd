/**
 * Entry of dist/webview.js (and dist/webview.css, from the import below). Builds the VS Code
 * transport and mounts the conversation in #app (or <body>).
 */
import './styles.css'
import { startConversation } from './conversation.ts'
import { type VsCodeApi, vscodeTransport } from './vscode-transport.ts'

declare function acquireVsCodeApi(): VsCodeApi

const root = document.getElementById('app') ?? document.body
if (typeof acquireVsCodeApi !== 'function') {
  root.textContent = 'Parley: this page must run inside a VS Code webview.'
} else {
  startConversation(root, vscodeTransport(acquireVsCodeApi(), window))
}
