import type { APIRequestContext } from '@playwright/test';
import { adminApi } from '../server';


/** "2026-12-07 09:15:02" in Shanghai for an instant (the device's wall clock). */
function shanghaiWallClock(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Asterisk Master.csv lines for calls that ended an hour or two before the real time (so today's dashboard and this
 * month's statistics have something to show on any date), with Chinese caller names: every Latin word the walk finds
 * is then the UI's own, not the data's.
 */
function recentCalls(now: number): string {
  const calls: [string, string, string, number][] = [
    ['8001', '902150001234', '李伟', 122],
    ['8002', '913800138000', '张敏', 61],
    ['8003', '8004', '王芳', 300],
    ['8001', '00442079460000', '李伟', 95],
    ['8002', '9110', '张敏', 20],
  ];
  return calls
    .map(([src, dst, name, billsec], i) => {
      const start = now - 2 * 3600_000 + i * 600_000;
      const answer = start + 5_000;
      const end = answer + billsec * 1000;
      const cells = [
        '', src, dst, 'from-internal', `"${name}" <${src}>`, `PJSIP/${src}-0000000${i}`, 'PJSIP/trunk-cn-00000001', 'Dial',
        `PJSIP/${dst}@trunk-cn,60`, shanghaiWallClock(start), shanghaiWallClock(answer), shanghaiWallClock(end),
        String(billsec + 5), String(billsec), 'ANSWERED', 'DOCUMENTATION',
      ];
      return cells.map((c) => (/^\d+$/.test(c) ? c : `"${c.replace(/"/g, '""')}"`)).join(',');
    })
    .join('\n');
}

export interface Seeded {
  enterpriseId: number;
  deviceId: number;
}

/**
 * A working set-up in Chinese names: a device, a rate group without a rate for special numbers (so one call waits in
 * the unrated queue), an enterprise with users and a gateway, a clerk, a recharge, calls of today and one unreadable
 * line (a reject).
 */
export async function seedWorkspace(request: APIRequestContext, now: number): Promise<Seeded> {
  const api = await adminApi(request);
  const device = await api<{ id: number }>('devices.create', {
    name: '北京总部', format: 'asterisk-csv', timeZone: 'Asia/Shanghai', countryCode: '86', areaCode: '10',
    nationalPrefix: '0', internationalPrefix: '00', extensionPattern: '8\\d{3}',
  });
  await api('routePrefixes.create', { deviceId: device.id, prefix: '9', minRemainingLength: 3 });
  const group = await api<{ id: number }>('rateGroups.create', { name: '标准费率', language: 'zh-CN' });
  for (const rate of [
    { name: '国内长途', callType: 'domestic', intervals: [{ start: 0, price: '0.30', unit: 60, increment: 6 }] },
    { name: '国际', callType: 'international', intervals: [{ start: 0, price: '1.20', unit: 60, increment: 60 }] },
    { name: '英国', callType: 'international', prefix: '44', connectFee: '0.10', intervals: [{ start: 0, price: '0.80', unit: 60, increment: 60 }] },
  ]) {
    await api('rates.create', { rateGroupId: group.id, ...rate });
  }
  const enterprise = await api<{ id: number }>('enterprises.create', { name: '星辰科技', rateGroupId: group.id, billingMode: 'prepaid' });
  await api('enterprises.create', { name: '远航贸易', rateGroupId: group.id, billingMode: 'postpaid' });
  for (const [number, name] of [['8001', '李伟'], ['8002', '张敏'], ['8003', '王芳']] as const) {
    await api('userAccounts.create', { enterpriseId: enterprise.id, name, extensions: [{ deviceId: device.id, number }] });
  }
  await api('accounts.recharge', { accountId: enterprise.id, amount: '1000.00', reason: '首次充值' });
  await api('systemAccounts.create', { username: 'clerk1', password: 'Clerk-pass-123', role: 'clerk', mustChangePassword: false });
  const content = Buffer.from(`${recentCalls(now)}\n这不是一条话单\n`).toString('base64');
  await api('cdrs.import', { deviceId: device.id, fileName: 'Master.csv', content });
  return { enterpriseId: enterprise.id, deviceId: device.id };
}
