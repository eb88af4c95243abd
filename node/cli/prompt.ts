/**
 * Asks for a passphrase on the terminal without echoing it; undefined when stdin is not a
 * terminal (then only PARLEY_PASSPHRASE can open an encrypted identity).
 */
export function terminalPassphrasePrompt(
  stdin: NodeJS.ReadStream = process.stdin,
  stderr: NodeJS.WriteStream = process.stderr
): ((question: string) => Promise<string>) | undefined {
  if (stdin.isTTY !== true) return undefined
  return async question =>
    await new Promise<string>((resolve, reject) => {
      stderr.write(question)
      let answer = ''
      stdin.setRawMode(true)
      stdin.resume()
      stdin.setEncoding('utf8')
      const done = (err?: Error): void => {
        stdin.off('data', onData)
        stdin.setRawMode(false)
        stdin.pause()
        stderr.write('\n')
        if (err !== undefined) reject(err)
        else resolve(answer)
      }
      const onData = (chunk: string): void => {
        for (const c of chunk) {
          if (c === '\r' || c === '\n') {
            done()
            return
          }
          if (c === '\u0003') {
            done(new Error('cancelled'))
            return
          }
          if (c === '\u007f' || c === '\b') answer = answer.slice(0, -1)
          else answer += c
        }
      }
      stdin.on('data', onData)
    })
}
