import type { StatsCallType, StatsKind } from '../../../../src-shared/api/statistics';

/** The account filter of the CDR records page for each kind of statistics row. */
const ACCOUNT_PARAM: Record<StatsKind, string> = { enterprise: 'enterpriseId', user: 'userAccountId', gateway: 'gatewayId' };

/**
 * The CDR records page behind a figure: `/cdr/records?enterpriseId=..&from=..&to=..` with the records page's own
 * filter names (its URL filters), the period as ISO instants, rated CDRs only (the ones statistics count).
 */
export function recordsLink(q: { kind: StatsKind; accountId?: number; enterpriseId?: number; from: string; to: string; callType?: StatsCallType }): string {
  const params = new URLSearchParams();
  if (q.accountId !== undefined) params.set(ACCOUNT_PARAM[q.kind], String(q.accountId));
  if (q.enterpriseId !== undefined && !(q.kind === 'enterprise' && q.accountId !== undefined)) params.set('enterpriseId', String(q.enterpriseId));
  params.set('from', q.from);
  params.set('to', q.to);
  if (q.callType) params.set('callType', q.callType);
  params.set('status', 'rated');
  return `/cdr/records?${params.toString()}`;
}
