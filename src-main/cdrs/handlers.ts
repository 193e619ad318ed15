import { ApiError } from '../../src-shared/api/errors';
import type { Handlers } from '../api/call-context';
import { cdrDetail, type CdrDetailDeps } from './detail';
import { exportCdrs, type CdrExportDeps } from './export';
import { searchCdrs } from './search';

/** What the records pages use: search and detail, exports and their cancelling. */
export interface CdrHandlerDeps extends CdrDetailDeps, CdrExportDeps {}

export function cdrHandlers(s: CdrHandlerDeps): Handlers<'cdrs.search' | 'cdrs.get' | 'exports.cdrs' | 'exports.cancel'> {
  return {
    'cdrs.search': (q) => searchCdrs(s.db, q),
    'cdrs.get': ({ id }) => cdrDetail(s, id),
    'exports.cdrs': (q, ctx) => exportCdrs(s, q, ctx),
    'exports.cancel': ({ exportId }, ctx) => {
      if (!s.exportJobs.cancel(exportId, ctx.user!.id)) {
        throw ApiError.keyed('not_found', 'api.exportNotRunning', `No export ${exportId} of yours is running (it may have finished).`);
      }
      return { ok: true };
    },
  };
}
