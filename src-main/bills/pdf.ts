/**
 * `exports.bill` with format 'pdf': one monthly statement as a PDF made in the engine (pdfkit; the headless server has
 * no browser to print with), in the caller's language (zh-CN or en): the enterprise, the period and its time zone,
 * the summary (opening balance, the month's calls, late usage, recharges, refunds, adjustments, closing balance, and
 * for postpaid the amount due), usage by call type, user and gateway, late usage from earlier months apart, money
 * movements and balances as posted. Every figure is the statement's (bills.get), shown with 2 decimals and the
 * currency symbol of the settings: a line's amount is rounded on its own, half away from zero, as the screens do.
 */
import type { BillChargeLine, BillStatement } from '../../src-shared/api/bills';
import type { DownloadTicket } from '../../src-shared/api/downloads';
import { formatMoney2, parseMoney } from '../../src-shared/domain/money';
import type { CallContext } from '../api/call-context';
import type { DownloadRegistry } from '../downloads/registry';
import { formatWallClock } from '../exports/wall-clock';
import type { SettingsService } from '../settings/service';
import { hms, type ExportLanguage } from '../statistics/export-labels';
import { billPdfLabels, type BillPdfLabels } from './pdf-labels';
import { billFontPath, BillPdfWriter, type PdfColumn, type PdfRow } from './pdf-layout';
import type { BillingService } from './service';

export const PDF_TYPE = 'application/pdf';

export interface BillPdfOptions {
  language: ExportLanguage;
  /** The currency of the settings: its symbol is shown, its code where the font lacks a glyph of the symbol. */
  currency: { code: string; symbol: string };
  fontPath: string;
  /** The engine's clock. */
  now: number;
  /** Who asked for the file (shown as "generated … by"). */
  username: string;
}

/** "-1234.5650" -> "-¥1,234.57". */
export function pdfMoney(text: string, symbol: string): string {
  const fixed = formatMoney2(parseMoney(text));
  const negative = fixed.startsWith('-') && /[1-9]/.test(fixed);
  const [whole, cents] = fixed.replace('-', '').split('.') as [string, string];
  return `${negative ? '-' : ''}${symbol}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

const count = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
/** Late usage may give calls and talk time back (a rerate moved a call to another type). */
const duration = (seconds: number) => (seconds < 0 ? `-${hms(-seconds)}` : hms(seconds));
const isNegative = (text: string) => text.trim().startsWith('-') && /[1-9]/.test(text);

/** What every section of a statement's PDF draws with: the writer, the texts and the ways figures are shown. */
interface PdfSections {
  w: BillPdfWriter;
  l: BillPdfLabels;
  bill: BillStatement;
  /** Wall-clock time of an instant in the statement's zone. */
  at(iso: string): string;
  /** The day of an instant; with endExclusive, the last day of a period ending (exclusive) at it. */
  day(iso: string, endExclusive?: boolean): string;
  money(text: string): string;
  usageColumns(first: string): PdfColumn[];
  usageRow(name: string, c: BillChargeLine, total?: boolean): PdfRow;
  moneyRow(name: string, amount: string, calls?: BillChargeLine, total?: boolean): PdfRow;
  typeName(t: string): string;
}

/** Writes the statement as a PDF to `file`. */
export async function writeBillPdf(bill: BillStatement, o: BillPdfOptions, file: string): Promise<void> {
  const l = billPdfLabels(o.language);
  const w = new BillPdfWriter({
    fontPath: o.fontPath,
    title: `${l.title} ${bill.month} · ${bill.enterpriseName}`,
    subject: `${bill.enterpriseName} ${bill.month}`,
    language: o.language,
    createdAt: new Date(o.now),
  });
  const symbol = w.hasGlyphs(o.currency.symbol) ? o.currency.symbol : `${o.currency.code} `;
  const x = sectionsOf(w, l, bill, symbol);
  writeInfo(x, o, symbol);
  writeSummary(x);
  writeUsage(x);
  writeLateUsage(x);
  writeEntries(x);
  writeBalances(x);
  w.footers(`${bill.enterpriseName} · ${l.title} ${bill.month}`, l.page);
  await w.save(file);
}

function sectionsOf(w: BillPdfWriter, l: BillPdfLabels, bill: BillStatement, symbol: string): PdfSections {
  const zone = bill.timeZone;
  const money = (text: string) => pdfMoney(text, symbol);
  return {
    w,
    l,
    bill,
    money,
    at: (iso) => formatWallClock(Date.parse(iso), zone),
    day: (iso, endExclusive = false) => formatWallClock(Date.parse(iso) - (endExclusive ? 1 : 0), zone).slice(0, 10),
    usageColumns: (first) => [
      { header: first, share: 0.46 },
      { header: l.columns.calls, share: 0.14, align: 'right' },
      { header: l.columns.duration, share: 0.16, align: 'right' },
      { header: l.columns.amount, share: 0.24, align: 'right' },
    ],
    usageRow: (name, c, total = false) => ({
      cells: [name, count(c.calls), duration(c.seconds), money(c.amount)],
      ...(total ? { total } : {}),
      ...(isNegative(c.amount) ? { red: [3] } : {}),
    }),
    moneyRow: (name, amount, calls, total = false) => ({
      cells: [name, calls ? count(calls.calls) : '', calls ? duration(calls.seconds) : '', money(amount)],
      ...(total ? { total } : {}),
      ...(isNegative(amount) ? { red: [3] } : {}),
    }),
    typeName: (t) => l.callTypes[t] ?? t,
  };
}

function writeInfo({ w, l, bill, at, day }: PdfSections, o: BillPdfOptions, symbol: string): void {
  const enterprise = bill.enterpriseCode ? `${bill.enterpriseName} (${bill.enterpriseCode})` : bill.enterpriseName;
  w.title(`${l.title} ${bill.month}`, enterprise);
  w.infoBlock([
    [l.info.enterprise, bill.enterpriseName],
    [l.info.code, bill.enterpriseCode ?? '—'],
    [l.info.month, bill.month],
    [l.info.period, `${day(bill.periodFrom)} – ${day(bill.periodTo, true)}`],
    [l.info.timeZone, bill.timeZone],
    [l.info.mode, l.modes[bill.billingMode]],
    [l.info.currency, `${o.currency.code} (${symbol.trim()})`],
    [l.info.generated, l.generatedBy(formatWallClock(o.now, bill.timeZone), o.username)],
    [l.info.state, bill.state === 'closed' ? l.states.closed(at(bill.closedAt!), bill.closedBy ?? '') : l.states.open(at(bill.closableFrom))],
  ]);
}

function writeSummary({ w, l, bill, money, usageColumns, moneyRow }: PdfSections): void {
  const mv = bill.movements;
  w.heading(l.sections.summary, 150);
  w.table(usageColumns(l.columns.item), [
    moneyRow(l.summary.opening, bill.opening),
    moneyRow(l.summary.charges, mv.charges, bill.usage),
    moneyRow(l.summary.lateUsage, mv.lateUsage, bill.lateUsage.total),
    moneyRow(l.summary.recharges, mv.recharges),
    moneyRow(l.summary.refunds, mv.refunds),
    moneyRow(l.summary.adjustments, mv.adjustments),
    moneyRow(l.summary.closing, bill.closing, undefined, true),
  ]);
  if (bill.amountDue !== null) w.callout(l.summary.amountDue, money(bill.amountDue));
}

/** The month's calls by call type, user and gateway. */
function writeUsage({ w, l, bill, usageColumns, usageRow, typeName }: PdfSections): void {
  w.heading(l.sections.byType);
  chargeTable(w, l, usageColumns(l.columns.callType), bill.chargesByType.map((c) => usageRow(typeName(c.callType), c)), usageRow(l.total, bill.usage, true));

  const users = bill.chargesByUser.map((u) => usageRow(u.name, u));
  if (bill.chargesToEnterprise.calls !== 0) users.push(usageRow(l.toEnterprise, bill.chargesToEnterprise));
  w.heading(l.sections.byUser);
  chargeTable(w, l, usageColumns(l.columns.user), users);

  w.heading(l.sections.byGateway);
  chargeTable(w, l, usageColumns(l.columns.gateway), bill.chargesByGateway.map((g) => usageRow(g.name, g)));
}

function writeLateUsage({ w, l, bill, day, usageColumns, usageRow, typeName }: PdfSections): void {
  w.heading(l.sections.late);
  if (bill.lateUsage.months.length === 0) w.note(l.hints.none);
  else {
    w.note(l.hints.late);
    for (const late of bill.lateUsage.months) {
      w.heading(l.sections.lateFrom(late.month, day(late.periodFrom), day(late.periodTo, true)));
      w.table(usageColumns(l.columns.callType), [...late.byType.map((c) => usageRow(typeName(c.callType), c)), usageRow(l.total, late.total, true)]);
    }
  }
}

/** Recharges, refunds, adjustments and freezes of the period. */
function writeEntries({ w, l, bill, at, money }: PdfSections): void {
  w.heading(l.sections.entries);
  if (bill.entries.length === 0) w.note(l.hints.none);
  else {
    const e = l.columnsEntries;
    w.table(
      [
        { header: e.at, share: 0.2 },
        { header: e.kind, share: 0.12, wrap: true },
        { header: e.account, share: 0.17, wrap: true },
        { header: e.details, share: 0.22, wrap: true },
        { header: e.operator, share: 0.11, wrap: true },
        { header: e.amount, share: 0.18, align: 'right' },
      ],
      bill.entries.map((x) => ({
        cells: [at(x.at), l.ledgerKinds[x.kind] ?? x.kind, x.accountName, [x.reason, x.method, x.reference].filter(Boolean).join(' · '), x.operator, money(x.amount)],
        ...(isNegative(x.amount) ? { red: [5] } : {}),
      })),
    );
  }
}

function writeBalances({ w, l, bill, money }: PdfSections): void {
  w.heading(l.sections.balances);
  w.note(l.hints.balances);
  w.table(
    [
      { header: l.columns.account, share: 0.52 },
      { header: l.columns.opening, share: 0.24, align: 'right' },
      { header: l.columns.closing, share: 0.24, align: 'right' },
    ],
    bill.balances.map((b) => ({
      cells: [`${b.name} (${l.accountKinds[b.kind] ?? b.kind})`, money(b.opening), money(b.closing)],
      red: [1, 2].filter((i) => isNegative(i === 1 ? b.opening : b.closing)),
    })),
  );
}

function chargeTable(w: BillPdfWriter, l: BillPdfLabels, columns: PdfColumn[], rows: PdfRow[], total?: PdfRow): void {
  if (rows.length === 0) w.note(l.hints.none);
  else w.table(columns, total ? [...rows, total] : rows);
}

/** What a statement's PDF uses: the statement, the currency of the settings, the font's folder, the download, the clock. */
export interface BillPdfDeps {
  bills: BillingService;
  settings: SettingsService;
  /** The engine's configuration: the packaged font is among its resources. */
  config: { resourcesDir: string };
  downloads: DownloadRegistry;
  now(): number;
}

/** Makes the statement's PDF and hands it out as a download of the caller's. */
export async function exportBillPdf(s: BillPdfDeps, q: { enterpriseId: number; month: string; language: ExportLanguage }, ctx: CallContext): Promise<DownloadTicket> {
  const bill = s.bills.get(q.enterpriseId, q.month);
  const file = s.downloads.newFile('pdf');
  await writeBillPdf(
    bill,
    { language: q.language, currency: s.settings.get('currency'), fontPath: billFontPath(s.config.resourcesDir), now: s.now(), username: ctx.user?.username ?? '' },
    file,
  );
  return s.downloads.offer({
    file,
    fileName: `bill-${bill.enterpriseName.replace(/[\\/:*?"<>|]/g, '_')}-${bill.month}.pdf`,
    contentType: PDF_TYPE,
    owner: ctx,
  });
}
