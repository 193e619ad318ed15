// Generated from the migrations by `npm run db:rows` (src-main/db/row-types.ts): do not edit.
// One interface per table, a column as the driver returns it (INTEGER/REAL: number, TEXT: string, BLOB: Buffer);
// `| null` where the column may be NULL. Booleans are INTEGER 0/1; money is INTEGER in 1/10000 units.

/** Columns a query knows are set although the table allows NULL (a rated CDR's price, a leg's call id). */
export type SetColumns<R, K extends keyof R> = { [C in K]: NonNullable<R[C]> };

export interface AccountsRow {
  id: number;
  kind: string;
  enterprise_id: number | null;
  name: string;
  code: string | null;
  rate_group_id: number | null;
  billing_mode: string;
  own_balance: number;
  credit_limit: number;
  low_balance: number | null;
  freeze_when_exhausted: number;
  status: string;
  balance: number;
  alert_state: string;
  contact: string;
  phone: string;
  email: string;
  notes: string;
  card_number: string | null;
  pin_hash: string | null;
  device_id: number | null;
  trunk: string | null;
  created_at: number;
  updated_at: number;
}

export interface AttributionRow {
  id: number;
  country_code: string;
  prefix: string;
  region: string;
  region_en: string;
  area_code: string;
  carrier: string;
  carrier_en: string;
  kind: string;
  version_id: number | null;
}

export interface AttributionVersionsRow {
  id: number;
  at: number;
  account_id: number | null;
  username: string;
  source: string;
  file_name: string | null;
  mode: string;
  country_codes: string;
  rows_in_file: number;
  rows_added: number;
  rows_changed: number;
  rows_removed: number;
  rows_unchanged: number;
  millis: number;
}

export interface BillsRow {
  id: number;
  enterprise_id: number;
  month: string;
  time_zone: string;
  period_from: number;
  period_to: number;
  opening: number;
  closing: number;
  amount_due: number | null;
  statement: string;
  closed_at: number;
  closed_by: string;
}

export interface CallerSightingsRow {
  device_id: number;
  caller: string;
  calls: number;
  first_seen_at: number;
  last_seen_at: number;
}

export interface CdrRejectsRow {
  id: number;
  device_id: number;
  raw_key: string;
  received_at: number;
  source_kind: string;
  source_name: string;
  source_line: number | null;
  source_offset: number | null;
  source_index: number | null;
  raw: string;
  raw_complete: number;
  context: string | null;
  reason: string;
  status: string;
  resolved_at: number | null;
  resolution: string | null;
  cdr_id: number | null;
  reason_key: string | null;
  reason_params: string | null;
}

export interface CdrsRow {
  id: number;
  device_id: number;
  dedup_key: string;
  native_id: string | null;
  format: string;
  start_at: number;
  answer_at: number | null;
  end_at: number;
  duration: number;
  billsec: number;
  caller: string;
  caller_name: string;
  callee: string;
  original_callee: string | null;
  final_callee: string | null;
  direction: string;
  trunk_in: string | null;
  trunk_out: string | null;
  disposition: string;
  cause: string | null;
  account_code: string | null;
  pin: string | null;
  raw: string;
  joined_records: number;
  source_kind: string;
  source_name: string;
  source_line: number | null;
  source_offset: number | null;
  source_index: number | null;
  received_at: number;
  status: string;
  status_reason: string | null;
  call_type: string | null;
  normalized: string | null;
  rating_number: string | null;
  area_code: string | null;
  region: string | null;
  country: string | null;
  rate_id: number | null;
  rate_group_id: number | null;
  billed_seconds: number | null;
  cost: number | null;
  account_id: number | null;
  enterprise_id: number | null;
  user_account_id: number | null;
  gateway_id: number | null;
  rated_at: number | null;
  leg_role: string | null;
  leg_call_id: string | null;
  leg_billed: number | null;
  leg_other_id: string | null;
}

export interface DevicesRow {
  id: number;
  name: string;
  format: string;
  format_options: string | null;
  time_zone: string;
  country_code: string;
  area_code: string;
  national_prefix: string;
  international_prefix: string;
  extension_pattern: string;
  local_number_lengths: string;
  addresses: string;
  default_enterprise_id: number | null;
  sftp: string | null;
  sftp_secret: string | null;
  enabled: number;
  notes: string;
  created_at: number;
  updated_at: number;
}

export interface ExtensionsRow {
  id: number;
  device_id: number;
  number: string;
  name: string;
  user_account_id: number | null;
  created_at: number;
  updated_at: number;
}

export interface IngestDailyRow {
  device_id: number;
  day: string;
  received: number;
  stored: number;
  duplicates: number;
  rejected: number;
  skipped: number;
  last_received_at: number;
}

export interface IngestSourcesRow {
  id: number;
  device_id: number;
  path: string;
  size: number | null;
  mtime: number | null;
  offset: number;
  line: number;
  sha256: string | null;
  head_sha256: string | null;
  head_bytes: number | null;
  status: string;
  error: string | null;
  records: number;
  first_seen_at: number;
  updated_at: number;
  sha256_state: Buffer | null;
  anchor_sha256: string | null;
}

export interface LedgerRow {
  id: number;
  account_id: number;
  at: number;
  kind: string;
  amount: number;
  balance_after: number;
  cdr_id: number | null;
  charged_account_id: number | null;
  operator_id: number | null;
  operator: string;
  reason: string;
  method: string | null;
  reference: string | null;
}

export interface LoginLogRow {
  id: number;
  at: number;
  username: string;
  account_id: number | null;
  ok: number;
  reason: string;
  address: string;
  user_agent: string | null;
}

export interface OperationLogRow {
  id: number;
  at: number;
  account_id: number | null;
  username: string;
  method: string;
  target: string | null;
  summary: string | null;
  address: string;
  actor_name: string | null;
  target_kind: string | null;
  target_id: string | null;
  target_name: string | null;
  changes: string | null;
}

export interface RateGroupsRow {
  id: number;
  name: string;
  currency: string;
  notes: string;
  created_at: number;
  updated_at: number;
}

export interface RatesRow {
  id: number;
  rate_group_id: number;
  name: string;
  call_type: string;
  prefix: string;
  connect_fee: number;
  intervals: string;
  free_seconds: number;
  min_seconds: number;
  effective_from: number | null;
  band_days: string | null;
  band_from: string | null;
  band_to: string | null;
  notes: string;
  created_at: number;
  updated_at: number;
}

export interface RoutePrefixesRow {
  id: number;
  device_id: number;
  position: number;
  prefix: string;
  min_remaining_length: number;
  replacement: string;
  notes: string;
  created_at: number;
  updated_at: number;
}

export interface SchemaMigrationsRow {
  id: string;
  sha256: string;
  applied_at: number;
}

export interface SessionsRow {
  id: number;
  token_hash: string;
  account_id: number;
  created_at: number;
  last_seen_at: number;
  idle_expires_at: number;
  expires_at: number;
  ended_at: number | null;
  end_reason: string | null;
  address: string;
  user_agent: string | null;
}

export interface SettingsRow {
  key: string;
  value: string;
  updated_at: number;
}

export interface SpecialNumberListsRow {
  country_code: string;
  source: string;
  updated_at: number;
  updated_by: string;
}

export interface SpecialNumbersRow {
  id: number;
  country_code: string;
  position: number;
  number: string | null;
  prefix: string | null;
  min_length: number | null;
  max_length: number | null;
  category: string;
  name_en: string;
  name_zh: string;
}

export interface StatsDailyRow {
  kind: string;
  enterprise_id: number;
  day: number;
  account_id: number;
  call_type: string;
  calls: number;
  answered: number;
  seconds: number;
  billed_seconds: number;
  amount: number;
}

export interface StatsStateRow {
  id: number;
  time_zone: string | null;
  built_at: number | null;
  counted_from: number | null;
  rebuild_zone: string | null;
  rebuild_until: number | null;
}

export interface SystemAccountsRow {
  id: number;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  must_change_password: number;
  disabled: number;
  enterprise_id: number | null;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}
