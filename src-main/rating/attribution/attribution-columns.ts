/**
 * The columns of an attribution file, as attribution.export writes them (headings of exports/labels.ts, in the
 * language asked for) and as people name them (English or Chinese).
 * Headings are compared without case, spaces, underscores, hyphens and brackets: "Region (English)", "region_en" and
 * "地区（英文）" all name the same column.
 */
import { exportLabels, inEveryLanguage } from '../../exports/labels';
import { headingKey } from '../../imports/spreadsheet-table';

export const ATTRIBUTION_COLUMNS = ['countryCode', 'prefix', 'region', 'regionEn', 'areaCode', 'carrier', 'carrierEn', 'kind'] as const;
export type AttributionColumn = (typeof ATTRIBUTION_COLUMNS)[number];

/** English headings (the API's language), for problems about a column the file lacks; exports write the asked one. */
export const EXPORT_HEADINGS: Record<AttributionColumn, string> = exportLabels('en').attribution.columns;

export const REQUIRED_COLUMNS: readonly AttributionColumn[] = ['prefix', 'region', 'areaCode', 'kind'];

const SYNONYMS: Record<AttributionColumn, string[]> = {
  countryCode: ['countrycode', 'country', 'cc', '国家代码', '国家码', '国家区号'],
  prefix: ['prefix', 'numberprefix', '号段', '前缀', '号码前缀'],
  region: ['region', 'city', '地区', '归属地', '城市', '地区中文'],
  regionEn: ['regionen', 'regionenglish', 'cityen', '地区英文', '英文地区'],
  areaCode: ['areacode', 'area', '区号', '长途区号'],
  carrier: ['carrier', 'operator', '运营商', '运营商中文'],
  carrierEn: ['carrieren', 'carrierenglish', 'operatoren', '运营商英文', '英文运营商'],
  kind: ['kind', 'type', 'numbertype', '类型', '号码类型'],
};

const BY_HEADING = new Map<string, AttributionColumn>();
for (const column of ATTRIBUTION_COLUMNS) {
  // The headings of every export language (a file exported in Chinese imports back), then other names people use.
  for (const name of [...inEveryLanguage((l) => l.attribution.columns[column]), ...SYNONYMS[column]]) BY_HEADING.set(headingKey(name), column);
}


export function columnOfHeading(text: string): AttributionColumn | undefined {
  return BY_HEADING.get(headingKey(text));
}

const KINDS = new Map<string, 'mobile' | 'fixed'>([
  ['mobile', 'mobile'],
  ['cell', 'mobile'],
  ['手机', 'mobile'],
  ['移动电话', 'mobile'],
  ['fixed', 'fixed'],
  ['fixedline', 'fixed'],
  ['landline', 'fixed'],
  ['固话', 'fixed'],
  ['固定电话', 'fixed'],
  ...inEveryLanguage((l) => l.attribution.kinds.mobile).map((text) => [headingKey(text), 'mobile'] as const),
  ...inEveryLanguage((l) => l.attribution.kinds.fixed).map((text) => [headingKey(text), 'fixed'] as const),
]);

export function kindOf(text: string): 'mobile' | 'fixed' | undefined {
  return KINDS.get(headingKey(text));
}
