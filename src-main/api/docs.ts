import { z } from 'zod';
import { api, methodNames, type MethodName } from '../../src-shared/api';
import type { Access } from '../../src-shared/api/contract';
import { formatMoney, MAX_BALANCE, MAX_RATE_PRICE, MAX_RECHARGE } from '../../src-shared/domain/money';

/**
 * Renders docs/api.md from the contract, so the reference cannot drift from the code: a test compares the file with
 * this output, and `npm run docs:api` rewrites it.
 */
type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  additionalProperties?: JsonSchema | boolean;
};

const SAFE = 9007199254740991;

function range(min?: number, max?: number): string {
  const lo = min === undefined || min <= -SAFE ? undefined : min;
  const hi = max === undefined || max >= SAFE ? undefined : max;
  if (lo === undefined && hi === undefined) return '';
  return ` (${lo ?? ''}..${hi ?? ''})`;
}

export function typeText(s: JsonSchema, depth = 0): string {
  if (s.anyOf || s.oneOf) return (s.anyOf ?? s.oneOf)!.map((x) => typeText(x, depth)).join(' \\| ');
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const type = Array.isArray(s.type) ? s.type.join(' \\| ') : s.type;
  switch (type) {
    case 'string':
      if (s.format === 'date-time') return 'ISO 8601 time with offset';
      return `string${range(s.minLength, s.maxLength)}${s.pattern && s.pattern.length <= 40 ? ` \`${s.pattern}\`` : ''}`;
    case 'integer':
    case 'number':
      return `${type}${range(s.minimum, s.maximum)}`;
    case 'array':
      return `${s.items ? typeText(s.items, depth + 1) : 'any'}[]${range(s.minItems, s.maxItems)}`;
    case 'object': {
      if (!s.properties) return 'object';
      if (depth > 2) return 'object';
      const fields = Object.entries(s.properties).map(
        ([k, v]) => `${k}${s.required?.includes(k) ? '' : '?'}: ${typeText(v, depth + 1)}`,
      );
      return `{ ${fields.join(', ')} }`;
    }
    default:
      return type ?? 'any';
  }
}

const accessText = (a: Access) =>
  a === 'public'
    ? 'public (no session)'
    : a === 'session'
      ? 'any logged-in account'
      : a.includes('enterprise')
        ? `${a.join(', ')} (enterprise: its own enterprise only; other enterprises' ids answer 404)`
        : a.join(', ');

function methodSection(name: MethodName): string {
  const spec = api[name];
  const schema = z.toJSONSchema(spec.input, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const lines = [`### \`${name}\``, '', spec.summary, ''];
  lines.push(`- Roles: ${accessText(spec.access)}`);
  const kind = !spec.mutation
    ? 'query'
    : `mutation (${spec.async ? 'asynchronous' : 'one transaction'}${spec.noAudit ? ', login log' : ', operation log'})`;
  lines.push(`- Kind: ${kind}`);
  if (spec.maxBodyBytes) lines.push(`- Largest body: ${spec.maxBodyBytes.toLocaleString('en-US')} bytes`);
  lines.push(`- Returns: \`${spec.returns}\``, '');
  const props = schema.properties ?? {};
  if (Object.keys(props).length === 0) {
    lines.push('Input: `{}`', '');
  } else {
    lines.push('| input field | type | required | default | notes |', '|---|---|---|---|---|');
    for (const [field, s] of Object.entries(props)) {
      const def = s.default === undefined ? '' : `\`${JSON.stringify(s.default)}\``;
      lines.push(
        `| \`${field}\` | ${typeText(s)} | ${schema.required?.includes(field) ? 'yes' : ''} | ${def} | ${s.description ?? ''} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

// The bounds are written from the constants the contract enforces, so the page cannot drift from them.
export function renderApiDocs(): string {
  const domains = new Map<string, MethodName[]>();
  for (const m of methodNames) {
    const d = m.split('.')[0]!;
    domains.set(d, [...(domains.get(d) ?? []), m]);
  }
  const out = [
    '# API reference',
    '',
    '<!-- Generated from src-shared/api by `npm run docs:api`; a test fails when this file is out of date. -->',
    '',
    'Every capability is a method `domain.verb`. Over HTTP: `POST /api/<method>` with a JSON body',
    '(`Content-Type: application/json`); 200 with the JSON result, or an error',
    '`{ "error": { "code", "message", "details"? } }` with 400 (`invalid_input`, `details.fields` per field),',
    '401 (`unauthenticated`), 403 (`forbidden`, `password_change_required`), 404 (`method_not_found`, `not_found`),',
    '409 (`conflict`), 413 (`payload_too_large`), 415 (`unsupported_media_type`), 429 (`throttled`, with',
    '`Retry-After`), 500 (`internal`, with a reference to the log, never internals).',
    '',
    'Authentication: `auth.login` returns `{ token, user }` and sets the `billing_session` cookie (HttpOnly,',
    'SameSite=Strict, Secure under TLS). Scripts send `Authorization: Bearer <token>`. Calls authenticated by the',
    'cookie must carry the header `X-Billing-Client: 1` and come from the same origin (cross-site protection).',
    'Events: `GET /api/events` (server-sent events) for the session; in the desktop app the same events arrive',
    'over IPC.',
    '',
    'Money fields are decimal strings with up to 4 places (`"12.3400"`); times are ISO 8601 with an offset',
    '(inputs may also be epoch milliseconds); ids are integers. Paged lists take `limit` and `cursor` and return',
    '`{ rows, nextCursor? }`.',
    '',
    '### Money and its bounds',
    '',
    'Money is an integer of 1/10000 units inside the engine and in the database. A JavaScript number holds integers',
    'exactly up to 2^53 - 1 (about 900,719,925,474.0991 in money), SQLite up to 2^63 - 1, so the bounds stay well',
    'inside the first; an amount beyond its bound is refused as `invalid_input` on its field, never rounded:',
    '',
    `- a recharge, refund or adjustment (\`amount\`): at most ${formatMoney(MAX_RECHARGE)} at once (\`MAX_RECHARGE\`);`,
    `- a rate's price per unit and its connect fee: at most ${formatMoney(MAX_RATE_PRICE)} (\`MAX_RATE_PRICE\`);`,
    `- any other amount (credit limit, low-balance threshold, filters): within ±${formatMoney(MAX_BALANCE)}`,
    '  (`MAX_BALANCE`); a recharge, refund or adjustment that would leave a balance beyond it is refused too',
    '  (charges of calls never are: a CDR is not lost over a bound no real account reaches).',
    '',
    'The constants are exported by `src-shared/domain/money.ts`; the UI checks the same ones before sending.',
    '',
  ];
  for (const [domain, methods] of domains) {
    out.push(`## ${domain}`, '');
    for (const m of methods) out.push(methodSection(m));
  }
  return out.join('\n');
}
