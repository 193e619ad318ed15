/**
 * Texts of a monthly statement as PDF, in the language the caller reads the app in (zh-CN or en). The screens' texts
 * are the renderer's (i18n); a file made by the engine carries its own, as the spreadsheet export does.
 */
import { statsExportLabels, type ExportLanguage } from '../statistics/export-labels';

export interface BillPdfLabels {
  title: string;
  info: { enterprise: string; code: string; month: string; period: string; timeZone: string; mode: string; state: string; currency: string; generated: string };
  modes: { prepaid: string; postpaid: string };
  states: { open: (from: string) => string; closed: (at: string, by: string) => string };
  columns: { item: string; callType: string; user: string; gateway: string; account: string; calls: string; duration: string; amount: string; opening: string; closing: string };
  columnsEntries: { at: string; kind: string; account: string; details: string; operator: string; amount: string };
  sections: { summary: string; byType: string; byUser: string; byGateway: string; late: string; lateFrom: (month: string, from: string, to: string) => string; entries: string; balances: string };
  hints: { late: string; balances: string; none: string };
  summary: { opening: string; charges: string; lateUsage: string; recharges: string; refunds: string; adjustments: string; closing: string; amountDue: string };
  total: string;
  toEnterprise: string;
  callTypes: Record<string, string>;
  ledgerKinds: Record<string, string>;
  accountKinds: Record<string, string>;
  /** Footer: "Page 1 of 3". */
  page: (n: number, of: number) => string;
  generatedBy: (at: string, by: string) => string;
}

const en: BillPdfLabels = {
  title: 'Monthly statement',
  info: {
    enterprise: 'Enterprise',
    code: 'Code',
    month: 'Month',
    period: 'Period',
    timeZone: 'Time zone',
    mode: 'Billing mode',
    state: 'State',
    currency: 'Currency',
    generated: 'Generated',
  },
  modes: { prepaid: 'Prepaid', postpaid: 'Postpaid' },
  states: { open: (from) => `Open: figures may change until the month is closed (from ${from})`, closed: (at, by) => `Closed ${at} by ${by}` },
  columns: { item: 'Item', callType: 'Call type', user: 'User', gateway: 'Gateway', account: 'Account', calls: 'Calls', duration: 'Duration', amount: 'Amount', opening: 'Opening', closing: 'Closing' },
  columnsEntries: { at: 'Time', kind: 'Kind', account: 'Account', details: 'Reason · method · reference', operator: 'Operator', amount: 'Amount' },
  sections: {
    summary: 'Summary',
    byType: 'Calls of the month by call type',
    byUser: 'Calls of the month by user',
    byGateway: 'Calls of the month by gateway',
    late: 'Late usage from earlier months',
    lateFrom: (month, from, to) => `Late usage from ${month} (calls that started ${from} – ${to})`,
    entries: 'Money movements: recharges, refunds and adjustments',
    balances: 'Balances as posted',
  },
  hints: {
    late: 'Calls of a closed month that arrived (or were rerated) after it was closed, billed on this statement apart from this month’s calls.',
    balances: 'Each balance as the ledger holds it: prepaid balances move when a call is charged, whatever month the call belongs to.',
    none: 'None in this period.',
  },
  summary: {
    opening: 'Opening balance',
    charges: 'Calls of the month',
    lateUsage: 'Late usage from earlier months',
    recharges: 'Recharges',
    refunds: 'Refunds',
    adjustments: 'Adjustments',
    closing: 'Closing balance',
    amountDue: 'Amount due',
  },
  total: 'Total',
  toEnterprise: 'Charged to the enterprise',
  callTypes: { ...statsExportLabels('en').callTypes, unknown: 'Unknown (CDR purged)' },
  ledgerKinds: { charge: 'Charge', recharge: 'Recharge', refund: 'Refund', adjustment: 'Adjustment', rerate: 'Rerate', freeze: 'Freeze', unfreeze: 'Unfreeze' },
  accountKinds: { enterprise: 'Enterprise', user: 'User', gateway: 'Gateway' },
  page: (n, of) => `Page ${n} of ${of}`,
  generatedBy: (at, by) => `${at} by ${by}`,
};

const zhCN: BillPdfLabels = {
  title: '月结账单',
  info: {
    enterprise: '企业',
    code: '编号',
    month: '月份',
    period: '账期',
    timeZone: '时区',
    mode: '计费方式',
    state: '状态',
    currency: '币种',
    generated: '生成',
  },
  modes: { prepaid: '预付费', postpaid: '后付费' },
  states: { open: (from) => `未结：结账前数字仍可能变动（${from} 起可结账）`, closed: (at, by) => `已结 ${at}，${by}` },
  columns: { item: '项目', callType: '呼叫类型', user: '用户', gateway: '网关', account: '账户', calls: '次数', duration: '时长', amount: '金额', opening: '期初', closing: '期末' },
  columnsEntries: { at: '时间', kind: '类型', account: '账户', details: '原因 · 方式 · 凭证号', operator: '操作员', amount: '金额' },
  sections: {
    summary: '汇总',
    byType: '本月通话（按呼叫类型）',
    byUser: '本月通话（按用户）',
    byGateway: '本月通话（按网关）',
    late: '以前月份的迟到话费',
    lateFrom: (month, from, to) => `${month} 的迟到话费（${from} 至 ${to} 开始的通话）`,
    entries: '资金变动：充值、退款与调整',
    balances: '账户余额（按记账时间）',
  },
  hints: {
    late: '已结月份在结账后到达（或重新计费）的通话，在本账单上与本月通话分开计费。',
    balances: '各账户余额以账本为准：预付费余额在通话计费时即变动，不论通话属于哪个月份。',
    none: '本期无记录。',
  },
  summary: {
    opening: '期初余额',
    charges: '本月通话话费',
    lateUsage: '以前月份的迟到话费',
    recharges: '充值',
    refunds: '退款',
    adjustments: '调整',
    closing: '期末余额',
    amountDue: '应付金额',
  },
  total: '合计',
  toEnterprise: '记入企业的话费',
  callTypes: { ...statsExportLabels('zh-CN').callTypes, unknown: '未知（话单已清除）' },
  ledgerKinds: { charge: '扣费', recharge: '充值', refund: '退款', adjustment: '调整', rerate: '重新计费', freeze: '冻结', unfreeze: '解冻' },
  accountKinds: { enterprise: '企业', user: '用户', gateway: '网关' },
  page: (n, of) => `第 ${n} 页，共 ${of} 页`,
  generatedBy: (at, by) => `${at}，${by}`,
};

export function billPdfLabels(language: ExportLanguage): BillPdfLabels {
  return language === 'zh-CN' ? zhCN : en;
}
