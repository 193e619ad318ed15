import path from 'node:path';
import { z } from 'zod';
import { FORMAT_OPTIONS_SCHEMAS } from '../../src-shared/domain/cdr';
import { ApiError, fieldDetails } from '../../src-shared/api/errors';
import type { Device } from '../../src-shared/api/devices';
import type { deviceCreateInput, sftpInput } from '../../src-shared/api/devices';
import type { DomainHandlers } from '../api/call-context';
import type { Services } from '../services';
import type { DeviceRow, SftpSecret } from './repository';
import { deviceSftpHandlers } from './sftp-handlers';
import { timeZoneOfCallingCode } from '../../src-shared/domain/country-time-zone';
import { mergeSftpSecret, secretForServer } from './sftp-secret';
import { problem, problemFromIssue, type Problem } from '../../src-shared/api/messages';

type DeviceInput = z.output<typeof deviceCreateInput>;
type SftpInput = z.output<typeof sftpInput>;

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

function toInput(d: Device): DeviceInput {
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

export function deviceHandlers(s: Services): DomainHandlers<'devices'> {
  const repo = s.devices;
  const write = (d: DeviceInput, secret: SftpSecret | null, existing?: DeviceRow): number => {
    checkDevice(d);
    if (d.defaultEnterpriseId != null && !s.db.prepare("SELECT 1 FROM accounts WHERE id = ? AND kind = 'enterprise'").get(d.defaultEnterpriseId)) {
      const text = `no enterprise has the id ${d.defaultEnterpriseId}`;
      throw ApiError.keyed('invalid_input', 'api.notFound', `Invalid device: defaultEnterpriseId: ${text}`, { thing: 'enterprise', id: d.defaultEnterpriseId }, fieldDetails({ defaultEnterpriseId: problem('field.noSuch', text, { thing: 'enterprise' }) }));
    }
    const values = [
      d.name,
      d.format,
      d.formatOptions ? JSON.stringify(d.formatOptions) : null,
      d.timeZone,
      d.countryCode,
      d.areaCode,
      d.nationalPrefix,
      d.internationalPrefix,
      d.extensionPattern,
      JSON.stringify(d.localNumberLengths),
      JSON.stringify([...new Set(d.addresses)]),
      d.defaultEnterpriseId ?? null,
      d.sftp ? JSON.stringify(publicSftp(d.sftp)) : null,
      d.sftp && secret ? repo.sealSftpSecret(secret) : null,
      d.enabled ? 1 : 0,
      d.notes,
      s.now(),
    ];
    if (existing) {
      s.db
        .prepare(
          `UPDATE devices SET name = ?, format = ?, format_options = ?, time_zone = ?, country_code = ?, area_code = ?,
             national_prefix = ?, international_prefix = ?, extension_pattern = ?, local_number_lengths = ?, addresses = ?,
             default_enterprise_id = ?, sftp = ?, sftp_secret = ?, enabled = ?, notes = ?, updated_at = ? WHERE id = ?`,
        )
        .run(...values, existing.id);
      return existing.id;
    }
    const r = s.db
      .prepare(
        `INSERT INTO devices (name, format, format_options, time_zone, country_code, area_code, national_prefix,
           international_prefix, extension_pattern, local_number_lengths, addresses, default_enterprise_id, sftp,
           sftp_secret, enabled, notes, updated_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...values, s.now());
    return Number(r.lastInsertRowid);
  };
  const changed = (id: number) => s.events.emit('data.changed', { domain: 'devices', ids: [id] });

  return {
    ...deviceSftpHandlers(s),
    'devices.list': () => repo.list(),
    'devices.get': ({ id }) => repo.get(id),
    'devices.create': (given, ctx) => {
      const input = { ...given, timeZone: given.timeZone ?? zoneOfNewDevice(given.countryCode) };
      const id = write(input, input.sftp ? mergeSftpSecret(input.sftp, {}) : null);
      const after = repo.get(id);
      ctx.audit({ target: `device:${id}`, after });
      ctx.afterCommit(() => changed(id));
      return after;
    },
    'devices.update': (input, ctx) => {
      const row = repo.row(input.id);
      const before = repo.toDevice(row);
      const { id, ...patch } = input;
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const merged = { ...toInput(before), ...defined } as DeviceInput;
      if (merged.sftp) merged.sftp = { ...merged.sftp, hostKey: hostKeyFor(merged.sftp, before.sftp) };
      const stored = repo.sftpSecret(row);
      const secret = merged.sftp ? (input.sftp ? secretForServer(input.sftp, before.sftp, stored) : mergeSftpSecret({ ...merged.sftp }, stored)) : null;
      write(merged, secret, row);
      const after = repo.get(id);
      ctx.audit({ target: `device:${id}`, before, after });
      ctx.afterCommit(() => changed(id));
      return after;
    },
    'devices.delete': ({ id }, ctx) => {
      const before = repo.get(id);
      const kept = s.db
        .prepare('SELECT (SELECT COUNT(*) FROM cdrs WHERE device_id = ?) AS cdrs, (SELECT COUNT(*) FROM cdr_rejects WHERE device_id = ?) AS rejects')
        .get(id, id) as { cdrs: number; rejects: number };
      if (kept.cdrs > 0 || kept.rejects > 0) {
        throw ApiError.keyed(
          'conflict',
          'api.deviceHasRecords',
          `Device "${before.name}" has ${kept.cdrs} CDR(s) and ${kept.rejects} rejected record(s) and cannot be deleted; disable it instead.`,
          { name: before.name, cdrs: kept.cdrs, rejects: kept.rejects },
          kept,
        );
      }
      s.db.prepare('DELETE FROM devices WHERE id = ?').run(id);
      ctx.audit({ target: `device:${id}`, before });
      ctx.afterCommit(() => changed(id));
      return { ok: true };
    },
  };
}
