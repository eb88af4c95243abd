/**
 * Mailboxes on community nodes (issue 12, docs/PROTOCOL.md §7): the client calls of the wire (a
 * member's queue, subscription and deletes; deposits from throwaway identities), the proof of
 * work, the errors, and the community node's server.
 */
export {
  createQueue,
  type CallOptions,
  type DepositOptions,
  deleteDeposits,
  deleteQueue,
  deposit,
  type QueueHome,
  subscribe
} from './client.ts'
export * from './constants.ts'
export { depositId } from './deposit-id.ts'
export {
  MailboxFullError,
  MailboxRateLimitedError,
  MailboxRefusedError,
  MailboxUnreachableError,
  SealedBlobError,
  SealedTooLargeError
} from './errors.ts'
export { DEFAULT_MAILBOX_LIMITS, type MailboxLimits, mailboxLimits } from './limits.ts'
export { checkPow, leadingZeroBits, powHash, solvePow } from './pow.ts'
export type { MailboxStatus, PublicQueue, QueueAddress, StoredDeposit } from './types.ts'
export { MailboxServer, type MailboxServerComponents } from './server.ts'
export { MemberMailboxes, type MemberMailboxesComponents } from './member.ts'
export { openBlob, SEALED_BUCKETS, sealBlob } from './sealed.ts'
