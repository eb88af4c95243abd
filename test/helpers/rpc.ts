/** Raw bytes on a daemon's RPC socket, below the client: for the tests of framing and error codes. */
import net from 'node:net'

/** Writes `payload` as it is and collects the first `replies` reply lines, parsed. */
export async function rawExchange(
  socketPath: string,
  payload: string,
  replies: number
): Promise<Array<Record<string, any>>> {
  const socket = net.createConnection(socketPath)
  socket.setEncoding('utf8')
  let buffer = ''
  return await new Promise((resolve, reject) => {
    socket.on('error', reject)
    socket.on('data', (chunk: string) => {
      buffer += chunk
      const lines = buffer.split('\n').filter(l => l.length > 0)
      if (lines.length >= replies) {
        socket.destroy()
        resolve(lines.slice(0, replies).map(l => JSON.parse(l)))
      }
    })
    socket.write(payload)
  })
}
