export const USAGE = `parley: decentralized, end-to-end encrypted chat

usage: parley [--home DIR] [--json] COMMAND [ARGS]

Node
  init                         create the identity in the home (idempotent)
  daemon [--listen MA]... [--bootstrap MA]... [--no-mdns] [--upnp]
                               run the node for this home (one per home)
  daemon --community [--listen MA]... [--announce MA]...
                               run it as a community node (relay, allowlist, records,
                               members' mailboxes)
      [--mailbox-days N] [--mailbox-queue-deposits N] [--mailbox-queue-bytes N]
      [--mailbox-member-deposits N] [--mailbox-member-bytes N] [--mailbox-queues N]
      [--mailbox-pow BITS] [--mailbox-rate N]
                               mailbox retention (30 days) and quotas (COMMUNITY.md)
  status                       peer id, name, addresses, connections, routing table
  whoami                       peer id, name and fingerprint
  register NAME                claim NAME in the DHT
  resolve NAME                 look NAME up (exit 2: no claim; exit 4: key changed)
  peers                        connected peers
  safety-number NAME|PEERID    the code to compare with a contact out of band
  settings [read-receipts on|off] [fail-after HOURS]
                               show or change settings (read receipts are off by default;
                               an undelivered message is failed after 168 hours by default)

Messages
  send TARGET TEXT [--wait] [--timeout S]
  retry ID                     send a queued or failed message again now
  history TARGET [--limit N]
  search TEXT [--with TARGET] [--limit N]
                               messages with every word of TEXT, newest first
  chat TARGET                  interactive chat in the terminal
  events                       one line per daemon event until interrupted

Contacts
  contacts                     list contacts and requests
  contact add NAME|PEERID|LINK
  contact accept|decline|block|unblock|verify|accept-key TARGET
  invite                       a one-time invite link

Groups (GROUP: its id, or #TITLE when unique; send, history and chat take a GROUP as TARGET)
  groups                       your groups, with unread counts
  group create TITLE [--member NAME|PEERID]...
                               a group with you as admin
  group add|remove GROUP MEMBER
                               add or remove a member (admins)
  group admin GROUP MEMBER     make a member an admin (admins)
  group rename GROUP TITLE     (admins)
  group leave GROUP

Community
  community invite [--uses N] [--expires DURATION]
                               a join link (community node; 1 use, 7d by default)
  community members            the allowlist, with who is online and their mailboxes
                               (community node)
  community remove PEERID|NAME take a member off the allowlist (community node)
  community limit PEERID|NAME [--duration DURATION] [--data BYTES]
                               cut a member's relayed connections (default: none)
  community join LINK          join a community: relay, bootstrap, records kept
  community list               communities joined, connected or not
  community leave PEERID       leave a community

Global options
  --home DIR     the node's home (or PARLEY_HOME; default: the OS data directory)
  --json         print exactly one JSON document on stdout
  -h, --help     this help

Exit codes: 0 ok, 1 error, 2 not found, 3 no daemon running, 4 key changed.
`
