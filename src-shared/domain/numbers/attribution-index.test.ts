import { describe, expect, it } from 'vitest';
import { buildAttributionIndex, type AttributionRow } from './attribution-index';

const rows: AttributionRow[] = [
  { prefix: '10', region: 'Beijing', areaCode: '10', carrier: '', kind: 'fixed' },
  { prefix: '519', region: 'Changzhou', areaCode: '519', carrier: '', kind: 'fixed' },
  { prefix: '51', region: 'not a real code', areaCode: '51', carrier: '', kind: 'fixed' },
  { prefix: '138', region: '', areaCode: '', carrier: 'China Mobile', kind: 'mobile' },
  { prefix: '138001', region: 'Beijing', areaCode: '10', carrier: 'China Mobile', kind: 'mobile' },
  { prefix: '1380013', region: 'Beijing (7)', areaCode: '10', carrier: 'China Mobile', kind: 'mobile' },
  { prefix: '1391234', region: 'Changzhou', areaCode: '519', carrier: 'China Mobile', kind: 'mobile' },
  { prefix: 'x1', region: 'skipped', areaCode: '', carrier: '', kind: 'mobile' },
];
const index = buildAttributionIndex('86', rows);

describe('attribution index', () => {
  it('skips rows whose prefix is not digits', () => {
    expect(index.size).toBe(7);
  });

  it.each([
    ['13800138000', '1380013'],
    ['13800198000', '138001'],
    ['13899999999', '138'],
    ['13912345678', '1391234'],
    ['1391234', '1391234'], // the number is exactly the prefix
  ])('mobile %s -> longest prefix %s', (number, prefix) => {
    expect(index.findMobile(number)?.prefix).toBe(prefix);
  });

  it.each([
    ['51912345678', '519'],
    ['5101234567', '51'],
    ['1062345678', '10'],
  ])('area code of %s is %s', (number, prefix) => {
    expect(index.findAreaCode(number)?.prefix).toBe(prefix);
  });

  it('finds nothing for numbers no row covers', () => {
    expect(index.findMobile('15012345678')).toBeNull();
    expect(index.findAreaCode('7551234567')).toBeNull();
    expect(index.lookup('')).toBeNull();
  });

  it('answers lookups across kinds by the longest prefix', () => {
    expect(index.lookup('13800138000')?.kind).toBe('mobile');
    expect(index.lookup('1062345678')?.region).toBe('Beijing');
  });

  it('finds an area by its exact code only', () => {
    expect(index.areaByCode('519')?.region).toBe('Changzhou');
    expect(index.areaByCode('5190')).toBeNull();
  });

  it('lets a later row replace an earlier one with the same prefix and kind', () => {
    const replaced = buildAttributionIndex('86', [...rows, { prefix: '519', region: 'Changzhou, Jiangsu', areaCode: '519', carrier: '', kind: 'fixed' }]);
    expect(replaced.findAreaCode('51912345678')?.region).toBe('Changzhou, Jiangsu');
  });
});
