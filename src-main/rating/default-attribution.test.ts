import { beforeAll, describe, expect, it } from 'vitest';
import { buildAttributionIndex, type AttributionIndex } from '../../src-shared/domain/numbers/attribution-index';
import { classifyCall } from '../../src-shared/domain/numbers/classify-call';
import { compileNumberingPlan } from '../../src-shared/domain/numbers/numbering-plan';
import { buildSpecialNumberIndex } from '../../src-shared/domain/numbers/special-numbers';
import { specialNumberList } from '../../src-shared/domain/rating/test-fixtures';
import { generateChinaAttribution, type DefaultAttribution } from './default-attribution';

let generated: DefaultAttribution;
let index: AttributionIndex;

beforeAll(() => {
  generated = generateChinaAttribution();
  index = buildAttributionIndex('86', generated.rows);
});

describe('default China attribution', () => {
  it('attributes the required mobile numbers', () => {
    expect(index.lookup('13800138000')).toMatchObject({ kind: 'mobile', areaCode: '10', region: '北京市', regionEn: 'Beijing', carrier: '中国移动', carrierEn: 'China Mobile' });
    expect(index.lookup('13912345678')).toMatchObject({ kind: 'mobile', areaCode: '519', region: '江苏省常州市', regionEn: 'Changzhou, Jiangsu' });
  });

  it('covers fixed-line area codes, with collapsed 2-digit keys restored to their real codes', () => {
    expect(index.findAreaCode('1062345678')).toMatchObject({ areaCode: '10', region: '北京市' });
    expect(index.findAreaCode('2150001234')).toMatchObject({ areaCode: '21', region: '上海市' });
    expect(index.findAreaCode('51912345678')).toMatchObject({ areaCode: '519', region: '江苏省常州市' });
    expect(index.findAreaCode('3351234567')).toMatchObject({ areaCode: '335', regionEn: 'Qinhuangdao, Hebei' });
    expect(index.findAreaCode('5801234567')).toMatchObject({ areaCode: '580' });
    expect(index.areaByCode('33')).toBeNull();
  });

  it('gives every geocoded mobile range an area code', () => {
    expect(generated.stats.unmappedRegions).toEqual([]);
    expect(generated.stats.ambiguousRegions).toEqual([]);
    const geocodedWithoutArea = generated.rows.filter((r) => r.kind === 'mobile' && r.region && !r.areaCode);
    expect(geocodedWithoutArea).toEqual([]);
  });

  it('maps cities that share a neighbour\'s area code', () => {
    const zhuzhou = generated.rows.find((r) => r.kind === 'mobile' && r.region === '湖南省株洲市');
    expect(zhuzhou?.areaCode).toBe('731');
  });

  it('has one row per prefix and kind, all digits, in both languages', () => {
    const keys = new Set(generated.rows.map((r) => `${r.kind}:${r.prefix}`));
    expect(keys.size).toBe(generated.rows.length);
    expect(generated.rows.every((r) => /^\d+$/.test(r.prefix))).toBe(true);
    expect(generated.rows.filter((r) => r.region && !r.regionEn)).toEqual([]);
    expect(generated.stats.mobileRows).toBeGreaterThan(100_000);
    expect(generated.stats.fixedRows).toBeGreaterThan(300);
    expect(generated.stats.mobileRows + generated.stats.fixedRows + generated.stats.carrierOnlyRows).toBe(generated.rows.length);
  });

  it('classifies with the generated data on a Beijing device', () => {
    const ctx = {
      plan: compileNumberingPlan({ countryCode: '86', areaCode: '10', nationalPrefix: '0', internationalPrefix: '00' }),
      attribution: index,
      specialNumbers: buildSpecialNumberIndex(specialNumberList),
    };
    expect(classifyCall('13800138000', ctx)).toMatchObject({ callType: 'local', areaCode: '10' });
    expect(classifyCall('013912345678', ctx)).toMatchObject({ callType: 'domestic', areaCode: '519' });
    expect(classifyCall('075512345678', ctx)).toMatchObject({ callType: 'domestic', areaCode: '755', region: '广东省深圳市' });
    expect(classifyCall('+8618612345678', ctx).callType).not.toBe('unknown');
  });
});
