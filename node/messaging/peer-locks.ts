/**
 * Per-peer serialisation: the work that reads and writes a peer's sessions and hash chains (sealing
 * in the outbox, storing in the inbox) runs one at a time per peer, in call order.
 */
export class PeerLocks {
  private readonly tails = new Map<string, Promise<unknown>>()

  /** Runs fn after every earlier fn for the same peer. */
  async run<T>(peerId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(peerId) ?? Promise.resolve()
    const run = previous.then(fn, fn)
    const tail = run.catch(() => {})
    this.tails.set(peerId, tail)
    try {
      return await run
    } finally {
      if (this.tails.get(peerId) === tail) this.tails.delete(peerId)
    }
  }

  /** Resolves once everything queued so far has run. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.tails.values()])
  }
}
