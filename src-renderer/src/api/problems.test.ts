import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, fieldDetails, notFound, noSuch } from '../../../src-shared/api/errors';
import { problem, problemsByField } from '../../../src-shared/api/messages';
import { resources } from '../../i18n/resources';
import { describeError, fieldLabel, translatedFieldErrors, translateProblem } from './problems';

const ts: Record<'en' | 'zh-CN', TFunction> = {} as never;

beforeAll(async () => {
  for (const lng of ['en', 'zh-CN'] as const) {
    const i = i18next.createInstance();
    await i.init({ resources, lng, fallbackLng: 'en', interpolation: { escapeValue: false } });
    ts[lng] = i.t;
  }
});

const LATIN_WORD = /[A-Za-z]{2,}/;

describe('translateProblem', () => {
  it('translates a zod problem with its params in both languages', () => {
    const [p] = problemsByField(z.object({ name: z.string().max(100) }).safeParse({ name: 'x'.repeat(101) }).error!.issues).name!;
    expect(translateProblem(p!, ts.en)).toBe('must be at most 100 characters');
    expect(translateProblem(p!, ts['zh-CN'])).toBe('最多 100 个字符');
  });

  it('names the thing and the field by their translated names', () => {
    expect(translateProblem(notFound('device', 7).problem!, ts['zh-CN'])).toBe('设备 7 不存在。');
    expect(translateProblem(noSuch('rateGroup'), ts['zh-CN'])).toBe('费率组不存在');
    expect(translateProblem(problem('api.invalidField', 'Invalid input: areaCode must be up to 6 digits', { field: 'areaCode' }), ts['zh-CN'])).toBe('请检查“区号”。');
    expect(translateProblem(problem('api.invalidField', 'x', { field: 'areaCode' }), ts.en)).toBe('Check Area code.');
  });

  it('gives a generic sentence, never the English text, for a key the catalogue lacks', () => {
    const text = translateProblem(problem('field.noSuchKeyAnywhere', 'an English sentence'), ts['zh-CN']);
    expect(text).not.toContain('English');
    expect(text).toBe('计费引擎拒绝了此操作，原因见技术详情。');
  });
});

describe('fieldLabel', () => {
  it('labels a nested path by its last named segment, and the whole input generically', () => {
    expect(fieldLabel('rates.0.intervals.1.start', ts['zh-CN'])).toBe('起始秒数');
    expect(fieldLabel('countryCode', ts['zh-CN'])).toBe('国家代码');
    expect(fieldLabel('(input)', ts['zh-CN'])).toBe('输入');
    expect(fieldLabel('somethingUnheardOf', ts['zh-CN'])).toBe('此项');
  });
});

describe('describeError', () => {
  it('shows the field problems in Chinese and keeps the English message as the detail', () => {
    const error = ApiError.fromBody(
      new ApiError(
        'invalid_input',
        'Invalid input: countryCode must be 1 to 3 digits',
        fieldDetails({ countryCode: problem('field.digitsBetween', 'must be 1 to 3 digits', { min: 1, max: 3 }) }),
        problem('api.invalidField', 'Invalid input: countryCode must be 1 to 3 digits', { field: 'countryCode' }),
      ).toBody(),
    );
    const d = describeError(error, ts['zh-CN']);
    expect(d).toEqual({ title: '输入有误', message: '国家代码：必须是 1 到 3 位数字', detail: 'Invalid input: countryCode must be 1 to 3 digits' });
    expect(LATIN_WORD.test(d.title + d.message)).toBe(false);
    expect(translatedFieldErrors(error, ts['zh-CN'])).toEqual({ countryCode: '必须是 1 到 3 位数字' });
  });

  it('translates an error with only a top-level problem, and one without any (an older server)', () => {
    const conflict = ApiError.keyed('conflict', 'api.lastAdminDisable', 'This is the last active administrator; it cannot be disabled.');
    expect(describeError(conflict, ts['zh-CN']).message).toBe('这是最后一个有效的管理员账号，不能停用。');
    const old = new ApiError('conflict', 'Something English.');
    const d = describeError(old, ts['zh-CN']);
    expect(d.message).toBe('当前状态下无法执行此操作。');
    expect(d.detail).toBe('Something English.');
    const crash = describeError(new Error('boom'), ts['zh-CN']);
    expect(crash.message).not.toContain('boom');
    expect(crash.detail).toBe('boom');
  });
});
