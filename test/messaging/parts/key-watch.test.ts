/** Key re-checks alone: which contacts are re-resolved, and what a changed key does. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { KeyWatch } from '../../../node/messaging/key-watch.ts'
import { contact, FakeDirectory, identity, logger, memoryStore } from './fakes.ts'

describe('key watch', () => {
  it('flags a named, pinned contact whose name now points at another key, and only that one', async () => {
    const store = memoryStore()
    const directory = new FakeDirectory(store)
    const [bob, newBob, carol, dave] = await Promise.all([identity(), identity(), identity(), identity()])
    for (const [id, name] of [
      [bob, 'bob'],
      [carol, 'carol'],
      [dave, 'dave']
    ] as const) {
      directory.publish(id, name)
      contact(store, id.peerId)
      store.contacts.put({ ...store.contacts.get(id.peerId.toString())!, name })
      store.pins.set(name, id.peerId.toString())
    }
    // dave is only a request: not re-checked
    store.contacts.put({ ...store.contacts.get(dave.peerId.toString())!, state: 'request' })
    directory.publish(newBob)
    directory.names.set('bob', newBob.peerId)
    directory.names.set('dave', newBob.peerId)
    const flagged: Array<[string, string]> = []
    const resolved: string[] = []
    const watch = new KeyWatch(
      {
        store,
        directory: {
          resolveName: async name => {
            resolved.push(name)
            return await directory.resolveName(name)
          }
        },
        contacts: { flagKeyChanged: (peerId, name) => flagged.push([peerId, name]) },
        logger
      },
      { keyCheckIntervalMs: 60_000 }
    )
    await watch.check()
    assert.deepEqual(resolved.sort(), ['bob', 'carol'])
    assert.deepEqual(flagged, [[bob.peerId.toString(), 'bob']])
  })

  it('a lookup that fails changes nothing', async () => {
    const store = memoryStore()
    const bob = await identity()
    contact(store, bob.peerId)
    store.contacts.put({ ...store.contacts.get(bob.peerId.toString())!, name: 'bob' })
    store.pins.set('bob', bob.peerId.toString())
    const flagged: string[] = []
    const watch = new KeyWatch({
      store,
      directory: {
        resolveName: async () => {
          throw new Error('lookup failed')
        }
      },
      contacts: { flagKeyChanged: peerId => flagged.push(peerId) },
      logger
    })
    await watch.check()
    assert.deepEqual(flagged, [])
  })
})
