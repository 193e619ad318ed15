/**
 * The device form's values (flat, named by their contract paths so the server's field errors land on the right
 * input: "sftp.host", "formatOptions.columns.start") and their conversion to and from the API's device input.
 */
import type { InputOf } from '../../../../src-shared/api';
import type { Device } from '../../../../src-shared/api/devices';
import { GENERIC_CSV_FIELDS, type CdrFormat, type GenericCsvField } from '../../../../src-shared/domain/cdr';
import { DEFAULT_COUNTRY_CODE, isCallingCodeZone, timeZoneOfCallingCode } from '../../../../src-shared/domain/country-time-zone';
import { apiErrorsOnFields, type FieldOf } from '../../hooks/contractForm';

export type DeviceFormValues = Record<string, string | boolean>;

const columnKey = (field: GenericCsvField) => `formatOptions.columns.${field}`;

const listText = (value: unknown) => (Array.isArray(value) ? value.map(String).join(', ') : '');

/** The formats whose settings the format settings section shows (generic-csv has a section of its own). */
export const FORMATS_WITH_SETTINGS: readonly CdrFormat[] = ['asterisk-csv', 'asterisk-json', 'freeswitch-csv', 'freeswitch-xml', 'freeswitch-json', 'cucm', '3cx'];

export function deviceFormValues(device: Device | null, defaultTimeZone: string): DeviceFormValues {
  const sftp = device?.sftp;
  const options = (device?.formatOptions ?? {}) as Record<string, unknown>;
  const columns = (options['columns'] ?? {}) as Record<string, string | number>;
  const values: DeviceFormValues = {
    name: device?.name ?? '',
    format: device?.format ?? 'asterisk-csv',
    // A new device is in its country's zone (86: Asia/Shanghai), not the workstation's (often UTC on a server).
    timeZone: device?.timeZone ?? timeZoneOfCallingCode(DEFAULT_COUNTRY_CODE) ?? defaultTimeZone,
    countryCode: device?.countryCode ?? DEFAULT_COUNTRY_CODE,
    areaCode: device?.areaCode ?? '',
    nationalPrefix: device?.nationalPrefix ?? '0',
    internationalPrefix: device?.internationalPrefix ?? '00',
    extensionPattern: device?.extensionPattern ?? '',
    localNumberLengths: (device?.localNumberLengths ?? []).join(', '),
    addresses: (device?.addresses ?? []).join('\n'),
    defaultEnterpriseId: device?.defaultEnterpriseId ? String(device.defaultEnterpriseId) : '',
    enabled: device?.enabled ?? true,
    notes: device?.notes ?? '',
    'formatOptions.delimiter': options['delimiter'] === '\t' ? '\\t' : String(options['delimiter'] ?? ','),
    'formatOptions.header': options['header'] !== false,
    'formatOptions.dateFormat': String(options['dateFormat'] ?? 'YYYY-MM-DD HH:mm:ss'),
    'formatOptions.timeZone': String(options['timeZone'] ?? ''),
    'formatOptions.durationUnit': String(options['durationUnit'] ?? 's'),
    // generic-csv: where errors about the column map are shown; asterisk-csv: its cdr_custom column map.
    'formatOptions.columns': Array.isArray(options['columns']) ? (options['columns'] as unknown[]).map(String).join(',') : '',
    'formatOptions.trunkChannels': listText(options['trunkChannels']),
    'formatOptions.inboundContexts': listText(options['inboundContexts']),
    'formatOptions.billedLeg': String(options['billedLeg'] ?? 'a').toLowerCase(),
    'formatOptions.recorderNumbers': listText(options['recorderNumbers']),
    'formatOptions.fields': listText(options['fields']),
    sftpEnabled: Boolean(sftp),
    'sftp.host': sftp?.host ?? '',
    'sftp.port': String(sftp?.port ?? 22),
    'sftp.username': sftp?.username ?? '',
    'sftp.password': '',
    'sftp.privateKey': '',
    'sftp.passphrase': '',
    clearPassword: false,
    clearPrivateKey: false,
    forgetHostKey: false,
    'sftp.folder': sftp?.folder ?? '/var/log/asterisk/cdr-csv',
    'sftp.pattern': sftp?.pattern ?? '*',
    'sftp.intervalSeconds': String(sftp?.intervalSeconds ?? 60),
    'sftp.afterFetch': sftp?.afterFetch ?? 'keep',
    'sftp.moveTo': sftp?.moveTo ?? '',
  };
  for (const field of GENERIC_CSV_FIELDS) {
    const column = columns[field];
    values[columnKey(field)] = column === undefined ? '' : String(column);
  }
  return values;
}

const text = (v: DeviceFormValues, key: string) => String(v[key] ?? '').trim();
const list = (value: string) =>
  value
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
/** A number where the text is one, else the text itself (the server then says what is wrong with it). */
const numberOrText = (value: string): number => (/^\d+$/.test(value) ? Number(value) : (value as unknown as number));

/** SFTP settings as the API takes them: a secret left empty keeps the stored one; "remove" sends "". */
export function sftpInputOf(v: DeviceFormValues): NonNullable<InputOf<'devices.create'>['sftp']> {
  const secret = (key: string, clear: boolean) => (clear ? '' : String(v[key] ?? '') || undefined);
  const password = secret('sftp.password', v['clearPassword'] === true);
  const privateKey = secret('sftp.privateKey', v['clearPrivateKey'] === true);
  const passphrase = String(v['sftp.passphrase'] ?? '') || undefined;
  return {
    host: text(v, 'sftp.host'),
    port: numberOrText(text(v, 'sftp.port')),
    username: text(v, 'sftp.username'),
    ...(password !== undefined ? { password } : {}),
    ...(privateKey !== undefined ? { privateKey } : {}),
    ...(passphrase !== undefined ? { passphrase } : {}),
    folder: text(v, 'sftp.folder'),
    pattern: text(v, 'sftp.pattern'),
    intervalSeconds: numberOrText(text(v, 'sftp.intervalSeconds')),
    afterFetch: v['sftp.afterFetch'] as 'keep' | 'delete' | 'move',
    ...(text(v, 'sftp.moveTo') ? { moveTo: text(v, 'sftp.moveTo') } : {}),
    // Omitted: the stored host key is kept (the server drops it when host or port change).
    ...(v['forgetHostKey'] === true ? { hostKey: null } : {}),
  };
}

/**
 * A cdr_custom column map as typed: names separated by commas, an empty place for a column left out. A mapping line
 * pasted from cdr_custom.conf (`"${CDR(clid)}","${CDR(src)}",...`) gives the same names.
 */
export function asteriskColumnsOf(value: string): string[] {
  if (value.trim() === '') return [];
  if (!value.includes('CDR(')) return value.split(',').map((name) => name.trim());
  // A mapping line: columns are split at commas outside ${...}; a column without a CDR() variable is left out ('').
  const columns: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of value) {
    if (char === ',' && depth === 0) {
      columns.push(current);
      current = '';
      continue;
    }
    if (char === '{' || char === '(') depth++;
    else if ((char === '}' || char === ')') && depth > 0) depth--;
    current += char;
  }
  columns.push(current);
  return columns.map((column) => /CDR\(([^)]*)\)/.exec(column)?.[1]?.trim() ?? '');
}

/** The settings of an Asterisk device; null when none is set (the columns' shape and the guess decide). */
function asteriskOptionsOf(v: DeviceFormValues): Record<string, unknown> | null {
  const columns = v['format'] === 'asterisk-csv' ? asteriskColumnsOf(String(v['formatOptions.columns'] ?? '')) : [];
  const delimiter = String(v['formatOptions.delimiter'] ?? ',');
  const trunkChannels = list(text(v, 'formatOptions.trunkChannels'));
  const inboundContexts = list(text(v, 'formatOptions.inboundContexts'));
  const options = {
    ...(columns.length ? { columns } : {}),
    ...(v['format'] === 'asterisk-csv' && delimiter !== ',' && delimiter !== '' ? { delimiter: delimiter === '\\t' ? '\t' : delimiter } : {}),
    ...(trunkChannels.length ? { trunkChannels } : {}),
    ...(inboundContexts.length ? { inboundContexts } : {}),
  };
  return Object.keys(options).length ? options : null;
}

function formatOptionsOf(v: DeviceFormValues): Record<string, unknown> | null {
  const format = v['format'] as CdrFormat;
  if (format === 'asterisk-csv' || format === 'asterisk-json') return asteriskOptionsOf(v);
  if (format.startsWith('freeswitch-')) return { billedLeg: text(v, 'formatOptions.billedLeg') || 'a' };
  if (format === 'cucm') {
    const recorderNumbers = list(text(v, 'formatOptions.recorderNumbers'));
    return recorderNumbers.length ? { recorderNumbers } : null;
  }
  if (format === '3cx') {
    const fields = list(text(v, 'formatOptions.fields'));
    return fields.length ? { fields } : null;
  }
  if (format !== 'generic-csv') return null;
  const columns: Record<string, string | number> = {};
  for (const field of GENERIC_CSV_FIELDS) {
    const column = text(v, columnKey(field));
    if (column) columns[field] = /^\d+$/.test(column) ? Number(column) : column;
  }
  const delimiter = String(v['formatOptions.delimiter'] ?? ',');
  return {
    columns,
    delimiter: delimiter === '\\t' ? '\t' : delimiter,
    header: v['formatOptions.header'] === true,
    dateFormat: text(v, 'formatOptions.dateFormat'),
    ...(text(v, 'formatOptions.timeZone') ? { timeZone: text(v, 'formatOptions.timeZone') } : {}),
    durationUnit: text(v, 'formatOptions.durationUnit'),
  };
}

export function deviceInputOf(v: DeviceFormValues): InputOf<'devices.create'> {
  const enterprise = text(v, 'defaultEnterpriseId');
  return {
    name: text(v, 'name'),
    format: v['format'] as CdrFormat,
    formatOptions: formatOptionsOf(v),
    timeZone: text(v, 'timeZone'),
    countryCode: text(v, 'countryCode'),
    areaCode: text(v, 'areaCode'),
    nationalPrefix: text(v, 'nationalPrefix'),
    internationalPrefix: text(v, 'internationalPrefix'),
    extensionPattern: text(v, 'extensionPattern'),
    localNumberLengths: list(text(v, 'localNumberLengths')).map(numberOrText),
    addresses: list(text(v, 'addresses')),
    defaultEnterpriseId: enterprise ? numberOrText(enterprise) : null,
    sftp: v['sftpEnabled'] === true ? sftpInputOf(v) : null,
    enabled: v['enabled'] === true,
    notes: String(v['notes'] ?? ''),
  };
}

/**
 * The form field that shows a contract path's problem: list items ("addresses.1") go to their list's input, and a
 * generic-csv option without an input of its own to the column map.
 */
export function deviceFieldOf(values: DeviceFormValues): FieldOf {
  return (path) => {
    let key = path.map(String).join('.').replace(/\.\d+$/, '');
    if (!(key in values) && key.startsWith('formatOptions.')) key = 'formatOptions.columns';
    return key in values ? key : null;
  };
}

/** The server's field errors keyed by the form's fields (see deviceFieldOf); null when none is a field's. */
export function deviceFieldErrors(error: unknown, values: DeviceFormValues, translate?: Parameters<typeof apiErrorsOnFields>[2]): Record<string, string> | null {
  const out = apiErrorsOnFields(error, deviceFieldOf(values), translate);
  return Object.keys(out).length ? out : null;
}

/**
 * The zone after the country code changed from `before` to `after`: the new country's zone while the zone is still
 * one a code gave — the old code's, or any while the old code (half typed: "8", "85") gave none — else the clerk's
 * choice stays.
 */
export function zoneFollowingCountryCode(zone: string, before: string, after: string): string {
  const derived = timeZoneOfCallingCode(after);
  if (!derived) return zone;
  const previous = timeZoneOfCallingCode(before);
  return zone === previous || (previous === null && isCallingCodeZone(zone)) ? derived : zone;
}
