import type { z } from 'zod';
import { ApiError, fieldDetails } from '../../src-shared/api/errors';
import type { sftpInput } from '../../src-shared/api/devices';
import type { SftpSecret } from './repository';
import { problem } from '../../src-shared/api/messages';

type SftpInput = z.output<typeof sftpInput>;

/** Merges an SFTP input with the stored secret: an omitted secret keeps the stored one, "" removes it. */
export function mergeSftpSecret(input: Pick<SftpInput, 'password' | 'privateKey' | 'passphrase'>, stored: SftpSecret): SftpSecret {
  const pick = (v: string | undefined, old: string | undefined) => (v === undefined ? old : v || undefined);
  const merged: SftpSecret = {};
  const password = pick(input.password, stored.password);
  const privateKey = pick(input.privateKey, stored.privateKey);
  const passphrase = pick(input.passphrase, stored.passphrase);
  if (password) merged.password = password;
  if (privateKey) merged.privateKey = privateKey;
  if (passphrase) merged.passphrase = passphrase;
  return merged;
}

/** Where a secret is sent: the server and the account on it. */
export interface SftpServerIdentity {
  host: string;
  port: number;
  username: string;
}

/**
 * The stored secret goes only to the server and account it was saved for, with the host key pinned for it kept: for
 * another host, port or user name, or when the pinned key is being forgotten (`hostKey: null`) or replaced by another,
 * the password or private key must be given again. Otherwise a user who may edit a device could send its stored
 * password to a server of their own. Returns the stored secret when it may be used, else nothing.
 */
export function storedSecretFor(
  saved: (SftpServerIdentity & { hostKey: string | null }) | null | undefined,
  next: SftpServerIdentity & { hostKey?: string | null | undefined },
  stored: SftpSecret,
): SftpSecret {
  if (!saved) return {};
  const sameServer = saved.host === next.host && saved.port === next.port && saved.username === next.username;
  const changesPinnedKey = saved.hostKey !== null && next.hostKey !== undefined && next.hostKey !== saved.hostKey;
  return sameServer && !changesPinnedKey ? stored : {};
}

/**
 * Merges as mergeSftpSecret; refuses when a stored secret that was left out (kept) may not go to this server and no
 * other was given. Removing it ("") is allowed anywhere: nothing is sent.
 */
export function secretForServer(
  input: Pick<SftpInput, 'password' | 'privateKey' | 'passphrase'> & SftpServerIdentity & { hostKey?: string | null },
  saved: (SftpServerIdentity & { hostKey: string | null }) | null | undefined,
  stored: SftpSecret,
): SftpSecret {
  const usable = storedSecretFor(saved, input, stored);
  const merged = mergeSftpSecret(input, usable);
  const keptSecret = (input.password === undefined && Boolean(stored.password)) || (input.privateKey === undefined && Boolean(stored.privateKey));
  if (keptSecret && usable !== stored && !merged.password && !merged.privateKey) {
    throw ApiError.keyed(
      'invalid_input',
      'api.sftpSecretAgain',
      'Enter the SFTP password (or private key) again: the stored one is sent only to the server and user it was saved for, with its host key.',
      undefined,
      fieldDetails({ 'sftp.password': problem('field.sftpSecretAgain', 'must be entered again for another server, user or host key') }),
    );
  }
  return merged;
}
