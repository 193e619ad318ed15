import type { Handlers } from '../api/call-context';
import type { EventBus } from '../events';
import { exportBill, type BillExportDeps } from './export';
import { exportBillPdf, type BillPdfDeps } from './pdf';

/** What the bill handlers use: the statements and their exports, and the events that tell screens of a close. */
export interface BillHandlerDeps extends BillExportDeps, BillPdfDeps {
  events: EventBus;
}

export function billHandlers(s: BillHandlerDeps): Handlers<'bills.list' | 'bills.get' | 'bills.close' | 'bills.verify' | 'exports.bill'> {
  return {
    'bills.list': (q) => s.bills.list(q.month, q.enterpriseId),
    'bills.get': (q) => s.bills.get(q.enterpriseId, q.month),
    'bills.close': (q, ctx) => {
      const result = s.bills.close(q.month, q.enterpriseId, ctx.user!.username, q.force);
      ctx.audit({ target: q.enterpriseId ? `enterprise:${q.enterpriseId}` : 'bills', month: q.month, force: q.force, closed: result.closed.length });
      ctx.afterCommit(() => s.events.emit('data.changed', { domain: 'bills' }));
      return result;
    },
    'bills.verify': (q) => s.bills.verify(q.month, q.enterpriseId),
    'exports.bill': (q, ctx) => (q.format === 'pdf' ? exportBillPdf(s, q, ctx) : exportBill(s, { ...q, format: q.format }, ctx)),
  };
}
