import { isoTime } from '../../src-shared/api/common';
import type { Device, DeviceSftp } from '../../src-shared/api/devices';
import { notFound } from '../../src-shared/api/errors';
import type { CdrFormat, DeviceContext } from '../../src-shared/domain/cdr';
import type { NumberingPlan } from '../../src-shared/domain/numbers/numbering-plan';
import type { Sqlite } from '../db/connection';
import type { DevicesRow } from '../db/rows';
import type { SecretBox } from '../secrets';

/** A devices row, its format narrowed to the formats an adapter parses. */
export type DeviceRow = Omit<DevicesRow, 'format'> & { format: CdrFormat };

export interface SftpSecret {
  password?: string;
  privateKey?: string;
  passphrase?: string;
}

/** A device's stored columns as a write sets them (the id and creation time are the table's). */
export type DeviceValues = Omit<DeviceRow, 'id' | 'created_at'>;

/** The columns a write sets, in the order of the statements below. */
const WRITTEN_COLUMNS = [
  'name',
  'format',
  'format_options',
  'time_zone',
  'country_code',
  'area_code',
  'national_prefix',
  'international_prefix',
  'extension_pattern',
  'local_number_lengths',
  'addresses',
  'default_enterprise_id',
  'sftp',
  'sftp_secret',
  'enabled',
  'notes',
  'updated_at',
] as const satisfies readonly (keyof DeviceValues)[];

const UPDATE_DEVICE = `UPDATE devices SET ${WRITTEN_COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`;
const INSERT_DEVICE = `INSERT INTO devices (${WRITTEN_COLUMNS.join(', ')}, created_at)
  VALUES (${WRITTEN_COLUMNS.map((c) => `@${c}`).join(', ')}, @created_at)`;

type StoredSftp = Omit<DeviceSftp, 'hasPassword' | 'hasPrivateKey' | 'hostKey'> & { hostKey?: string };

/** Reads devices for every domain that needs one (ingestion, rating, pollers). */
export class DeviceRepository {
  constructor(
    private readonly db: Sqlite,
    private readonly secrets: SecretBox,
  ) {}

  row(id: number): DeviceRow {
    const row = this.db.prepare('SELECT * FROM devices WHERE id = ?').get(id) as DeviceRow | undefined;
    if (!row) throw notFound('device', id);
    return row;
  }

  rows(): DeviceRow[] {
    return this.db.prepare('SELECT * FROM devices ORDER BY name').all() as DeviceRow[];
  }

  get(id: number): Device {
    return this.toDevice(this.row(id));
  }

  list(): Device[] {
    return this.rows().map((r) => this.toDevice(r));
  }

  sftpSecret(row: DeviceRow): SftpSecret {
    return row.sftp_secret ? (JSON.parse(this.secrets.open(row.sftp_secret)) as SftpSecret) : {};
  }

  sealSftpSecret(secret: SftpSecret): string | null {
    const kept = Object.fromEntries(Object.entries(secret).filter(([, v]) => typeof v === 'string' && v !== ''));
    return Object.keys(kept).length ? this.secrets.seal(JSON.stringify(kept)) : null;
  }

  /**
   * Stores the host key fingerprint seen at the first connection to the device's SFTP server, unless one is stored
   * already or the settings moved to another server meanwhile. Returns whether it was stored.
   */
  pinSftpHostKey(id: number, host: string, port: number, fingerprint: string): boolean {
    const r = this.db
      .prepare(
        `UPDATE devices SET sftp = json_set(sftp, '$.hostKey', ?)
         WHERE id = ? AND json_extract(sftp, '$.host') = ? AND json_extract(sftp, '$.port') = ? AND json_extract(sftp, '$.hostKey') IS NULL`,
      )
      .run(fingerprint, id, host, port);
    return r.changes === 1;
  }

  /** Stores a new device; returns its id. */
  insert(values: DeviceValues, createdAt: number): number {
    const r = this.db.prepare(INSERT_DEVICE).run({ ...values, created_at: createdAt });
    return Number(r.lastInsertRowid);
  }

  update(id: number, values: DeviceValues): void {
    this.db.prepare(UPDATE_DEVICE).run({ ...values, id });
  }

  delete(id: number): void {
    this.db.prepare('DELETE FROM devices WHERE id = ?').run(id);
  }

  /** The CDRs and rejects kept of a device (a device with either is not deleted: they name it). */
  recordCounts(id: number): { cdrs: number; rejects: number } {
    return this.db
      .prepare('SELECT (SELECT COUNT(*) FROM cdrs WHERE device_id = ?) AS cdrs, (SELECT COUNT(*) FROM cdr_rejects WHERE device_id = ?) AS rejects')
      .get(id, id) as { cdrs: number; rejects: number };
  }

  /** Whether an enterprise account has this id (a device's default enterprise must be one). */
  enterpriseExists(id: number): boolean {
    return this.db.prepare("SELECT 1 FROM accounts WHERE id = ? AND kind = 'enterprise'").get(id) !== undefined;
  }

  toDevice(r: DeviceRow): Device {
    let sftp: DeviceSftp | null = null;
    if (r.sftp) {
      const stored = JSON.parse(r.sftp) as StoredSftp;
      const secret = this.sftpSecret(r);
      sftp = { ...stored, hostKey: stored.hostKey ?? null, hasPassword: Boolean(secret.password), hasPrivateKey: Boolean(secret.privateKey) };
    }
    return {
      id: r.id,
      name: r.name,
      format: r.format,
      formatOptions: r.format_options ? (JSON.parse(r.format_options) as Record<string, unknown>) : null,
      timeZone: r.time_zone,
      countryCode: r.country_code,
      areaCode: r.area_code,
      nationalPrefix: r.national_prefix,
      internationalPrefix: r.international_prefix,
      extensionPattern: r.extension_pattern,
      localNumberLengths: JSON.parse(r.local_number_lengths) as number[],
      addresses: JSON.parse(r.addresses) as string[],
      defaultEnterpriseId: r.default_enterprise_id,
      sftp,
      enabled: r.enabled === 1,
      notes: r.notes,
      createdAt: isoTime(r.created_at),
      updatedAt: isoTime(r.updated_at),
    };
  }
}

/** Every device's id and name, by name (the live ingest status lists each device, without its settings). */
export function deviceNames(db: Sqlite): Pick<DevicesRow, 'id' | 'name'>[] {
  return db.prepare('SELECT id, name FROM devices ORDER BY name').all() as Pick<DevicesRow, 'id' | 'name'>[];
}

/** The device's numbering plan for normalization and classification (route prefix rules are added by rating). */
export function numberingPlanOf(d: Device): NumberingPlan {
  return {
    countryCode: d.countryCode,
    areaCode: d.areaCode,
    nationalPrefix: d.nationalPrefix,
    internationalPrefix: d.internationalPrefix,
    extensionPattern: d.extensionPattern || null,
    ...(d.localNumberLengths.length ? { localNumberLengths: d.localNumberLengths } : {}),
  };
}

/** What a CDR adapter needs to know about the device. */
export function deviceContextOf(d: Device): DeviceContext {
  return {
    deviceId: String(d.id),
    timeZone: d.timeZone,
    ...(d.formatOptions ? { formatOptions: d.formatOptions } : {}),
    ...(d.extensionPattern ? { extensionPattern: d.extensionPattern } : {}),
  };
}
