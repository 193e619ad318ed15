import { ApiError, fieldDetails } from '../../src-shared/api/errors';
import type { Handlers } from '../api/call-context';
import type { Services } from '../services';
import { exportExtensions, exportRecharges, exportUserAccounts, importTemplate } from './account-exports';
import { importExtensions } from './extension-import';
import { unknownExtensions } from './unknown-extensions';
import { AccountImportRefused, importUserAccounts } from './user-import';
import { problem } from '../../src-shared/api/messages';

type AccountFileMethods =
  | 'userAccounts.import'
  | 'userAccounts.export'
  | 'userAccounts.template'
  | 'extensions.import'
  | 'extensions.export'
  | 'extensions.template'
  | 'extensions.unknown'
  | 'recharges.export';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The uploaded file's bytes; content that is not base64 is a field error, not a bad spreadsheet. */
function fileBytes(content: string): Buffer {
  const compact = content.replace(/\s+/g, '');
  if (!BASE64.test(compact)) {
    throw ApiError.keyed('invalid_input', 'api.invalidField', 'Invalid input: content must be the file as base64', { field: 'content' }, fieldDetails({ content: problem('field.base64', 'must be base64') }));
  }
  return Buffer.from(compact, 'base64');
}

/** A refused import as the API answers it: 400 with every problem by row and column. */
async function refusedAsApiError<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AccountImportRefused) throw new ApiError('invalid_input', err.message, err.problems.refusal());
    throw err;
  }
}

export function accountFileHandlers(s: Services): Handlers<AccountFileMethods> {
  return {
    'userAccounts.import': (input, ctx) =>
      refusedAsApiError(async () => {
        const { ids, announce, ...result } = await importUserAccounts(s, { fileName: input.fileName, bytes: fileBytes(input.content) });
        // The operation log keeps the counts (a file of 100,000 accounts is not copied into it).
        ctx.audit({ target: 'userAccounts:import', ...result, firstIds: ids.slice(0, 20) });
        ctx.afterCommit(() => {
          announce.forEach((a) => a());
          s.events.emit('data.changed', { domain: 'accounts' });
          s.events.emit('data.changed', { domain: 'extensions' });
        });
        return result;
      }),
    'userAccounts.export': (input, ctx) => exportUserAccounts(s, ctx, input),
    'userAccounts.template': (input, ctx) => importTemplate(s, ctx, 'users', input),
    'extensions.import': (input, ctx) =>
      refusedAsApiError(async () => {
        if (input.deviceId !== undefined) s.devices.get(input.deviceId);
        const { ids, ...result } = await importExtensions(s, {
          fileName: input.fileName,
          bytes: fileBytes(input.content),
          ...(input.deviceId !== undefined ? { deviceId: input.deviceId } : {}),
        });
        ctx.audit({ target: input.deviceId ? `device:${input.deviceId}` : 'extensions:import', ...result, firstIds: ids.slice(0, 20) });
        ctx.afterCommit(() => s.events.emit('data.changed', { domain: 'extensions' }));
        return result;
      }),
    'extensions.export': (input, ctx) => exportExtensions(s, ctx, input),
    'extensions.template': (input, ctx) => importTemplate(s, ctx, 'extensions', input),
    'extensions.unknown': (input) => unknownExtensions(s, input),
    'recharges.export': (input, ctx) => exportRecharges(s, ctx, input),
  };
}
