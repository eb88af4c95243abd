/** Limits and timeouts of the extension host, each with why. */

/** First reconnect delay: a daemon restarted by `Restart Node` is back within a few hundred ms. */
export const CONNECT_BACKOFF_MIN_MS = 250
/** Reconnect delay cap: a dead daemon costs one failed connect() every 5 s, nothing more. */
export const CONNECT_BACKOFF_MAX_MS = 5_000
/** After a dropped connection, wait this long for someone else's restart before respawning. */
export const RESPAWN_AFTER_MS = 2_000
/** A first start opens the database and starts libp2p; slow disks and cold caches need seconds. */
export const DAEMON_START_TIMEOUT_MS = 30_000
/** Messages loaded when a conversation opens and per "load older" page. */
export const HISTORY_PAGE = 100
/** Pages loaded to show an old search result in its conversation (2,000 messages); older ones say so. */
export const REVEAL_MAX_PAGES = 20
/** Results a search shows while typing, and the pause after the last key before it runs. */
export const SEARCH_RESULTS = 50
export const SEARCH_DELAY_MS = 150
/** Text shown in a notification; the rest is in the conversation. */
export const NOTIFICATION_PREVIEW_CHARS = 140
/** How often the node status (peer count) is refreshed while connected: a local RPC, no network. */
export const STATUS_REFRESH_MS = 10_000
/** A burst of messages costs one contacts.list, after the conversation had time to mark itself read. */
export const CONTACTS_REFRESH_DELAY_MS = 300
