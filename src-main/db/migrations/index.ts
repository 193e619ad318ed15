import spine from './0001_spine.sql?raw';
import devices from './0002_devices.sql?raw';
import accounts from './0006_accounts.sql?raw';
import accountsExtra from './0008_accounts_extra.sql?raw';
import charging from './0009_charging.sql?raw';
import rating from './0003_rating.sql?raw';
import ingest from './0004_ingest.sql?raw';
import sftp from './0007_sftp.sql?raw';
import statistics from './0010_statistics.sql?raw';
import cdrSearch from './0011_cdr_search.sql?raw';
import cdrLegs from './0012_cdr_legs.sql?raw';
import reasonKeys from './0013_reason_keys.sql?raw';
import operationLogTargets from './0014_operation_log_targets.sql?raw';
import cdrSearchDayLed from './0015_cdr_search_day_led.sql?raw';

export interface Migration {
  /** File name without extension, e.g. "0001_spine"; applied in this order. */
  id: string;
  sql: string;
}

/**
 * Every migration the code knows, in order. Never edit a migration that has shipped: add a new file.
 * Start-up refuses a database whose applied migrations differ from this list.
 */
export const migrations: Migration[] = [
  { id: '0001_spine', sql: spine },
  { id: '0002_devices', sql: devices },
  { id: '0003_rating', sql: rating },
  { id: '0004_ingest', sql: ingest },
  { id: '0006_accounts', sql: accounts },
  { id: '0007_sftp', sql: sftp },
  { id: '0008_accounts_extra', sql: accountsExtra },
  { id: '0009_charging', sql: charging },
  { id: '0010_statistics', sql: statistics },
  { id: '0011_cdr_search', sql: cdrSearch },
  { id: '0012_cdr_legs', sql: cdrLegs },
  { id: '0013_reason_keys', sql: reasonKeys },
  { id: '0014_operation_log_targets', sql: operationLogTargets },
  { id: '0015_cdr_search_day_led', sql: cdrSearchDayLed },
];
