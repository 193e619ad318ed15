/** Keyset paging and LIKE prefixes shared by every list of the API. */
import { badCursor } from '../../src-shared/api/errors';

/** Keyset cursor over (at DESC, id DESC): the last row's position. */
export function encodeCursor(parts: (number | string)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): (number | string)[] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts.length === arity && parts.every((p) => typeof p === 'number' || typeof p === 'string')) {
      return parts;
    }
  } catch {
    // fall through
  }
  throw badCursor();
}

export const likePrefix = (text: string) => text.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
