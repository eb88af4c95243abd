/** The identity file is encrypted and no passphrase was given (PARLEY_PASSPHRASE or a prompt). */
export class PassphraseRequiredError extends Error {
  static override name = 'PassphraseRequiredError'
  override name = 'PassphraseRequiredError'
}

/** The passphrase does not decrypt the identity file (or its ciphertext was altered). */
export class WrongPassphraseError extends Error {
  static override name = 'WrongPassphraseError'
  override name = 'WrongPassphraseError'
}

/** The identity file is not a Parley identity file of a version we read. */
export class InvalidIdentityFileError extends Error {
  static override name = 'InvalidIdentityFileError'
  override name = 'InvalidIdentityFileError'
}
