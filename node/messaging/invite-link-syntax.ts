/**
 * What text is an invite link: the one detector, used by the daemon (a `send`/`contact add` target)
 * and the extension (its input boxes). Pure (no node:* builtins, no `vscode`); parsing and checking
 * the link is parseInviteLink's job (invite-link.ts).
 */
import { INVITE_LINK_PREFIX } from './constants.ts'

/**
 * True when `text`, without surrounding white space, is `parley://invite?` followed by at least one
 * character and no white space: what a user pasted as a link, not a name or a sentence.
 */
export function isInviteLink(text: string): boolean {
  if (typeof text !== 'string') return false
  const link = text.trim()
  return link.length > INVITE_LINK_PREFIX.length && link.startsWith(INVITE_LINK_PREFIX) && !/\s/.test(link)
}
