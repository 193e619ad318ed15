/**
 * Libraries the engine needs only for some jobs, loaded on first use instead of at start: exceljs (spreadsheet
 * imports and exports) and ssh2-sftp-client (devices that are polled over SFTP). Required at start they cost the
 * idle server about 40 MB of memory that most workstations never use. Types come from `import type`, which
 * compiles to nothing.
 */
import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';
import type SftpClient from 'ssh2-sftp-client';

const requireHere = createRequire(__filename);

let excel: typeof ExcelJS | undefined;
let sftp: typeof SftpClient | undefined;

/** The exceljs module. */
export function excelJs(): typeof ExcelJS {
  return (excel ??= requireHere('exceljs') as typeof ExcelJS);
}

/** The ssh2-sftp-client class. */
export function sftpClientClass(): typeof SftpClient {
  return (sftp ??= requireHere('ssh2-sftp-client') as typeof SftpClient);
}
