import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXPLAIN_MESSAGES } from '../rating/explain';
import { beijingClassifyContext } from '../rating/test-fixtures';
import { CALL_TYPES, classifyCall, type CallClassification, type ClassifyContext } from './classify-call';
import { compileNumberingPlan } from './numbering-plan';

const ctx = beijingClassifyContext();

type Expected = Partial<Pick<CallClassification, 'callType' | 'normalized' | 'ratingNumber' | 'areaCode' | 'region' | 'numberKind' | 'country'>> & {
  reason?: string;
};

describe('classifyCall (Beijing device: 86 / area 10 / trunk 0 / international 00 / extensions 8xxx / strip 9)', () => {
  it.each<[string, Expected]>([
    // internal
    ['8004', { callType: 'internal', ratingNumber: '8004' }],
    ['8999', { callType: 'internal' }], // extension pattern only
    ['601', { callType: 'internal' }], // known extension outside the pattern
    // sample README rows
    ['902150001234', { callType: 'domestic', normalized: '02150001234', ratingNumber: '2150001234', areaCode: '21', region: '上海市', numberKind: 'fixed' }],
    ['913800138000', { callType: 'local', normalized: '13800138000', ratingNumber: '13800138000', areaCode: '10', region: '北京市', numberKind: 'mobile' }],
    ['8003', { callType: 'internal' }],
    ['90044207946000', { callType: 'international', normalized: '0044207946000', ratingNumber: '44207946000', country: 'GB' }],
    ['962345678', { callType: 'local', normalized: '62345678', ratingNumber: '1062345678', areaCode: '10', region: '北京市', numberKind: 'fixed' }],
    ['9110', { callType: 'special', normalized: '110', ratingNumber: '110' }],
    ['913912345678', { callType: 'domestic', ratingNumber: '13912345678', areaCode: '519', region: '江苏省常州市', numberKind: 'mobile' }],
    // mobiles with and without trunk prefix
    ['13800138000', { callType: 'local', ratingNumber: '13800138000', areaCode: '10' }],
    ['013800138000', { callType: 'local', ratingNumber: '13800138000', areaCode: '10' }],
    ['013912345678', { callType: 'domestic', ratingNumber: '13912345678', areaCode: '519' }],
    ['13800218888', { callType: 'domestic', areaCode: '21' }],
    // fixed lines with trunk prefix
    ['01062345678', { callType: 'local', ratingNumber: '1062345678', areaCode: '10' }],
    ['075512345678', { callType: 'domestic', ratingNumber: '75512345678', areaCode: '755' }],
    ['0755123456', { callType: 'domestic', areaCode: '755' }], // 6-digit subscriber (local service lines)
    // international, with and without our own country code
    ['+44207946000', { callType: 'international', ratingNumber: '44207946000', country: 'GB' }],
    ['+1 212 555 1234', { callType: 'international', ratingNumber: '12125551234', country: 'US' }],
    ['0016135551234', { callType: 'international', ratingNumber: '16135551234', country: 'CA' }],
    ['+8613800138000', { callType: 'local', ratingNumber: '13800138000', areaCode: '10' }],
    ['008613912345678', { callType: 'domestic', ratingNumber: '13912345678', areaCode: '519' }],
    ['00862150001234', { callType: 'domestic', ratingNumber: '2150001234', areaCode: '21' }],
    ['+86 010 6234 5678', { callType: 'local', ratingNumber: '1062345678', areaCode: '10' }],
    ['00999123456', { callType: 'international', ratingNumber: '999123456', country: undefined }],
    ['+80012345678', { callType: 'international', country: undefined }],
    // without prefix
    ['6234567', { callType: 'local', ratingNumber: '106234567' }],
    ['995588', { callType: 'special', normalized: '95588' }],
    ['95588', { callType: 'unknown', normalized: '5588', reason: 'number.unrecognized' }], // on this device 9 is the outside-line digit
    ['4008123456', { callType: 'special' }],
    ['12345', { callType: 'special' }],
    // unknown, each with its reason
    ['', { callType: 'unknown', reason: 'number.empty' }],
    ['+', { callType: 'unknown', reason: 'number.empty' }],
    ['abc', { callType: 'unknown', reason: 'number.empty' }],
    ['00', { callType: 'unknown', reason: 'international.tooShort' }],
    ['004412', { callType: 'unknown', reason: 'international.tooShort' }],
    ['0', { callType: 'unknown', reason: 'national.empty' }],
    ['+86', { callType: 'unknown', reason: 'national.empty' }],
    ['0999123456', { callType: 'unknown', reason: 'national.noArea' }],
    ['0755123', { callType: 'unknown', reason: 'fixed.subscriberLength' }],
    ['0519123456789', { callType: 'unknown', reason: 'fixed.subscriberLength' }],
    ['19912345678', { callType: 'unknown', reason: 'mobile.noArea' }],
    ['1380013800', { callType: 'unknown', reason: 'mobile.length' }],
    ['0138001380001', { callType: 'unknown', reason: 'mobile.length' }],
    ['912', { callType: 'unknown', reason: 'number.unrecognized', normalized: '912' }], // the 9 rule must not fire
    ['123456789', { callType: 'unknown', reason: 'number.unrecognized' }],
  ])('%j', (dialled, expected) => {
    const result = classifyCall(dialled, ctx);
    const { reason, ...fields } = expected;
    for (const [field, value] of Object.entries(fields)) expect(result[field as keyof CallClassification], field).toEqual(value);
    expect(result.reason?.key).toBe(reason);
  });

  it('explains a stripped route prefix and a domestic mobile call step by step', () => {
    expect(classifyCall('913912345678', ctx).steps.map((s) => s.key)).toEqual([
      'route.stripped',
      'mobile.attribution',
      'area.other',
      'callType.domestic',
    ]);
  });

  it('drops our own country code and continues as national', () => {
    const steps = classifyCall('+8613800138000', ctx).steps;
    expect(steps[1]).toEqual({ key: 'international.ownCountry', params: { countryCode: '86', number: '13800138000' } });
  });

  it('tells local and domestic apart by the device area code', () => {
    const shanghai = beijingClassifyContext({ areaCode: '21' });
    expect(classifyCall('02150001234', shanghai).callType).toBe('local');
    expect(classifyCall('01062345678', shanghai).callType).toBe('domestic');
    expect(classifyCall('13800138000', shanghai).callType).toBe('domestic');
  });

  it('accepts the device area code written with its trunk prefix, and says so', () => {
    const written = beijingClassifyContext({ areaCode: '010' });
    expect(written.plan.areaCode).toBe('10');
    expect(written.plan.problems.map((p) => p.path)).toEqual(['areaCode']);
    expect(classifyCall('01062345678', written).callType).toBe('local');
  });

  it('uses the configured local lengths', () => {
    const sixDigits = beijingClassifyContext({ localNumberLengths: [6] });
    expect(classifyCall('623456', sixDigits).callType).toBe('local');
    expect(classifyCall('62345678', sixDigits).reason?.key).toBe('number.unrecognized');
  });

  it('ignores an invalid extension pattern and reports it when compiling', () => {
    const plan = compileNumberingPlan({ countryCode: '86', areaCode: '10', nationalPrefix: '0', internationalPrefix: '00', extensionPattern: '(' });
    expect(plan.problems.map((p) => p.path)).toEqual(['extensionPattern']);
    expect(classifyCall('8999', { ...ctx, plan }).callType).toBe('unknown');
    expect(classifyCall('8001', { ...ctx, plan }).callType).toBe('internal'); // known extensions still count
  });

  it('anchors the extension pattern to the whole number', () => {
    expect(classifyCall('18001', ctx).callType).not.toBe('internal');
  });

  it('still answers when a dependency throws', () => {
    const broken: ClassifyContext = {
      ...ctx,
      attribution: { ...ctx.attribution, findMobile: () => { throw new Error('index corrupted'); } },
    };
    const result = classifyCall('13800138000', broken);
    expect(result.callType).toBe('unknown');
    expect(result.reason).toEqual({ key: 'number.classifyFailed', params: { number: '13800138000', message: 'index corrupted' } });
    const noRules = { ...ctx, plan: { ...ctx.plan, routePrefixRules: null as never } };
    expect(classifyCall('13800138000', noRules).reason?.key).toBe('number.classifyFailed');
    expect(classifyCall(undefined as never, ctx).reason?.key).toBe('number.empty');
  });
});

describe('classifyCall is total', () => {
  const invariant = (dialled: string) => {
    const result = classifyCall(dialled, ctx);
    expect(CALL_TYPES).toContain(result.callType);
    if (result.callType === 'unknown') {
      expect(result.reason?.key).toBeTruthy();
      expect(result.steps).toContain(result.reason);
    } else {
      expect(result.reason).toBeUndefined();
      expect(result.ratingNumber).toMatch(/^\d+$/);
    }
    // Every step can be explained, so every step can be translated.
    for (const step of result.steps) expect(EXPLAIN_MESSAGES[step.key], step.key).toBeDefined();
  };

  it('for any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), invariant), { numRuns: 2000 });
  });

  it('for digit strings behind any prefix', () => {
    const prefix = fc.constantFrom('', '+', '0', '00', '9', '90', '900', '+86', '0086', '086', '01');
    fc.assert(fc.property(prefix, fc.stringMatching(/^\d{0,16}$/), (p, digits) => invariant(p + digits)), { numRuns: 5000 });
  });
});
