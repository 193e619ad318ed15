/**
 * Drizzle table definitions mirroring the SQL migrations (the migrations are the truth; a test checks that every
 * column declared here exists in the migrated database). One file per domain, re-exported here.
 */
export * from './schema/spine';
export * from './schema/devices';
export * from './schema/accounts';
export * from './schema/rating';
export * from './schema/ingest';
