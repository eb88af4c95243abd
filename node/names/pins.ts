import type { ComponentLogger, Logger, PeerId } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { normalizeName } from './name-rules.ts'
import type { Resolution, ResolveOptions } from './resolver.ts'

/** TOFU pins (the store's): name → the key first seen for it. */
export interface PinStore {
  get(name: string): { peerId: string; pinnedAt: number } | undefined
  set(name: string, peerId: string): void
}

export interface KeyChangedEvent {
  name: string
  oldPeerId: string
  newPeerId: string
}

export interface NamePinsComponents {
  /** resolves a name, the pinned key winning ties (NameResolver.resolve) */
  resolve: (name: string, options: ResolveOptions) => Promise<Resolution>
  pins?: PinStore
  logger: ComponentLogger
}

export interface NamePinsInit {
  /** a pinned name now resolves to another key */
  onKeyChanged?: (event: KeyChangedEvent) => void
}

/**
 * Trust on first use: the first key a name resolves to is pinned; when the name later resolves to
 * another key, that is reported (keyChanged, onKeyChanged) and the pin stays until the user
 * accepts the new key. The pinned key wins ties in the resolution rule.
 */
export class NamePins {
  private readonly components: NamePinsComponents
  private readonly init: NamePinsInit
  private readonly log: Logger

  constructor(components: NamePinsComponents, init: NamePinsInit = {}) {
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('parley:names:pins')
  }

  /**
   * A full query gave `name` to `owner` after a faster answer: reported like a resolve's key change
   * when the name is pinned to another key (a pinned fast answer is the pin's; this is the verdict).
   */
  observe(name: string, owner: PeerId): void {
    const pin = this.components.pins?.get(name)
    if (pin === undefined || pin.peerId === owner.toString()) return
    this.log.error('"%s" is pinned to %s but the full query gives it to %p', name, pin.peerId, owner)
    this.init.onKeyChanged?.({ name, oldPeerId: pin.peerId, newPeerId: owner.toString() })
  }

  /** Resolves and applies the pin: pins the owner on first use; reports a key other than the pinned one. */
  async resolvePinned(
    input: string,
    options: { signal?: AbortSignal; profile?: boolean; cache?: boolean } = {}
  ): Promise<Resolution & { keyChanged: boolean }> {
    const name = normalizeName(input)
    const pin = this.components.pins?.get(name)
    let preferred: PeerId | undefined
    if (pin !== undefined) {
      try {
        preferred = peerIdFromString(pin.peerId)
      } catch {}
    }
    const resolution = await this.components.resolve(name, { ...options, preferred })
    const owner = resolution.claim.peerId
    let keyChanged = false
    if (pin === undefined) {
      this.components.pins?.set(name, owner.toString())
    } else if (pin.peerId !== owner.toString()) {
      keyChanged = true
      this.log.error('"%s" is pinned to %s but now resolves to %p', name, pin.peerId, owner)
      this.init.onKeyChanged?.({ name, oldPeerId: pin.peerId, newPeerId: owner.toString() })
    }
    return { ...resolution, keyChanged }
  }
}
