import type { ComponentLogger, Logger } from '@libp2p/interface'
import {
  ADDRESS_CHANGE_DEBOUNCE_MS,
  CONNECT_PUBLISH_DELAY_MS,
  REPUBLISH_INTERVAL_MS,
  RETRY_PUBLISH_MS
} from './constants.ts'
import type { AbortOptions } from './dht-query.ts'

type NodeEvent = 'self:peer:update' | 'peer:connect'

/** The node events the schedule follows (libp2p's, or any EventTarget in tests). */
export interface NodeEvents {
  addEventListener(type: NodeEvent, listener: () => void): void
  removeEventListener(type: NodeEvent, listener: () => void): void
}

export interface RepublishScheduleComponents {
  /** publishes our records once; true when enough peers stored them (NamePublisher.republish) */
  republish: (options: AbortOptions) => Promise<boolean>
  events: NodeEvents
  /** our current listening addresses */
  addresses: () => string[]
  /** the addresses of the profile last published, space-separated (NamePublisher.publishedAddresses) */
  publishedAddresses: () => string
  /** true when the last publish reached few peers from a routing table that has grown well since (NamePublisher.grownSinceShortPublish) */
  grown?: () => boolean
  logger: ComponentLogger
}

export interface RepublishScheduleInit {
  /** @default REPUBLISH_INTERVAL_MS */
  intervalMs?: number
  /** @default RETRY_PUBLISH_MS */
  retryMs?: number
  /** our addresses changed (before the profile is republished) */
  onAddressesChanged?: (addresses: string[]) => void
}

/**
 * When our records are published: at start (once a peer is there), every interval (kad-dht never
 * republishes values), again after RETRY_PUBLISH_MS when a publish reached too few peers or failed,
 * soon after the first peers connect while nothing is out yet, and when our addresses change.
 * One publish runs at a time.
 */
export class RepublishSchedule {
  private readonly components: RepublishScheduleComponents
  private readonly init: RepublishScheduleInit
  private readonly log: Logger
  private readonly stopping = new AbortController()
  private republishTimer?: ReturnType<typeof setTimeout>
  private addressTimer?: ReturnType<typeof setTimeout>
  private publishing?: Promise<void>
  /** true once our records were stored by enough peers */
  private published = false

  constructor(components: RepublishScheduleComponents, init: RepublishScheduleInit = {}) {
    this.components = components
    this.init = init
    this.log = components.logger.forComponent('parley:names:republish')
  }

  /** Starts republishing: now (once a peer is there), every interval, and when our addresses change. */
  start(): void {
    this.components.events.addEventListener('self:peer:update', this.onSelfUpdate)
    this.components.events.addEventListener('peer:connect', this.onConnect)
    this.schedule(0)
  }

  /** Stops the timers, aborts a publish in progress and waits for it. */
  async stop(): Promise<void> {
    this.stopping.abort()
    this.components.events.removeEventListener('self:peer:update', this.onSelfUpdate)
    this.components.events.removeEventListener('peer:connect', this.onConnect)
    clearTimeout(this.republishTimer)
    clearTimeout(this.addressTimer)
    await this.publishing?.catch(() => {})
  }

  /** the publish a connection scheduled, not yet run */
  private connectPublish = false

  /**
   * Until our records are out, the first peers to arrive are the chance to publish them; so are
   * the peers that grew a table from which the last publish reached only a few (`grown`).
   */
  private readonly onConnect = (): void => {
    if (this.publishing !== undefined || this.connectPublish) return
    if (this.published && this.components.grown?.() !== true) return
    this.connectPublish = true
    this.schedule(CONNECT_PUBLISH_DELAY_MS)
  }

  private readonly onSelfUpdate = (): void => {
    clearTimeout(this.addressTimer)
    this.addressTimer = setTimeout(() => {
      const addresses = this.components.addresses()
      if (addresses.join(' ') === this.components.publishedAddresses()) return
      this.init.onAddressesChanged?.(addresses)
      this.schedule(0)
    }, ADDRESS_CHANGE_DEBOUNCE_MS)
    this.addressTimer.unref?.()
  }

  private schedule(delay: number): void {
    if (this.stopping.signal.aborted) return
    clearTimeout(this.republishTimer)
    this.republishTimer = setTimeout(() => {
      this.connectPublish = false
      if (this.publishing !== undefined) {
        // one publish at a time: run again once the current one is done (addresses changed meanwhile)
        void this.publishing.then(() => this.schedule(0))
        return
      }
      this.publishing = this.components
        .republish({ signal: this.stopping.signal })
        .then(
          ok => {
            if (ok) this.published = true
            this.schedule(
              ok ? (this.init.intervalMs ?? REPUBLISH_INTERVAL_MS) : (this.init.retryMs ?? RETRY_PUBLISH_MS)
            )
          },
          err => {
            this.log('publishing failed: %s', (err as Error).message)
            this.schedule(this.init.retryMs ?? RETRY_PUBLISH_MS)
          }
        )
        .finally(() => {
          this.publishing = undefined
        })
    }, delay)
    this.republishTimer.unref?.()
  }
}
