/**
 * The Beijing device and rate group of the sample CDR README (/work/shared/samples/cdr/README.md), built by hand for
 * tests of classification, selection and quoting.
 */
import specialNumbersJson from '../../../resources/special-numbers.json';
import { parseMoney } from '../money';
import { buildAttributionIndex, type AttributionRow } from '../numbers/attribution-index';
import type { ClassifyContext } from '../numbers/classify-call';
import { compileNumberingPlan, type NumberingPlan } from '../numbers/numbering-plan';
import { buildSpecialNumberIndex, type SpecialNumberList } from '../numbers/special-numbers';
import type { QuoteContext } from './quote';
import type { Rate, RateInterval } from './rate';
import { buildRateSnapshot } from './rate-snapshot';

export const specialNumberList = specialNumbersJson as SpecialNumberList;

export const beijingPlan: NumberingPlan = {
  countryCode: '86',
  areaCode: '10',
  nationalPrefix: '0',
  internationalPrefix: '00',
  extensionPattern: '8\\d{3}',
  routePrefixRules: [{ prefix: '9', minRemainingLength: 3, replacement: '' }],
};

export const attributionRows: AttributionRow[] = [
  { prefix: '10', region: '北京市', areaCode: '10', carrier: '', kind: 'fixed' },
  { prefix: '21', region: '上海市', areaCode: '21', carrier: '', kind: 'fixed' },
  { prefix: '519', region: '江苏省常州市', areaCode: '519', carrier: '', kind: 'fixed' },
  { prefix: '755', region: '广东省深圳市', areaCode: '755', carrier: '', kind: 'fixed' },
  { prefix: '138001', region: '北京市', areaCode: '10', carrier: '中国移动', kind: 'mobile' },
  { prefix: '1380021', region: '上海市', areaCode: '21', carrier: '中国移动', kind: 'mobile' },
  { prefix: '1391234', region: '江苏省常州市', areaCode: '519', carrier: '中国移动', kind: 'mobile' },
  // A range known only from carrier data: mobile, but no area.
  { prefix: '199', region: '', areaCode: '', carrier: '中国电信', kind: 'mobile' },
];

export function beijingClassifyContext(overrides: Partial<NumberingPlan> = {}): ClassifyContext {
  return {
    plan: compileNumberingPlan({ ...beijingPlan, ...overrides }),
    attribution: buildAttributionIndex('86', attributionRows),
    specialNumbers: buildSpecialNumberIndex(specialNumberList),
    knownExtensions: new Set(['8001', '8002', '8003', '8004', '601']),
  };
}

export const money = parseMoney;

export function interval(start: number, price: string, unit: number, increment: number): RateInterval {
  return { start, price: parseMoney(price), unit, increment };
}

let nextId = 1;
export function rate(fields: Partial<Rate> & Pick<Rate, 'callType'>): Rate {
  return {
    id: nextId++,
    name: fields.callType,
    prefix: '',
    connectFee: 0,
    intervals: [interval(0, '0', 60, 60)],
    freeSeconds: 0,
    minSeconds: 0,
    effectiveFrom: null,
    ...fields,
  };
}

/** The sample rate group: local, inter, domestic default, international default and 44, special. */
export const sampleRates: Rate[] = [
  rate({ name: 'local', callType: 'local', intervals: [interval(0, '0.22', 180, 180), interval(180, '0.11', 60, 60)] }),
  rate({ name: 'inter', callType: 'internal' }),
  rate({ name: 'domestic', callType: 'domestic', intervals: [interval(0, '0.30', 60, 6)] }),
  rate({ name: 'international', callType: 'international', intervals: [interval(0, '1.20', 60, 60)] }),
  rate({ name: 'UK', callType: 'international', prefix: '44', connectFee: parseMoney('0.10'), intervals: [interval(0, '0.80', 60, 60)] }),
  rate({ name: 'special', callType: 'special' }),
];

export function beijingQuoteContext(rates: Rate[] = sampleRates): QuoteContext {
  return { ...beijingClassifyContext(), rates: buildRateSnapshot(rates), timeZone: 'Asia/Shanghai' };
}
