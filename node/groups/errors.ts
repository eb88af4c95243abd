/** Errors of group conversations; the daemon maps those a client sees to RPC codes 1030–1039. */

/** No group matches the id or `#title` (or a `#title` matches more than one). */
export class GroupNotFoundError extends Error {
  static override name = 'GroupNotFoundError'
  override name = 'GroupNotFoundError'
}

/** Only an admin may add, remove, make admin or rename. */
export class NotGroupAdminError extends Error {
  static override name = 'NotGroupAdminError'
  override name = 'NotGroupAdminError'
}

/** The peer is not a member of the group (a send after leaving, a message from a removed member, removing a non-member). */
export class NotGroupMemberError extends Error {
  static override name = 'NotGroupMemberError'
  override name = 'NotGroupMemberError'
}

/** A membership change that cannot apply (adding a member twice, a title too long, too many members). */
export class InvalidGroupChangeError extends Error {
  static override name = 'InvalidGroupChangeError'
  override name = 'InvalidGroupChangeError'
}

/** A group frame that does not decode or breaks a size rule. */
export class MalformedGroupFrameError extends Error {
  static override name = 'MalformedGroupFrameError'
  override name = 'MalformedGroupFrameError'
}

/** A membership event whose signature is not its author's, or whose group id is not the log's. */
export class ForgedGroupEventError extends Error {
  static override name = 'ForgedGroupEventError'
  override name = 'ForgedGroupEventError'
}

/** A group message carried by a peer other than its sender, or not signed by the chain it names. */
export class GroupImpersonationError extends Error {
  static override name = 'GroupImpersonationError'
  override name = 'GroupImpersonationError'
}

/** A group message seen before (its id, its sender seq, or a message key already used). */
export class GroupReplayError extends Error {
  static override name = 'GroupReplayError'
  override name = 'GroupReplayError'
}

/** A group message that does not decrypt with the key its chain gives (tampered, or a chain we never got). */
export class GroupDecryptError extends Error {
  static override name = 'GroupDecryptError'
  override name = 'GroupDecryptError'
}
