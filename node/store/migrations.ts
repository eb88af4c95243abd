/**
 * Versioned schema migrations. Each runs once, in its own transaction, and records its version in
 * `schema_migrations`; never edit a released migration, append a new one.
 */
import type { DatabaseSync } from 'node:sqlite'

export interface Migration {
  version: number
  description: string
  sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'settings, pins, contacts, sessions, chains, messages, outbox, invites, seen envelopes',
    sql: `
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- TOFU pins: name -> peer id, first use wins until the user accepts a new key
      CREATE TABLE pins (
        name TEXT PRIMARY KEY,
        peer_id TEXT NOT NULL,
        pinned_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE contacts (
        peer_id TEXT PRIMARY KEY,
        name TEXT,
        state TEXT NOT NULL CHECK (state IN ('contact', 'request', 'blocked', 'declined')),
        verified INTEGER NOT NULL DEFAULT 0,
        key_changed INTEGER NOT NULL DEFAULT 0,
        last_seen INTEGER,
        -- multiaddrs (JSON array of strings) learnt from an invite link or a profile
        addresses TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- Double Ratchet sessions per peer, by handshake id (the initiator's ephemeral key). Exactly
      -- one per peer is current (used for sending); the others decrypt what is still in flight and
      -- remember used handshake ids, so a replayed first message is never a fresh session.
      CREATE TABLE sessions (
        peer_id TEXT NOT NULL,
        handshake_id BLOB NOT NULL,
        state BLOB NOT NULL,
        current INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (peer_id, handshake_id)
      ) STRICT;

      -- per-peer hash chains: our outgoing seq/hash and the last incoming seq/hash we stored
      CREATE TABLE chains (
        peer_id TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        seq INTEGER NOT NULL,
        hash BLOB NOT NULL,
        PRIMARY KEY (peer_id, direction)
      ) STRICT;

      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        peer_id TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        text TEXT NOT NULL,
        snippet TEXT,
        sent_at INTEGER NOT NULL,
        stored_at INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        prev_hash BLOB,
        status TEXT NOT NULL,
        delivered_at INTEGER,
        error TEXT,
        unread INTEGER NOT NULL DEFAULT 0,
        -- incoming: the sender's chain did not continue from the previous stored envelope
        out_of_order INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX messages_by_peer ON messages (peer_id, stored_at);

      -- sealed envelopes waiting for a signed ack; resent byte-identical, in seq order
      CREATE TABLE outbox (
        message_id TEXT PRIMARY KEY,
        peer_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        envelope BLOB,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt INTEGER NOT NULL,
        last_error TEXT,
        -- read receipts etc. travel through the outbox too but have no row in messages
        kind TEXT NOT NULL DEFAULT 'message'
      ) STRICT;
      CREATE INDEX outbox_by_peer ON outbox (peer_id, seq);

      CREATE TABLE invites (
        secret TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        used_at INTEGER,
        used_by TEXT
      ) STRICT;

      -- ids of every envelope we stored (messages, receipts, unreadable payloads): dedup before decrypting
      CREATE TABLE seen_envelopes (
        id TEXT PRIMARY KEY,
        peer_id TEXT NOT NULL,
        seen_at INTEGER NOT NULL
      ) STRICT;
    `
  },
  {
    version: 2,
    description: 'contacts.announced_name: the name a peer claims for itself, kept apart from names we resolved',
    sql: `ALTER TABLE contacts ADD COLUMN announced_name TEXT;`
  },
  {
    version: 3,
    description:
      'typed settings (preferences) and invite secrets in their own table, moved out of the key/value settings',
    sql: `
      -- one row: each setting a typed column
      CREATE TABLE preferences (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        read_receipts INTEGER NOT NULL DEFAULT 0 CHECK (read_receipts IN (0, 1)),
        own_name TEXT
      ) STRICT;
      INSERT INTO preferences (id, read_receipts, own_name) VALUES (
        1,
        COALESCE((SELECT value = 'true' FROM settings WHERE key = 'readReceipts'), 0),
        (SELECT NULLIF(value, '') FROM settings WHERE key = 'name')
      );

      -- the secret of the invite link we used, for our first envelope to the inviter; '' meant used
      CREATE TABLE invite_secrets (
        peer_id TEXT PRIMARY KEY,
        secret TEXT NOT NULL
      ) STRICT;
      INSERT INTO invite_secrets (peer_id, secret)
        SELECT substr(key, length('inviteSecret:') + 1), value FROM settings
        WHERE substr(key, 1, length('inviteSecret:')) = 'inviteSecret:' AND value != '';

      DROP TABLE settings;
    `
  },
  {
    version: 4,
    description:
      'community: invites and members of the community this node runs, communities this node joined (issue 11)',
    sql: `
      -- join secrets of community invite links, stored as SHA-256 so the database never holds a usable one
      CREATE TABLE community_invites (
        secret_hash BLOB PRIMARY KEY,
        uses_left INTEGER NOT NULL CHECK (uses_left >= 0),
        expires_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;

      -- the allowlist of the community this node runs; relay limits NULL = the community's defaults
      CREATE TABLE community_members (
        peer_id TEXT PRIMARY KEY,
        name TEXT,
        joined_at INTEGER NOT NULL,
        relay_duration_ms INTEGER,
        relay_data_bytes INTEGER
      ) STRICT;

      -- communities this node joined: dialed, relayed through and used as bootstrap peers at start
      CREATE TABLE communities (
        peer_id TEXT PRIMARY KEY,
        addresses TEXT NOT NULL DEFAULT '[]',
        joined_at INTEGER NOT NULL
      ) STRICT;
    `
  },
  {
    version: 5,
    description: 'full-text search of message text (FTS5, kept in step with messages by triggers)',
    sql: `
      -- an external-content index: the text stays in messages, the index holds only its words; and
      -- the first 2, 3 and 4 letters of each word, so a word being typed is looked up, not merged
      CREATE VIRTUAL TABLE messages_fts USING fts5(
        text, content = 'messages', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
      );
      INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
      END;
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        INSERT INTO messages_fts (rowid, text) VALUES (new.rowid, new.text);
      END;
    `
  },
  {
    version: 6,
    description:
      'rotated signed prekeys; the time after which an undeliverable message is failed, counted from outbox.queued_at; when a session with a contact was last restarted',
    sql: `
      -- our signed prekeys (docs/PROTOCOL.md §3.2): the current one (retired_at NULL) and the
      -- retired ones kept for late first messages; secret keys, like the sessions
      CREATE TABLE prekeys (
        id INTEGER PRIMARY KEY,
        private_key BLOB NOT NULL,
        signature BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        retired_at INTEGER
      ) STRICT;
      ALTER TABLE preferences ADD COLUMN fail_after_ms INTEGER NOT NULL DEFAULT 604800000;
      ALTER TABLE contacts ADD COLUMN session_restarted_at INTEGER;
      -- when the entry was queued, or last retried by hand: the fail-after time counts from it
      ALTER TABLE outbox ADD COLUMN queued_at INTEGER;
    `
  },
  {
    version: 7,
    description: 'the mailboxes a community node keeps for its members: queues and the sealed deposits in them',
    sql: `
      -- a member's queue (docs/PROTOCOL.md §7): the node knows its owner, never which contact it is for;
      -- deposits and bytes are kept by the triggers below, for the quotas
      CREATE TABLE mailbox_queues (
        queue_id BLOB PRIMARY KEY,
        owner TEXT NOT NULL,
        credential_hash BLOB,
        public INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        deposits INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX mailbox_queues_owner ON mailbox_queues (owner);

      -- sealed blobs waiting for their queue's owner; seq orders them (oldest first)
      CREATE TABLE mailbox_deposits (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: an open subscription's cursor must not see a new deposit take a deleted one's seq
        deposit_id BLOB NOT NULL UNIQUE,
        queue_id BLOB NOT NULL REFERENCES mailbox_queues (queue_id) ON DELETE CASCADE,
        stored_at INTEGER NOT NULL,
        blob BLOB NOT NULL
      ) STRICT;
      CREATE INDEX mailbox_deposits_queue ON mailbox_deposits (queue_id, seq);
      CREATE INDEX mailbox_deposits_stored_at ON mailbox_deposits (stored_at);
      CREATE TRIGGER mailbox_deposit_added AFTER INSERT ON mailbox_deposits BEGIN
        UPDATE mailbox_queues SET deposits = deposits + 1, bytes = bytes + length(new.blob) WHERE queue_id = new.queue_id;
      END;
      CREATE TRIGGER mailbox_deposit_removed AFTER DELETE ON mailbox_deposits BEGIN
        UPDATE mailbox_queues SET deposits = deposits - 1, bytes = bytes - length(old.blob) WHERE queue_id = old.queue_id;
      END;
    `
  },
  {
    version: 8,
    description:
      'mailboxes of a member (issue 12): the queues we created at our communities, the queue addresses our contacts handed us, which outbox entries a mailbox accepted',
    sql: `
      -- our queues at the communities we joined (docs/PROTOCOL.md §7.5): one per contact and
      -- community, and one public contact queue per community (contact NULL)
      CREATE TABLE member_queues (
        queue_id BLOB PRIMARY KEY,
        community TEXT NOT NULL,
        credential BLOB NOT NULL,
        public INTEGER NOT NULL CHECK (public IN (0, 1)),
        contact TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX member_queues_for ON member_queues (community, COALESCE(contact, ''), public);
      -- where a contact wants us to deposit (its latest MailboxQueues replaces the set); and its
      -- X25519 identity DH key from its profile (blobs are sealed to it while it is offline)
      CREATE TABLE contact_mailboxes (
        peer_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        community TEXT NOT NULL,
        addresses TEXT NOT NULL,
        queue_id BLOB NOT NULL,
        credential BLOB NOT NULL,
        PRIMARY KEY (peer_id, position)
      ) STRICT;
      CREATE TABLE mailbox_peers (
        peer_id TEXT PRIMARY KEY,
        dh_key BLOB,
        queues_sent_at INTEGER
      ) STRICT;
      -- when one of the recipient's mailboxes accepted the sealed entry (status stored)
      ALTER TABLE outbox ADD COLUMN deposited_at INTEGER;
    `
  },
  {
    version: 9,
    description:
      'group conversations: groups and their membership logs, sender-key chains, group messages, their pairwise outbox entries, frames kept for later (issue 13)',
    sql: `
      -- members, admins, removed and heads: JSON arrays of peer ids / hex hashes, the merged log's state
      CREATE TABLE groups (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        members TEXT NOT NULL,
        admins TEXT NOT NULL,
        removed TEXT NOT NULL DEFAULT '[]',
        heads TEXT NOT NULL,
        left_group INTEGER NOT NULL DEFAULT 0,
        out_seq INTEGER NOT NULL DEFAULT 0,
        out_hash BLOB NOT NULL DEFAULT x'',
        lamport INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- the signed membership events (encoded GroupEvent), each once
      CREATE TABLE group_events (
        group_id TEXT NOT NULL,
        hash TEXT NOT NULL,
        event BLOB NOT NULL,
        PRIMARY KEY (group_id, hash)
      ) STRICT;

      -- sender-key chains: ours (signing_private set) and the members'; secret keys, like the sessions
      CREATE TABLE group_chains (
        group_id TEXT NOT NULL,
        sender TEXT NOT NULL,
        signing_key BLOB NOT NULL,
        signing_private BLOB,
        iteration INTEGER NOT NULL,
        chain_key BLOB NOT NULL,
        skipped TEXT NOT NULL DEFAULT '[]',
        current INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (group_id, sender, signing_key)
      ) STRICT;

      -- the members each of our chains was sent to
      CREATE TABLE group_distributed (
        group_id TEXT NOT NULL,
        signing_key BLOB NOT NULL,
        member TEXT NOT NULL,
        PRIMARY KEY (group_id, signing_key, member)
      ) STRICT;

      -- each sender's hash chain per group: the last seq stored and its hash
      CREATE TABLE group_senders (
        group_id TEXT NOT NULL,
        sender TEXT NOT NULL,
        seq INTEGER NOT NULL,
        hash BLOB NOT NULL,
        PRIMARY KEY (group_id, sender)
      ) STRICT;

      CREATE TABLE group_messages (
        id TEXT PRIMARY KEY,
        group_id TEXT NOT NULL,
        sender TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        text TEXT NOT NULL,
        snippet TEXT,
        mentions TEXT NOT NULL DEFAULT '[]',
        sent_at INTEGER NOT NULL,
        stored_at INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        lamport INTEGER NOT NULL,
        unread INTEGER NOT NULL DEFAULT 0,
        -- ours: the GroupMessage bytes every member gets
        wire BLOB
      ) STRICT;
      CREATE INDEX group_messages_order ON group_messages (group_id, lamport, sender, seq);

      -- the pairwise outbox entries (outbox.message_id = entry_id, kind 'group') a group frame became
      CREATE TABLE group_outgoing (
        entry_id TEXT PRIMARY KEY,
        group_id TEXT NOT NULL,
        member TEXT NOT NULL,
        message_id TEXT,
        frame BLOB
      ) STRICT;
      CREATE INDEX group_outgoing_by_message ON group_outgoing (message_id);

      -- frames that arrived before their group, their sender's membership or their chain
      CREATE TABLE group_pending (
        group_id TEXT NOT NULL,
        from_peer TEXT NOT NULL,
        frame BLOB NOT NULL,
        received_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX group_pending_by_group ON group_pending (group_id);
    `
  },
  {
    version: 10,
    description: 'an index of unread messages per conversation (the contacts view counts them for every contact)',
    sql: `
      -- partial: only unread rows, a handful per conversation; without it each count read every
      -- message of the conversation (4 s for the contacts view of a home with 1,000,000 messages)
      CREATE INDEX messages_unread ON messages (peer_id) WHERE unread = 1;
    `
  },
  {
    version: 12,
    description: 'groups: read receipts per member of our group messages; full-text search of group messages',
    sql: `
      -- when the member this entry went to told us (a read receipt) that it read the message
      ALTER TABLE group_outgoing ADD COLUMN read_at INTEGER;

      -- as messages_fts (migration 5), over group_messages
      CREATE VIRTUAL TABLE group_messages_fts USING fts5(
        text, content = 'group_messages', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'
      );
      INSERT INTO group_messages_fts (group_messages_fts) VALUES ('rebuild');
      CREATE TRIGGER group_messages_fts_insert AFTER INSERT ON group_messages BEGIN
        INSERT INTO group_messages_fts (rowid, text) VALUES (new.rowid, new.text);
      END;
      CREATE TRIGGER group_messages_fts_delete AFTER DELETE ON group_messages BEGIN
        INSERT INTO group_messages_fts (group_messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
      END;
      CREATE TRIGGER group_messages_fts_update AFTER UPDATE OF text ON group_messages BEGIN
        INSERT INTO group_messages_fts (group_messages_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
        INSERT INTO group_messages_fts (rowid, text) VALUES (new.rowid, new.text);
      END;
    `
  }
]

/**
 * Applies every migration the database has not recorded, in version order, each in its own
 * transaction; returns the newest version recorded. Idempotent. A version missing below the newest
 * one recorded (a home opened by a build that had a later migration but not an earlier one) is
 * applied too, not skipped.
 */
export function migrate(db: DatabaseSync, migrations: readonly Migration[] = MIGRATIONS): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`)
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map(r => r.version)
  )
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue
    db.exec('BEGIN IMMEDIATE')
    try {
      db.exec(m.sql)
      db.prepare('INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.description,
        Date.now()
      )
      db.exec('COMMIT')
    } catch (err) {
      db.exec('ROLLBACK')
      throw err
    }
    applied.add(m.version)
  }
  return Math.max(0, ...applied)
}
