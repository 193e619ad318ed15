import i18next, { type i18n as I18n } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../../../../src-shared/api';
import type { OperationLogEntry } from '../../../../../src-shared/api/logs';
import { LANGUAGES, resources } from '../../../../i18n/resources';
import { formatMoneyText } from '../../../format/money';
import { formatDateTime } from '../../../format/time';
import { changeLines, detailLines, operationSentence } from './sentence';

const instances: Record<string, I18n> = {};

beforeAll(async () => {
  for (const lng of LANGUAGES) {
    const instance = i18next.createInstance();
    await instance.init({ resources, lng, fallbackLng: false, defaultNS: 'common', interpolation: { escapeValue: false } });
    instances[lng] = instance;
  }
});

const format = (lng: string) => ({
  money: (amount: string) => formatMoneyText(amount, lng, 'CNY'),
  dateTime: (instant: string) => formatDateTime(instant, { locale: lng, timeZone: 'Asia/Shanghai' }),
});

function sentence(lng: string, e: Partial<OperationLogEntry>): string {
  const i = instances[lng]!;
  const entry: OperationLogEntry = { id: 1, at: '2026-03-02T01:00:00.000Z', username: 'zhangsan', actorName: '张三', accountId: 2, method: 'x.y', address: '127.0.0.1', ...e };
  return operationSentence(i.t, (key) => i.exists(key), entry, format(lng));
}

const recharge: Partial<OperationLogEntry> = {
  method: 'accounts.recharge',
  target: 'account:1',
  targetKind: 'enterprise',
  targetId: '1',
  targetName: '企业 A',
  summary: { entry: { amount: '1000.0000', kind: 'recharge', reason: 'March' } },
};

describe('operation log sentences', () => {
  it('every mutation method of the contract has a template in both languages', () => {
    const mutations = Object.entries(api).filter(([, spec]) => spec.mutation).map(([name]) => name);
    expect(mutations.length).toBeGreaterThan(40);
    for (const lng of LANGUAGES) {
      const missing = mutations.filter((m) => !instances[lng]!.exists(`logs:actions.${m}`) || !instances[lng]!.exists(`logs:actionNames.${m}`));
      expect(missing, `templates missing in ${lng}`).toEqual([]);
    }
  });

  it('a recharge reads as a sentence with the target and the amount as money', () => {
    expect(sentence('zh-CN', recharge)).toBe('张三 为 企业 企业 A 充值 ¥1,000.00');
    expect(sentence('en', { ...recharge, actorName: 'Zhang San' })).toBe('Zhang San recharged enterprise 企业 A with ¥1,000.00');
  });

  it('a refund reads as the amount paid back; a target without a name by its kind and number', () => {
    const refund = { ...recharge, method: 'accounts.refund', summary: { entry: { amount: '-12.5000' } } };
    expect(sentence('zh-CN', refund)).toBe('张三 向 企业 企业 A 退款 ¥12.50');
    expect(sentence('en', { ...refund, targetName: undefined })).toBe('张三 refunded ¥12.50 to enterprise #1');
  });

  it('the engine jobs read as the scheduled job; an unknown action reads with the fallback', () => {
    const backup = { method: 'system.backup', accountId: undefined, actorName: '(scheduled)', targetKind: 'backup', targetId: 'b.db', targetName: 'b.db' };
    expect(sentence('zh-CN', backup)).toBe('系统定时任务 将数据库备份为 b.db');
    expect(sentence('en', backup)).toBe('The scheduled job backed up the database to b.db');
    expect(sentence('zh-CN', { method: 'future.thing', targetKind: 'device', targetId: '3', targetName: 'PBX' })).toBe('张三 执行了操作 future.thing（设备 PBX）');
    expect(sentence('en', { method: 'future.thing' })).toBe('张三 called future.thing ()');
  });

  it('disabling and re-enabling read differently', () => {
    const disable = { method: 'systemAccounts.disable', targetKind: 'systemAccount', targetId: '4', targetName: '李四' };
    expect(sentence('zh-CN', { ...disable, changes: [{ field: 'disabled', before: false, after: true }] })).toBe('张三 停用了 系统账号 李四');
    expect(sentence('en', { ...disable, changes: [{ field: 'disabled', before: true, after: false }] })).toBe('张三 re-enabled system account 李四');
  });

  it('changes name their fields and format their values in the UI language', () => {
    const changes = [
      { field: 'creditLimit', before: '0.0000', after: '50.0000' },
      { field: 'billingMode', before: 'prepaid', after: 'postpaid' },
      { field: 'pin', before: null, after: '***' },
      { field: 'sftp.host', before: 'a', after: 'b' },
      { field: 'freezeWhenExhausted', before: false, after: true },
    ];
    const zh = instances['zh-CN']!;
    expect(changeLines(zh.t, (k) => zh.exists(k), changes, format('zh-CN'))).toEqual([
      { field: 'creditLimit', label: '信用额度', before: '¥0.00', after: '¥50.00' },
      { field: 'billingMode', label: '计费方式', before: '预付费', after: '后付费' },
      { field: 'pin', label: '密码（PIN）', before: '（空）', after: '（已更改，不显示）' },
      { field: 'sftp.host', label: 'SFTP · 主机', before: 'a', after: 'b' },
      { field: 'freezeWhenExhausted', label: '余额用尽时冻结', before: '否', after: '是' },
    ]);
    const en = instances.en!;
    expect(changeLines(en.t, (k) => en.exists(k), changes.slice(0, 2), format('en')).map((l) => `${l.label}: ${l.before} → ${l.after}`)).toEqual([
      'credit limit: ¥0.00 → ¥50.00',
      'billing mode: prepaid → postpaid',
    ]);
  });

  it('details leave out what the sentence says and name the rest', () => {
    const zh = instances['zh-CN']!;
    const lines = detailLines(zh.t, (k) => zh.exists(k), { entry: { id: 9, kind: 'recharge', amount: '1000.0000', reason: 'March' } }, format('zh-CN'));
    expect(lines.map((l) => `${l.label}=${l.value}`)).toEqual(['金额=¥1,000.00', '原因=March']);
    const created = detailLines(zh.t, (k) => zh.exists(k), { after: { id: 3, name: 'Acme', rateGroupId: 1, alertState: 'ok', createdAt: '2026-03-01T00:00:00.000Z' } }, format('zh-CN'));
    expect(created.map((l) => `${l.label}=${l.value}`)).toEqual(['新建的内容 · 名称=Acme', '新建的内容 · 余额提醒状态=正常']);
  });
});
