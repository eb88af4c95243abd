/**
 * Key re-checks: every named contact's name is resolved again now and then; a name that now points
 * at another key stops sending to the contact until the user accepts the new key.
 */
import type { ComponentLogger, Logger } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import type { ParleyStore } from '../store/index.ts'
import { KEY_CHECK_INTERVAL_MS } from './constants.ts'
import type { Contacts } from './contacts.ts'
import { NotStartedError } from './errors.ts'
import type { Directory } from './types.ts'

export interface KeyWatchComponents {
  store: Pick<ParleyStore, 'contacts' | 'pins'>
  directory: Pick<Directory, 'resolveName'>
  contacts: Pick<Contacts, 'flagKeyChanged'>
  logger: ComponentLogger
}

export interface KeyWatchInit {
  /** @default KEY_CHECK_INTERVAL_MS */
  keyCheckIntervalMs?: number
}

export class KeyWatch {
  private readonly components: KeyWatchComponents
  private readonly log: Logger
  private readonly keyCheckIntervalMs: number
  private controller = new AbortController()
  private timer?: NodeJS.Timeout

  constructor(components: KeyWatchComponents, init: KeyWatchInit = {}) {
    this.components = components
    this.log = components.logger.forComponent('parley:dm:key-watch')
    this.keyCheckIntervalMs = init.keyCheckIntervalMs ?? KEY_CHECK_INTERVAL_MS
  }

  start(): void {
    this.controller = new AbortController()
    this.timer = setInterval(() => void this.check(), this.keyCheckIntervalMs)
    this.timer.unref()
  }

  stop(): void {
    this.controller.abort(new NotStartedError('the messenger is stopping'))
    clearInterval(this.timer)
  }

  /** Re-resolves named contacts; a name that now points at another key stops sending to it. */
  async check(): Promise<void> {
    const { store, directory, contacts } = this.components
    for (const c of store.contacts.list()) {
      if (c.name === undefined || c.keyChanged || c.state !== 'contact' || store.pins.get(c.name)?.peerId !== c.peerId)
        continue
      try {
        const r = await directory.resolveName(c.name, { signal: this.controller.signal })
        if (r.keyChanged || !r.peerId.equals(peerIdFromString(c.peerId))) contacts.flagKeyChanged(c.peerId, c.name)
      } catch (err) {
        this.log('re-resolving %s failed: %e', c.name, err)
      }
    }
  }
}
