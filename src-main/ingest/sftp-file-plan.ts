/**
 * What a poll does with each file it lists, from the listing and the file's stored progress alone (no I/O):
 * - a name the PBX marks as still being written (CUCM's leading `_`) is left alone;
 * - a file never read is read from the start;
 * - a file smaller than what was read of it was rotated or truncated: read again from the start;
 * - a file that changed (size or time) is read on from the stored offset, once its beginning and the bytes before
 *   the offset are found unchanged (else again from the start: rewritten); nothing new and the same bytes means it
 *   re-appeared with the same content, which changes nothing;
 * - a read that was interrupted (crash, lost connection) is continued from the stored offset;
 * - a last line without its newline (or an unfinished multi-record call) waits while the file may still grow; when
 *   the file has not changed for `finalLineQuietMs`, it is read as the file's complete last record;
 * - a file already read to its end is left, except that the after-fetch action (delete, move) is still due while
 *   it is in the folder.
 * A whole-file format (documents) or a file complete once named (CUCM) is read, a last line is read as complete,
 * and any file whose fetch is followed by delete or move is read, only when the file's size and time were the same
 * in two listings; else it is left as `growing` (see the poller). Kept line-framed files are read on as they grow:
 * only complete lines are read, a cut last line waits, so a busy PBX appending every second is not put off poll after
 * poll.
 */
import type { FileProgress } from './sftp-repository';
import type { RemoteFile } from './sftp-session';

export type FilePlan =
  | { kind: 'leave'; why: 'in-progress-name' | 'unchanged' | 'last-line-waits' | 'growing' }
  | { kind: 'read'; from: 'start'; why: 'new' | 'shrank' | 'document-changed' | 'interrupted' }
  | { kind: 'read'; from: 'offset'; why: 'changed' | 'interrupted' | 'quiet-last-line'; complete: boolean }
  | { kind: 'after-fetch' };

export interface PlanSettings {
  /** Whole-file formats (XML/JSON documents): any change means reading the whole file again. */
  wholeFile: boolean;
  /** Files complete once under their final name (CUCM): read to their end, a last line without newline included. */
  completeOnceNamed: boolean;
  afterFetch: 'keep' | 'delete' | 'move';
  finalLineQuietMs: number;
  now: number;
  inProgressName(fileName: string): boolean;
}

export function planFile(file: RemoteFile, progress: FileProgress | null | undefined, s: PlanSettings): FilePlan {
  if (s.inProgressName(file.name)) return { kind: 'leave', why: 'in-progress-name' };
  if (!progress) return { kind: 'read', from: 'start', why: 'new' };
  const sameListing = file.size === progress.size && file.mtimeMs === progress.mtimeMs;
  const actionDue = s.afterFetch !== 'keep' && progress.offset === file.size && file.size > 0;

  if (s.wholeFile) {
    if (sameListing && progress.status !== 'reading') return actionDue ? { kind: 'after-fetch' } : { kind: 'leave', why: 'unchanged' };
    return { kind: 'read', from: 'start', why: progress.status === 'reading' ? 'interrupted' : 'document-changed' };
  }
  if (file.size < progress.offset) return { kind: 'read', from: 'start', why: 'shrank' };
  if (progress.status === 'reading') return { kind: 'read', from: 'offset', why: 'interrupted', complete: false };
  if (!sameListing) return { kind: 'read', from: 'offset', why: 'changed', complete: false };
  if (progress.offset < file.size) {
    return s.now - progress.updatedAt >= s.finalLineQuietMs
      ? { kind: 'read', from: 'offset', why: 'quiet-last-line', complete: true }
      : { kind: 'leave', why: 'last-line-waits' };
  }
  return actionDue ? { kind: 'after-fetch' } : { kind: 'leave', why: 'unchanged' };
}

/**
 * Reads of a whole document, of a file complete once named (CUCM: read to its end), and of a last line taken as
 * complete, need a settled file; so do all reads when fetched files are deleted or moved (a read to the end is
 * followed by the action, which must not take a file still being written). Reading the complete lines of a growing
 * line-framed file that is kept does not.
 */
export function needsStableSize(plan: FilePlan, s: Pick<PlanSettings, 'wholeFile' | 'completeOnceNamed' | 'afterFetch'>): boolean {
  if (plan.kind !== 'read') return false;
  return s.wholeFile || s.completeOnceNamed || s.afterFetch !== 'keep' || (plan.from === 'offset' && plan.complete);
}
