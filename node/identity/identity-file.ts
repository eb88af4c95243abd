import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto'
import {
  IDENTITY_AAD,
  IDENTITY_FILE_VERSION,
  IDENTITY_KEY_LENGTH,
  IDENTITY_NONCE_LENGTH,
  IDENTITY_TAG_LENGTH,
  MAX_IDENTITY_FILE_BYTES,
  SCRYPT_LOG_N,
  SCRYPT_MAX_LOG_N,
  SCRYPT_MAX_P,
  SCRYPT_MAX_R,
  SCRYPT_MIN_LOG_N,
  SCRYPT_P,
  SCRYPT_R,
  SCRYPT_SALT_LENGTH
} from './constants.ts'
import { InvalidIdentityFileError, PassphraseRequiredError, WrongPassphraseError } from './errors.ts'
import { type EncryptedKeys, IdentityFile, IdentityKeys } from './pb/identity.js'

export { IdentityKeys } from './pb/identity.js'

/** scrypt cost; tests may lower it (never below SCRYPT_MIN_LOG_N). */
export interface ScryptCost {
  logN: number
  r: number
  p: number
}

export const DEFAULT_SCRYPT_COST: ScryptCost = { logN: SCRYPT_LOG_N, r: SCRYPT_R, p: SCRYPT_P }

const encoder = new TextEncoder()

function checkCost(cost: ScryptCost): void {
  if (
    !Number.isInteger(cost.logN) ||
    cost.logN < SCRYPT_MIN_LOG_N ||
    cost.logN > SCRYPT_MAX_LOG_N ||
    !Number.isInteger(cost.r) ||
    cost.r < 1 ||
    cost.r > SCRYPT_MAX_R ||
    !Number.isInteger(cost.p) ||
    cost.p < 1 ||
    cost.p > SCRYPT_MAX_P
  ) {
    throw new InvalidIdentityFileError(
      `scrypt cost out of bounds: log N ${cost.logN} (${SCRYPT_MIN_LOG_N}..${SCRYPT_MAX_LOG_N}), r ${cost.r} (1..${SCRYPT_MAX_R}), p ${cost.p} (1..${SCRYPT_MAX_P})`
    )
  }
}

/** scrypt(NFKC(passphrase), salt) → 32-byte AES key. NFKC so that the same typed text always matches. */
async function deriveKey(passphrase: string, salt: Uint8Array, cost: ScryptCost): Promise<Buffer> {
  checkCost(cost)
  const N = 2 ** cost.logN
  return await new Promise<Buffer>((resolve, reject) => {
    scrypt(
      encoder.encode(passphrase.normalize('NFKC')),
      salt,
      IDENTITY_KEY_LENGTH,
      { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r + 1024 * 1024 },
      (err, key) => (err != null ? reject(err) : resolve(key))
    )
  })
}

/** Encodes an identity file; with a passphrase the keys are encrypted (scrypt + AES-256-GCM). */
export async function encodeIdentityFile(
  keys: IdentityKeys,
  options: { passphrase?: string; cost?: ScryptCost } = {}
): Promise<Uint8Array> {
  if (options.passphrase === undefined) {
    return IdentityFile.encode({ version: IDENTITY_FILE_VERSION, plain: keys })
  }
  if (options.passphrase.length === 0) throw new RangeError('the passphrase must not be empty')
  const cost = options.cost ?? DEFAULT_SCRYPT_COST
  const salt = new Uint8Array(randomBytes(SCRYPT_SALT_LENGTH))
  const nonce = new Uint8Array(randomBytes(IDENTITY_NONCE_LENGTH))
  const key = await deriveKey(options.passphrase, salt, cost)
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: IDENTITY_TAG_LENGTH })
  cipher.setAAD(encoder.encode(IDENTITY_AAD))
  const body = Buffer.concat([cipher.update(IdentityKeys.encode(keys)), cipher.final(), cipher.getAuthTag()])
  const encrypted: EncryptedKeys = {
    salt,
    logN: cost.logN,
    r: cost.r,
    p: cost.p,
    nonce,
    ciphertext: new Uint8Array(body)
  }
  return IdentityFile.encode({ version: IDENTITY_FILE_VERSION, encrypted })
}

/** True when the file holds encrypted keys (throws InvalidIdentityFileError for a foreign file). */
export function isEncryptedIdentityFile(bytes: Uint8Array): boolean {
  return parseFile(bytes).encrypted != null
}

function parseFile(bytes: Uint8Array): IdentityFile {
  if (bytes.length > MAX_IDENTITY_FILE_BYTES) {
    throw new InvalidIdentityFileError(`identity file is ${bytes.length} bytes, more than ${MAX_IDENTITY_FILE_BYTES}`)
  }
  let file: IdentityFile
  try {
    file = IdentityFile.decode(bytes)
  } catch (err) {
    throw new InvalidIdentityFileError(`identity file does not parse: ${(err as Error).message}`)
  }
  if (file.version !== IDENTITY_FILE_VERSION) {
    throw new InvalidIdentityFileError(
      `identity file version ${file.version} is not supported (expected ${IDENTITY_FILE_VERSION})`
    )
  }
  if ((file.plain == null) === (file.encrypted == null)) {
    throw new InvalidIdentityFileError('identity file must hold exactly one of plain and encrypted keys')
  }
  return file
}

/** Decodes an identity file; encrypted keys need the passphrase (WrongPassphraseError if it does not fit). */
export async function decodeIdentityFile(
  bytes: Uint8Array,
  options: { passphrase?: string } = {}
): Promise<IdentityKeys> {
  const file = parseFile(bytes)
  if (file.plain != null) return checkKeys(file.plain)
  const enc = file.encrypted!
  if (options.passphrase === undefined) throw new PassphraseRequiredError('the identity file is encrypted')
  if (enc.salt.length !== SCRYPT_SALT_LENGTH || enc.nonce.length !== IDENTITY_NONCE_LENGTH) {
    throw new InvalidIdentityFileError(
      `encrypted identity needs a ${SCRYPT_SALT_LENGTH}-byte salt and a ${IDENTITY_NONCE_LENGTH}-byte nonce`
    )
  }
  if (enc.ciphertext.length < IDENTITY_TAG_LENGTH) {
    throw new InvalidIdentityFileError('encrypted identity ciphertext is shorter than its tag')
  }
  const key = await deriveKey(options.passphrase, enc.salt, { logN: enc.logN, r: enc.r, p: enc.p })
  const tagAt = enc.ciphertext.length - IDENTITY_TAG_LENGTH
  let plain: Buffer
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, enc.nonce, { authTagLength: IDENTITY_TAG_LENGTH })
    decipher.setAAD(encoder.encode(IDENTITY_AAD))
    decipher.setAuthTag(enc.ciphertext.subarray(tagAt))
    plain = Buffer.concat([decipher.update(enc.ciphertext.subarray(0, tagAt)), decipher.final()])
  } catch {
    throw new WrongPassphraseError('the passphrase does not decrypt the identity file')
  }
  try {
    return checkKeys(IdentityKeys.decode(plain))
  } catch (err) {
    if (err instanceof InvalidIdentityFileError) throw err
    throw new InvalidIdentityFileError(`decrypted identity keys do not parse: ${(err as Error).message}`)
  }
}

function checkKeys(keys: IdentityKeys): IdentityKeys {
  for (const [name, value] of [
    ['Ed25519 seed', keys.ed25519Seed],
    ['X25519 identity private key', keys.dhPrivateKey],
    ['prekey private key', keys.prekeyPrivateKey]
  ] as const) {
    if (value.length !== 32) throw new InvalidIdentityFileError(`${name} must be 32 bytes, got ${value.length}`)
  }
  if (keys.prekeySignature.length !== 64) {
    throw new InvalidIdentityFileError(`prekey signature must be 64 bytes, got ${keys.prekeySignature.length}`)
  }
  return keys
}
