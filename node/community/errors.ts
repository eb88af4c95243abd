/** Errors of the community layer; node/daemon/error-codes.ts maps them to RPC codes. */

/** The invite link's secret is not one this community made (a wrong or mistyped link). */
export class CommunityInviteUnknownError extends Error {
  static override name = 'CommunityInviteUnknownError'
  override name = 'CommunityInviteUnknownError'
}

/** The invite has been used as often as it allowed. */
export class CommunityInviteUsedError extends Error {
  static override name = 'CommunityInviteUsedError'
  override name = 'CommunityInviteUsedError'
}

/** The invite expired. */
export class CommunityInviteExpiredError extends Error {
  static override name = 'CommunityInviteExpiredError'
  override name = 'CommunityInviteExpiredError'
}

/** A community link that does not parse. */
export class InvalidCommunityLinkError extends Error {
  static override name = 'InvalidCommunityLinkError'
  override name = 'InvalidCommunityLinkError'
}

/** This daemon (community invite, members, remove) or the linked peer (join) is not a community node. */
export class NotACommunityNodeError extends Error {
  static override name = 'NotACommunityNodeError'
  override name = 'NotACommunityNodeError'
}

/** The community node could not be reached, or broke off the join protocol. */
export class CommunityUnreachableError extends Error {
  static override name = 'CommunityUnreachableError'
  override name = 'CommunityUnreachableError'
}

/** The join proof did not verify (the member's key did not sign this challenge). */
export class JoinProofInvalidError extends Error {
  static override name = 'JoinProofInvalidError'
  override name = 'JoinProofInvalidError'
}

/** No member with this peer id or name. */
export class MemberNotFoundError extends Error {
  static override name = 'MemberNotFoundError'
  override name = 'MemberNotFoundError'
}

/** A name matches more than one member: remove by peer id. */
export class AmbiguousMemberError extends Error {
  static override name = 'AmbiguousMemberError'
  override name = 'AmbiguousMemberError'
}

/** This node has not joined the community. */
export class CommunityNotFoundError extends Error {
  static override name = 'CommunityNotFoundError'
  override name = 'CommunityNotFoundError'
}
