/**
 * Contacts: what a target (invite link, peer id, contact name, pinned name, a name resolved now)
 * means, adding, accepting, declining, blocking and verifying contacts, invite links, and accepting
 * a changed key behind a pinned name. Emits contact.changed.
 */
import type { Libp2p } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { randomBytes } from '../crypto/primitives.ts'
import type { Identity } from '../identity/index.ts'
import type { ContactRow, ParleyStore } from '../store/index.ts'
import { newContact, updateContact } from './contact-rows.ts'
import { INVITE_SECRET_LENGTH, MAX_INVITE_ADDRESSES } from './constants.ts'
import { BlockedError, ContactNotFoundError, InvalidInviteError, KeyChangedError } from './errors.ts'
import { parsePeerId } from './ids.ts'
import { multiaddr } from '@multiformats/multiaddr'
import { formatInviteLink, isInviteLink, parseInviteLink } from './invite-link.ts'
import type { PeerAddresses } from './peers.ts'
import type { PresenceWatch } from './presence.ts'
import type { ContactView, Directory, Notify } from './types.ts'
import { contactView } from './views.ts'
import { foldName } from '../names/name-rules.ts'

export interface ContactsComponents {
  libp2p: Pick<Libp2p, 'hangUp' | 'getMultiaddrs' | 'dial'>
  identity: Pick<Identity, 'peerId'>
  store: Pick<
    ParleyStore,
    'contacts' | 'pins' | 'chains' | 'invites' | 'inviteSecrets' | 'messages' | 'transaction' | 'communities'
  >
  directory: Directory
  presence: Pick<PresenceWatch, 'get' | 'track'>
  peers: Pick<PeerAddresses, 'learn'>
  notify: Notify
  /** the peer's queued envelopes may go now (unblocked, key accepted) */
  deliverNow: (peerId: string) => void
}

export class Contacts {
  private readonly components: ContactsComponents
  private readonly localPeerId: string

  constructor(components: ContactsComponents) {
    this.components = components
    this.localPeerId = components.identity.peerId.toString()
  }

  list(): ContactView[] {
    return this.components.store.contacts.list().map(c => this.view(c))
  }

  view(c: ContactRow): ContactView {
    return contactView(this.components.store, c, this.components.presence.get(c.peerId))
  }

  /** Adds (or re-adds) a contact by invite link, peer id or name. */
  async add(target: string, options: { signal: AbortSignal }): Promise<ContactView> {
    let row = await this.resolveTarget(target, { signal: options.signal, network: true })
    if (row.state === 'blocked') throw new BlockedError(`${row.peerId} is blocked; unblock it first`)
    row = this.update(row, { state: 'contact' })
    return this.changed(row)
  }

  async accept(target: string, options: { signal: AbortSignal }): Promise<ContactView> {
    return this.changed(this.update(await this.resolveKnown(target, options), { state: 'contact' }))
  }

  async decline(target: string, options: { signal: AbortSignal }): Promise<ContactView> {
    return this.changed(this.update(await this.resolveKnown(target, options), { state: 'declined' }))
  }

  async block(target: string, options: { signal: AbortSignal }): Promise<ContactView> {
    const peerId = parsePeerId(target)
    const existing = peerId != null ? this.components.store.contacts.get(peerId.toString()) : undefined
    const row = this.update(
      existing ??
        (peerId != null ? newContact(peerId.toString(), 'blocked') : await this.resolveKnown(target, options)),
      { state: 'blocked' }
    )
    // close what is open: a blocked peer gets nothing from us
    await this.components.libp2p.hangUp(peerIdFromString(row.peerId)).catch(() => {})
    return this.changed(row)
  }

  async unblock(target: string, options: { signal: AbortSignal }): Promise<ContactView> {
    const row = this.update(await this.resolveKnown(target, options), { state: 'contact' })
    this.components.deliverNow(row.peerId)
    return this.changed(row)
  }

  async verify(target: string, options: { signal: AbortSignal }): Promise<ContactView> {
    return this.changed(this.update(await this.resolveKnown(target, options), { verified: true }))
  }

  /** Accepts the key a pinned name now points at: the pin moves, sending resumes. */
  async acceptKey(target: string, options: { signal: AbortSignal }): Promise<ContactView> {
    const { store, directory, peers, notify } = this.components
    const old = this.resolveLocal(target)
    const name = old.name ?? (parsePeerId(target) == null ? foldName(target) : undefined)
    let row: ContactRow
    if (name === undefined) {
      row = this.update(old, { keyChanged: false })
    } else {
      const resolved = await directory.resolveName(name, { signal: options.signal })
      const id = resolved.peerId.toString()
      store.pins.set(name, id)
      if (id === old.peerId) {
        row = this.update(old, { keyChanged: false })
      } else {
        await peers.learn(resolved.peerId, resolved.profile.addresses)
        const existing = store.contacts.get(id)
        row = store.transaction(() => {
          this.update(old, { keyChanged: false, name: undefined })
          return existing !== undefined
            ? this.update(existing, {
                name,
                keyChanged: false,
                state: existing.state === 'blocked' ? 'blocked' : 'contact'
              })
            : this.saveNew({ ...newContact(id, 'contact'), name })
        })
        notify('contact.changed', { contact: this.view(store.contacts.get(old.peerId)!) })
      }
    }
    this.components.deliverNow(row.peerId)
    return this.changed(row)
  }

  /**
   * A new invite link with a fresh one-time secret, our name, our addresses (relayed ones kept
   * when the list is cut: behind a NAT they are the ones that work) and our communities.
   */
  async invite(): Promise<string> {
    const secret = randomBytes(INVITE_SECRET_LENGTH)
    this.components.store.invites.create(Buffer.from(secret).toString('base64url'))
    const all = this.components.libp2p
      .getMultiaddrs()
      .map(a => a.decapsulateCode(421))
      .filter((a, i, list) => list.findIndex(b => b.equals(a)) === i)
    const relayed = all.filter(a => a.toString().includes('/p2p-circuit')).slice(0, MAX_INVITE_ADDRESSES)
    const direct = all.filter(a => !a.toString().includes('/p2p-circuit'))
    const addresses = [...direct.slice(0, MAX_INVITE_ADDRESSES - relayed.length), ...relayed]
    const communities = this.components.store.communities
      .list()
      .filter(c => c.addresses.length > 0)
      .map(c => multiaddr(`${c.addresses[0]}/p2p/${c.peerId}`))
    return formatInviteLink({
      peerId: this.components.identity.peerId,
      name: this.components.directory.ownName() ?? undefined,
      addresses,
      ...(communities.length > 0 ? { communities } : {}),
      secret
    })
  }

  /**
   * The contact a message to `target` goes to, created if new. Refuses a blocked peer and a changed
   * key; replying to a request (or a declined peer) makes it a contact.
   */
  async recipient(target: string, options: { signal: AbortSignal }): Promise<ContactRow> {
    let contact = await this.resolveTarget(target, { signal: options.signal, network: true })
    if (contact.state === 'blocked') throw new BlockedError(`${contact.peerId} is blocked`)
    if (contact.keyChanged) {
      throw new KeyChangedError(
        `the key of ${contact.name ?? contact.peerId} changed; accept it first (contact accept-key)`
      )
    }
    if (contact.state !== 'contact') {
      // replying to a request accepts it
      contact = this.update(contact, { state: 'contact' })
      this.components.notify('contact.changed', { contact: this.view(contact) })
    }
    return contact
  }

  /** A contact from local state only: peer id, contact name or pinned name. */
  resolveLocal(target: string): ContactRow {
    const { store } = this.components
    const peerId = parsePeerId(target)
    if (peerId != null) {
      const c = store.contacts.get(peerId.toString())
      if (c !== undefined) return c
      throw new ContactNotFoundError(`${target} is not a contact`)
    }
    // the pin (TOFU) is the authority for a name; then names we resolved or were given by a link.
    // A name a peer merely announces (announcedName) never addresses it.
    const name = foldName(target)
    const pin = store.pins.get(name)
    const pinned = pin !== undefined ? store.contacts.get(pin.peerId) : undefined
    if (pinned !== undefined) return pinned
    const byName = store.contacts.byName(name)
    if (byName !== undefined) return byName
    throw new ContactNotFoundError(`no contact "${target}"`)
  }

  /**
   * An existing contact: from local state, else (for a name) through the DHT, which finds a
   * stranger's request by the name it really holds. Creates nothing; ContactNotFoundError.
   */
  async resolveKnown(target: string, options: { signal?: AbortSignal }): Promise<ContactRow> {
    try {
      return this.resolveLocal(target)
    } catch (err) {
      if (!(err instanceof ContactNotFoundError) || parsePeerId(target) != null) throw err
    }
    const name = foldName(target)
    const resolved = await this.components.directory.resolveName(name, { signal: options.signal })
    const existing = this.components.store.contacts.get(resolved.peerId.toString())
    if (existing === undefined || resolved.keyChanged) throw new ContactNotFoundError(`no contact "${target}"`)
    return existing.name === name ? existing : this.update(existing, { name })
  }

  /** A contact for a target (invite link, peer id, contact name, pinned name, or a name resolved now), created if new. */
  async resolveTarget(target: string, options: { signal?: AbortSignal; network: boolean }): Promise<ContactRow> {
    const { store, directory, peers } = this.components
    if (isInviteLink(target)) return await this.addInvite(target)
    const peerId = parsePeerId(target)
    if (peerId != null) {
      if (peerId.toString() === this.localPeerId) throw new ContactNotFoundError('that is our own peer id')
      return store.contacts.get(peerId.toString()) ?? this.saveNew(newContact(peerId.toString(), 'contact'))
    }
    try {
      return this.resolveLocal(target)
    } catch (err) {
      if (!(err instanceof ContactNotFoundError) || !options.network) throw err
    }
    const name = foldName(target)
    const resolved = await directory.resolveName(name, { signal: options.signal })
    if (resolved.keyChanged) {
      const pinned = store.pins.get(name)
      if (pinned !== undefined) this.flagKeyChanged(pinned.peerId, name)
      throw new KeyChangedError(`"${name}" now points at another key; compare safety numbers, then contact accept-key`)
    }
    const id = resolved.peerId.toString()
    if (id === this.localPeerId) throw new ContactNotFoundError(`"${name}" is our own name`)
    await peers.learn(resolved.peerId, resolved.profile.addresses)
    const existing = store.contacts.get(id)
    if (existing !== undefined) return existing.name === name ? existing : this.update(existing, { name })
    return this.saveNew({ ...newContact(id, 'contact'), name })
  }

  /** The name now points at another key: sending to the contact stops until the key is accepted. */
  flagKeyChanged(peerId: string, name: string): void {
    const c = this.components.store.contacts.get(peerId)
    if (c === undefined || c.keyChanged) return
    const row = this.update(c, { keyChanged: true, name: c.name ?? name })
    this.components.notify('contact.changed', { contact: this.view(row) })
  }

  private async addInvite(link: string): Promise<ContactRow> {
    const { store, peers } = this.components
    const invite = parseInviteLink(link)
    if (invite.peerId.toString() === this.localPeerId) throw new InvalidInviteError('this is our own invite link')
    const id = invite.peerId.toString()
    await peers.learn(invite.peerId, invite.addresses)
    // the inviter's communities: their DHT holds its records, their relays reach it (best effort)
    for (const community of invite.communities ?? []) {
      this.components.libp2p.dial(community).catch(() => {})
    }
    const existing = store.contacts.get(id)
    const addresses = [...new Set([...(existing?.addresses ?? []), ...invite.addresses.map(String)])]
    // the secret goes in our first message only; a conversation that already started needs none
    if (store.chains.get(id, 'out') === undefined) {
      store.inviteSecrets.set(id, Buffer.from(invite.secret).toString('base64url'))
    }
    if (existing !== undefined) {
      return this.update(existing, {
        addresses,
        announcedName: existing.announcedName ?? invite.name,
        state: existing.state === 'blocked' ? 'blocked' : 'contact'
      })
    }
    // the link's name is the inviter's claim: shown, never used to address (a name resolves through the DHT)
    return this.saveNew({ ...newContact(id, 'contact'), announcedName: invite.name, addresses })
  }

  private changed(row: ContactRow): ContactView {
    const view = this.view(row)
    this.components.notify('contact.changed', { contact: view })
    return view
  }

  private saveNew(row: ContactRow): ContactRow {
    this.components.store.contacts.put(row)
    this.components.presence.track(row.peerId)
    return row
  }

  private update(row: ContactRow, patch: Partial<ContactRow>): ContactRow {
    return updateContact(this.components.store, row, patch)
  }
}
