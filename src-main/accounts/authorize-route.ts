/**
 * `GET /cdr/authorize?device=&caller=&callee=[&card=&pin=][&trunk=]` (or the same parameters POSTed as a form, which
 * keeps a PIN out of URLs and access logs) on the billing interface (Basic auth with its
 * account and password, from an address the device or the interface allows): 200 with an AuthorizationAnswer. Every
 * other status is a refusal too, and its body carries `allowed: false` and a `reason` beside the usual `error`, so a
 * dial plan that reads only `allowed` never lets a call through by mistake. See docs/billing-interface.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../../src-shared/api/errors';
import { readBody, remoteAddress, sendJson } from '../api/http';
import type { HttpRoutes } from '../api/routes';
import type { DeviceRepository } from '../devices/repository';
import { billingInterfaceLogin, sendUnauthenticated, type BillingInterfaceLoginDeps } from '../ingest/billing-interface-auth';
import { chooseDevice } from '../ingest/device-lookup';
import type { Logger } from '../log';
import { CallAuthorizer, type CallAuthorizerDeps } from './authorize';

export const AUTHORIZE_ROUTE = '/cdr/authorize';

const PARAM = /^[0-9A-Za-z*#+]{1,32}$/;
const TRUNK_MAX = 100;

/** Longest form body of a POST. */
const MAX_FORM_BYTES = 4096;

function param(params: URLSearchParams, name: string, required: boolean, pattern: RegExp = PARAM, secret = false): string | undefined {
  const value = params.get(name)?.trim();
  if (!value) {
    if (required) throw new ApiError('invalid_input', `Missing parameter ${name}.`, { fields: { [name]: ['is required'] } });
    return undefined;
  }
  if (!pattern.test(value)) {
    // A secret is never repeated: the message goes to the device and to the log.
    const shown = secret ? '' : `: "${value.slice(0, 40)}"`;
    throw new ApiError('invalid_input', `Parameter ${name} is not valid${shown}.`, { fields: { [name]: ['is not valid'] } });
  }
  return value;
}

/** The parameters: the query string, and for a POST its form body (a PIN is better kept out of URLs and access logs). */
async function paramsOf(req: IncomingMessage, url: URL): Promise<URLSearchParams> {
  if (req.method !== 'POST') return url.searchParams;
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new ApiError('unsupported_media_type', 'POST the parameters as a form (Content-Type: application/x-www-form-urlencoded).');
  }
  const body = await readBody(req, MAX_FORM_BYTES);
  const params = new URLSearchParams(url.searchParams);
  for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
  return params;
}

/** What the authorization route uses: the billing interface's login and settings, the devices, and call authorization. */
export interface AuthorizeRouteDeps extends CallAuthorizerDeps, BillingInterfaceLoginDeps {
  devices: DeviceRepository;
  routes: HttpRoutes;
  log: Logger;
}

export function registerAuthorizeRoute(s: AuthorizeRouteDeps): void {
  const login = billingInterfaceLogin(s);
  const authorizer = new CallAuthorizer(s);

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const address = remoteAddress(req);
    try {
      await login.authenticate(req, address);
      const bi = s.settings.get('billingInterface');
      if (!bi.enabled) throw new ApiError('unavailable', 'The billing interface is turned off in the settings.');
      const params = await paramsOf(req, url);
      const named = param(params, 'device', true, /^.{1,100}$/)!;
      const choice = chooseDevice(s.devices.list(), address, bi.addresses, named);
      if (!choice.ok) throw new ApiError(choice.reason.startsWith('there is no') ? 'not_found' : 'forbidden', `Refused: ${choice.reason}.`);
      const caller = param(params, 'caller', true)!;
      const callee = param(params, 'callee', true)!;
      const card = param(params, 'card', false);
      const pin = param(params, 'pin', false, /^\d{1,12}$/, true);
      const trunk = param(params, 'trunk', false, new RegExp(`^.{1,${TRUNK_MAX}}$`));
      if (pin && !card) throw new ApiError('invalid_input', 'A PIN needs its card number (card=).', { fields: { card: ['is required with pin'] } });
      if (!s.charging.ready) throw new ApiError('unavailable', 'The rating data is still loading after the first start; ask again in a minute.');
      const answer = await authorizer.authorize({
        deviceId: choice.device.id,
        caller,
        callee,
        ...(card ? { card } : {}),
        ...(pin ? { pin } : {}),
        ...(trunk ? { trunk } : {}),
      });
      sendJson(res, 200, answer);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError('internal', 'Internal error.');
      if (!(error instanceof ApiError)) s.log.error('Call authorization failed', { address, error });
      else s.log.warn('Call authorization refused', { address, reason: apiError.message });
      const refusal = { allowed: false, reason: apiError.code };
      if (apiError.code === 'unauthenticated') return sendUnauthenticated(res, apiError, refusal);
      const retry = (apiError.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      sendJson(res, apiError.status, { ...refusal, error: apiError.toBody() }, retry ? { 'Retry-After': String(retry) } : {});
    }
  };

  s.routes.add({ method: 'GET', path: AUTHORIZE_ROUTE, handle });
  s.routes.add({ method: 'POST', path: AUTHORIZE_ROUTE, handle });
}
