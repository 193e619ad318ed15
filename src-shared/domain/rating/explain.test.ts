import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import en from '../../../src-renderer/i18n/locales/en/explain.json';
import zhCN from '../../../src-renderer/i18n/locales/zh-CN/explain.json';
import { buildAttributionIndex } from '../numbers/attribution-index';
import { classifyCall } from '../numbers/classify-call';
import type { ExplainStep } from '../numbers/explain-step';
import { EXPLAIN_KEYS, EXPLAIN_MESSAGES, explainText } from './explain';
import { quoteCall } from './quote';
import { beijingClassifyContext, beijingQuoteContext, rate } from './test-fixtures';

const locales: Record<string, Record<string, string>> = { en, 'zh-CN': zhCN };
const placeholders = (text: string) => new Set([...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!));

/** Steps from a spread of calls, covering every kind of step the core produces. */
function sampleSteps(): ExplainStep[] {
  const start = Date.parse('2026-03-04T23:00:00+08:00');
  const ctx = beijingQuoteContext([
    rate({ name: 'night', callType: 'domestic', prefix: '21', timeBand: { days: [3], from: '22:00', to: '06:00' }, effectiveFrom: 0, connectFee: 100 }),
    rate({ name: 'later', callType: 'domestic', prefix: '755', effectiveFrom: start + 1 }),
    rate({ name: 'local', callType: 'local', freeSeconds: 10, minSeconds: 30 }),
    rate({ name: 'special', callType: 'special' }),
    rate({ name: 'future default', callType: 'international', effectiveFrom: start + 1 }),
    rate({ name: 'broken', callType: 'internal', intervals: [{ start: 0, price: 1, unit: 0, increment: 1 }] }),
  ]);
  const callees = ['902150001234', '913800138000', '8004', '8999', '+44 20 7946 000', '962345678', '9110', '995588', '913912345678', '075512345678',
    '+8613800138000', '+86 010 62345678', '00999123456', '+80012345678', '', '00', '0', '0999123456', '0755123', '19912345678', '1380013800', '912',
    '123456789', '01062345678'];
  const steps = callees.flatMap((callee) => [5, 20, 0].flatMap((billsec) => quoteCall({ callee, start, billsec }, ctx).steps));
  steps.push(...quoteCall({ callee: '02150001234', start, billsec: 60 }, { ...ctx, timeZone: 'Nowhere/Else' }).steps);
  const noPlanData = beijingClassifyContext({ extensionPattern: null, routePrefixRules: [{ prefix: '0000', minRemainingLength: 1, replacement: '00' }] });
  steps.push(...classifyCall('00001234567', noPlanData).steps);
  steps.push(...classifyCall('01062345678', { ...noPlanData, attribution: buildAttributionIndex('86', []) }).steps);
  steps.push(...classifyCall('1062345678', { ...noPlanData, attribution: { ...noPlanData.attribution, findMobile: () => { throw new Error('x'); } } }).steps);
  return steps;
}

describe('explanation steps', () => {
  it('has the English locale file equal to the built-in English messages', () => {
    expect(en).toEqual(EXPLAIN_MESSAGES);
  });

  it.each(Object.keys(locales))('has every key in %s, and nothing else', (lang) => {
    expect(Object.keys(locales[lang]!).sort()).toEqual([...EXPLAIN_KEYS].sort());
  });

  it.each(Object.keys(locales))('fills every %s placeholder from the params of real steps', (lang) => {
    const seen = new Set<string>();
    for (const step of sampleSteps()) {
      seen.add(step.key);
      for (const name of placeholders(locales[lang]![step.key]!)) expect(step.params, `${step.key}.${name}`).toHaveProperty(name);
    }
    // The sample reaches every key but a defensive fallback and the charging pipeline's (tested with the pipeline),
    // so the check above covers the whole table.
    expect(EXPLAIN_KEYS.filter((k) => !seen.has(k) && !k.startsWith('charging.'))).toEqual(['quote.unknownCallType']);
  });

  it('renders English text with params, and unknown keys readably', () => {
    expect(explainText({ key: 'route.stripped', params: { prefix: '9', from: '9110', to: '110', position: 1 } })).toBe(
      'Route prefix rule 1: stripped 9 (9110 -> 110)',
    );
    expect(explainText({ key: 'no.such.key', params: { a: 1 } })).toBe('no.such.key {"a":1}');
    expect(explainText({ key: 'fixed.areaCode', params: { areaCode: '21' } })).toBe('Area code 21: {{region}}');
  });

  it('translates through i18next with dotted keys in a flat namespace', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ lng: 'zh-CN', fallbackLng: 'en', ns: ['explain'], defaultNS: 'explain', resources: { en: { explain: en }, 'zh-CN': { explain: zhCN } }, interpolation: { escapeValue: false } });
    const step: ExplainStep = { key: 'route.stripped', params: { prefix: '9', from: '9110', to: '110', position: 1 } };
    expect(i18n.t(step.key, step.params)).toBe('路由前缀规则 1：去掉前缀 9（9110 -> 110）');
    await i18n.changeLanguage('en');
    expect(i18n.t(step.key, step.params)).toBe(explainText(step));
  });
});
