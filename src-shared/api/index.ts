import type { z } from 'zod';
import type { MethodSpec, MethodTable } from './contract';
import { accountMethods } from './accounts';
import { accountFileMethods } from './account-files';
import { cdrMethods } from './cdrs';
import { chargingMethods } from './charging';
import { retentionMethods } from './retention';
import { authMethods, systemAccountMethods } from './auth';
import { logMethods } from './logs';
import { attributionMethods } from './attribution';
import { deviceMethods } from './devices';
import { ingestMethods } from './ingest';
import { downloadMethods } from './downloads';
import { ratingMethods } from './rating';
import { routePrefixMethods } from './route-prefixes';
import { settingsMethods } from './settings';
import { statisticsMethods } from './statistics';
import { billMethods } from './bills';
import { enterpriseLoginMethods } from './enterprise-logins';
import { systemMethods } from './system';

/**
 * The API contract: every capability of the product is one method here (DESIGN.md §4).
 * Add a domain by writing `src-shared/api/<domain>.ts` and spreading its table below.
 */
export const api = {
  ...authMethods,
  ...systemAccountMethods,
  ...logMethods,
  ...systemMethods,
  ...deviceMethods,
  ...ingestMethods,
  ...accountMethods,
  ...accountFileMethods,
  ...chargingMethods,
  ...retentionMethods,
  ...cdrMethods,
  ...settingsMethods,
  ...downloadMethods,
  ...routePrefixMethods,
  ...ratingMethods,
  ...attributionMethods,
  ...statisticsMethods,
  ...billMethods,
  ...enterpriseLoginMethods,
} as const satisfies MethodTable;

export type Api = typeof api;
export type MethodName = keyof Api;
/** The input a caller sends (before defaults and transforms). */
export type InputOf<M extends MethodName> = z.input<Api[M]['input']>;
/** The input a handler receives (validated, defaults applied, money and times parsed). */
export type ParsedInputOf<M extends MethodName> = z.output<Api[M]['input']>;
export type OutputOf<M extends MethodName> = Api[M] extends MethodSpec<z.ZodType, infer O> ? O : never;
/** The methods of one domain: `MethodsOf<'auth'>` = 'auth.login' | 'auth.logout' | ... */
export type MethodsOf<D extends string> = Extract<MethodName, `${D}.${string}`>;

export const methodNames = Object.keys(api) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}

export * from './contract';
export * from './errors';
export type { EventMap, EventName, EventMessage } from './events';
