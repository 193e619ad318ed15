import { randomUUID } from 'node:crypto';
import type { CdrImportResult, IngestMethodName, ReprocessResult } from '../../src-shared/api/ingest';
import { ApiError } from '../../src-shared/api/errors';
import type { CallContext, Handler, Handlers } from '../api/call-context';
import { chargeUnratedAgain, type ChargeAgainDeps } from '../charging/handlers';
import type { EventBus } from '../events';
import type { Logger } from '../log';
import type { RatingService } from '../rating/rating-service';
import { chunksOf, importCdrFile } from './file-import';
import { dismissRejects, listRejects, openRejectIds, rejectsByIds, reprocessRejects, type RejectDeps } from './rejects';
import type { CdrWriter } from './writer/cdr-writer';
import type { IngestStatus } from './status';

/** Progress events at most this often during an import. */
const PROGRESS_INTERVAL_MS = 250;

/**
 * What the import, reject and ingest status handlers use (`cdrs.reprocess` of a device charges its unrated CDRs
 * again: ChargeAgainDeps).
 */
export interface IngestHandlerDeps extends RejectDeps, ChargeAgainDeps {
  /** A clerk's import charges as it stores: it waits for the default number attribution on a first start. */
  rating: RatingService;
  events: EventBus;
  log: Logger;
  ingestStatus: IngestStatus;
  /** Where an imported file's batches are stored (rated and charged). */
  cdrWriter: CdrWriter;
}

type ImportInput = Parameters<Handler<'cdrs.import'>>[0];
type ReprocessInput = Parameters<Handler<'cdrs.reprocess'>>[0];

/** `cdrs.import`: a clerk's file, stored batch by batch (each commits on its own) with progress events. */
async function importCdrs(s: IngestHandlerDeps, input: ImportInput, ctx: CallContext): Promise<CdrImportResult> {
  const device = s.devices.get(input.deviceId);
  // A clerk's import charges each call as it stores it: on a first start, wait for the default number attribution
  // (a few seconds) rather than leave the calls pending to be charged after the answer.
  await s.rating.ready();
  const content = Buffer.from(input.content, 'base64');
  const importId = input.importId ?? randomUUID();
  const audience = ctx.session ? { sessionId: ctx.session.sessionId } : {};
  const base = { importId, deviceId: device.id, fileName: input.fileName, totalBytes: content.length };
  let lastEvent = -Infinity;
  s.events.emit('cdrs.importProgress', { ...base, state: 'running', bytesRead: 0, received: 0, stored: 0, duplicates: 0, rejected: 0 }, audience);
  let summary;
  try {
    summary = await importCdrFile(s.cdrWriter, {
      device,
      source: { kind: 'import', name: input.fileName },
      input: chunksOf(content),
      onBatch: (p) => {
        // Each batch commits on its own: if a later one fails, the operation log tells what is kept.
        ctx.audit({ target: `device:${device.id}`, fileName: input.fileName, bytes: content.length, committedSoFar: { received: p.received, stored: p.stored, duplicates: p.duplicates, rejected: p.rejected } });
        const now = performance.now();
        if (now - lastEvent < PROGRESS_INTERVAL_MS) return;
        lastEvent = now;
        s.events.emit('cdrs.importProgress', { ...base, state: 'running', ...p }, audience);
      },
    });
  } catch (error) {
    const message = error instanceof ApiError ? error.message : `The import stopped: ${(error as Error).message}`;
    s.events.emit('cdrs.importProgress', { ...base, state: 'failed', bytesRead: 0, received: 0, stored: 0, duplicates: 0, rejected: 0, message }, audience);
    if (error instanceof ApiError) throw error;
    s.log.error('CDR import failed', { device: device.name, fileName: input.fileName, error });
    throw ApiError.keyed('unavailable', 'api.importStopped', `${message}. Records committed before the problem are kept; importing the file again adds only what is missing.`);
  }
  const { rejectIds, ...counts } = summary;
  s.events.emit('cdrs.importProgress', { ...base, state: 'done', ...counts }, audience);
  s.events.emit('data.changed', { domain: 'cdrs' });
  const result: CdrImportResult = {
    importId,
    deviceId: device.id,
    fileName: input.fileName,
    bytes: content.length,
    received: counts.received,
    stored: counts.stored,
    duplicates: counts.duplicates,
    rejected: counts.rejected,
    skipped: counts.skipped,
    rated: counts.rated,
    unrated: counts.unrated,
    rejects: rejectsByIds(s, rejectIds),
    rejectsTotal: counts.rejectsTotal,
    knownRejects: counts.knownRejects,
    headerLines: counts.headerLines,
  };
  ctx.audit({
    target: `device:${device.id}`,
    fileName: input.fileName,
    bytes: content.length,
    committedSoFar: undefined,
    received: result.received,
    stored: result.stored,
    duplicates: result.duplicates,
    rejected: result.rejected,
  });
  return result;
}

/** `cdrs.reprocess`: rejects read again with the device's current settings; a device's unrated CDRs charged again. */
async function reprocess(s: IngestHandlerDeps, input: ReprocessInput, ctx: CallContext): Promise<ReprocessResult> {
  if (input.deviceId !== undefined) s.devices.get(input.deviceId); // 404 for an unknown device
  const ids = input.ids ?? openRejectIds(s, input.deviceId);
  const result: ReprocessResult = await reprocessRejects(s, ids);
  const audit = {
    target:
      input.deviceId !== undefined
        ? `device:${input.deviceId}`
        : input.all
          ? 'rejects:open'
          : `rejects:${ids.slice(0, 20).join(',')}${ids.length > 20 ? ',...' : ''}`,
    total: result.total,
    stored: result.stored,
    duplicates: result.duplicates,
    stillRejected: result.stillRejected,
  };
  ctx.audit(audit);
  s.events.emit('data.changed', { domain: 'rejects' });
  if (input.deviceId !== undefined || input.all) {
    // After a fix of the device (numbering plan, route prefixes), what it left unrated is charged again too.
    const filter = input.deviceId !== undefined ? { deviceId: input.deviceId } : {};
    result.unrated = await chargeUnratedAgain(s, filter, (soFar) => ctx.audit({ ...audit, unratedSoFar: soFar }));
    ctx.audit({ ...audit, unratedSoFar: undefined, unrated: result.unrated });
  }
  if (result.stored > 0 || (result.unrated?.rated ?? 0) > 0) s.events.emit('data.changed', { domain: 'cdrs' });
  return result;
}

export function ingestHandlers(s: IngestHandlerDeps): Handlers<IngestMethodName> {
  return {
    'cdrs.import': (input, ctx) => importCdrs(s, input, ctx),
    'cdrs.rejects': (input) => listRejects(s, input),
    'cdrs.reprocess': (input, ctx) => reprocess(s, input, ctx),
    'cdrs.dismissRejects': ({ ids, reason }, ctx) => {
      const dismissed = dismissRejects(s, ids, reason);
      ctx.audit({ target: `rejects:${ids.slice(0, 20).join(',')}${ids.length > 20 ? ',...' : ''}`, reason, dismissed });
      ctx.afterCommit(() => s.events.emit('data.changed', { domain: 'rejects' }));
      return { dismissed };
    },
    'ingest.status': () => s.ingestStatus.snapshot(),
  };
}
