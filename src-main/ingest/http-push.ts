/**
 * HTTP push of the billing interface: `POST /cdr/<format>[?device=<id or name>]` with Basic auth (the billing
 * interface account and password), from an address a device allows. The body is read in the format (FreeSWITCH
 * `cdr=` forms in every encoding, bare XML / JSON, JSON lines) and stored before the answer:
 * 200 `{ received, stored, duplicates, rejected }` means committed to disk. A re-sent body gets 200 again and
 * changes nothing (its records are duplicates).
 *
 * A body none of whose records can be read still gets 200: it is stored as a reject (kept, shown to the clerk,
 * reprocessable after a fix), and devices that re-send until they see 200 would otherwise re-send it forever. Only an
 * empty body is refused (400): there is nothing to keep. See docs/billing-interface.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../src-shared/api/errors';
import { isCdrFormat, type CdrFormat } from '../../src-shared/domain/cdr';
import { decodePathPart, readBody, remoteAddress, sendError, sendJson } from '../api/http';
import type { HttpRoutes } from '../api/routes';
import { deviceContextOf, type DeviceRepository } from '../devices/repository';
import type { Logger } from '../log';
import { parseCdrText } from './adapters/registry';
import { billingInterfaceLogin, sendUnauthenticated, type BillingInterfaceLoginDeps } from './billing-interface-auth';
import { addressAllowed, chooseDevice } from './device-lookup';
import type { IngestStatus } from './status';
import type { CdrWriter } from './writer/cdr-writer';

/** Largest accepted body (a FreeSWITCH XML CDR is a few kB; a batch of JSON lines a few MB at most). */
export const PUSH_MAX_BODY_BYTES = 8 * 1024 * 1024;

/** What the push route uses (the login throttle's settings and clock included). */
export interface CdrPushDeps extends BillingInterfaceLoginDeps {
  routes: HttpRoutes;
  devices: DeviceRepository;
  cdrWriter: CdrWriter;
  ingestStatus: IngestStatus;
  log: Logger;
}

export function registerCdrPushRoute(s: CdrPushDeps): void {
  const login = billingInterfaceLogin(s);

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const address = remoteAddress(req);
    const formatText = decodePathPart(url.pathname.slice('/cdr/'.length));
    try {
      if (!isCdrFormat(formatText)) {
        throw new ApiError('not_found', `There is no CDR format "${formatText}" (POST /cdr/<format>, e.g. /cdr/freeswitch-xml).`);
      }
      const format: CdrFormat = formatText;
      await login.authenticate(req, address);
      const bi = s.settings.get('billingInterface');
      if (!bi.enabled) throw new ApiError('unavailable', 'The billing interface is turned off in the settings.');
      const devices = s.devices.list();
      const named = url.searchParams.get('device') ?? undefined;
      // Among the devices at this address, those set to this format; a device of another format is named in the error.
      const sameFormat = devices.filter((d) => d.format === format);
      const choice = chooseDevice(sameFormat, address, bi.addresses, named);
      if (!choice.ok) {
        const other = devices.find((d) => d.enabled && d.format !== format && addressAllowed(address, d.addresses));
        const hint = other && !named ? ` (device "${other.name}" at this address is set to ${other.format})` : '';
        throw new ApiError('forbidden', `${capitalize(choice.reason)}${choice.needsName ? ' with ?device=<id or name>' : ''}${hint}.`);
      }
      const device = choice.device;
      const body = await readBody(req, PUSH_MAX_BODY_BYTES);
      if (body.length === 0) throw new ApiError('invalid_input', 'The body is empty: post the CDR in the body.');
      const parsed = parseCdrText(format, body.toString('utf8'), deviceContextOf(device));
      let result;
      try {
        result = await s.cdrWriter.storeBatch(device.id, { kind: 'http', name: `${address} POST /cdr/${format}` }, parsed);
      } catch (error) {
        s.log.error('CDR push could not be stored', { device: device.name, address, error });
        s.ingestStatus.error(device.id, `HTTP push from ${address} could not be stored: ${(error as Error).message}`);
        throw new ApiError('unavailable', 'The records could not be stored; send them again.');
      }
      sendJson(res, 200, {
        received: result.received,
        stored: result.stored,
        duplicates: result.duplicates,
        rejected: result.rejected,
      });
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError('internal', 'Internal error.');
      if (!(error instanceof ApiError)) s.log.error('CDR push failed', { address, error });
      else if (apiError.code !== 'not_found') s.log.warn('CDR push refused', { address, format: formatText, reason: apiError.message });
      if (apiError.code !== 'payload_too_large') req.resume();
      if (apiError.code === 'unauthenticated') {
        sendUnauthenticated(res, apiError);
      } else {
        sendError(res, apiError);
      }
    }
  };

  s.routes.add({ method: 'POST', path: '/cdr/', handle });
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
