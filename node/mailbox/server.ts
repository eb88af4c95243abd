/**
 * The community node's side of /parley/mailbox/1.0.0 (docs/PROTOCOL.md §7): one request per
 * stream, checked field by field, answered with one status (SUBSCRIBE: then the deposits). Member
 * requests only from peers on the allowlist; deposits from anyone, rate limited per address and,
 * for public queues, against a proof of work. Nothing logged on a deposit names its depositor.
 */
import type { ComponentLogger, Connection, Libp2p, Logger, Stream } from '@libp2p/interface'
import { bytesEqual, randomBytes, sha256 } from '../crypto/primitives.ts'
import type { ParleyStore } from '../store/index.ts'
import {
  CREDENTIAL_BYTES,
  DEPOSIT_ID_BYTES,
  MAILBOX_PROTOCOL,
  MAX_ACTIVE_STREAMS,
  MAX_BLOB_BYTES,
  MAX_DELETE_IDS,
  MAX_STREAMS_PER_CONNECTION,
  MESSAGE_TIMEOUT_MS,
  QUEUE_ID_BYTES
} from './constants.ts'
import { DepositWriter } from './deposit-writer.ts'
import { type MailboxLimits, mailboxLimits } from './limits.ts'
import { type Deposit, MailboxRequest, MailboxResponse, type QueueCreate } from './pb/mailbox.js'
import { checkPow } from './pow.ts'
import { AddressRateLimit, remoteHost } from './rate-limit.ts'
import { Retention } from './retention.ts'
import { Subscriptions } from './subscriptions.ts'
import { type MailboxStream, mailboxStream } from './wire.ts'

const Status = MailboxResponse.Status
type Status = MailboxResponse.Status

export interface MailboxServerComponents {
  libp2p: Pick<Libp2p, 'handle' | 'unhandle'>
  store: Pick<ParleyStore, 'mailbox' | 'transaction'>
  /** the allowlist's check: member-only requests and whose queues are kept */
  isMember(peerId: string): boolean
  logger: ComponentLogger
  /** the clock of deposits and retention (tests move it); @default Date.now */
  now?: () => number
}

export class MailboxServer {
  readonly limits: MailboxLimits
  private readonly components: MailboxServerComponents
  private readonly log: Logger
  private readonly writer: DepositWriter
  private readonly subscriptions: Subscriptions
  private readonly retention: Retention
  private readonly rateLimit: AddressRateLimit
  /** a member's own requests, per member peer id */
  private readonly memberRateLimit: AddressRateLimit
  private active = 0
  private started = false

  constructor(components: MailboxServerComponents, limits: Partial<MailboxLimits> = {}) {
    this.components = components
    this.limits = mailboxLimits(limits)
    this.log = components.logger.forComponent('parley:mailbox')
    this.subscriptions = new Subscriptions({ store: components.store, log: this.log })
    this.writer = new DepositWriter({
      store: components.store,
      limits: this.limits,
      now: components.now,
      onStored: owners => this.subscriptions.notify(owners)
    })
    this.retention = new Retention({
      store: components.store,
      retentionMs: this.limits.retentionMs,
      isMember: components.isMember,
      now: components.now,
      log: this.log
    })
    this.rateLimit = new AddressRateLimit({
      rate: this.limits.depositRate,
      burst: this.limits.depositBurst,
      now: components.now
    })
    this.memberRateLimit = new AddressRateLimit({
      rate: this.limits.memberRequestRate,
      burst: this.limits.memberRequestBurst,
      now: components.now
    })
  }

  async start(): Promise<void> {
    await this.components.libp2p.handle(
      MAILBOX_PROTOCOL,
      (stream, connection) => void this.onStream(stream, connection),
      {
        maxInboundStreams: MAX_STREAMS_PER_CONNECTION,
        // a member behind a NAT may reach us only through another relay
        runOnLimitedConnection: true
      }
    )
    this.retention.start()
    this.started = true
  }

  async stop(): Promise<void> {
    if (!this.started) return
    this.started = false
    this.retention.stop()
    this.subscriptions.endAll()
    await this.components.libp2p.unhandle(MAILBOX_PROTOCOL).catch(() => {})
  }

  /** Sweeps expired deposits and former members' queues now (the timer does it every hour). */
  sweep(): { expired: number; queues: number } {
    return this.retention.sweep()
  }

  /** Requests being served (subscriptions apart) and subscriptions open (tests, the memory check). */
  load(): { streams: number; subscriptions: number; rateBuckets: number } {
    return {
      streams: this.active,
      subscriptions: this.subscriptions.size,
      rateBuckets: this.rateLimit.size + this.memberRateLimit.size
    }
  }

  private async onStream(stream: Stream, connection: Connection): Promise<void> {
    if (this.active >= MAX_ACTIVE_STREAMS) {
      stream.abort(new Error('too many mailbox streams'))
      return
    }
    this.active++
    let counted = true
    const pb = mailboxStream(stream)
    try {
      let request: MailboxRequest
      try {
        request = await pb.read(MailboxRequest, { signal: AbortSignal.timeout(MESSAGE_TIMEOUT_MS) })
      } catch (err) {
        const status = readFailure(err)
        if (status === undefined) throw err
        await this.answer(stream, pb, { status })
        return
      }
      const peerId = connection.remotePeer.toString()
      if (request.subscribe !== undefined && kinds(request) === 1) {
        if (!this.components.isMember(peerId)) return await this.answer(stream, pb, { status: Status.NOT_A_MEMBER })
        if (!this.memberRateLimit.take(peerId)) return await this.answer(stream, pb, { status: Status.RATE_LIMITED })
        // a subscription lives as long as the member is connected: one per member, not counted
        // against the streams in flight (or 256 members online would lock everyone else out)
        this.active--
        counted = false
        await this.subscriptions.serve(peerId, stream, pb)
        return
      }
      await this.answer(stream, pb, await this.handle(request, peerId, connection))
    } catch (err) {
      // never the remote peer or address: a depositor must stay unnamed
      this.log('a mailbox stream failed: %s', (err as Error).message)
      stream.abort(err as Error)
    } finally {
      if (counted) this.active--
    }
  }

  private async answer(stream: Stream, pb: MailboxStream, response: Partial<MailboxResponse>): Promise<void> {
    const signal = AbortSignal.timeout(MESSAGE_TIMEOUT_MS)
    await pb.write(response, MailboxResponse, { signal })
    await stream.close({ signal })
  }

  private async handle(
    request: MailboxRequest,
    peerId: string,
    connection: Connection
  ): Promise<Partial<MailboxResponse>> {
    if (kinds(request) !== 1) return { status: Status.BAD_REQUEST }
    if (request.deposit !== undefined) {
      if (!this.rateLimit.take(remoteHost(connection.remoteAddr))) return { status: Status.RATE_LIMITED }
      return await this.deposit(request.deposit)
    }
    if (!this.components.isMember(peerId)) return { status: Status.NOT_A_MEMBER }
    if (!this.memberRateLimit.take(peerId)) return { status: Status.RATE_LIMITED }
    const { store } = this.components
    if (request.queueCreate !== undefined) return this.createQueue(request.queueCreate, peerId)
    if (request.delete !== undefined) {
      const ids = request.delete.depositIds
      if (ids.length > MAX_DELETE_IDS || ids.some(id => id.length !== DEPOSIT_ID_BYTES)) {
        return { status: Status.BAD_REQUEST }
      }
      store.transaction(() => store.mailbox.deleteDeposits(peerId, ids))
      return { status: Status.OK }
    }
    const queueId = (request.queueDelete as { queueId: Uint8Array }).queueId
    if (queueId.length !== QUEUE_ID_BYTES) return { status: Status.BAD_REQUEST }
    const deleted = store.transaction(() => store.mailbox.deleteQueue(peerId, queueId))
    if (deleted) this.log('a member deleted a queue')
    return { status: deleted ? Status.OK : Status.UNKNOWN_QUEUE }
  }

  private createQueue(create: QueueCreate, owner: string): Partial<MailboxResponse> {
    if (create.public ? create.credentialHash.length !== 0 : create.credentialHash.length !== 32) {
      return { status: Status.BAD_REQUEST }
    }
    const { store } = this.components
    const queueId = randomBytes(QUEUE_ID_BYTES)
    const status = store.transaction(() => {
      if (store.mailbox.usage(owner).queues >= this.limits.memberMaxQueues) return Status.TOO_MANY_QUEUES
      store.mailbox.createQueue({
        queueId,
        owner,
        credentialHash: create.public ? undefined : create.credentialHash,
        public: create.public,
        createdAt: (this.components.now ?? Date.now)()
      })
      return Status.OK
    })
    return status === Status.OK ? { status, queueId: queueId as Uint8Array<ArrayBuffer> } : { status }
  }

  private async deposit(deposit: Deposit): Promise<Partial<MailboxResponse>> {
    const { queueId, credential, blob } = deposit
    if (blob.length > MAX_BLOB_BYTES) return { status: Status.TOO_LARGE }
    if (queueId.length !== QUEUE_ID_BYTES || blob.length === 0) return { status: Status.BAD_REQUEST }
    if (credential.length !== 0 && credential.length !== CREDENTIAL_BYTES) return { status: Status.BAD_REQUEST }
    const queue = this.components.store.mailbox.queue(queueId)
    // a queue whose owner left the community takes no more deposits (the sweep drops it)
    if (queue === undefined || !this.components.isMember(queue.owner)) return { status: Status.UNKNOWN_QUEUE }
    if (queue.public) {
      if (!checkPow(queueId, blob, deposit.powNonce, this.limits.powDifficulty)) {
        return { status: Status.POW_REQUIRED, powDifficulty: this.limits.powDifficulty }
      }
    } else if (
      queue.credentialHash === undefined ||
      credential.length !== CREDENTIAL_BYTES ||
      !bytesEqual(sha256(credential), queue.credentialHash)
    ) {
      // one answer for an unknown queue and a wrong credential: a guess learns nothing
      return { status: Status.UNKNOWN_QUEUE }
    }
    const status: Status = await this.writer.write(queueId, blob)
    if (status === Status.OK) return { status }
    // MAILBOX_FULL and its kind, never the depositor
    if (status === Status.QUEUE_FULL || status === Status.MEMBER_FULL) this.log('a deposit was refused: %s', status)
    return { status }
  }
}

/** How many request kinds are set (exactly one is valid). */
function kinds(request: MailboxRequest): number {
  return [request.queueCreate, request.deposit, request.subscribe, request.delete, request.queueDelete].filter(
    k => k !== undefined
  ).length
}

/** The answer to a request that could not be read: TOO_LARGE, BAD_REQUEST, or none (EOF, timeout: cut the stream). */
function readFailure(err: unknown): Status | undefined {
  const name = (err as Error).name
  if (name === 'InvalidDataLengthError') return Status.TOO_LARGE
  if (name === 'InvalidMessageLengthError' || name === 'InvalidDataLengthLengthError') return Status.BAD_REQUEST
  // protons' decoding errors have no class of their own
  if (name === 'RangeError' || name === 'Error' || name === 'MaxLengthError') return Status.BAD_REQUEST
  return undefined
}
