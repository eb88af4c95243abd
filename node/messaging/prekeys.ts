/**
 * Our signed prekeys (docs/PROTOCOL.md §3.2): the current one, published in the profile record, is
 * replaced every PREKEY_ROTATE_MS; a replaced one is kept PREKEY_KEEP_MS for first messages sealed
 * to it before the change, then deleted. The identity file holds the first prekey; the rotated ones
 * live in the database (0600, like the sessions). A rotation updates `identity.prekey`, which the
 * profile publisher reads, and asks for the profile record to be published again at once.
 */
import type { ComponentLogger, Logger } from '@libp2p/interface'
import { generateX25519KeyPair, randomBytes, signPrekey, type X25519KeyPair, x25519PublicKey } from '../crypto/index.ts'
import type { Identity } from '../identity/index.ts'
import type { ParleyStore } from '../store/index.ts'
import { PREKEY_CHECK_MS, PREKEY_KEEP_MS, PREKEY_ROTATE_MS } from './constants.ts'

export interface SignedPrekeysComponents {
  store: Pick<ParleyStore, 'prekeys' | 'transaction'>
  identity: Identity
  logger: ComponentLogger
  /** after a rotation: publish the profile record with the new prekey */
  onRotated?: () => void
}

export interface SignedPrekeysInit {
  /** @default PREKEY_ROTATE_MS */
  prekeyRotateMs?: number
  /** @default PREKEY_KEEP_MS */
  prekeyKeepMs?: number
  /** @default PREKEY_CHECK_MS */
  prekeyCheckMs?: number
  /** the clock; tests move it. @default Date.now */
  now?: () => number
}

export class SignedPrekeys {
  private readonly components: SignedPrekeysComponents
  private readonly log: Logger
  private readonly rotateMs: number
  private readonly keepMs: number
  private readonly checkMs: number
  private readonly now: () => number
  private timer?: NodeJS.Timeout
  private rotating?: Promise<boolean>

  constructor(components: SignedPrekeysComponents, init: SignedPrekeysInit = {}) {
    this.components = components
    this.log = components.logger.forComponent('parley:dm:prekeys')
    this.rotateMs = init.prekeyRotateMs ?? PREKEY_ROTATE_MS
    this.keepMs = init.prekeyKeepMs ?? PREKEY_KEEP_MS
    this.checkMs = init.prekeyCheckMs ?? PREKEY_CHECK_MS
    this.now = init.now ?? Date.now
  }

  /** Makes the newest stored prekey the current one (adopting the identity file's on first start), then checks the schedule. */
  async start(): Promise<void> {
    const { store, identity } = this.components
    const current = store.prekeys.current()
    if (current === undefined) {
      if (store.prekeys.get(identity.prekey.id) === undefined) {
        store.prekeys.add({
          id: identity.prekey.id,
          privateKey: identity.prekey.keyPair.privateKey,
          signature: identity.prekey.signature,
          createdAt: this.now()
        })
      }
    } else {
      this.adopt(current.id, current.privateKey, current.signature)
    }
    await this.rotateIfDue()
    clearInterval(this.timer)
    this.timer = setInterval(() => {
      this.rotateIfDue().catch(err => this.log.error('prekey rotation failed %e', err))
    }, this.checkMs)
    this.timer.unref()
  }

  stop(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  /** Our prekey with this id: the current one or a retired one still kept. */
  keyPair(id: number): X25519KeyPair | undefined {
    const { identity, store } = this.components
    if (id === identity.prekey.id) return identity.prekey.keyPair
    const row = store.prekeys.get(id)
    return row === undefined ? undefined : { privateKey: row.privateKey, publicKey: x25519PublicKey(row.privateKey) }
  }

  /** Replaces the current prekey when it is older than the rotation period, and deletes expired old ones; true when it rotated. */
  async rotateIfDue(): Promise<boolean> {
    this.rotating ??= this.rotate().finally(() => {
      this.rotating = undefined
    })
    return await this.rotating
  }

  private async rotate(): Promise<boolean> {
    const { store, identity } = this.components
    const now = this.now()
    const current = store.prekeys.current()
    const pruned = store.prekeys.prune(now - this.keepMs)
    if (pruned > 0) this.log('deleted %d retired prekeys', pruned)
    if (current !== undefined && current.createdAt + this.rotateMs > now) return false
    const keyPair = generateX25519KeyPair()
    let id = new DataView(randomBytes(4).buffer).getUint32(0)
    while (store.prekeys.get(id) !== undefined || id === identity.prekey.id) id = (id + 1) >>> 0
    const { signature } = await signPrekey(identity.privateKey, { id, publicKey: keyPair.publicKey })
    store.transaction(() => {
      store.prekeys.add({ id, privateKey: keyPair.privateKey, signature, createdAt: now })
      store.prekeys.retireAllBut(id, now)
    })
    this.adopt(id, keyPair.privateKey, signature)
    this.log('rotated the signed prekey to %d', id)
    this.components.onRotated?.()
    return true
  }

  private adopt(id: number, privateKey: Uint8Array, signature: Uint8Array): void {
    this.components.identity.prekey = { id, keyPair: { privateKey, publicKey: x25519PublicKey(privateKey) }, signature }
  }
}
