import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const SECRET_KEY_FILE = 'secret.key';

/**
 * Encrypts secrets the engine must be able to use again (SFTP passwords and keys) with AES-256-GCM, under a key kept
 * in the data folder beside the database (mode 0600). A copy of the database alone (an export, a backup sent away)
 * does not reveal them. Secrets that only need checking (passwords of people and of the billing interface) are hashed
 * instead, never stored here.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(dataDir: string) {
    const file = path.join(dataDir, SECRET_KEY_FILE);
    if (!fs.existsSync(file)) {
      // wx: two processes starting together must not overwrite each other's key.
      try {
        fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    this.key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (this.key.length !== 32) throw new Error(`${file} is not a 32-byte base64 key`);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
  }

  open(sealed: string): string {
    const [v, iv, tag, data] = sealed.split(':');
    if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  }
}
