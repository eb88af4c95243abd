/**
 * Community side: keeps the members' signed records alive in the DHT (docs/PROTOCOL.md §6.4).
 * kad-dht never republishes, and a member's own 6-hourly republish stops while its laptop is
 * closed; so every MEMBER_REPUBLISH_INTERVAL_MS the community puts each member's current profile
 * record and name claims again, byte for byte as their owner signed them. It cannot change them
 * (they are signed) nor extend them (the expiry is inside the signature): a name whose owner stops
 * renewing it still lapses at its signed expiry. A removed member is no longer in the list, so its
 * records are no longer put.
 */
import type { ComponentLogger, Logger, PeerId } from '@libp2p/interface'
import { Record as DhtRecord } from '@libp2p/kad-dht'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Datastore } from 'interface-datastore'
import { NAME_NAMESPACE, PROFILE_NAMESPACE } from '../names/constants.ts'
import type { RecordQuery } from '../names/dht-query.ts'
import { kadRecordPrefix } from '../names/kad-datastore.ts'
import { decodeNameClaim, nameKey, profileKey, verifyNameClaim, verifyProfileRecord } from '../names/records.ts'
import { keyNamespace } from '../names/validators.ts'
import type { CommunityMemberRow } from '../store/index.ts'
import { MEMBER_REPUBLISH_INTERVAL_MS, MEMBER_REPUBLISH_START_DELAY_MS } from './constants.ts'

export interface RecordKeeperComponents {
  query: RecordQuery
  /** the libp2p datastore, where kad-dht keeps the records this node stores */
  datastore: Datastore
  members(): CommunityMemberRow[]
  logger: ComponentLogger
  /** @default Date.now */
  now?: () => number
}

export interface RepublishResult {
  /** records put (profiles and name claims) */
  records: number
  /** members with at least one record put */
  members: number
}

export class RecordKeeper {
  private readonly components: RecordKeeperComponents
  private readonly log: Logger
  private readonly now: () => number
  private timer?: ReturnType<typeof setTimeout>
  private controller = new AbortController()

  constructor(components: RecordKeeperComponents) {
    this.components = components
    this.log = components.logger.forComponent('parley:community:records')
    this.now = components.now ?? Date.now
  }

  start(): void {
    this.controller = new AbortController()
    const run = (delay: number): void => {
      this.timer = setTimeout(() => {
        this.republish({ signal: this.controller.signal })
          .catch(err => this.log('republishing members failed: %s', (err as Error).message))
          .finally(() => {
            if (!this.controller.signal.aborted) run(MEMBER_REPUBLISH_INTERVAL_MS)
          })
      }, delay)
      this.timer.unref?.()
    }
    run(MEMBER_REPUBLISH_START_DELAY_MS)
  }

  stop(): void {
    clearTimeout(this.timer)
    this.controller.abort()
  }

  /** Puts every member's current records again, unchanged. */
  async republish(options: { signal?: AbortSignal } = {}): Promise<RepublishResult> {
    const members = new Map(this.components.members().map(m => [m.peerId, m]))
    const records = await this.memberRecords(members)
    let put = 0
    const served = new Set<string>()
    for (const { key, value, owner } of records) {
      options.signal?.throwIfAborted()
      try {
        await this.components.query.put(key, value, options)
        put++
        served.add(owner)
      } catch (err) {
        // a newer record of the owner's is already out there (StaleRecordError): nothing to keep alive
        this.log('republishing a record of %s failed: %s', owner, (err as Error).message)
      }
    }
    this.log('republished %d records of %d members', put, served.size)
    return { records: put, members: served.size }
  }

  /**
   * The live, valid records of members that this node stores (a community node is a DHT server
   * its members publish to), and for a member whose profile is not stored here, its profile from
   * the DHT. Name claims are found by owner, so a name registered or changed after joining counts.
   */
  private async memberRecords(
    members: Map<string, CommunityMemberRow>
  ): Promise<Array<{ key: Uint8Array; value: Uint8Array; owner: string }>> {
    const out: Array<{ key: Uint8Array; value: Uint8Array; owner: string }> = []
    const withProfile = new Set<string>()
    const options = { now: this.now }
    for await (const entry of this.components.datastore.query({ prefix: kadRecordPrefix() })) {
      let record: DhtRecord
      try {
        record = DhtRecord.deserialize(entry.value)
      } catch {
        continue
      }
      const namespace = keyNamespace(record.key)
      try {
        if (namespace === NAME_NAMESPACE) {
          const owner = decodeNameClaim(record.value).claim.peerId.toString()
          if (!members.has(owner)) continue
          await verifyNameClaim(record.key, record.value, options)
          out.push({ key: record.key, value: record.value, owner })
        } else if (namespace === PROFILE_NAMESPACE) {
          const profile = await verifyProfileRecord(record.key, record.value, options)
          const owner = profile.peerId.toString()
          if (!members.has(owner)) continue
          out.push({ key: record.key, value: record.value, owner })
          withProfile.add(owner)
        }
      } catch {
        // expired or invalid: not ours to keep alive
      }
    }
    for (const member of members.values()) {
      if (withProfile.has(member.peerId)) continue
      const value = await this.fetch(profileKey(peerIdFromString(member.peerId)), member.peerId)
      if (value !== undefined)
        out.push({ key: profileKey(peerIdFromString(member.peerId)), value, owner: member.peerId })
      if (member.name !== undefined) {
        const key = nameKey(member.name)
        if (out.some(r => r.owner === member.peerId && keyNamespace(r.key) === NAME_NAMESPACE)) continue
        const claim = await this.fetch(key, member.peerId)
        if (claim !== undefined) out.push({ key, value: claim, owner: member.peerId })
      }
    }
    return out
  }

  /** The first valid live copy of a member's record in the DHT, or undefined. */
  private async fetch(key: Uint8Array, owner: string): Promise<Uint8Array | undefined> {
    const options = { now: this.now }
    const parse = async (_from: PeerId, value: Uint8Array): Promise<Uint8Array | undefined> => {
      try {
        const ns = keyNamespace(key)
        const who =
          ns === NAME_NAMESPACE
            ? (await verifyNameClaim(key, value, options)).peerId.toString()
            : (await verifyProfileRecord(key, value, options)).peerId.toString()
        return who === owner ? value : undefined
      } catch {
        return undefined
      }
    }
    if (this.components.query.routingTableSize() === 0) return undefined
    const gathered = this.components.query.gather(key, parse, {
      enough: items => items.some(v => v !== undefined),
      drain: false
    })
    const found = await gathered.first.catch(() => [])
    return found.find(v => v !== undefined)
  }
}
