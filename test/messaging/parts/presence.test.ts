/** Presence alone: connections make contacts online and offline, with last-seen times and events. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { PeerId } from '@libp2p/interface'
import { PresenceWatch, type PresenceWatchComponents } from '../../../node/messaging/presence.ts'
import { contact, identity, logger, memoryStore, recorder } from './fakes.ts'

describe('presence', () => {
  it('online on connect, offline when the last connection closes; only contacts; one event per change', async () => {
    const store = memoryStore()
    const bob = await identity()
    const stranger = await identity()
    const bobId = bob.peerId.toString()
    contact(store, bob.peerId)
    const connections = new Map<string, number>()
    const events = new EventTarget()
    const libp2p = Object.assign(events, {
      getConnections: (peer?: PeerId) => Array.from({ length: connections.get(peer?.toString() ?? '') ?? 0 }),
      peerStore: {},
      dial: async () => {},
      services: {}
    }) as unknown as PresenceWatchComponents['libp2p']
    const { notify, events: recorded } = recorder()
    const presence = new PresenceWatch(
      {
        libp2p,
        store,
        peers: { connected: id => (connections.get(id) ?? 0) > 0, refresh: async () => {} },
        notify,
        logger
      },
      { presenceIntervalMs: 3_600_000 }
    )
    presence.start()
    assert.equal(presence.get(bobId), 'offline')
    const emit = (type: string, peer: PeerId): void => {
      events.dispatchEvent(new CustomEvent(type, { detail: peer }))
    }
    connections.set(bobId, 2)
    emit('peer:connect', bob.peerId)
    emit('peer:connect', bob.peerId)
    emit('peer:connect', stranger.peerId)
    assert.equal(presence.get(bobId), 'online')
    assert.ok(store.contacts.get(bobId)?.lastSeen !== undefined)
    // staying online (more connections, pings) does not rewrite the row each time: one commit each
    const written = store.contacts.get(bobId)!.updatedAt
    const put = store.contacts.put
    let writes = 0
    store.contacts.put = row => {
      writes++
      put(row)
    }
    emit('peer:connect', bob.peerId)
    emit('peer:connect', bob.peerId)
    assert.equal(writes, 0, 'an online contact seen again is not rewritten within LAST_SEEN_ONLINE_WRITE_MS')
    assert.equal(store.contacts.get(bobId)!.updatedAt, written)
    connections.set(bobId, 1)
    emit('peer:disconnect', bob.peerId)
    assert.equal(presence.get(bobId), 'online', 'one connection is left')
    connections.set(bobId, 0)
    emit('peer:disconnect', bob.peerId)
    assert.equal(presence.get(bobId), 'offline')
    assert.equal(writes, 1, 'going away writes the last seen')
    presence.stop()
    emit('peer:connect', bob.peerId)
    assert.equal(presence.get(bobId), 'offline', 'stopped: no longer listening')
    const changes = recorded.filter(r => r.event === 'presence.changed').map(r => r.detail)
    assert.deepEqual(
      changes.map(c => ('presence' in c ? [c.peerId, c.presence] : [])),
      [
        [bobId, 'online'],
        [bobId, 'offline']
      ]
    )
    assert.ok(changes.every(c => 'lastSeen' in c && typeof c.lastSeen === 'number'))
  })
})
