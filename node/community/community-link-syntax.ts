/**
 * What text is a community link: the one detector, for the extension's input box and anyone else
 * who must tell one from a name or a contact invite before parsing it. Pure (no node:* builtins, no
 * libp2p); parsing and checking the link is parseCommunityLink's job (community-link.ts).
 */
import { COMMUNITY_LINK_PREFIX } from './constants.ts'

/**
 * True when `text`, without surrounding white space, is `parley://community?` followed by at least
 * one character and no white space.
 */
export function isCommunityLink(text: string): boolean {
  if (typeof text !== 'string') return false
  const link = text.trim()
  return link.length > COMMUNITY_LINK_PREFIX.length && link.startsWith(COMMUNITY_LINK_PREFIX) && !/\s/.test(link)
}
