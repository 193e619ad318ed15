import fs from 'node:fs';
import path from 'node:path';
import { systemClock, type Clock } from './clock';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  close(): void;
}

/**
 * JSON-lines log in `<dataDir>/logs/billing.log` (one object per line: time, level, msg, fields), mirrored to the
 * console at `consoleLevel` and above. Synchronous appends: a crash loses nothing that was logged.
 */
export function createLogger(opts: { dir?: string; consoleLevel?: LogLevel | 'silent'; fileLevel?: LogLevel; now?: Clock }): Logger {
  const now = opts.now ?? systemClock;
  let fd: number | undefined;
  if (opts.dir) {
    fs.mkdirSync(opts.dir, { recursive: true });
    fd = fs.openSync(path.join(opts.dir, 'billing.log'), 'a');
  }
  const consoleMin = opts.consoleLevel === 'silent' ? Infinity : ORDER[opts.consoleLevel ?? 'info'];
  const fileMin = ORDER[opts.fileLevel ?? 'info'];

  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    const rank = ORDER[level];
    if (fd !== undefined && rank >= fileMin) {
      const line = JSON.stringify({ time: new Date(now()).toISOString(), level, msg, ...fields }, errorReplacer);
      fs.writeSync(fd, line + '\n');
    }
    if (rank >= consoleMin) {
      const extra = fields && Object.keys(fields).length ? ' ' + JSON.stringify(fields, errorReplacer) : '';
      (level === 'error' || level === 'warn' ? console.error : console.log)(`[${level}] ${msg}${extra}`);
    }
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    close() {
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
    },
  };
}

function errorReplacer(_key: string, value: unknown) {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}
