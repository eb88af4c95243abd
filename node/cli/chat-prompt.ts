/**
 * The prompt of `parley chat` (chat.ts with a contact, group-chat.ts in a group): readline on the
 * chat's streams, printed lines, and each line typed until `/quit`, Ctrl-D or the daemon going away.
 */
import { clearScreenDown, createInterface, cursorTo, moveCursor } from 'node:readline'
import type { RpcClient } from '../daemon/client.ts'

/** Where the chat reads and writes: the terminal, or streams in a test. */
export interface ChatIo {
  input: NodeJS.ReadableStream
  output: NodeJS.WritableStream
  /** Redraw the prompt and the line being typed around printed lines. @default output.isTTY */
  terminal?: boolean
  /** @default Date.now */
  now?: () => number
}

export interface ChatPrompt {
  /** Writes one line (on a terminal, once reading began: above the prompt, see chatPrompt). */
  print(line: string): void
  /** Prompts, then hands each line typed (trimmed, not empty) to `onText`; resolves on `/quit`, Ctrl-D or the daemon going away. */
  read(client: Pick<RpcClient, 'onClose'>, onText: (text: string) => void): Promise<void>
}

/**
 * Readline on the chat's streams, listening for its end at once (stdin may end, Ctrl-D or a short
 * piped input, while the history is still loading). On a terminal a printed line
 * never breaks the line being typed: it is written above the prompt, which is redrawn with the
 * typed text and the cursor where they were.
 */
export function chatPrompt(io: ChatIo, terminal: boolean): ChatPrompt {
  const { output } = io
  const rl = createInterface({ input: io.input, output, prompt: '> ', terminal })
  const closed = new Promise<void>(resolve => rl.once('close', resolve))
  let prompting = false
  const print = (line: string): void => {
    if (!terminal || !prompting) {
      output.write(`${line}\n`)
      return
    }
    // back to the prompt's first row, clear the prompt and the typed text, print, then redraw both
    moveCursor(output, 0, -rl.getCursorPos().rows)
    cursorTo(output, 0)
    clearScreenDown(output)
    output.write(`${line}\n`)
    rl.prompt(true)
  }
  const read = async (client: Pick<RpcClient, 'onClose'>, onText: (text: string) => void): Promise<void> => {
    prompting = true
    rl.prompt()
    await new Promise<void>(resolve => {
      rl.on('line', line => {
        const text = line.trim()
        if (text === '/quit') {
          rl.close()
          return
        }
        if (text !== '') onText(text)
        rl.prompt()
      })
      void closed.then(resolve)
      client.onClose(() => {
        print('the daemon went away')
        rl.close()
      })
    })
  }
  return { print, read }
}
