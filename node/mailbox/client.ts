/**
 * The client calls of the mailbox protocol (docs/PROTOCOL.md §7.2). A member's calls go over its
 * own libp2p node (the community checks its peer id against the allowlist); a deposit goes out
 * from a throwaway identity made for the batch. Every refusal becomes a named error
 * (errors.ts); a POW_REQUIRED answer is worked out and tried once more.
 */
import type { Connection, Libp2p, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import { randomBytes, sha256 } from '../crypto/primitives.ts'
import {
  CALL_TIMEOUT_MS,
  CREDENTIAL_BYTES,
  DEPOSIT_CONCURRENCY,
  DEPOSIT_ID_BYTES,
  MAILBOX_PROTOCOL,
  MAX_BLOB_BYTES,
  MAX_CLIENT_POW_DIFFICULTY,
  MAX_DELETE_IDS,
  QUEUE_ID_BYTES
} from './constants.ts'
import { MailboxFullError, MailboxRateLimitedError, MailboxRefusedError, MailboxUnreachableError } from './errors.ts'
import { MailboxRequest, MailboxResponse } from './pb/mailbox.js'
import { solvePow } from './pow.ts'
import { createThrowawayNode } from './throwaway-node.ts'
import type { PublicQueue, QueueAddress, StoredDeposit } from './types.ts'
import { isEndOfStream, type MailboxStream, mailboxStream } from './wire.ts'

/** A community node that holds a member's queues. */
export interface QueueHome {
  /** the community node's peer id */
  community: string
  /** its multiaddrs, without /p2p/ (empty: a connection we already have, or the peer store's) */
  addresses: string[]
}

export interface CallOptions {
  signal?: AbortSignal
}

export interface DepositOptions extends CallOptions {
  /** work out the proof before the first try (a public queue whose node's difficulty we know) */
  powDifficulty?: number
  /** whose mailbox, for the text of MailboxFullError ("bob's mailbox is full"); @default "the recipient's" */
  owner?: string
}

// ------------------------------------------------------------------ a member's calls

/** A new queue at the community: the node picks its id, we pick the credential (only its hash goes out). */
export async function createQueue(
  libp2p: Libp2p,
  community: QueueHome,
  options: CallOptions & { public?: boolean } = {}
): Promise<{ queueId: Uint8Array; credential: Uint8Array }> {
  const isPublic = options.public === true
  const credential = isPublic ? new Uint8Array(0) : randomBytes(CREDENTIAL_BYTES)
  const credentialHash = isPublic ? new Uint8Array(0) : sha256(credential)
  const response = await memberCall(
    libp2p,
    community,
    { queueCreate: { credentialHash: own(credentialHash), public: isPublic } },
    options
  )
  if (response.queueId.length !== QUEUE_ID_BYTES) {
    throw new MailboxUnreachableError(
      `the community answered QUEUE_CREATE with a ${response.queueId.length}-byte queue id (expected ${QUEUE_ID_BYTES})`
    )
  }
  return { queueId: new Uint8Array(response.queueId), credential }
}

/**
 * Every deposit waiting in our queues at the community, oldest first, then each new one as it is
 * stored, until `signal` aborts (resolves) or the stream ends (resolves when the node closes it,
 * throws MailboxUnreachableError when the connection breaks). `onDeposit` is awaited before the
 * next deposit is read; an error it throws ends the subscription with that error.
 */
export async function subscribe(
  libp2p: Libp2p,
  community: QueueHome,
  onDeposit: (deposit: StoredDeposit) => Promise<void> | void,
  signal: AbortSignal,
  options: { onReady?: () => void } = {}
): Promise<void> {
  if (signal.aborted) return
  const first = AbortSignal.any([signal, AbortSignal.timeout(CALL_TIMEOUT_MS)])
  const stream = await openMemberStream(libp2p, community, first)
  const pb = mailboxStream(stream)
  const onAbort = (): void => {
    stream.abort(new Error('the subscription was stopped'))
  }
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    await pb.write({ subscribe: {} }, MailboxRequest, { signal: first })
    const answer = await readResponse(pb, first)
    throwForStatus(answer, 'SUBSCRIBE')
    options.onReady?.()
    for (;;) {
      let response: MailboxResponse
      try {
        response = await pb.read(MailboxResponse, { signal })
      } catch (err) {
        if (signal.aborted) return
        if (isEndOfStream(err)) return
        throw new MailboxUnreachableError(`the subscription broke off: ${(err as Error).message}`)
      }
      throwForStatus(response, 'SUBSCRIBE')
      const deposit = response.deposit
      if (
        deposit === undefined ||
        deposit.depositId.length !== DEPOSIT_ID_BYTES ||
        deposit.queueId.length !== QUEUE_ID_BYTES ||
        deposit.blob.length === 0 ||
        deposit.blob.length > MAX_BLOB_BYTES
      ) {
        throw new MailboxUnreachableError('the community sent a deposit that breaks the field rules')
      }
      // copies: plain Uint8Arrays that do not keep the stream's read buffer alive
      await onDeposit({
        depositId: new Uint8Array(deposit.depositId),
        queueId: new Uint8Array(deposit.queueId),
        storedAt: deposit.storedAt,
        blob: new Uint8Array(deposit.blob)
      })
    }
  } catch (err) {
    if (signal.aborted) return
    stream.abort(err as Error)
    throw err
  } finally {
    signal.removeEventListener('abort', onAbort)
    if (stream.status === 'open') await stream.close().catch(() => stream.abort(new Error('closing failed')))
  }
}

/** The community forgets these deposits of our queues (we stored them durably). Unknown ids are ignored. */
export async function deleteDeposits(
  libp2p: Libp2p,
  community: QueueHome,
  depositIds: Uint8Array[],
  options: CallOptions = {}
): Promise<void> {
  for (const id of depositIds) {
    if (id.length !== DEPOSIT_ID_BYTES) {
      throw new TypeError(`a deposit id is ${DEPOSIT_ID_BYTES} bytes, got ${id.length}`)
    }
  }
  for (let i = 0; i < depositIds.length; i += MAX_DELETE_IDS) {
    await memberCall(
      libp2p,
      community,
      { delete: { depositIds: depositIds.slice(i, i + MAX_DELETE_IDS).map(own) } },
      options
    )
  }
}

/** Gives one of our queues up: the community drops it and its deposits. */
export async function deleteQueue(
  libp2p: Libp2p,
  community: QueueHome,
  queueId: Uint8Array,
  options: CallOptions = {}
): Promise<void> {
  checkQueueId(queueId)
  await memberCall(libp2p, community, { queueDelete: { queueId: own(queueId) } }, options)
}

async function memberCall(
  libp2p: Libp2p,
  community: QueueHome,
  request: MailboxRequest,
  options: CallOptions
): Promise<MailboxResponse> {
  const signal = callSignal(options.signal)
  const stream = await openMemberStream(libp2p, community, signal)
  return await exchange(stream, request, signal)
}

/** A stream to the community over our connection to it (reused), dialing it if there is none. */
async function openMemberStream(libp2p: Libp2p, community: QueueHome, signal: AbortSignal): Promise<Stream> {
  const peerId = peerIdFromString(community.community)
  let connection: Connection | undefined = libp2p
    .getConnections(peerId)
    .find(c => c.status === 'open' && c.limits === undefined)
  if (connection === undefined) {
    const addresses = community.addresses.map(a => withPeerId(a, community.community))
    try {
      connection = await libp2p.dial(addresses.length > 0 ? addresses : peerId, { signal })
    } catch (err) {
      throw new MailboxUnreachableError(
        `could not reach the community ${community.community}: ${(err as Error).message}`
      )
    }
  }
  return await openStream(connection, community.community, signal)
}

// ------------------------------------------------------------------ deposits

/**
 * Puts each blob into the queue, from a throwaway libp2p identity made for this batch and stopped
 * afterwards. Resolves once the node has stored every blob durably (a replay is answered OK and
 * stored once); throws the first refusal as a named error.
 */
export async function deposit(
  address: QueueAddress | PublicQueue,
  blobs: Uint8Array[],
  options: DepositOptions = {}
): Promise<void> {
  checkQueueId(address.queueId)
  const credential = 'credential' in address ? address.credential : new Uint8Array(0)
  if (credential.length !== 0 && credential.length !== CREDENTIAL_BYTES) {
    throw new TypeError(
      `a deposit credential is ${CREDENTIAL_BYTES} bytes (or none for a public queue), got ${credential.length}`
    )
  }
  if (blobs.length === 0) throw new TypeError('a deposit needs at least one blob')
  for (const blob of blobs) {
    if (blob.length === 0 || blob.length > MAX_BLOB_BYTES) {
      throw new RangeError(`a sealed blob is 1..${MAX_BLOB_BYTES} bytes, got ${blob.length}`)
    }
  }
  if (options.powDifficulty !== undefined) checkDifficulty(options.powDifficulty)
  const addresses = address.addresses.map(a => withPeerId(a, address.community))
  if (addresses.length === 0) throw new MailboxUnreachableError('the queue address has no community addresses')
  options.signal?.throwIfAborted()
  const batch = new AbortController()
  const signal = AbortSignal.any([batch.signal, ...(options.signal ? [options.signal] : [])])
  const node = await createThrowawayNode()
  try {
    let connection: Connection
    try {
      connection = await node.dial(addresses, { signal: callSignal(signal) })
    } catch (err) {
      throw new MailboxUnreachableError(`could not reach the community ${address.community}: ${(err as Error).message}`)
    }
    let next = 0
    let failure: unknown
    const worker = async (): Promise<void> => {
      while (failure === undefined && next < blobs.length) {
        const blob = blobs[next++] as Uint8Array
        try {
          await depositOne(connection, address, credential, blob, options, signal)
        } catch (err) {
          failure ??= err
          batch.abort(err)
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(DEPOSIT_CONCURRENCY, blobs.length) }, worker))
    if (failure !== undefined) throw failure
  } finally {
    await Promise.resolve(node.stop()).catch(() => {})
  }
}

async function depositOne(
  connection: Connection,
  address: QueueAddress | PublicQueue,
  credential: Uint8Array,
  blob: Uint8Array,
  options: DepositOptions,
  batchSignal: AbortSignal
): Promise<void> {
  let difficulty = options.powDifficulty
  for (let attempt = 0; ; attempt++) {
    const powNonce =
      difficulty === undefined ? 0 : await solvePow(address.queueId, blob, difficulty, { signal: batchSignal })
    const signal = callSignal(batchSignal)
    const stream = await openStream(connection, address.community, signal)
    try {
      await exchange(
        stream,
        { deposit: { queueId: own(address.queueId), credential: own(credential), blob: own(blob), powNonce } },
        signal,
        options.owner
      )
      return
    } catch (err) {
      // the node asks for work: do it at its difficulty and try once more
      if (!(err instanceof MailboxRefusedError) || err.status !== 'POW_REQUIRED' || attempt > 0) throw err
      difficulty = err.powDifficulty ?? 0
      checkDifficulty(difficulty)
    }
  }
}

// ------------------------------------------------------------------ one exchange

async function openStream(connection: Connection, community: string, signal: AbortSignal): Promise<Stream> {
  try {
    return await connection.newStream(MAILBOX_PROTOCOL, { signal, runOnLimitedConnection: true })
  } catch (err) {
    if ((err as Error).name === 'UnsupportedProtocolError') {
      throw new MailboxUnreachableError(`${community} keeps no mailboxes (it does not speak ${MAILBOX_PROTOCOL})`)
    }
    throw new MailboxUnreachableError(`could not open a mailbox stream to ${community}: ${(err as Error).message}`)
  }
}

/** One request, one answer (every kind but SUBSCRIBE); a status other than OK throws. */
async function exchange(
  stream: Stream,
  request: MailboxRequest,
  signal: AbortSignal,
  owner?: string
): Promise<MailboxResponse> {
  const pb = mailboxStream(stream)
  let response: MailboxResponse
  try {
    await pb.write(request, MailboxRequest, { signal })
    response = await readResponse(pb, signal)
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
  await stream.close({ signal }).catch(() => stream.abort(new Error('closing failed')))
  throwForStatus(response, kindOf(request), owner)
  return response
}

async function readResponse(pb: MailboxStream, signal: AbortSignal): Promise<MailboxResponse> {
  try {
    return await pb.read(MailboxResponse, { signal })
  } catch (err) {
    if (isEndOfStream(err)) throw new MailboxUnreachableError('the community closed the stream without an answer')
    throw new MailboxUnreachableError(`no answer from the community: ${(err as Error).message}`)
  }
}

/** A status other than OK as its named error. */
function throwForStatus(response: MailboxResponse, kind: string, owner = "the recipient's"): void {
  const status = response.status
  switch (status) {
    case MailboxResponse.Status.OK:
      return
    case MailboxResponse.Status.QUEUE_FULL:
    case MailboxResponse.Status.MEMBER_FULL:
      throw new MailboxFullError(`${owner} mailbox is full`, status)
    case MailboxResponse.Status.RATE_LIMITED:
      throw new MailboxRateLimitedError(
        kind === 'DEPOSIT'
          ? 'the community node limits deposits from this address: try again later'
          : `the community node limits this member's requests (${kind}): try again later`
      )
    case MailboxResponse.Status.POW_REQUIRED:
      throw new MailboxRefusedError(
        `the community asks for a proof of work of ${response.powDifficulty} bits (POW_REQUIRED)`,
        status,
        response.powDifficulty
      )
    default:
      throw new MailboxRefusedError(`the community refused the ${kind} request (${status})`, status)
  }
}

function kindOf(request: MailboxRequest): string {
  if (request.queueCreate !== undefined) return 'QUEUE_CREATE'
  if (request.deposit !== undefined) return 'DEPOSIT'
  if (request.subscribe !== undefined) return 'SUBSCRIBE'
  if (request.delete !== undefined) return 'DELETE'
  return 'QUEUE_DELETE'
}

function callSignal(signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(CALL_TIMEOUT_MS)
  return signal === undefined ? timeout : AbortSignal.any([signal, timeout])
}

function withPeerId(address: string, peerId: string): Multiaddr {
  const ma = multiaddr(address)
  return ma.getComponents().some(c => c.name === 'p2p') ? ma : ma.encapsulate(`/p2p/${peerId}`)
}

/** The bytes as the generated codecs type them (a copy only when they sit on a shared buffer). */
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes)
}

function checkQueueId(queueId: Uint8Array): void {
  if (queueId.length !== QUEUE_ID_BYTES) {
    throw new TypeError(`a queue id is ${QUEUE_ID_BYTES} bytes, got ${queueId.length}`)
  }
}

function checkDifficulty(difficulty: number): void {
  if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > MAX_CLIENT_POW_DIFFICULTY) {
    throw new MailboxRefusedError(
      `the community asks for a proof of work of ${difficulty} bits, more than the ${MAX_CLIENT_POW_DIFFICULTY} we do`,
      'POW_REQUIRED'
    )
  }
}
