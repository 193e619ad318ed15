/** Texts of a CDR export file, in the language the clerk chose (the screens' i18n lives in the renderer). */
export type ExportLanguage = 'en' | 'zh-CN';

export interface CdrExportLabels {
  title: string;
  sheet: string;
  block: { period: string; timeZone: string; filters: string; exportedBy: string; exportedAt: string; all: string; none: string; start: string; now: string; endExcluded: string; to: string };
  columns: {
    start: string;
    device: string;
    caller: string;
    callerName: string;
    callee: string;
    normalized: string;
    callType: string;
    region: string;
    disposition: string;
    duration: string;
    billsec: string;
    enterprise: string;
    user: string;
    gateway: string;
    rate: string;
    status: string;
    cost: string;
  };
  filters: Record<string, string>;
  values: Record<string, string>;
  subtotal(day: string, calls: number): string;
  total(calls: number): string;
}

const en: CdrExportLabels = {
  title: 'CDR records',
  sheet: 'CDRs',
  block: {
    period: 'Period',
    timeZone: 'Time zone',
    filters: 'Filters',
    exportedBy: 'Exported by',
    exportedAt: 'Exported at',
    all: 'all',
    none: 'none',
    start: '(start)',
    now: '(now)',
    endExcluded: '(end excluded)',
    to: 'to',
  },
  columns: {
    start: 'Start',
    device: 'Device',
    caller: 'Caller',
    callerName: 'Caller name',
    callee: 'Callee (dialled)',
    normalized: 'Normalized number',
    callType: 'Call type',
    region: 'Region',
    disposition: 'Disposition',
    duration: 'Duration',
    billsec: 'Talk time',
    enterprise: 'Enterprise',
    user: 'User',
    gateway: 'Gateway',
    rate: 'Rate',
    status: 'Status',
    cost: 'Cost',
  },
  filters: {
    deviceId: 'device',
    enterpriseId: 'enterprise',
    userAccountId: 'user',
    gatewayId: 'gateway',
    caller: 'caller starts with',
    callee: 'callee starts with',
    callType: 'call type',
    disposition: 'disposition',
    status: 'status',
    costMin: 'cost at least',
    costMax: 'cost at most',
  },
  values: {
    internal: 'internal',
    local: 'local',
    domestic: 'domestic',
    international: 'international',
    special: 'special',
    unknown: 'unknown',
    answered: 'answered',
    no_answer: 'no answer',
    busy: 'busy',
    failed: 'failed',
    rated: 'rated',
    unrated: 'unrated',
    pending: 'pending',
  },
  subtotal: (day, calls) => `Subtotal ${day}: ${calls} calls`,
  total: (calls) => `Total: ${calls} calls`,
};

const zhCN: CdrExportLabels = {
  title: '话单记录',
  sheet: '话单',
  block: {
    period: '时间段',
    timeZone: '时区',
    filters: '筛选条件',
    exportedBy: '导出人',
    exportedAt: '导出时间',
    all: '全部',
    none: '无',
    start: '（最早）',
    now: '（现在）',
    endExcluded: '（不含结束时刻）',
    to: '至',
  },
  columns: {
    start: '开始时间',
    device: '设备',
    caller: '主叫',
    callerName: '主叫名称',
    callee: '被叫（拨号）',
    normalized: '规整号码',
    callType: '呼叫类型',
    region: '地区',
    disposition: '呼叫结果',
    duration: '时长',
    billsec: '通话时长',
    enterprise: '企业',
    user: '用户',
    gateway: '网关',
    rate: '费率',
    status: '状态',
    cost: '费用',
  },
  filters: {
    deviceId: '设备',
    enterpriseId: '企业',
    userAccountId: '用户',
    gatewayId: '网关',
    caller: '主叫前缀',
    callee: '被叫前缀',
    callType: '呼叫类型',
    disposition: '呼叫结果',
    status: '状态',
    costMin: '费用不低于',
    costMax: '费用不高于',
  },
  values: {
    internal: '内部',
    local: '本地',
    domestic: '国内长途',
    international: '国际',
    special: '特服',
    unknown: '未知',
    answered: '已接听',
    no_answer: '未接听',
    busy: '忙',
    failed: '失败',
    rated: '已计费',
    unrated: '未计费',
    pending: '待计费',
  },
  subtotal: (day, calls) => `小计 ${day}：${calls} 次通话`,
  total: (calls) => `合计：${calls} 次通话`,
};

export function cdrExportLabels(language: ExportLanguage): CdrExportLabels {
  return language === 'zh-CN' ? zhCN : en;
}
