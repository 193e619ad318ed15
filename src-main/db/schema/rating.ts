import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { devices } from './devices';

export const routePrefixes = sqliteTable('route_prefixes', {
  id: integer('id').primaryKey(),
  deviceId: integer('device_id')
    .notNull()
    .references(() => devices.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  prefix: text('prefix').notNull(),
  minRemainingLength: integer('min_remaining_length').notNull(),
  replacement: text('replacement').notNull(),
  notes: text('notes').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const rateGroups = sqliteTable('rate_groups', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  currency: text('currency').notNull(),
  notes: text('notes').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const rates = sqliteTable('rates', {
  id: integer('id').primaryKey(),
  rateGroupId: integer('rate_group_id')
    .notNull()
    .references(() => rateGroups.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  callType: text('call_type').notNull(),
  prefix: text('prefix').notNull(),
  /** 1/10000 currency units. */
  connectFee: integer('connect_fee').notNull(),
  /** JSON RateInterval[] with prices in 1/10000 units. */
  intervals: text('intervals').notNull(),
  freeSeconds: integer('free_seconds').notNull(),
  minSeconds: integer('min_seconds').notNull(),
  effectiveFrom: integer('effective_from'),
  bandDays: text('band_days'),
  bandFrom: text('band_from'),
  bandTo: text('band_to'),
  notes: text('notes').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const attributionVersions = sqliteTable('attribution_versions', {
  id: integer('id').primaryKey(),
  at: integer('at').notNull(),
  accountId: integer('account_id'),
  username: text('username').notNull(),
  source: text('source', { enum: ['default', 'import'] }).notNull(),
  fileName: text('file_name'),
  mode: text('mode', { enum: ['merge', 'replace'] }).notNull(),
  countryCodes: text('country_codes').notNull(),
  rowsInFile: integer('rows_in_file').notNull(),
  rowsAdded: integer('rows_added').notNull(),
  rowsChanged: integer('rows_changed').notNull(),
  rowsRemoved: integer('rows_removed').notNull(),
  rowsUnchanged: integer('rows_unchanged').notNull(),
  millis: integer('millis').notNull(),
});

export const attribution = sqliteTable('attribution', {
  id: integer('id').primaryKey(),
  countryCode: text('country_code').notNull(),
  prefix: text('prefix').notNull(),
  region: text('region').notNull(),
  regionEn: text('region_en').notNull(),
  areaCode: text('area_code').notNull(),
  carrier: text('carrier').notNull(),
  carrierEn: text('carrier_en').notNull(),
  kind: text('kind', { enum: ['mobile', 'fixed'] }).notNull(),
  versionId: integer('version_id'),
});

export const specialNumbers = sqliteTable('special_numbers', {
  id: integer('id').primaryKey(),
  countryCode: text('country_code').notNull(),
  position: integer('position').notNull(),
  number: text('number'),
  prefix: text('prefix'),
  minLength: integer('min_length'),
  maxLength: integer('max_length'),
  category: text('category').notNull(),
  nameEn: text('name_en').notNull(),
  nameZh: text('name_zh').notNull(),
});

export const specialNumberLists = sqliteTable('special_number_lists', {
  countryCode: text('country_code').primaryKey(),
  source: text('source', { enum: ['default', 'edited'] }).notNull(),
  updatedAt: integer('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
});
