/**
 * The after-fetch action of a device (delete the file, or move it to another folder), run only once everything the
 * file holds is committed, and only while it is still exactly the file that was read: a file that grew meanwhile
 * is left for the next poll to read the rest first.
 */
import type { FileProgress } from './sftp-repository';
import { remotePath, SftpProblem, type RemoteFile, type SftpSession } from './sftp-session';

export interface AfterFetchSettings {
  afterFetch: 'keep' | 'delete' | 'move';
  moveTo?: string | undefined;
}

export type AfterFetchOutcome =
  | { done: 'deleted' }
  | { done: 'moved'; to: string }
  | { done: 'left'; reason: string };

/** "20260302T091502Z": appended to a moved file's name when the target folder already has one by that name. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export async function runAfterFetch(
  session: SftpSession,
  settings: AfterFetchSettings,
  file: RemoteFile,
  progress: FileProgress,
  now: number,
): Promise<AfterFetchOutcome> {
  if (settings.afterFetch === 'keep') return { done: 'left', reason: 'files are kept' };
  if (progress.offset !== file.size || file.size === 0) return { done: 'left', reason: 'not read to its end yet' };
  const current = await session.stat(file.path);
  if (!current) return { done: 'left', reason: 'no longer on the server' };
  if (current.size !== progress.offset || current.mtimeMs !== file.mtimeMs) {
    return { done: 'left', reason: 'changed since it was read; the rest is read at the next poll' };
  }
  if (settings.afterFetch === 'delete') {
    await session.remove(file.path);
    return { done: 'deleted' };
  }
  const folder = settings.moveTo;
  if (!folder) throw new SftpProblem('folder', 'files are to be moved but no target folder is set');
  if (!(await session.folderExists(folder))) {
    throw new SftpProblem('folder', `cannot move ${file.path}: the target folder ${folder} does not exist`);
  }
  let target = remotePath(folder, file.name);
  // SFTP does not overwrite on rename: a name already taken there gets the time appended.
  if (await session.stat(target)) target = `${target}.${stamp(now)}`;
  await session.rename(file.path, target);
  return { done: 'moved', to: target };
}
