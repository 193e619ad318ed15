import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const devices = sqliteTable('devices', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  format: text('format').notNull(),
  formatOptions: text('format_options'),
  timeZone: text('time_zone').notNull(),
  countryCode: text('country_code').notNull(),
  areaCode: text('area_code').notNull(),
  nationalPrefix: text('national_prefix').notNull(),
  internationalPrefix: text('international_prefix').notNull(),
  extensionPattern: text('extension_pattern').notNull(),
  localNumberLengths: text('local_number_lengths').notNull(),
  addresses: text('addresses').notNull(),
  defaultEnterpriseId: integer('default_enterprise_id'),
  sftp: text('sftp'),
  sftpSecret: text('sftp_secret'),
  enabled: integer('enabled', { mode: 'boolean' }).notNull(),
  notes: text('notes').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
