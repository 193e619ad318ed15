/**
 * "Test connection" of a device's SFTP settings: connect, log in, list the folder (and check the move target), and
 * say what is there or exactly what failed.
 */
import type { SftpTestFile, SftpTestResult } from '../../src-shared/api/devices';
import { isoTime } from '../../src-shared/api/common';
import type { CdrFormat } from '../../src-shared/domain/cdr';
import { isCdrFileInProgress } from './adapters/registry';
import { fileNameMatcher } from './sftp-file-pattern';
import { DEFAULT_SFTP_TIMEOUTS, SftpProblem, SftpSession, type SftpEndpoint, type SftpTimeouts } from './sftp-session';

export interface SftpTestSettings extends SftpEndpoint {
  folder: string;
  pattern: string;
  afterFetch: 'keep' | 'delete' | 'move';
  moveTo?: string | undefined;
}

const MAX_FILES_SHOWN = 200;

function failedStep(problem: SftpProblem): NonNullable<SftpTestResult['failedAt']> {
  if (problem.kind === 'unreachable' || problem.kind === 'handshake' || problem.kind === 'hostkey') return 'connect';
  if (problem.kind === 'auth' || problem.kind === 'credentials') return 'login';
  return 'folder';
}

export async function testSftpConnection(
  settings: SftpTestSettings,
  format: CdrFormat | null,
  timeouts: SftpTimeouts = DEFAULT_SFTP_TIMEOUTS,
): Promise<SftpTestResult> {
  const started = performance.now();
  const where = `${settings.host}:${settings.port}`;
  const result: SftpTestResult = {
    ok: false,
    message: '',
    folder: settings.folder,
    files: [],
    totalFiles: 0,
    matchingFiles: 0,
    otherEntries: 0,
    durationMs: 0,
  };
  const fail = (step: NonNullable<SftpTestResult['failedAt']>, problem: SftpProblem | null, message: string): SftpTestResult => ({
    ...result,
    ok: false,
    failedAt: step,
    ...(problem ? { problem: problem.kind } : {}),
    message,
    durationMs: Math.round(performance.now() - started),
  });

  let session: SftpSession;
  try {
    session = await SftpSession.open(settings, timeouts);
  } catch (error) {
    const problem = error instanceof SftpProblem ? error : new SftpProblem('io', String(error));
    const failed = fail(failedStep(problem), problem, problem.message);
    return problem.kind === 'hostkey' ? { ...failed, hostKeyCheck: 'changed' } : failed;
  }
  result.hostKey = session.hostKey;
  result.hostKeyCheck = settings.hostKey ? 'same' : 'new';
  try {
    let listing;
    try {
      listing = await session.list(settings.folder);
    } catch (error) {
      const problem = error instanceof SftpProblem ? error : new SftpProblem('io', String(error));
      const message =
        problem.kind === 'folder'
          ? `Logged in to ${where}, but the folder ${settings.folder} does not exist there (or is not a folder).`
          : problem.kind === 'permission'
            ? `Logged in to ${where}, but "${settings.username}" may not list the folder ${settings.folder}.`
            : `Logged in to ${where}, but listing ${settings.folder} failed: ${problem.message}`;
      return fail('folder', problem, message);
    }
    const matches = fileNameMatcher(settings.pattern);
    const files: SftpTestFile[] = listing.files
      .map((f) => ({
        name: f.name,
        size: f.size,
        modifiedAt: isoTime(f.mtimeMs),
        matches: matches(f.name),
        inProgress: format !== null && isCdrFileInProgress(format, f.name),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    Object.assign(result, {
      files: files.slice(0, MAX_FILES_SHOWN),
      totalFiles: files.length,
      matchingFiles: files.filter((f) => f.matches).length,
      otherEntries: listing.others,
    });
    if (settings.afterFetch === 'move' && settings.moveTo && !(await session.folderExists(settings.moveTo))) {
      return fail('moveTo', new SftpProblem('folder', 'missing'), `Logged in to ${where} and listed ${settings.folder}, but the folder ${settings.moveTo} to move fetched files to does not exist.`);
    }
    return {
      ...result,
      ok: true,
      message: `Logged in to ${where} as "${settings.username}": ${settings.folder} holds ${files.length} file(s), ${result.matchingFiles} matching ${settings.pattern}.`,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    const problem = error instanceof SftpProblem ? error : new SftpProblem('io', String(error));
    return fail('folder', problem, `Logged in to ${where}, but the server stopped answering: ${problem.message}`);
  } finally {
    await session.close();
  }
}
