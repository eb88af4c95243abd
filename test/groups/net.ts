/**
 * Groups of members in one process, each with its own SQLite store (`:memory:` or a file) and a
 * real Groups; the pairwise channels between them are FIFO queues standing in for the outbox and
 * the Double Ratchet sessions (which test/messaging covers): a frame from A to B is delivered to B
 * in the order A queued it, once both are online. Every delivery error is kept by its name.
 */
import { defaultLogger } from '@libp2p/logger'
import { Groups } from '../../node/groups/groups.ts'
import type { GroupEvents } from '../../node/groups/types.ts'
import { generateIdentityKeys, type Identity, identityFromKeys } from '../../node/identity/index.ts'
import type { MessageContent } from '../../node/messaging/content.ts'
import { openStore, type ParleyStore } from '../../node/store/index.ts'

export interface Member {
  name: string
  identity: Identity
  peerId: string
  store: ParleyStore
  groups: Groups
  online: boolean
  /** receives nothing, but what it sends goes out (it does not know what it missed) */
  deaf?: boolean
  events: Array<{ event: keyof GroupEvents; detail: unknown }>
  /** every frame this member received (the raw bytes a removed member would hold) */
  received: Array<{ from: string; frame: Uint8Array }>
  /** names of the errors its receiving raised */
  refused: string[]
}

export class GroupNet {
  readonly members = new Map<string, Member>()
  /** from → to → frames in order */
  private readonly queues = new Map<string, Map<string, Uint8Array[]>>()
  frames = 0

  async member(name: string, dbPath = ':memory:'): Promise<Member> {
    const identity = await identityFromKeys(await generateIdentityKeys(), true)
    const peerId = identity.peerId.toString()
    const store = openStore(dbPath)
    const m = {
      name,
      identity,
      peerId,
      store,
      online: true,
      events: [],
      received: [],
      refused: []
    } as unknown as Member
    m.groups = new Groups({
      store,
      identity,
      outbox: {
        enqueueMany: async (sends: Array<{ peerId: string; content: MessageContent }>) => {
          for (const { peerId: to, content } of sends) {
            if (content.type !== 'group') throw new TypeError('only group frames here')
            this.queue(peerId, to, content.frame)
          }
        }
      },
      deliverNow: () => {},
      resolve: async target => {
        for (const other of this.members.values())
          if (other.name === target || other.peerId === target) return other.peerId
        throw new Error(`no member ${target}`)
      },
      notify: (event, detail) => {
        m.events.push({ event, detail })
      },
      logger: defaultLogger()
    })
    this.members.set(peerId, m)
    return m
  }

  async many(n: number, prefix = 'm'): Promise<Member[]> {
    const out: Member[] = []
    for (let i = 0; i < n; i++) out.push(await this.member(`${prefix}${i}`))
    return out
  }

  private queue(from: string, to: string, frame: Uint8Array): void {
    const byTo = this.queues.get(from) ?? new Map<string, Uint8Array[]>()
    this.queues.set(from, byTo)
    const q = byTo.get(to) ?? []
    byTo.set(to, q)
    q.push(frame)
  }

  /** Delivers queued frames to online members until nothing moves (frames sent while delivering too). */
  async settle(): Promise<void> {
    for (;;) {
      // the frames members queue as they receive are enqueued on setImmediate
      await new Promise(resolve => setImmediate(resolve))
      await new Promise(resolve => setImmediate(resolve))
      let moved = 0
      for (const [from, byTo] of this.queues) {
        for (const [to, q] of byTo) {
          const m = this.members.get(to)
          // an offline member neither receives nor sends: its frames wait in its outbox
          if (m === undefined || !m.online || m.deaf === true || this.members.get(from)?.online !== true) continue
          while (q.length > 0) {
            const frame = q.shift()!
            moved++
            this.frames++
            this.deliver(m, from, frame)
          }
        }
      }
      if (moved === 0) {
        await new Promise(resolve => setImmediate(resolve))
        const held = (from: string, to: string): boolean =>
          this.members.get(to)?.online !== true ||
          this.members.get(to)?.deaf === true ||
          this.members.get(from)?.online !== true
        if ([...this.queues].every(([from, byTo]) => [...byTo].every(([to, q]) => q.length === 0 || held(from, to)))) {
          return
        }
      }
    }
  }

  /** Hands one frame to a member as its inbox would: a refusal is recorded by name, never thrown. */
  deliver(m: Member, from: string, frame: Uint8Array): void {
    m.received.push({ from, frame })
    try {
      m.groups.receiveFrame(from, frame)
    } catch (err) {
      m.refused.push((err as Error).name)
    }
    // what receiving queued is sent as the inbox's receive() would send it
    void m.groups.flush()
  }

  close(): void {
    for (const m of this.members.values()) m.store.close()
  }
}

/** The texts of a group's history at a member, in its display order. */
export function texts(m: Member, groupId: string): string[] {
  return m.groups.history(groupId, { limit: 100_000 }).map(x => x.text)
}
