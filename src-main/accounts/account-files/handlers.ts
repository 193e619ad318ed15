/**
 * The account files (src-shared/api/account-files.ts): imports and exports of user accounts and extensions, their
 * templates, the recharge export; and the list of extensions that call but are not configured.
 */
import { ApiError, fieldDetails } from '../../../src-shared/api/errors';
import { problem } from '../../../src-shared/api/messages';
import type { Handlers } from '../../api/call-context';
import type { Sqlite } from '../../db/connection';
import type { DeviceRepository } from '../../devices/repository';
import type { DownloadOffers } from '../../downloads/registry';
import type { EventBus } from '../../events';
import type { BalanceAlerts } from '../alerts';
import type { AccountRepository } from '../repository';
import { unknownExtensions } from '../unknown-extensions';
import { exportExtensions, exportRecharges, exportUserAccounts, importTemplate, type AccountExportDeps } from './exports';
import { importExtensions } from './extension-import';
import { AccountImportRefused } from './import-refused';
import { AccountFileRepository } from './repository';
import { importUserAccounts, type UserImportDeps } from './user-import';

/** What the account-file handlers use. */
export interface AccountFileHandlerDeps {
  db: Sqlite;
  accountRepo: AccountRepository;
  devices: DeviceRepository;
  downloads: DownloadOffers;
  balanceAlerts: BalanceAlerts;
  events: EventBus;
  now(): number;
}

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

export function accountFileHandlers(deps: AccountFileHandlerDeps): Handlers<AccountFileMethods> {
  const files = new AccountFileRepository(deps.db);
  const now = () => deps.now();
  const exporting: AccountExportDeps = { files, accountRepo: deps.accountRepo, downloads: deps.downloads, now };
  const importing: UserImportDeps = { files, balanceAlerts: deps.balanceAlerts, now };
  return {
    'userAccounts.import': (input, ctx) =>
      refusedAsApiError(async () => {
        const { ids, announce, ...result } = await importUserAccounts(importing, { fileName: input.fileName, bytes: fileBytes(input.content) });
        // The operation log keeps the counts (a file of 100,000 accounts is not copied into it).
        ctx.audit({ target: 'userAccounts:import', ...result, firstIds: ids.slice(0, 20) });
        ctx.afterCommit(() => {
          announce.forEach((a) => a());
          deps.events.emit('data.changed', { domain: 'accounts' });
          deps.events.emit('data.changed', { domain: 'extensions' });
        });
        return result;
      }),
    'userAccounts.export': (input, ctx) => exportUserAccounts(exporting, ctx, input),
    'userAccounts.template': (input, ctx) => importTemplate(exporting, ctx, 'users', input),
    'extensions.import': (input, ctx) =>
      refusedAsApiError(async () => {
        if (input.deviceId !== undefined) deps.devices.get(input.deviceId);
        const { ids, ...result } = await importExtensions(importing, {
          fileName: input.fileName,
          bytes: fileBytes(input.content),
          ...(input.deviceId !== undefined ? { deviceId: input.deviceId } : {}),
        });
        ctx.audit({ target: input.deviceId ? `device:${input.deviceId}` : 'extensions:import', ...result, firstIds: ids.slice(0, 20) });
        ctx.afterCommit(() => deps.events.emit('data.changed', { domain: 'extensions' }));
        return result;
      }),
    'extensions.export': (input, ctx) => exportExtensions(exporting, ctx, input),
    'extensions.template': (input, ctx) => importTemplate(exporting, ctx, 'extensions', input),
    'extensions.unknown': (input) => unknownExtensions(deps, input),
    'recharges.export': (input, ctx) => exportRecharges(exporting, ctx, input),
  };
}
