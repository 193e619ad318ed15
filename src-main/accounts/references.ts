/**
 * Field errors for references an account or extension form names and the schema cannot check (the rate group, the
 * device, the enterprise, the owner): each names the field, so the form can show it there.
 */
import { ApiError, fieldDetails, noSuch } from '../../src-shared/api/errors';
import type { AccountRepository } from './repository';

export function checkRateGroup(accounts: AccountRepository, rateGroupId: number | null | undefined, field = 'rateGroupId'): void {
  if (rateGroupId === null || rateGroupId === undefined) return;
  if (!accounts.rateGroupExists(rateGroupId)) {
    throw ApiError.keyed('invalid_input', 'api.notFound', `There is no rate group ${rateGroupId}.`, { thing: 'rateGroup', id: rateGroupId }, fieldDetails({ [field]: noSuch('rateGroup') }));
  }
}

export function checkDevice(accounts: AccountRepository, deviceId: number, field = 'deviceId'): void {
  if (!accounts.deviceExists(deviceId)) {
    throw ApiError.keyed('invalid_input', 'api.notFound', `There is no device ${deviceId}.`, { thing: 'device', id: deviceId }, fieldDetails({ [field]: noSuch('device') }));
  }
}

export function checkEnterprise(accounts: AccountRepository, id: number): void {
  if (!accounts.isEnterprise(id)) {
    throw ApiError.keyed('invalid_input', 'api.notFound', `There is no enterprise ${id}.`, { thing: 'enterprise', id }, fieldDetails({ enterpriseId: noSuch('enterprise') }));
  }
}

export function checkUserAccount(accounts: AccountRepository, id: number | null | undefined): void {
  if (id === null || id === undefined) return;
  if (!accounts.isUserAccount(id)) {
    throw ApiError.keyed('invalid_input', 'api.notFound', `There is no user account ${id}.`, { thing: 'userAccount', id }, fieldDetails({ userAccountId: noSuch('userAccount') }));
  }
}
