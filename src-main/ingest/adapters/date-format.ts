/**
 * Date formats of generic delimited files, set per device: `YYYY-MM-DD HH:mm:ss`, `DD/MM/YYYY HH:mm`, ... compiled
 * once into a regular expression. Also `epoch` (seconds), `epoch-ms` and `iso` (ISO 8601; an explicit offset wins
 * over the device's zone). Text in [brackets] is literal.
 */
import { parseEpochSeconds, wallClockFromParts } from './time';

/** How a date text was read: a local wall-clock time (needs a zone) or an instant. */
export type ReadDate = { kind: 'wall'; wallMs: number } | { kind: 'instant'; utcMs: number } | { kind: 'invalid' };

export type DateReader = (text: string) => ReadDate;

type Part = 'year' | 'year2' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'fraction';

const TOKENS: [string, Part, string][] = [
  ['YYYY', 'year', '(\\d{4})'],
  ['SSS', 'fraction', '(\\d{1,6})'],
  ['YY', 'year2', '(\\d{2})'],
  ['MM', 'month', '(\\d{2})'],
  ['DD', 'day', '(\\d{2})'],
  ['HH', 'hour', '(\\d{2})'],
  ['mm', 'minute', '(\\d{2})'],
  ['ss', 'second', '(\\d{2})'],
  ['M', 'month', '(\\d{1,2})'],
  ['D', 'day', '(\\d{1,2})'],
  ['H', 'hour', '(\\d{1,2})'],
  ['m', 'minute', '(\\d{1,2})'],
  ['s', 'second', '(\\d{1,2})'],
];

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Compiles a date format, or returns a problem that names what is wrong with it. */
export function compileDateFormat(format: string): DateReader | string {
  if (format === 'epoch') return epochReader(1000);
  if (format === 'epoch-ms') return epochReader(1);
  if (format === 'iso') return readIso;
  const parts: Part[] = [];
  let pattern = '^';
  let i = 0;
  while (i < format.length) {
    if (format[i] === '[') {
      const close = format.indexOf(']', i);
      if (close === -1) return `date format '${format}': '[' without ']'`;
      pattern += escapeRegExp(format.slice(i + 1, close));
      i = close + 1;
      continue;
    }
    const token = TOKENS.find(([text]) => format.startsWith(text, i));
    if (token) {
      parts.push(token[1]);
      pattern += token[2];
      i += token[0].length;
    } else {
      pattern += escapeRegExp(format[i]!);
      i++;
    }
  }
  const has = (part: Part) => parts.includes(part);
  if (!(has('year') || has('year2')) || !has('month') || !has('day') || !has('hour') || !has('minute')) {
    return `date format '${format}' needs a year, month, day, hour and minute (e.g. YYYY-MM-DD HH:mm:ss)`;
  }
  const re = new RegExp(`${pattern}$`);
  return (text) => {
    const m = re.exec(text.trim());
    if (!m) return { kind: 'invalid' };
    const value: Record<Part, number> = { year: 0, year2: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, fraction: 0 };
    parts.forEach((part, index) => {
      const digits = m[index + 1]!;
      value[part] = part === 'fraction' ? Number(digits.padEnd(3, '0').slice(0, 3)) : Number(digits);
    });
    const year = has('year') ? value.year : 2000 + value.year2;
    const wallMs = wallClockFromParts(year, value.month, value.day, value.hour, value.minute, value.second, value.fraction);
    return Number.isNaN(wallMs) ? { kind: 'invalid' } : { kind: 'wall', wallMs };
  };
}

function epochReader(msPerUnit: number): DateReader {
  return (text) => {
    const trimmed = text.trim();
    const ms = msPerUnit === 1000 ? parseEpochSeconds(trimmed) : /^\d{1,15}$/.test(trimmed) ? Number(trimmed) : NaN;
    return Number.isNaN(ms) ? { kind: 'invalid' } : { kind: 'instant', utcMs: ms };
  };
}

function readIso(text: string): ReadDate {
  const m = ISO_RE.exec(text.trim());
  if (!m) return { kind: 'invalid' };
  const fraction = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  const wallMs = wallClockFromParts(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, m[6] ? +m[6] : 0, fraction);
  if (Number.isNaN(wallMs)) return { kind: 'invalid' };
  const zone = m[8];
  if (!zone) return { kind: 'wall', wallMs };
  if (zone.toUpperCase() === 'Z') return { kind: 'instant', utcMs: wallMs };
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0');
  return { kind: 'instant', utcMs: wallMs - (zone[0] === '-' ? -minutes : minutes) * 60_000 };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
