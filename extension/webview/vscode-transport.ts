/** The Transport over the VS Code webview API: posts through acquireVsCodeApi(), hears window `message` events. */
import type { HostMessage, WebviewMessage, WebviewTransport } from '../protocol.ts'

/** The part of the object `acquireVsCodeApi()` returns that we use. */
export interface VsCodeApi {
  postMessage(message: unknown): void
}

export function vscodeTransport(api: VsCodeApi, target: Window): WebviewTransport {
  return {
    postMessage(message: WebviewMessage): void {
      api.postMessage(message)
    },
    onMessage(listener: (message: HostMessage) => void): () => void {
      const handler = (event: MessageEvent): void => listener(event.data as HostMessage)
      target.addEventListener('message', handler)
      return () => target.removeEventListener('message', handler)
    }
  }
}
