import type { Handlers } from '../api/call-context';
import type { Services } from '../services';
import { exportBill } from './export';
import { exportBillPdf } from './pdf';

export function billHandlers(s: Services): Handlers<'bills.list' | 'bills.get' | 'bills.close' | 'bills.verify' | 'exports.bill'> {
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
