/**
 * Bills as PDF (issue 15): exports.bill with format 'pdf' makes a statement in English and in Chinese that reads back
 * (unpdf, the pdf.js text layer) with the enterprise's name, the period and its time zone, the labels of the language,
 * and every figure of bills.get (opening and closing balance, the movements, usage by call type, user and gateway,
 * late usage from a closed month, recharges, refunds, adjustments, balances, and a postpaid amount due) to the cent
 * with the currency symbol of the settings. The font is embedded as a subset. An enterprise's own login gets its own
 * PDF and a 404 for another enterprise's. The PDFs are also written to test-results/bills-pdf/ to be looked at.
 */
import fs from 'node:fs';
import path from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillStatement } from '../src-shared/api/bills';
import type { DownloadTicket } from '../src-shared/api/downloads';
import { parseMoney } from '../src-shared/domain/money';
import { stoppedClock } from './helpers/clock';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { createStatsDataSet, generateCalls, importCalls, type StatsDataSet } from './helpers/stats-data';

const clock = stoppedClock('2026-03-20T10:00:00+08:00');
const OUT = path.resolve('test-results', 'bills-pdf');
const APRIL = '2026-04';
const ALPHA = '星辰科技 Alpha';
let t: TestEngine;
let admin: string;
let clerk: string;
let data: StatsDataSet;

async function setClock(iso: string) {
  clock.set(iso);
  admin = (await t.login()).token;
  clerk = (await t.login('clerk1', 'clerk1-Password-1')).token;
}

/** The statement's money as a reader sees it: 2 decimals (half away from zero), grouped, the symbol after the sign. */
function shown(text: string, symbol: string): string {
  const units = parseMoney(text);
  const cents = Math.floor((Math.abs(units) + 50) / 100);
  const whole = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${units < 0 && cents > 0 ? '-' : ''}${symbol}${whole}.${String(cents % 100).padStart(2, '0')}`;
}

/** Every amount of the statement a reader must find on paper. */
function amountsOf(b: BillStatement): string[] {
  const mv = b.movements;
  return [
    b.opening,
    b.closing,
    mv.charges,
    mv.lateUsage,
    mv.recharges,
    mv.refunds,
    mv.adjustments,
    b.usage.amount,
    ...(b.amountDue !== null ? [b.amountDue] : []),
    ...b.chargesByType.map((c) => c.amount),
    ...b.chargesByUser.map((c) => c.amount),
    ...b.chargesByGateway.map((c) => c.amount),
    ...b.lateUsage.months.flatMap((m) => [...m.byType.map((c) => c.amount), m.total.amount]),
    ...b.entries.map((e) => e.amount),
    ...b.balances.flatMap((a) => [a.opening, a.closing]),
  ];
}

async function download(ticket: DownloadTicket, token: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let offset = 0; ; ) {
    const chunk = await t.call('downloads.read', { token: ticket.token, offset }, token);
    parts.push(Buffer.from(chunk.base64, 'base64'));
    offset += parts[parts.length - 1]!.length;
    if (chunk.done) break;
  }
  return Buffer.concat(parts);
}

/** The PDF of a statement through the API, saved for a look, and its text as pdf.js reads it. */
async function pdfOf(input: { enterpriseId?: number; month: string; language: 'en' | 'zh-CN' }, token: string, name: string) {
  const ticket = await t.call('exports.bill', { ...input, format: 'pdf' } as never, token);
  expect(ticket.contentType).toBe('application/pdf');
  expect(ticket.fileName).toMatch(/\.pdf$/);
  const bytes = await download(ticket, token);
  expect(bytes.length).toBe(ticket.sizeBytes);
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, `${name}.pdf`), bytes);
  const doc = await getDocumentProxy(new Uint8Array(bytes));
  const { text, totalPages } = await extractText(doc, { mergePages: true });
  return { bytes, text, pages: totalPages, ticket };
}

beforeAll(async () => {
  t = await startTestEngine({ http: false, cdrListener: false, now: clock });
  admin = await t.loginAs('admin');
  clerk = await t.loginAs('clerk');
  await t.services.rating.ready();
  await t.call('stats.setTimeZone', { timeZone: 'Asia/Shanghai' }, admin);
  await t.services.statistics.rebuilt();
  // March: calls, a user with a Chinese name, money movements.
  data = await createStatsDataSet(t, clerk, Date.UTC(2026, 2, 2), 3, 160);
  const { a, b } = data.enterprises;
  await t.call('enterprises.update', { id: a, name: ALPHA }, clerk);
  await t.call('userAccounts.create', { enterpriseId: a, name: '王小明', extensions: [{ deviceId: data.deviceId, number: '8030' }] }, clerk);
  await importCalls(t, clerk, data.deviceId, generateCalls(7, Date.UTC(2026, 2, 10), 2, 20, ['8030'], ['trunk-cn', 'trunk-a']), 300_000, 'wang.csv');
  // April: March is closed from the 5th; March calls that arrive now are late usage on April's statement.
  await setClock('2026-04-10T10:00:00+08:00');
  expect((await t.call('bills.close', { month: '2026-03' }, clerk)).closed.length).toBeGreaterThan(0);
  await importCalls(t, clerk, data.deviceId, generateCalls(11, Date.UTC(2026, 2, 25), 3, 30, ['8001', '8030', '8011'], ['trunk-cn', 'trunk-a']), 310_000, 'march-late.csv');
  await importCalls(t, clerk, data.deviceId, generateCalls(13, Date.UTC(2026, 3, 1), 8, 60, ['8001', '8002', '8030', '8011', '8050'], ['trunk-cn', 'trunk-a', 'trunk-b']), 320_000, 'april.csv');
  await t.call('accounts.recharge', { accountId: a, amount: '300', reason: '四月充值', method: 'bank', reference: 'TX-0410' }, clerk);
  await t.call('accounts.refund', { accountId: a, amount: '20.5', reason: 'overpaid' }, clerk);
  await t.call('accounts.adjust', { accountId: a, amount: '-1.25', reason: 'fee' }, clerk);
  // Beta is postpaid: an adjustment puts it in debt, so its April statement has an amount due.
  await t.call('accounts.adjust', { accountId: b, amount: '-6000', reason: 'line rental' }, clerk);
}, 90_000);
afterAll(() => t.dispose());

describe('a statement as PDF', () => {
  it('in English: the enterprise, the period, the labels and every figure of bills.get to the cent', async () => {
    const bill = await t.call('bills.get', { enterpriseId: data.enterprises.a, month: APRIL }, clerk);
    expect(bill.lateUsage.months.map((m) => m.month)).toEqual(['2026-03']);
    expect(bill.entries.length).toBe(3);
    const { text, bytes, pages } = await pdfOf({ enterpriseId: data.enterprises.a, month: APRIL, language: 'en' }, clerk, 'alpha-2026-04-en');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pages).toBeGreaterThanOrEqual(1);
    for (const s of [ALPHA, 'Monthly statement 2026-04', '2026-04-01 – 2026-04-30', 'Asia/Shanghai', 'Prepaid', 'Opening balance', 'Closing balance',
      'Calls of the month by call type', 'Calls of the month by user', 'Calls of the month by gateway', 'Late usage from 2026-03', 'Recharges', 'Refunds',
      'Adjustments', '王小明', 'Li Wei', 'Alpha trunk', '四月充值', 'TX-0410', 'clerk1', `Page 1 of ${pages}`]) {
      expect(text, s).toContain(s);
    }
    // Not the other language, not an amount due (prepaid).
    expect(text).not.toContain('期初余额');
    expect(text).not.toContain('Amount due');
    for (const amount of amountsOf(bill)) expect(text, amount).toContain(shown(amount, '¥'));
    // The money movements are the ones of the API, signed: the refund and the adjustment take money away.
    expect(text).toContain('¥300.00');
    expect(text).toContain('-¥20.50');
    expect(text).toContain('-¥1.25');
    // The month's calls and talk time as h:mm:ss, next to their amount.
    const s = bill.usage.seconds;
    const hms = `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
    expect(text).toContain(`${bill.usage.calls} ${hms} ${shown(bill.usage.amount, '¥')}`);
  });

  it('in Chinese: the Chinese labels, the same figures, the font embedded as a subset', async () => {
    const bill = await t.call('bills.get', { enterpriseId: data.enterprises.a, month: APRIL }, clerk);
    const { text, bytes, pages } = await pdfOf({ enterpriseId: data.enterprises.a, month: APRIL, language: 'zh-CN' }, clerk, 'alpha-2026-04-zh-CN');
    for (const s of [ALPHA, '月结账单 2026-04', '2026-04-01 – 2026-04-30', 'Asia/Shanghai', '预付费', '期初余额', '期末余额', '本月通话话费',
      '本月通话（按呼叫类型）', '本月通话（按用户）', '本月通话（按网关）', '2026-03 的迟到话费', '充值', '退款', '调整', '王小明', '合计', `第 1 页，共 ${pages} 页`]) {
      expect(text, s).toContain(s);
    }
    expect(text).not.toContain('Opening balance');
    for (const amount of amountsOf(bill)) expect(text, amount).toContain(shown(amount, '¥'));
    // A subset of Noto Sans SC is embedded (a tag before the name), not the 10 MB font, nor a font the reader must have.
    const raw = bytes.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
    expect(raw).toContain('/FontFile2');
    expect(bytes.length).toBeLessThan(200_000);
  });

  it('postpaid: the amount due, in the currency of the settings', async () => {
    await t.call('settings.update', { currency: { code: 'USD', symbol: '$' } }, admin);
    try {
      const bill = await t.call('bills.get', { enterpriseId: data.enterprises.b, month: APRIL }, clerk);
      expect(bill.billingMode).toBe('postpaid');
      expect(parseMoney(bill.amountDue!)).toBeGreaterThan(0);
      for (const language of ['en', 'zh-CN'] as const) {
        const { text } = await pdfOf({ enterpriseId: data.enterprises.b, month: APRIL, language }, clerk, `beta-2026-04-${language}`);
        expect(text).toContain(language === 'en' ? 'Amount due' : '应付金额');
        expect(text).toContain(language === 'en' ? 'Postpaid' : '后付费');
        expect(text).toContain(shown(bill.amountDue!, '$'));
        for (const amount of amountsOf(bill)) expect(text, amount).toContain(shown(amount, '$'));
        expect(text).not.toContain('¥');
      }
    } finally {
      await t.call('settings.update', { currency: { code: 'CNY', symbol: '¥' } }, admin);
    }
  });

  it("an enterprise's login gets its own PDF and a 404 for another enterprise's", async () => {
    const { a, b } = data.enterprises;
    await t.call('enterprises.createLogin', { id: a, username: 'alpha-pdf', password: 'Alpha-first-1' }, clerk);
    const first = await t.login('alpha-pdf', 'Alpha-first-1');
    await t.call('auth.changePassword', { oldPassword: 'Alpha-first-1', newPassword: 'Alpha-portal-2' }, first.token);
    const alpha = (await t.login('alpha-pdf', 'Alpha-portal-2')).token;

    const own = await pdfOf({ month: APRIL, language: 'zh-CN' }, alpha, 'alpha-2026-04-own');
    const bill = await t.call('bills.get', { enterpriseId: a, month: APRIL }, clerk);
    expect(own.text).toContain(ALPHA);
    expect(own.text).toContain(shown(bill.closing, '¥'));
    expect(own.text).toContain('alpha-pdf');
    expect(own.text).not.toMatch(/Beta|Gamma/);
    await expect(t.call('exports.bill', { enterpriseId: b, month: APRIL, format: 'pdf', language: 'en' }, alpha)).rejects.toMatchObject({ code: 'not_found' });
    // The file is the login's own: a clerk cannot take it, and the login cannot fetch a clerk's.
    const clerks = await t.call('exports.bill', { enterpriseId: b, month: APRIL, format: 'pdf', language: 'en' }, clerk);
    await expect(t.call('downloads.read', { token: clerks.token }, alpha)).rejects.toMatchObject({ code: 'not_found' });
  });
});
