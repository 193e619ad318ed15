import type { MethodName } from '../../src-shared/api';
import { authHandlers, systemAccountHandlers } from '../auth/handlers';
import { enterpriseLoginHandlers } from '../auth/enterprise-logins/handlers';
import { accountFileHandlers } from '../accounts/account-files/handlers';
import { enterpriseHandlers } from '../accounts/enterprise-handlers';
import { extensionHandlers } from '../accounts/extension-handlers';
import { memberHandlers } from '../accounts/member-handlers';
import { moneyHandlers } from '../accounts/money-handlers';
import { unratedHandlers } from '../charging/handlers';
import { retentionHandlers } from '../system/retention/handlers';
import { cdrHandlers } from '../cdrs/handlers';
import { deviceHandlers } from '../devices/handlers';
import { ingestHandlers } from '../ingest/handlers';
import { downloadHandlers } from '../downloads/handlers';
import { logHandlers } from '../logs/handlers';
import { ratingHandlers } from '../rating/handlers';
import type { Services } from '../services';
import { settingsHandlers } from '../settings/handlers';
import { statisticsHandlers } from '../statistics/handlers';
import { billHandlers } from '../bills/handlers';
import { systemHandlers } from '../system/handlers';
import type { Handlers } from './call-context';

/** Every method of the contract has exactly one handler; the compiler checks that none is missing. */
export function createHandlers(s: Services): Handlers<MethodName> {
  return {
    ...authHandlers(s),
    ...systemAccountHandlers(s),
    ...logHandlers(s),
    ...systemHandlers(s),
    ...deviceHandlers(s),
    ...ingestHandlers(s),
    ...enterpriseHandlers(s),
    ...memberHandlers(s),
    ...moneyHandlers(s),
    ...extensionHandlers(s),
    ...accountFileHandlers(s),
    ...unratedHandlers(s),
    ...retentionHandlers(s),
    ...cdrHandlers(s),
    ...settingsHandlers(s),
    ...downloadHandlers(s),
    ...ratingHandlers(s),
    ...statisticsHandlers(s),
    ...billHandlers(s),
    ...enterpriseLoginHandlers(s),
  };
}
