/** Texts of statistics and bill export files, in the language the clerk chose (the screens' i18n is the renderer's). */
import type { StatsCallType, StatsKind } from '../../src-shared/api/statistics';
import type { ExportLanguage } from '../exports/file-labels';

export type { ExportLanguage };

export interface StatsExportLabels {
  title: Record<StatsKind, string>;
  block: { period: string; timeZone: string; filters: string; exportedBy: string; exportedAt: string; source: string; none: string; to: string };
  filters: { enterprise: string; sort: string };
  source: { rollups: string; mixed: string; cdrs: string; incomplete: string };
  columns: { enterprise: string; name: Record<StatsKind, string>; calls: string; answered: string; duration: string; billed: string; amount: string };
  callTypes: Record<StatsCallType, string>;
  total: string;
  totals: string;
}

const en: StatsExportLabels = {
  title: { enterprise: 'Enterprise statistics', user: 'User statistics', gateway: 'Gateway statistics' },
  block: {
    period: 'Period',
    timeZone: 'Time zone',
    filters: 'Filters',
    exportedBy: 'Exported by',
    exportedAt: 'Exported at',
    source: 'Counted from',
    none: 'none',
    to: 'to',
  },
  filters: { enterprise: 'Enterprise', sort: 'Sorted by' },
  source: {
    rollups: 'daily statistics',
    mixed: 'daily statistics, and CDRs for part days',
    cdrs: 'CDRs',
    incomplete: 'part of the period is older than the CDRs kept: purged calls are missing',
  },
  columns: {
    enterprise: 'Enterprise',
    name: { enterprise: 'Enterprise', user: 'User', gateway: 'Gateway' },
    calls: 'calls',
    answered: 'answered',
    duration: 'duration',
    billed: 'billed duration',
    amount: 'amount',
  },
  callTypes: { internal: 'Internal', local: 'Local', domestic: 'Domestic', international: 'International', special: 'Special' },
  total: 'Total',
  totals: 'Totals',
};

const zhCN: StatsExportLabels = {
  title: { enterprise: '企业话单统计', user: '用户话单统计', gateway: '网关话单统计' },
  block: {
    period: '统计时段',
    timeZone: '时区',
    filters: '筛选条件',
    exportedBy: '导出人',
    exportedAt: '导出时间',
    source: '统计来源',
    none: '无',
    to: '至',
  },
  filters: { enterprise: '企业', sort: '排序' },
  source: {
    rollups: '日统计',
    mixed: '日统计，不足一天的部分取自话单',
    cdrs: '话单',
    incomplete: '部分时段早于保留的话单：已清除的通话未计入',
  },
  columns: {
    enterprise: '企业',
    name: { enterprise: '企业', user: '用户', gateway: '网关' },
    calls: '次数',
    answered: '接通次数',
    duration: '时长',
    billed: '计费时长',
    amount: '金额',
  },
  callTypes: { internal: '内部', local: '本地', domestic: '国内长途', international: '国际长途', special: '特服' },
  total: '合计',
  totals: '总计',
};

export function statsExportLabels(language: ExportLanguage): StatsExportLabels {
  return language === 'zh-CN' ? zhCN : en;
}

/** 3725 -> "1:02:05" (hours not limited to 24). */
export function hms(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
