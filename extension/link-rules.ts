/**
 * What Parley tells the user before it opens a link clicked in a message (pure, unit-tested). A
 * link's label and target are the sender's to choose, so nothing opens until the user has seen
 * where it really goes: the normalized URL (an internationalized host shows as punycode, so a
 * look-alike domain cannot pass for the real one), and a warning when it points at this machine or
 * a private network, which the editor's port forwarding would otherwise open without a word.
 */
import { isAllowedLinkUrl } from './protocol.ts'

export interface LinkConfirmation {
  /** the URL as the browser will open it */
  url: string
  /** the dialog's message */
  message: string
  /** the dialog's detail: the whole URL and, for a local target, why that matters */
  detail: string
  /** true when the target is this machine or a private, link-local or `.local` address */
  local: boolean
}

/** The confirmation for a link, or undefined when the URL may not be opened at all. */
export function linkConfirmation(url: string): LinkConfirmation | undefined {
  if (!isAllowedLinkUrl(url)) return undefined
  const parsed = new URL(url)
  const local = parsed.protocol !== 'mailto:' && isLocalHost(parsed.hostname)
  const where =
    parsed.protocol === 'mailto:' ? 'Write an email from a link in a message?' : 'Open a link from a message?'
  const warning = local
    ? '\n\nIt points at this computer or your local network, not at the internet: a link like this can reach a service that trusts local visitors. Open it only if you expected it.'
    : ''
  return {
    url: parsed.href,
    message: where,
    detail: `${parsed.href}\n\nThe sender chose this link; check where it goes before you open it.${warning}`,
    local
  }
}

/** Loopback, unspecified, private (RFC 1918, RFC 4193), link-local, CGNAT and `.local`/`localhost` hosts. */
export function isLocalHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || !host.includes('.')) {
    // a single-label name (`intranet`, `router`) resolves on the local network, never on the internet
    return !host.includes(':') || isLocalIpv6(host)
  }
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)
  if (v4 !== null) {
    const [a, b] = [Number(v4[1]), Number(v4[2])]
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168)
    )
  }
  return host.includes(':') && isLocalIpv6(host)
}

function isLocalIpv6(host: string): boolean {
  if (host === '::' || host === '::1') return true
  const mapped = /^::ffff:(.+)$/.exec(host)?.[1]
  if (mapped !== undefined) return mapped.includes('.') ? isLocalHost(mapped) : true
  return /^(fc|fd|fe[89ab])/.test(host)
}
