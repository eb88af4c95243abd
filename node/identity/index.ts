/**
 * The account: one Ed25519 key (its peer id is the account id), the X25519 identity DH key and the
 * current signed prekey, all in one identity file (0600) in the daemon's home (docs/PROTOCOL.md §1.2).
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto'
import { chmod, link, open, readFile, stat, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import { generateKeyPair, generateKeyPairFromSeed } from '@libp2p/crypto/keys'
import type { Ed25519PrivateKey, PeerId } from '@libp2p/interface'
import { logger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { generateX25519KeyPair, signPrekey, type X25519KeyPair, x25519PublicKey } from '../crypto/index.ts'
import { MAX_IDENTITY_FILE_BYTES } from './constants.ts'
import { InvalidIdentityFileError, PassphraseRequiredError } from './errors.ts'
import {
  decodeIdentityFile,
  encodeIdentityFile,
  type IdentityKeys,
  isEncryptedIdentityFile,
  type ScryptCost
} from './identity-file.ts'

export * from './errors.ts'
export { DEFAULT_SCRYPT_COST, decodeIdentityFile, encodeIdentityFile, type ScryptCost } from './identity-file.ts'

const log = logger('parley:identity')

export interface Identity {
  /** Ed25519 peer id = the account id */
  peerId: PeerId
  /** the account key; libp2p's private key and the signer of records, envelopes and acks */
  privateKey: Ed25519PrivateKey
  /** X25519 identity DH key pair (IK in X3DH), published in the profile record */
  dhKeyPair: X25519KeyPair
  /** current signed prekey (SPK), published in the profile record; signature by signPrekey() */
  prekey: { id: number; keyPair: X25519KeyPair; signature: Uint8Array }
  /** true when this call created the identity */
  created: boolean
}

export interface LoadIdentityOptions {
  /** encrypts a new identity / opens an encrypted one */
  passphrase?: string
  /** asked for the passphrase when the file is encrypted and none was given */
  prompt?: (question: string) => Promise<string>
  /** scrypt cost for a new encrypted identity (tests lower it); @default DEFAULT_SCRYPT_COST */
  scryptCost?: ScryptCost
}

/** A fresh identity's secret keys: Ed25519 account key, X25519 identity key, a signed prekey. */
export async function generateIdentityKeys(): Promise<IdentityKeys> {
  const privateKey = await generateKeyPair('Ed25519')
  const dh = generateX25519KeyPair()
  const prekey = generateX25519KeyPair()
  const prekeyId = new DataView(nodeRandomBytes(4).buffer).getUint32(0)
  const signed = await signPrekey(privateKey, { id: prekeyId, publicKey: prekey.publicKey })
  return {
    ed25519Seed: Uint8Array.from(privateKey.raw.subarray(0, 32)),
    dhPrivateKey: Uint8Array.from(dh.privateKey),
    prekeyId,
    prekeyPrivateKey: Uint8Array.from(prekey.privateKey),
    prekeySignature: Uint8Array.from(signed.signature),
    createdAt: BigInt(Date.now())
  }
}

/** The Identity held by decoded keys. */
export async function identityFromKeys(keys: IdentityKeys, created = false): Promise<Identity> {
  const privateKey = await generateKeyPairFromSeed('Ed25519', keys.ed25519Seed)
  return {
    peerId: peerIdFromPrivateKey(privateKey),
    privateKey,
    dhKeyPair: { privateKey: keys.dhPrivateKey, publicKey: x25519PublicKey(keys.dhPrivateKey) },
    prekey: {
      id: keys.prekeyId,
      keyPair: { privateKey: keys.prekeyPrivateKey, publicKey: x25519PublicKey(keys.prekeyPrivateKey) },
      signature: keys.prekeySignature
    },
    created
  }
}

function isErrno(err: unknown, code: string): boolean {
  return (err as NodeJS.ErrnoException)?.code === code
}

async function readIdentityFile(path: string): Promise<Uint8Array | undefined> {
  let info: Awaited<ReturnType<typeof stat>>
  try {
    info = await stat(path)
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined
    throw err
  }
  if (!info.isFile()) throw new InvalidIdentityFileError(`${path} is not a regular file`)
  if (info.size > MAX_IDENTITY_FILE_BYTES) {
    throw new InvalidIdentityFileError(`identity file is ${info.size} bytes, more than ${MAX_IDENTITY_FILE_BYTES}`)
  }
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
    // someone loosened it (a copy, an archive tool): the keys are secret, tighten before use
    log('identity file %s had mode %o, setting 0600', path, info.mode & 0o777)
    await chmod(path, 0o600)
  }
  return new Uint8Array(await readFile(path))
}

/**
 * Writes the file atomically and without ever replacing an existing one: a temporary 0600 file is
 * written and fsynced, then hard-linked to `path` (which fails if a concurrent `init` won the race).
 * Returns false when `path` already existed.
 */
async function writeNewFile(path: string, bytes: Uint8Array): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${nodeRandomBytes(6).toString('hex')}.tmp`
  const handle = await open(tmp, 'wx', 0o600)
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await link(tmp, path)
    return true
  } catch (err) {
    if (isErrno(err, 'EEXIST')) return false
    throw err
  } finally {
    await unlink(tmp).catch(() => {})
    await syncDir(dirname(path))
  }
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r').catch(() => undefined)
  await handle
    ?.sync()
    .catch(() => {})
    .finally(() => handle.close())
}

/**
 * Opens the identity at `path`, creating it on first use (0600; the directory must exist). With a
 * passphrase, a new identity is stored encrypted and an encrypted one is opened; an encrypted file
 * without a passphrase asks `prompt`, or throws PassphraseRequiredError.
 */
export async function loadOrCreateIdentity(path: string, options: LoadIdentityOptions = {}): Promise<Identity> {
  for (;;) {
    const bytes = await readIdentityFile(path)
    if (bytes !== undefined) {
      let passphrase = options.passphrase
      if (passphrase === undefined && isEncryptedIdentityFile(bytes)) {
        if (options.prompt === undefined) {
          throw new PassphraseRequiredError(
            `the identity in ${path} is encrypted: set PARLEY_PASSPHRASE or run from a terminal`
          )
        }
        passphrase = await options.prompt('Passphrase for the Parley identity: ')
      }
      return await identityFromKeys(await decodeIdentityFile(bytes, { passphrase }))
    }
    const keys = await generateIdentityKeys()
    const encoded = await encodeIdentityFile(keys, { passphrase: options.passphrase, cost: options.scryptCost })
    if (await writeNewFile(path, encoded)) {
      log('created identity in %s', path)
      return await identityFromKeys(keys, true)
    }
    // another process created it meanwhile: open theirs
  }
}
