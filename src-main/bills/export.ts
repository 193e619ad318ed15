/**
 * `exports.bill`: one monthly statement as a spreadsheet: the header block (enterprise, month, period, zone, state,
 * who exported and when), then one table of sections (summary, usage by call type / user / gateway, late usage from
 * closed months by month and call type, balances as posted, payments and adjustments) with calls, duration (h:mm:ss)
 * and amount (a number shown with 2 decimals).
 */
import type { BillStatement } from '../../src-shared/api/bills';
import type { DownloadTicket } from '../../src-shared/api/downloads';
import { parseMoney } from '../../src-shared/domain/money';
import type { CallContext } from '../api/call-context';
import { CSV_TYPE, XLSX_TYPE, writeTableExport, type ExportColumn } from '../exports/table-export';
import { formatWallClock } from '../exports/wall-clock';
import type { DownloadRegistry } from '../downloads/registry';
import { hms, statsExportLabels, type ExportLanguage } from '../statistics/export-labels';
import type { BillingService } from './service';

/** What a statement's spreadsheet uses: the statement, the download it is offered as and the clock. */
export interface BillExportDeps {
  bills: BillingService;
  downloads: DownloadRegistry;
  now(): number;
}

export interface BillLabels {
  title: string;
  block: { enterprise: string; month: string; period: string; timeZone: string; state: string; mode: string; exportedBy: string; exportedAt: string };
  states: { open: string; closed: (at: string, by: string) => string };
  modes: { prepaid: string; postpaid: string };
  columns: { section: string; item: string; calls: string; duration: string; amount: string };
  sections: { summary: string; byType: string; byUser: string; byGateway: string; lateUsage: (month: string) => string; balances: string; entries: string };
  summary: { opening: string; charges: string; lateUsage: string; recharges: string; refunds: string; adjustments: string; closing: string; amountDue: string; toEnterprise: string };
  balance: { opening: string; closing: string };
  kinds: Record<string, string>;
}

/** Reached through exports/labels.ts too, whose test checks both languages for the same keys. */
export const LABELS: Record<ExportLanguage, BillLabels> = {
  en: {
    title: 'Monthly statement',
    block: { enterprise: 'Enterprise', month: 'Month', period: 'Period', timeZone: 'Time zone', state: 'State', mode: 'Billing mode', exportedBy: 'Exported by', exportedAt: 'Exported at' },
    states: { open: 'open (the month may still change)', closed: (at, by) => `closed ${at} by ${by}` },
    modes: { prepaid: 'prepaid', postpaid: 'postpaid' },
    columns: { section: 'Section', item: 'Item', calls: 'Calls', duration: 'Duration', amount: 'Amount' },
    sections: { summary: 'Summary', byType: 'Calls of the month by call type', byUser: 'Calls of the month by user', byGateway: 'Calls of the month by gateway', lateUsage: (month) => `Late usage from ${month}`, balances: 'Balances as posted', entries: 'Payments and adjustments' },
    summary: { opening: 'Opening balance', charges: 'Calls of the month', lateUsage: 'Late usage from closed months', recharges: 'Recharges', refunds: 'Refunds', adjustments: 'Adjustments', closing: 'Closing balance', amountDue: 'Amount due', toEnterprise: 'Charged to the enterprise' },
    balance: { opening: 'opening', closing: 'closing' },
    kinds: { recharge: 'recharge', refund: 'refund', adjustment: 'adjustment', freeze: 'freeze', unfreeze: 'unfreeze', unknown: 'unknown' },
  },
  'zh-CN': {
    title: '月结账单',
    block: { enterprise: '企业', month: '月份', period: '账期', timeZone: '时区', state: '状态', mode: '计费方式', exportedBy: '导出人', exportedAt: '导出时间' },
    states: { open: '未结（本月仍可能变动）', closed: (at, by) => `已结 ${at}，${by}` },
    modes: { prepaid: '预付费', postpaid: '后付费' },
    columns: { section: '项目', item: '明细', calls: '次数', duration: '时长', amount: '金额' },
    sections: { summary: '汇总', byType: '本月通话（按呼叫类型）', byUser: '本月通话（按用户）', byGateway: '本月通话（按网关）', lateUsage: (month) => `${month} 的迟到话费`, balances: '账户余额（按记账时间）', entries: '充值、退款与调整' },
    summary: { opening: '期初余额', charges: '本月通话话费', lateUsage: '已结月份的迟到话费', recharges: '充值', refunds: '退款', adjustments: '调整', closing: '期末余额', amountDue: '应付金额', toEnterprise: '记入企业的话费' },
    balance: { opening: '期初', closing: '期末' },
    kinds: { recharge: '充值', refund: '退款', adjustment: '调整', freeze: '冻结', unfreeze: '解冻', unknown: '未知' },
  },
};

interface Line {
  section: string;
  item: string;
  calls?: number;
  seconds?: number;
  /** 1/10000 units */
  amount?: number;
}

function linesOf(b: BillStatement, l: BillLabels, language: ExportLanguage, at: (iso: string) => string): Line[] {
  const typeName = (t: string) => (statsExportLabels(language).callTypes as Record<string, string>)[t] ?? l.kinds[t] ?? t;
  const m = b.movements;
  const lines: Line[] = [
    { section: l.sections.summary, item: l.summary.opening, amount: parseMoney(b.opening) },
    { section: l.sections.summary, item: l.summary.charges, calls: b.usage.calls, seconds: b.usage.seconds, amount: parseMoney(m.charges) },
    { section: l.sections.summary, item: l.summary.lateUsage, calls: b.lateUsage.total.calls, seconds: b.lateUsage.total.seconds, amount: parseMoney(m.lateUsage) },
    { section: l.sections.summary, item: l.summary.recharges, amount: parseMoney(m.recharges) },
    { section: l.sections.summary, item: l.summary.refunds, amount: parseMoney(m.refunds) },
    { section: l.sections.summary, item: l.summary.adjustments, amount: parseMoney(m.adjustments) },
    { section: l.sections.summary, item: l.summary.closing, amount: parseMoney(b.closing) },
    ...(b.amountDue !== null ? [{ section: l.sections.summary, item: l.summary.amountDue, amount: parseMoney(b.amountDue) }] : []),
  ];
  for (const c of b.chargesByType) lines.push({ section: l.sections.byType, item: typeName(c.callType), calls: c.calls, seconds: c.seconds, amount: parseMoney(c.amount) });
  for (const c of b.chargesByUser) lines.push({ section: l.sections.byUser, item: c.name, calls: c.calls, seconds: c.seconds, amount: parseMoney(c.amount) });
  for (const c of b.chargesByGateway) lines.push({ section: l.sections.byGateway, item: c.name, calls: c.calls, seconds: c.seconds, amount: parseMoney(c.amount) });
  if (b.chargesToEnterprise.calls > 0) {
    const c = b.chargesToEnterprise;
    lines.push({ section: l.sections.byUser, item: l.summary.toEnterprise, calls: c.calls, seconds: c.seconds, amount: parseMoney(c.amount) });
  }
  for (const late of b.lateUsage.months) {
    for (const c of late.byType) lines.push({ section: l.sections.lateUsage(late.month), item: typeName(c.callType), calls: c.calls, seconds: c.seconds, amount: parseMoney(c.amount) });
  }
  for (const a of b.balances) {
    lines.push({ section: l.sections.balances, item: `${a.name} (${l.balance.opening})`, amount: parseMoney(a.opening) });
    lines.push({ section: l.sections.balances, item: `${a.name} (${l.balance.closing})`, amount: parseMoney(a.closing) });
  }
  for (const e of b.entries) {
    const detail = [e.accountName, e.reason, e.method, e.reference, e.operator].filter(Boolean).join(' · ');
    lines.push({ section: l.sections.entries, item: `${at(e.at)} ${l.kinds[e.kind] ?? e.kind}: ${detail}`, amount: parseMoney(e.amount) });
  }
  return lines;
}

export async function exportBill(
  s: BillExportDeps,
  q: { enterpriseId: number; month: string; format: 'xlsx' | 'csv'; language: ExportLanguage },
  ctx: CallContext,
): Promise<DownloadTicket> {
  const bill = s.bills.get(q.enterpriseId, q.month);
  const l = LABELS[q.language];
  const at = (iso: string) => formatWallClock(Date.parse(iso), bill.timeZone);
  const columns: ExportColumn<Line>[] = [
    { header: l.columns.section, width: 24, value: (r) => r.section },
    { header: l.columns.item, width: 48, value: (r) => r.item },
    { header: l.columns.calls, kind: 'integer', width: 10, value: (r) => r.calls },
    { header: l.columns.duration, width: 12, value: (r) => (r.seconds === undefined ? null : r.seconds < 0 ? `-${hms(-r.seconds)}` : hms(r.seconds)) },
    { header: l.columns.amount, kind: 'money', width: 14, value: (r) => r.amount },
  ];
  const file = s.downloads.newFile(q.format);
  const lines = linesOf(bill, l, q.language, at);
  const result = await writeTableExport<Line>(
    {
      format: q.format,
      file,
      sheetName: l.title,
      title: `${l.title}: ${bill.enterpriseName} ${bill.month}`,
      headerBlock: [
        [l.block.enterprise, bill.enterpriseCode ? `${bill.enterpriseName} (${bill.enterpriseCode})` : bill.enterpriseName],
        [l.block.month, bill.month],
        [l.block.period, `${at(bill.periodFrom)} – ${at(bill.periodTo)}`],
        [l.block.timeZone, bill.timeZone],
        [l.block.mode, l.modes[bill.billingMode]],
        [l.block.state, bill.state === 'closed' ? l.states.closed(at(bill.closedAt!), bill.closedBy ?? '') : l.states.open],
        [l.block.exportedBy, ctx.user?.username ?? ''],
        [l.block.exportedAt, formatWallClock(s.now(), bill.timeZone)],
      ],
      columns,
      timeZone: bill.timeZone,
    },
    [lines],
  );
  return s.downloads.offer({
    file,
    fileName: `bill-${bill.enterpriseName.replace(/[\\/:*?"<>|]/g, '_')}-${bill.month}.${q.format}`,
    contentType: q.format === 'xlsx' ? XLSX_TYPE : CSV_TYPE,
    owner: ctx,
    rows: result.rows,
  });
}
