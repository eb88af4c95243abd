/**
 * Fuzzing invite links (docs/PROTOCOL.md §4), which arrive from chat windows, mails and clipboards:
 * random text, damaged valid links and links assembled from hostile fields. parseInviteLink either
 * returns an invite within the documented bounds, which formats and parses back to the same invite,
 * or throws InvalidInviteError; nothing else.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import fc from 'fast-check'
import { INVITE_LINK_PREFIX, MAX_INVITE_ADDRESSES } from '../../node/messaging/constants.ts'
import { MAX_INVITE_SECRET_LENGTH, MAX_SENDER_NAME_LENGTH } from '../../node/messaging/envelope-constants.ts'
import { formatInviteLink, type InviteLink, parseInviteLink } from '../../node/messaging/invite-link.ts'
import { anyString, assertErrorName, budget, fuzzParameters, HeapWatch, Outcomes, watchUnhandled } from './harness.ts'

const RUNS = budget(600, 200_000)

describe('fuzz: invite links', () => {
  const valid: string[] = []
  const peers: string[] = []
  const unhandled = watchUnhandled()
  let heap: HeapWatch

  before(async () => {
    for (const type of ['Ed25519', 'secp256k1'] as const) {
      peers.push(peerIdFromPrivateKey(await generateKeyPair(type)).toString())
    }
    const ed = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    peers.push(ed.toString())
    valid.push(
      formatInviteLink({ peerId: ed, secret: new Uint8Array(16).fill(3), addresses: [] }),
      formatInviteLink({
        peerId: ed,
        name: 'alice',
        secret: new Uint8Array(16).fill(9),
        addresses: [
          multiaddr('/ip4/127.0.0.1/tcp/4001'),
          multiaddr('/ip6/::1/tcp/4002'),
          multiaddr('/dns4/a.test/tcp/1')
        ]
      })
    )
    for (const link of valid) parseInviteLink(link)
    heap = await HeapWatch.start()
  })

  after(async () => {
    await heap.assertFlat()
    unhandled.assertNone()
    unhandled.dispose()
  })

  const field = (name: string, value: fc.Arbitrary<string>): fc.Arbitrary<string> =>
    value.map(v => `${name}=${encodeURIComponent(v.toWellFormed())}`)
  const assembled = (): fc.Arbitrary<string> =>
    fc
      .array(
        fc.oneof(
          field('peer', fc.oneof(fc.constantFrom(...peers), anyString(60), fc.constantFrom('', 'Qm', '12D3KooW'))),
          field(
            'secret',
            fc.oneof(
              fc.uint8Array({ minLength: 0, maxLength: 80 }).map(b => Buffer.from(b).toString('base64url')),
              anyString(20),
              fc.constantFrom('', '====', 'a+b/c', '-_-_')
            )
          ),
          field(
            'addr',
            fc.oneof(
              fc.constantFrom(
                '/ip4/127.0.0.1/tcp/1',
                '/ip6/::1/tcp/2',
                '/dns4/x/tcp/3',
                '/p2p-circuit',
                '/ip4/999.1.1.1/tcp/1'
              ),
              anyString(40)
            )
          ),
          field(
            'name',
            fc.oneof(
              anyString(20),
              fc.integer({ min: 120, max: 140 }).map(n => 'é'.repeat(n / 2))
            )
          ),
          fc.constantFrom('&&', '=', 'peer', '%', '%zz', '#frag', '?')
        ),
        { maxLength: 14 }
      )
      .map(parts => `${INVITE_LINK_PREFIX}${parts.join('&')}`)
  const damaged = (): fc.Arbitrary<string> =>
    fc
      .tuple(
        fc.constantFrom(...valid),
        fc.nat(),
        fc.nat({ max: 40 }),
        fc.oneof(anyString(8), fc.constantFrom('&', '=', '%', '&addr=', '&secret=', '&peer=', '+'))
      )
      .map(([link, at, cut, insert]) => {
        const i = at % (link.length + 1)
        return link.slice(0, i) + insert + link.slice(i + cut)
      })
  const oversized = fc
    .integer({ min: 2000, max: 2100 })
    .map(n => `${valid[0]}&name=${'n'.repeat(Math.max(0, n - (valid[0] as string).length))}`)

  it('parseInviteLink: InvalidInviteError, or an invite within bounds that round-trips', t => {
    const outcomes = new Outcomes()
    const input = fc.oneof(
      { weight: 3, arbitrary: assembled() },
      { weight: 3, arbitrary: damaged() },
      anyString(200),
      oversized,
      fc.constantFrom(...valid)
    )
    fc.assert(
      fc.property(input, link => {
        let invite: InviteLink
        try {
          invite = parseInviteLink(link)
        } catch (err) {
          assertErrorName(err, ['InvalidInviteError'], link)
          outcomes.error(err)
          return
        }
        outcomes.ok()
        assert.equal(invite.peerId.type, 'Ed25519')
        assert.ok(invite.secret.length >= 1 && invite.secret.length <= MAX_INVITE_SECRET_LENGTH)
        assert.ok(invite.addresses.length <= MAX_INVITE_ADDRESSES)
        if (invite.name !== undefined) {
          assert.ok(invite.name.length > 0 && Buffer.byteLength(invite.name) <= MAX_SENDER_NAME_LENGTH)
        }
        const again = parseInviteLink(formatInviteLink(invite))
        assert.ok(again.peerId.equals(invite.peerId))
        assert.deepEqual(again.secret, invite.secret)
        assert.equal(again.name, invite.name)
        assert.deepEqual(
          again.addresses.map(a => a.toString()),
          invite.addresses.map(a => a.toString())
        )
      }),
      fuzzParameters(RUNS)
    )
    t.diagnostic(outcomes.toString())
    outcomes.assertSeen(['ok', 'InvalidInviteError'])
  })
})
