import { type Identity, loadOrCreateIdentity } from '../identity/index.ts'
import { ensureHome } from './home.ts'

export interface HomeIdentityOptions {
  /** Asks the user for the passphrase of an encrypted identity (when PARLEY_PASSPHRASE is unset). */
  prompt?: (question: string) => Promise<string>
  env?: NodeJS.ProcessEnv
}

/**
 * Opens the home's identity, creating the home (0700) and the identity (0600) on first use. With
 * PARLEY_PASSPHRASE set, a new identity is stored encrypted under it and an existing encrypted one
 * is opened with it; otherwise an encrypted identity asks through `prompt`.
 */
export async function loadHomeIdentity(home: string, options: HomeIdentityOptions = {}): Promise<Identity> {
  const paths = ensureHome(home)
  const env = options.env ?? process.env
  const passphrase =
    env.PARLEY_PASSPHRASE !== undefined && env.PARLEY_PASSPHRASE !== '' ? env.PARLEY_PASSPHRASE : undefined
  return await loadOrCreateIdentity(paths.identity, {
    passphrase,
    prompt: options.prompt
  })
}

/** `parley init`: idempotent. */
export async function initHome(
  home: string,
  options: HomeIdentityOptions = {}
): Promise<{ peerId: string; created: boolean }> {
  const identity = await loadHomeIdentity(home, options)
  return { peerId: identity.peerId.toString(), created: identity.created }
}
