/**
 * Frames that arrive before what they need (the group's log, the sender's membership, its chain):
 * kept in the store (MAX_PENDING_FRAMES in all, the oldest go first) and tried again after each
 * change of their group.
 */
import type { Logger } from '@libp2p/interface'
import type { ParleyStore } from '../store/index.ts'
import { MAX_PENDING_FRAMES } from './constants.ts'

/** What became of a frame: applied (or refused), or `later`: it waits for what it needs. */
export type Outcome = 'done' | 'later'

export interface EarlyFramesComponents {
  store: Pick<ParleyStore, 'groups' | 'savepoint'>
  /** applies a kept frame again (without keeping it a second time); throws its refusal */
  apply(from: string, frame: Uint8Array): Outcome
  log: Logger
}

export class EarlyFrames {
  private readonly components: EarlyFramesComponents

  constructor(components: EarlyFramesComponents) {
    this.components = components
  }

  /** Keeps a frame that waits for its group or chain (inside the frame's transaction). */
  keep(groupId: string, from: string, frame: Uint8Array): void {
    this.components.store.groups.addPending(groupId, from, frame, MAX_PENDING_FRAMES)
  }

  /** Frames kept for the group: each is tried again; those that still wait stay. */
  retry(groupId: string): void {
    const { store, apply, log } = this.components
    for (const p of store.groups.pending(groupId)) {
      let outcome: Outcome = 'done'
      try {
        store.savepoint(() => {
          outcome = apply(p.from, p.frame)
        })
      } catch (err) {
        log('refused a kept group frame from %s: %s', p.from, (err as Error).name)
      }
      if (outcome === 'done') store.groups.removePending(p.rowid)
    }
  }
}
