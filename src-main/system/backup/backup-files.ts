/**
 * The backup folder: `billing-<time>.db` (a self-contained SQLite file), `billing-<time>.db.sha256` (sha256sum
 * format), `billing-<time>.json` (kind, who, migrations, key fingerprint) and `secret-<fingerprint>.key`.
 *
 * Why the key is there: sealed secrets in the database (SFTP passwords and keys, the TLS private key) are encrypted
 * with `secret.key` of the data folder, which is not inside billing.db. A backup restored after the data folder was
 * lost needs that key, so each distinct key is copied once into the backup folder (mode 0600) and restore puts it
 * back. Protect the backup folder like the data folder; to hand a backup to someone without the secrets, give the
 * .db file alone.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { BackupFile } from '../../../src-shared/api/system';
import { isoTime } from '../../../src-shared/api/common';
import { SECRET_KEY_FILE } from '../../secrets';
import type { Section } from '../../settings/service';

export const BACKUP_FILE_RE = /^billing-[0-9A-Za-z_.-]+\.db$/;
export const PARTIAL_SUFFIX = '.partial';

export interface BackupManifest {
  format: 1;
  fileName: string;
  kind: 'manual' | 'scheduled';
  createdAt: string;
  createdBy: string;
  sizeBytes: number;
  sha256: string;
  migrations: string[];
  engineVersion: string;
  /** Fingerprint of the secret key the sealed secrets in this backup were written with. */
  secretKeyFingerprint: string;
}

export function backupFolderOf(section: Section<'backup'>, dataDir: string): string {
  return section.folder ?? path.join(dataDir, 'backups');
}

/** billing-20260302T011500Z.db (UTC), with -2, -3... when a backup of the same second exists. */
export function newBackupFileName(folder: string, at: number): string {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  for (let n = 1; ; n++) {
    const name = `billing-${stamp}${n === 1 ? '' : `-${n}`}.db`;
    if (!fs.existsSync(path.join(folder, name)) && !fs.existsSync(path.join(folder, name + PARTIAL_SUFFIX))) return name;
  }
}

export const checksumFileOf = (fileName: string) => `${fileName}.sha256`;
export const manifestFileOf = (fileName: string) => fileName.replace(/\.db$/, '.json');
export const keyFileOf = (fingerprint: string) => `secret-${fingerprint}.key`;

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function secretKeyFingerprint(keyText: string): string {
  return createHash('sha256').update(keyText.trim()).digest('hex').slice(0, 16);
}

export function readDataDirKey(dataDir: string): { text: string; fingerprint: string } | null {
  const file = path.join(dataDir, SECRET_KEY_FILE);
  if (!fs.existsSync(file)) return null;
  const text = fs.readFileSync(file, 'utf8');
  return { text, fingerprint: secretKeyFingerprint(text) };
}

/** Copies the data folder's secret key into the backup folder once (see the header comment). */
export function ensureKeyInBackupFolder(folder: string, dataDir: string): string | null {
  const key = readDataDirKey(dataDir);
  if (!key) return null;
  const target = path.join(folder, keyFileOf(key.fingerprint));
  if (!fs.existsSync(target)) fs.writeFileSync(target, key.text, { mode: 0o600, flag: 'wx' });
  return key.fingerprint;
}

export function writeSidecars(folder: string, manifest: BackupManifest): void {
  fs.writeFileSync(path.join(folder, checksumFileOf(manifest.fileName)), `${manifest.sha256}  ${manifest.fileName}\n`);
  fs.writeFileSync(path.join(folder, manifestFileOf(manifest.fileName)), JSON.stringify(manifest, null, 2) + '\n');
}

export function readManifest(folder: string, fileName: string): BackupManifest | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(folder, manifestFileOf(fileName)), 'utf8')) as BackupManifest;
    return parsed.fileName === fileName ? parsed : null;
  } catch {
    return null;
  }
}

/** The checksum recorded beside the backup (`.sha256`, else the manifest), or null when there is none. */
export function recordedChecksum(folder: string, fileName: string): string | null {
  try {
    const line = fs.readFileSync(path.join(folder, checksumFileOf(fileName)), 'utf8');
    const m = /^([0-9a-f]{64})\b/i.exec(line.trim());
    if (m) return m[1]!.toLowerCase();
  } catch {
    // fall back to the manifest
  }
  return readManifest(folder, fileName)?.sha256 ?? null;
}

/** Backups in the folder, newest first. Files copied in by hand (no manifest) are listed as kind "unknown". */
export function listBackups(folder: string): BackupFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return [];
  }
  const out: BackupFile[] = [];
  for (const fileName of names) {
    if (!BACKUP_FILE_RE.test(fileName)) continue;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(path.join(folder, fileName));
    } catch {
      continue;
    }
    if (!stat.isFile()) continue;
    const manifest = readManifest(folder, fileName);
    out.push({
      fileName,
      sizeBytes: stat.size,
      createdAt: manifest?.createdAt ?? isoTime(stat.mtimeMs),
      sha256: recordedChecksum(folder, fileName),
      kind: manifest?.kind ?? 'unknown',
      ...(manifest ? { createdBy: manifest.createdBy, migrations: manifest.migrations } : {}),
    });
  }
  return out.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.fileName.localeCompare(a.fileName));
}

/** Removes a backup with its sidecars. */
export function deleteBackup(folder: string, fileName: string): void {
  for (const name of [fileName, checksumFileOf(fileName), manifestFileOf(fileName)]) {
    fs.rmSync(path.join(folder, name), { force: true });
  }
}

/** Leftovers of backups that were interrupted (the engine stopped or crashed mid-copy). */
export function removePartialBackups(folder: string): void {
  let names: string[] = [];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith('billing-') && name.endsWith(PARTIAL_SUFFIX)) fs.rmSync(path.join(folder, name), { force: true });
  }
}
