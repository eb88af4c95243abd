/**
 * The one map from library errors to RPC error codes. It lists error *classes*, so it can only name
 * an error some class defines (the compiler refuses anything else), and it is keyed by every
 * Parley code of RpcErrorCode, so a code no error produces does not compile either. JSON-RPC's own
 * codes (-326xx) come from the server and the parameter checks (RpcError), never from this map.
 */
import {
  AmbiguousMemberError,
  CommunityInviteExpiredError,
  CommunityInviteUnknownError,
  CommunityInviteUsedError,
  CommunityNotFoundError,
  CommunityUnreachableError,
  InvalidCommunityLinkError,
  JoinProofInvalidError,
  MemberNotFoundError,
  NotACommunityNodeError
} from '../community/errors.ts'
import { NotFoundError } from '../errors.ts'
import {
  MailboxFullError,
  MailboxRateLimitedError,
  MailboxRefusedError,
  MailboxUnreachableError
} from '../mailbox/errors.ts'
import {
  GroupNotFoundError,
  InvalidGroupChangeError,
  NotGroupAdminError,
  NotGroupMemberError
} from '../groups/errors.ts'
import {
  BlockedError,
  ContactNotFoundError,
  InvalidInviteError,
  KeyChangedError,
  TimeoutError
} from '../messaging/errors.ts'
import { InvalidNameError, LookupFailedError, NameNotFoundError, NameTakenError } from '../names/errors.ts'
import { RpcErrorCode } from './rpc-api.ts'

/** An error class with a stable static `name` (the `data.name` clients see). */
export type ErrorClass = (abstract new (...args: never[]) => Error) & { readonly name: string }

/** The codes Parley adds to JSON-RPC's: the keys of RpcErrorCode that this map must cover. */
export type ParleyErrorCode = Exclude<
  keyof typeof RpcErrorCode,
  'ParseError' | 'InvalidRequest' | 'MethodNotFound' | 'InvalidParams' | 'Internal'
>

/** Each Parley RPC code and the error classes that become it (at least one each). */
export const ERROR_CLASSES = {
  NotFound: [
    NotFoundError,
    NameNotFoundError,
    ContactNotFoundError,
    MemberNotFoundError,
    AmbiguousMemberError,
    CommunityNotFoundError
  ],
  NameTaken: [NameTakenError],
  KeyChanged: [KeyChangedError],
  Blocked: [BlockedError],
  Timeout: [TimeoutError, LookupFailedError],
  InvalidName: [InvalidNameError],
  InvalidInvite: [InvalidInviteError, InvalidCommunityLinkError],
  CommunityInviteUnknown: [CommunityInviteUnknownError],
  CommunityInviteUsed: [CommunityInviteUsedError],
  CommunityInviteExpired: [CommunityInviteExpiredError],
  NotACommunity: [NotACommunityNodeError],
  CommunityUnreachable: [CommunityUnreachableError, JoinProofInvalidError],
  MailboxFull: [MailboxFullError],
  MailboxUnreachable: [MailboxUnreachableError],
  MailboxRefused: [MailboxRefusedError],
  MailboxRateLimited: [MailboxRateLimitedError],
  GroupNotFound: [GroupNotFoundError],
  NotGroupAdmin: [NotGroupAdminError],
  NotGroupMember: [NotGroupMemberError],
  InvalidGroupChange: [InvalidGroupChangeError]
} as const satisfies { readonly [C in ParleyErrorCode]: readonly [ErrorClass, ...ErrorClass[]] }

/** Error class name → code, from ERROR_CLASSES. */
const BY_NAME: ReadonlyMap<string, RpcErrorCode> = new Map(
  (Object.keys(ERROR_CLASSES) as ParleyErrorCode[]).flatMap(code =>
    ERROR_CLASSES[code].map(errorClass => [errorClass.name, RpcErrorCode[code]] as const)
  )
)

/** The RPC code for an error of this class name, or undefined for an error the map does not know. */
export function errorCodeOf(name: string): RpcErrorCode | undefined {
  return BY_NAME.get(name)
}
