import path from 'node:path';
import { z } from 'zod';
import { FORMAT_OPTIONS_SCHEMAS } from '../../src-shared/domain/cdr';
import { ApiError, fieldDetails } from '../../src-shared/api/errors';
import type { Device } from '../../src-shared/api/devices';
import type { deviceCreateInput, sftpInput } from '../../src-shared/api/devices';
import type { CallContext, DomainHandlers, Handler } from '../api/call-context';
import type { EventBus } from '../events';
import type { DeviceRow, DeviceValues, SftpSecret } from './repository';
import { deviceSftpHandlers, type DeviceSftpHandlerDeps } from './sftp-handlers';
import { timeZoneOfCallingCode } from '../../src-shared/domain/country-time-zone';
import { mergeSftpSecret, secretForServer } from './sftp-secret';
import { problem, problemFromIssue, type Problem } from '../../src-shared/api/messages';

type DeviceInput = z.output<typeof deviceCreateInput>;
type SftpInput = z.output<typeof sftpInput>;
/** An input as stored: a new device without a zone has had its country's zone set (zoneOfNewDevice). */
type StoredInput = DeviceInput & { timeZone: string };

/** Cross-field rules the schema cannot express alone. */
function checkDevice(d: DeviceInput): void {
  const fields: Record<string, Problem[]> = {};
  // Every format's options are checked here: a misspelt trunk pattern, billed leg or 3CX field name would otherwise
  // only show later, as every record of the device rejected.
  const r = FORMAT_OPTIONS_SCHEMAS[d.format].safeParse(d.formatOptions ?? {});
  if (!r.success) {
    for (const issue of r.error.issues) {
      (fields[['formatOptions', ...issue.path.map(String)].join('.')] ??= []).push(problemFromIssue(issue));
    }
  }
  if (d.sftp?.afterFetch === 'move' && !d.sftp.moveTo) {
    fields['sftp.moveTo'] = [problem('field.moveToNeeded', 'is needed when files are moved after fetching')];
  } else if (d.sftp?.afterFetch === 'move' && path.posix.resolve('/', d.sftp.moveTo!) === path.posix.resolve('/', d.sftp.folder)) {
    fields['sftp.moveTo'] = [problem('field.moveToSame', 'must be another folder than the one polled (moved files would be read again)')];
  }
  if (d.nationalPrefix && d.nationalPrefix === d.internationalPrefix) {
    fields.internationalPrefix = [problem('field.prefixesSame', 'must differ from the national prefix')];
  }
  if (Object.keys(fields).length) {
    const [field, [first]] = Object.entries(fields)[0]!;
    throw ApiError.keyed('invalid_input', 'api.invalidField', `Invalid device: ${field} ${first!.text}`, { field }, fieldDetails(fields));
  }
}

const publicSftp = (s: SftpInput) => ({
  host: s.host,
  port: s.port,
  username: s.username,
  folder: s.folder,
  pattern: s.pattern,
  intervalSeconds: s.intervalSeconds,
  afterFetch: s.afterFetch,
  ...(s.moveTo ? { moveTo: s.moveTo } : {}),
  ...(s.hostKey ? { hostKey: s.hostKey } : {}),
});

/** The host key to keep: the one given (null forgets it), else the stored one while host and port stay the same. */
function hostKeyFor(next: SftpInput, previous: Device['sftp']): string | null {
  if (next.hostKey !== undefined) return next.hostKey;
  return previous && previous.host === next.host && previous.port === next.port ? previous.hostKey : null;
}

function toInput(d: Device): StoredInput {
  return {
    name: d.name,
    format: d.format,
    formatOptions: d.formatOptions,
    timeZone: d.timeZone,
    countryCode: d.countryCode,
    areaCode: d.areaCode,
    nationalPrefix: d.nationalPrefix,
    internationalPrefix: d.internationalPrefix,
    extensionPattern: d.extensionPattern,
    localNumberLengths: d.localNumberLengths,
    addresses: d.addresses,
    defaultEnterpriseId: d.defaultEnterpriseId,
    sftp: d.sftp ? { ...publicSftp({ ...d.sftp, password: undefined, privateKey: undefined, passphrase: undefined }) } : null,
    enabled: d.enabled,
    notes: d.notes,
  };
}

/**
 * A device created without a zone is in its country's (86: Asia/Shanghai), never silently in UTC; a country of
 * several zones (1, 7, 61…) needs the zone said.
 */
function zoneOfNewDevice(countryCode: string): string {
  const zone = timeZoneOfCallingCode(countryCode);
  if (zone) return zone;
  const text = `country code ${countryCode} has several time zones: say which one the device writes its times in`;
  throw ApiError.keyed('invalid_input', 'api.invalidField', `Invalid device: timeZone ${text}`, { field: 'timeZone' }, fieldDetails({ timeZone: problem('field.timeZone', text) }));
}

/** What the device handlers use (the repository, status and pollers through the SFTP handlers' deps). */
export interface DeviceHandlerDeps extends DeviceSftpHandlerDeps {
  events: EventBus;
  now(): number;
}

/** The stored columns of a device input (the SFTP secret sealed, addresses without repeats). */
function deviceValues(s: DeviceHandlerDeps, d: StoredInput, secret: SftpSecret | null): DeviceValues {
  return {
    name: d.name,
    format: d.format,
    format_options: d.formatOptions ? JSON.stringify(d.formatOptions) : null,
    time_zone: d.timeZone,
    country_code: d.countryCode,
    area_code: d.areaCode,
    national_prefix: d.nationalPrefix,
    international_prefix: d.internationalPrefix,
    extension_pattern: d.extensionPattern,
    local_number_lengths: JSON.stringify(d.localNumberLengths),
    addresses: JSON.stringify([...new Set(d.addresses)]),
    default_enterprise_id: d.defaultEnterpriseId ?? null,
    sftp: d.sftp ? JSON.stringify(publicSftp(d.sftp)) : null,
    sftp_secret: d.sftp && secret ? s.devices.sealSftpSecret(secret) : null,
    enabled: d.enabled ? 1 : 0,
    notes: d.notes,
    updated_at: s.now(),
  };
}

/** Checks and stores a device (a new one without `existing`); returns its id. */
function writeDevice(s: DeviceHandlerDeps, d: StoredInput, secret: SftpSecret | null, existing?: DeviceRow): number {
  checkDevice(d);
  if (d.defaultEnterpriseId != null && !s.devices.enterpriseExists(d.defaultEnterpriseId)) {
    const text = `no enterprise has the id ${d.defaultEnterpriseId}`;
    throw ApiError.keyed('invalid_input', 'api.notFound', `Invalid device: defaultEnterpriseId: ${text}`, { thing: 'enterprise', id: d.defaultEnterpriseId }, fieldDetails({ defaultEnterpriseId: problem('field.noSuch', text, { thing: 'enterprise' }) }));
  }
  const values = deviceValues(s, d, secret);
  if (existing) {
    s.devices.update(existing.id, values);
    return existing.id;
  }
  return s.devices.insert(values, s.now());
}

const changed = (s: DeviceHandlerDeps, id: number) => s.events.emit('data.changed', { domain: 'devices', ids: [id] });

type UpdateInput = Parameters<Handler<'devices.update'>>[0];

/** `devices.update`: the given fields over the stored ones; secrets and the host key kept unless replaced. */
function updateDevice(s: DeviceHandlerDeps, input: UpdateInput, ctx: CallContext): Device {
  const repo = s.devices;
  const row = repo.row(input.id);
  const before = repo.toDevice(row);
  const { id, ...patch } = input;
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  const merged = { ...toInput(before), ...defined } as StoredInput;
  if (merged.sftp) merged.sftp = { ...merged.sftp, hostKey: hostKeyFor(merged.sftp, before.sftp) };
  const stored = repo.sftpSecret(row);
  const secret = merged.sftp ? (input.sftp ? secretForServer(input.sftp, before.sftp, stored) : mergeSftpSecret({ ...merged.sftp }, stored)) : null;
  writeDevice(s, merged, secret, row);
  const after = repo.get(id);
  ctx.audit({ target: `device:${id}`, before, after });
  ctx.afterCommit(() => changed(s, id));
  return after;
}

/** `devices.delete`: only a device that no CDR or reject names (else it is disabled instead). */
function deleteDevice(s: DeviceHandlerDeps, id: number, ctx: CallContext): { ok: true } {
  const before = s.devices.get(id);
  const kept = s.devices.recordCounts(id);
  if (kept.cdrs > 0 || kept.rejects > 0) {
    throw ApiError.keyed(
      'conflict',
      'api.deviceHasRecords',
      `Device "${before.name}" has ${kept.cdrs} CDR(s) and ${kept.rejects} rejected record(s) and cannot be deleted; disable it instead.`,
      { name: before.name, cdrs: kept.cdrs, rejects: kept.rejects },
      kept,
    );
  }
  s.devices.delete(id);
  ctx.audit({ target: `device:${id}`, before });
  ctx.afterCommit(() => changed(s, id));
  return { ok: true };
}

export function deviceHandlers(s: DeviceHandlerDeps): DomainHandlers<'devices'> {
  const repo = s.devices;
  return {
    ...deviceSftpHandlers(s),
    'devices.list': () => repo.list(),
    'devices.get': ({ id }) => repo.get(id),
    'devices.create': (given, ctx) => {
      const input = { ...given, timeZone: given.timeZone ?? zoneOfNewDevice(given.countryCode) };
      const id = writeDevice(s, input, input.sftp ? mergeSftpSecret(input.sftp, {}) : null);
      const after = repo.get(id);
      ctx.audit({ target: `device:${id}`, after });
      ctx.afterCommit(() => changed(s, id));
      return after;
    },
    'devices.update': (input, ctx) => updateDevice(s, input, ctx),
    'devices.delete': ({ id }, ctx) => deleteDevice(s, id, ctx),
  };
}
