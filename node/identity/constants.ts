/** Version of the identity file format (node/identity/pb/identity.proto, docs/PROTOCOL.md §1.2). */
export const IDENTITY_FILE_VERSION = 1

/** The identity file is a few hundred bytes; anything bigger is not ours and is refused unread. */
export const MAX_IDENTITY_FILE_BYTES = 4096

/**
 * scrypt cost for a passphrase: N = 2^15, r = 8, p = 1 (32 MiB, ~0.1 s here) — the interactive
 * parameters of the scrypt paper, paid once per daemon start.
 */
export const SCRYPT_LOG_N = 15
export const SCRYPT_R = 8
export const SCRYPT_P = 1

/**
 * Bounds accepted when reading a file: a tampered file cannot make us allocate gigabytes (log N ≤ 20,
 * r·p small) or accept a cost too weak to mean anything (log N ≥ 10).
 */
export const SCRYPT_MIN_LOG_N = 10
export const SCRYPT_MAX_LOG_N = 20
export const SCRYPT_MAX_R = 32
export const SCRYPT_MAX_P = 16

/** 16 random bytes of salt: enough that no two files share one. */
export const SCRYPT_SALT_LENGTH = 16

/** AES-256-GCM: 32-byte key, 12-byte nonce, 16-byte tag. */
export const IDENTITY_KEY_LENGTH = 32
export const IDENTITY_NONCE_LENGTH = 12
export const IDENTITY_TAG_LENGTH = 16

/** Associated data of the AES-GCM encryption: binds the ciphertext to this file format. */
export const IDENTITY_AAD = 'parley/identity-file/1'
