/**
 * Exports of user accounts and extensions (the filter of their list, as .xlsx or .csv, in the layout their imports
 * read back) and the empty templates of those imports, all through the shared table writer and one-time downloads.
 * Headings, titles and enumerated values (yes/no, status, kinds) are in the language asked for (exports/labels.ts);
 * the imports read either language.
 */
import type { DownloadTicket } from '../../../src-shared/api/downloads';
import type { CallContext } from '../../api/call-context';
import type { DownloadOffers } from '../../downloads/registry';
import type { ExtensionsRow } from '../../db/rows';
import { exportLabels, filtersText, valueMap, type ExportLanguage, type FileLabels } from '../../exports/labels';
import { CSV_TYPE, XLSX_TYPE, writeTableExport, type ExportColumn } from '../../exports/table-export';
import { formatWallClock } from '../../exports/wall-clock';
import { extensionListWhere } from '../extension-handlers';
import { memberListWhere } from '../member-handlers';
import { rechargeListWhere } from '../money-handlers';
import type { AccountRepository, AccountWithEnterprise } from '../repository';
import { EXTENSION_COLUMNS, USER_COLUMNS, type ColumnText } from './columns';
import type { AccountFileRepository, ExtensionExportRow, RechargeExportRow } from './repository';

/** What the exports and templates of account files use. */
export interface AccountExportDeps {
  files: AccountFileRepository;
  accountRepo: AccountRepository;
  downloads: DownloadOffers;
  now(): number;
}

type Format = 'xlsx' | 'csv';
const BATCH = 2000;

interface UserExportRow {
  a: AccountWithEnterprise;
  /** The Device and Extensions cells. */
  device: string;
  extensions: string;
}

interface Names {
  device(id: number): string;
  rateGroup(id: number | null): string;
}

function namesOf(files: AccountFileRepository): Names {
  const devices = new Map(files.devices().map((d) => [d.id, d.name]));
  const groups = new Map(files.rateGroups().map((g) => [g.id, g.name]));
  return {
    // A name with a list separator in it would split the Extensions cell: such devices are written by id.
    device: (id) => {
      const name = devices.get(id);
      return name && !/[;,，；:：]/.test(name) ? name : String(id);
    },
    rateGroup: (id) => (id === null ? '' : (groups.get(id) ?? String(id))),
  };
}

/** Device and Extensions cells: one device named once, several as device:number items. */
function extensionCells(list: Pick<ExtensionsRow, 'device_id' | 'number'>[], names: Names): { device: string; extensions: string } {
  if (list.length === 0) return { device: '', extensions: '' };
  const devices = new Set(list.map((x) => x.device_id));
  if (devices.size === 1) return { device: names.device(list[0]!.device_id), extensions: list.map((x) => x.number).join('; ') };
  return { device: '', extensions: list.map((x) => `${names.device(x.device_id)}:${x.number}`).join('; ') };
}

function userColumns(names: Names, l: FileLabels): ExportColumn<UserExportRow>[] {
  const h = l.users.columns;
  const yesNo = (v: boolean) => (v ? l.yesNo.yes : l.yesNo.no);
  return [
    { header: h.id, kind: 'integer', width: 8, value: (r) => r.a.id },
    { header: h.enterprise, width: 24, value: (r) => r.a.ent_name },
    { header: h.name, width: 20, value: (r) => r.a.name },
    { header: h.code, width: 12, value: (r) => r.a.code },
    { header: h.device, width: 16, value: (r) => r.device },
    { header: h.extensions, width: 20, value: (r) => r.extensions },
    { header: h.cardNumber, width: 16, value: (r) => r.a.card_number },
    // PINs are stored hashed and never leave the system; an empty cell keeps the stored PIN on import.
    { header: h.pin, width: 8, value: () => '' },
    { header: h.ownBalance, width: 12, value: (r) => yesNo(r.a.own_balance === 1) },
    { header: h.rateGroup, width: 16, value: (r) => names.rateGroup(r.a.rate_group_id) },
    { header: h.creditLimit, kind: 'money', width: 12, value: (r) => r.a.credit_limit },
    { header: h.lowBalance, kind: 'money', width: 12, value: (r) => r.a.low_balance },
    { header: h.freezeWhenExhausted, width: 12, value: (r) => yesNo(r.a.freeze_when_exhausted === 1) },
    { header: h.balance, kind: 'money', width: 14, value: (r) => (r.a.own_balance === 1 ? r.a.balance : r.a.ent_balance) },
    { header: h.status, width: 10, value: (r) => (r.a.status === 'frozen' || (r.a.own_balance !== 1 && r.a.ent_status === 'frozen') ? l.users.status.frozen : l.users.status.active) },
    { header: h.notes, width: 30, value: (r) => r.a.notes },
  ];
}

const stampOf = (deps: AccountExportDeps, timeZone: string) => formatWallClock(deps.now(), timeZone).replace(/[-:]/g, '').replace(' ', '-');

async function offerTable<R>(
  deps: AccountExportDeps,
  ctx: CallContext,
  spec: {
    format: Format;
    timeZone: string;
    labels: FileLabels;
    title: string;
    sheetName: string;
    baseName: string;
    headerBlock: [string, string][];
    columns: ExportColumn<R>[];
  },
  batches: Iterable<R[]>,
): Promise<DownloadTicket> {
  const file = deps.downloads.newFile(spec.format);
  const result = await writeTableExport(
    {
      format: spec.format,
      file,
      sheetName: spec.sheetName,
      title: spec.title,
      headerBlock: [
        ...spec.headerBlock,
        [spec.labels.block.exportedBy, ctx.user?.username ?? spec.labels.block.unknownUser],
        [spec.labels.block.exportedAt, `${formatWallClock(deps.now(), spec.timeZone)} (${spec.timeZone})`],
      ],
      columns: spec.columns,
      timeZone: spec.timeZone,
    },
    batches,
  );
  return deps.downloads.offer({
    file,
    fileName: `${spec.baseName}-${stampOf(deps, spec.timeZone)}.${spec.format}`,
    contentType: spec.format === 'xlsx' ? XLSX_TYPE : CSV_TYPE,
    owner: ctx,
    rows: result.rows,
  });
}

export function exportUserAccounts(
  deps: AccountExportDeps,
  ctx: CallContext,
  q: { q?: string; status?: 'active' | 'frozen'; enterpriseId?: number; format: Format; timeZone: string; language?: ExportLanguage },
): Promise<DownloadTicket> {
  const l = exportLabels(q.language);
  const names = namesOf(deps.files);
  const { where, params } = memberListWhere(q, 'user');
  function* batches(): Generator<UserExportRow[]> {
    let after: number | undefined;
    for (;;) {
      const { rows, more } = deps.accountRepo.page('user', [...where], [...params], BATCH, after);
      // The batch's extensions in one query.
      const owned = new Map<number, { device_id: number; number: string }[]>();
      for (const x of deps.files.extensionsOfUsers(rows.map((a) => a.id))) {
        const mine = owned.get(x.user_account_id);
        if (mine) mine.push(x);
        else owned.set(x.user_account_id, [x]);
      }
      yield rows.map((a) => ({ a, ...extensionCells(owned.get(a.id) ?? [], names) }));
      if (!more) return;
      after = rows.at(-1)!.id;
    }
  }
  const enterprise = q.enterpriseId ? deps.accountRepo.row(q.enterpriseId, 'enterprise').name : null;
  const f = l.users.filters;
  const filters = [enterprise ? f.enterprise(enterprise) : '', q.status ? f.status(l.users.status[q.status]) : '', q.q ? f.search(q.q) : ''];
  return offerTable(
    deps,
    ctx,
    {
      format: q.format,
      timeZone: q.timeZone,
      labels: l,
      title: l.users.title,
      sheetName: l.users.sheet,
      baseName: 'user-accounts',
      headerBlock: [[l.block.filters, filtersText(l, filters)]],
      columns: userColumns(names, l),
    },
    batches(),
  );
}

export function exportExtensions(
  deps: AccountExportDeps,
  ctx: CallContext,
  q: { deviceId?: number; userAccountId?: number; q?: string; unassigned?: boolean; format: Format; timeZone: string; language?: ExportLanguage },
): Promise<DownloadTicket> {
  const l = exportLabels(q.language);
  const names = namesOf(deps.files);
  const batches = deps.files.extensionExportBatches(extensionListWhere(q), BATCH);
  const h = l.extensions.columns;
  const f = l.extensions.filters;
  const device = q.deviceId ? deps.files.deviceName(q.deviceId) : undefined;
  // The user by name, as the clerk picked it (its id when it is gone).
  const owner = q.userAccountId ? (deps.files.accountName(q.userAccountId) ?? String(q.userAccountId)) : undefined;
  const filters = [device ? f.device(device) : '', owner ? f.userAccount(owner) : '', q.unassigned ? f.unassigned : '', q.q ? f.search(q.q) : ''];
  return offerTable<ExtensionExportRow>(
    deps,
    ctx,
    {
      format: q.format,
      timeZone: q.timeZone,
      labels: l,
      title: l.extensions.title,
      sheetName: l.extensions.sheet,
      baseName: 'extensions',
      headerBlock: [[l.block.filters, filtersText(l, filters)]],
      columns: [
        { header: h.id, kind: 'integer', width: 8, value: (r) => r.id },
        { header: h.device, width: 18, value: (r) => names.device(r.device_id) },
        { header: h.number, width: 12, value: (r) => r.number },
        { header: h.name, width: 20, value: (r) => r.name },
        { header: h.user, width: 20, value: (r) => r.user_name },
        { header: h.enterprise, width: 24, value: (r) => r.enterprise_name },
      ],
    },
    batches,
  );
}

export function exportRecharges(
  deps: AccountExportDeps,
  ctx: CallContext,
  q: {
    from?: number;
    to?: number;
    accountId?: number;
    enterpriseId?: number;
    kinds?: ('recharge' | 'refund' | 'adjustment')[];
    operator?: string;
    format: Format;
    timeZone: string;
    language?: ExportLanguage;
  },
): Promise<DownloadTicket> {
  const l = exportLabels(q.language);
  const r = l.recharges;
  const kindText = valueMap(r.kinds);
  const accountKindText = valueMap(r.accountKinds);
  const batches = deps.files.rechargeExportBatches(rechargeListWhere(q), BATCH);
  const when = (ms: number | undefined) => (ms === undefined ? '' : `${formatWallClock(ms, q.timeZone)}`);
  const filters = [
    q.from !== undefined || q.to !== undefined ? r.filters.period(when(q.from) || '...', when(q.to) || '...', q.timeZone) : '',
    q.enterpriseId ? r.filters.enterprise(deps.accountRepo.row(q.enterpriseId).name) : '',
    q.accountId ? r.filters.account(deps.accountRepo.row(q.accountId).name) : '',
    q.kinds?.length ? r.filters.kinds(q.kinds.map(kindText).join(', ')) : '',
    q.operator ? r.filters.operator(q.operator) : '',
  ];
  return offerTable<RechargeExportRow>(
    deps,
    ctx,
    {
      format: q.format,
      timeZone: q.timeZone,
      labels: l,
      title: r.title,
      sheetName: r.sheet,
      baseName: 'recharges',
      headerBlock: [[l.block.filters, filtersText(l, filters)]],
      columns: [
        { header: r.columns.at, kind: 'time', width: 20, value: (x) => x.at },
        { header: r.columns.enterprise, width: 24, value: (x) => x.enterprise_name },
        { header: r.columns.account, width: 20, value: (x) => x.account_name },
        { header: r.columns.accountKind, width: 10, value: (x) => accountKindText(x.account_kind) },
        { header: r.columns.kind, width: 12, value: (x) => kindText(x.kind) },
        { header: r.columns.amount, kind: 'money', width: 14, value: (x) => x.amount },
        { header: r.columns.balanceAfter, kind: 'money', width: 14, value: (x) => x.balance_after },
        { header: r.columns.method, width: 12, value: (x) => x.method },
        { header: r.columns.reference, width: 16, value: (x) => x.reference },
        { header: r.columns.operator, width: 14, value: (x) => x.operator },
        { header: r.columns.reason, width: 40, value: (x) => x.reason },
        { header: r.columns.entry, kind: 'integer', width: 8, value: (x) => x.id },
      ],
    },
    batches,
  );
}

/** An import file without rows: one line per column saying what it holds, then the headings. */
export function importTemplate(
  deps: AccountExportDeps,
  ctx: CallContext,
  kind: 'users' | 'extensions',
  q: { format: Format; language?: ExportLanguage },
): Promise<DownloadTicket> {
  const { format } = q;
  const l = exportLabels(q.language);
  const texts: ColumnText[] = Object.values(kind === 'users' ? USER_COLUMNS.textsIn(q.language ?? 'en') : EXTENSION_COLUMNS.textsIn(q.language ?? 'en'));
  const importable = texts.filter((c) => !c.informational);
  const section = kind === 'users' ? l.users : l.extensions;
  return offerTable<never>(
    deps,
    ctx,
    {
      format,
      timeZone: 'UTC',
      labels: l,
      title: section.templateTitle,
      sheetName: section.sheet,
      baseName: kind === 'users' ? 'user-accounts-template' : 'extensions-template',
      // "Column: Name" is not a heading any import recognizes, so these lines are never taken for the heading row.
      headerBlock: importable.map((c) => [l.template.column(c.heading), `${c.required ? l.template.required : ''}${c.help}`]),
      columns: importable.map((c) => ({ header: c.heading, width: Math.max(12, c.heading.length + 4), value: () => null })),
    },
    [],
  );
}
