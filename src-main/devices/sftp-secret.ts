import type { z } from 'zod';
import type { sftpInput } from '../../src-shared/api/devices';
import type { SftpSecret } from './repository';

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
