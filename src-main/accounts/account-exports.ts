/**
 * Exports of user accounts and extensions (the filter of their list, as .xlsx or .csv, in the layout their imports
 * read back) and the empty templates of those imports, all through the shared table writer and one-time downloads.
 */
import type { DownloadTicket } from '../../src-shared/api/downloads';
import type { CallContext } from '../api/dispatcher';
import { CSV_TYPE, XLSX_TYPE } from '../exports/downloads';
import { writeTableExport, type ExportColumn } from '../exports/table-export';
import { formatWallClock } from '../exports/wall-clock';
import type { Services } from '../services';
import { EXTENSION_COLUMNS, USER_COLUMNS, type ExtensionColumn, type UserColumn } from './account-file-columns';
import { extensionListWhere, type ExtensionRow } from './extension-handlers';
import type { LedgerRow } from './ledger';
import { memberListWhere } from './member-handlers';
import { rechargeListWhere } from './money-handlers';
import type { AccountWithEnterprise } from './repository';

type Format = 'xlsx' | 'csv';
const BATCH = 2000;

interface UserExportRow {
  a: AccountWithEnterprise;
  /** The Device and Extensions cells. */
  device: string;
  extensions: string;
}

const yesNo = (v: boolean) => (v ? 'yes' : 'no');

interface Names {
  device(id: number): string;
  rateGroup(id: number | null): string;
}

function namesOf(s: Services): Names {
  const devices = new Map((s.db.prepare('SELECT id, name FROM devices').all() as { id: number; name: string }[]).map((d) => [d.id, d.name]));
  const groups = new Map((s.db.prepare('SELECT id, name FROM rate_groups').all() as { id: number; name: string }[]).map((g) => [g.id, g.name]));
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
function extensionCells(list: { device_id: number; number: string }[], names: Names): { device: string; extensions: string } {
  if (list.length === 0) return { device: '', extensions: '' };
  const devices = new Set(list.map((x) => x.device_id));
  if (devices.size === 1) return { device: names.device(list[0]!.device_id), extensions: list.map((x) => x.number).join('; ') };
  return { device: '', extensions: list.map((x) => `${names.device(x.device_id)}:${x.number}`).join('; ') };
}

function userColumns(names: Names): ExportColumn<UserExportRow>[] {
  const h = (c: UserColumn) => USER_COLUMNS.headingOf(c);
  return [
    { header: h('id'), kind: 'integer', width: 8, value: (r) => r.a.id },
    { header: h('enterprise'), width: 24, value: (r) => r.a.ent_name },
    { header: h('name'), width: 20, value: (r) => r.a.name },
    { header: h('code'), width: 12, value: (r) => r.a.code },
    { header: h('device'), width: 16, value: (r) => r.device },
    { header: h('extensions'), width: 20, value: (r) => r.extensions },
    { header: h('cardNumber'), width: 16, value: (r) => r.a.card_number },
    // PINs are stored hashed and never leave the system; an empty cell keeps the stored PIN on import.
    { header: h('pin'), width: 8, value: () => '' },
    { header: h('ownBalance'), width: 12, value: (r) => yesNo(r.a.own_balance === 1) },
    { header: h('rateGroup'), width: 16, value: (r) => names.rateGroup(r.a.rate_group_id) },
    { header: h('creditLimit'), kind: 'money', width: 12, value: (r) => r.a.credit_limit },
    { header: h('lowBalance'), kind: 'money', width: 12, value: (r) => r.a.low_balance },
    { header: h('freezeWhenExhausted'), width: 12, value: (r) => yesNo(r.a.freeze_when_exhausted === 1) },
    { header: h('balance'), kind: 'money', width: 14, value: (r) => (r.a.own_balance === 1 ? r.a.balance : r.a.ent_balance) },
    { header: h('status'), width: 10, value: (r) => (r.a.status === 'frozen' || (r.a.own_balance !== 1 && r.a.ent_status === 'frozen') ? 'frozen' : 'active') },
    { header: h('notes'), width: 30, value: (r) => r.a.notes },
  ];
}

const stampOf = (s: Services, timeZone: string) => formatWallClock(s.now(), timeZone).replace(/[-:]/g, '').replace(' ', '-');

async function offerTable<R>(
  s: Services,
  ctx: CallContext,
  spec: { format: Format; timeZone: string; title: string; baseName: string; headerBlock: [string, string][]; columns: ExportColumn<R>[] },
  batches: Iterable<R[]>,
): Promise<DownloadTicket> {
  const file = s.downloads.newFile(spec.format);
  const result = await writeTableExport(
    {
      format: spec.format,
      file,
      sheetName: spec.title,
      title: spec.title,
      headerBlock: [
        ...spec.headerBlock,
        ['Exported by', ctx.user?.username ?? '(unknown)'],
        ['Exported at', `${formatWallClock(s.now(), spec.timeZone)} (${spec.timeZone})`],
      ],
      columns: spec.columns,
      timeZone: spec.timeZone,
    },
    batches,
  );
  return s.downloads.offer({
    file,
    fileName: `${spec.baseName}-${stampOf(s, spec.timeZone)}.${spec.format}`,
    contentType: spec.format === 'xlsx' ? XLSX_TYPE : CSV_TYPE,
    owner: ctx,
    rows: result.rows,
  });
}

export function exportUserAccounts(
  s: Services,
  ctx: CallContext,
  q: { q?: string; status?: 'active' | 'frozen'; enterpriseId?: number; format: Format; timeZone: string },
): Promise<DownloadTicket> {
  const names = namesOf(s);
  const { where, params } = memberListWhere(q, 'user');
  function* batches(): Generator<UserExportRow[]> {
    let after: number | undefined;
    for (;;) {
      const { rows, more } = s.accountRepo.page('user', [...where], [...params], BATCH, after);
      // The batch's extensions in one query.
      const owned = new Map<number, { device_id: number; number: string }[]>();
      if (rows.length) {
        const list = s.db
          .prepare(`SELECT user_account_id, device_id, number FROM extensions WHERE user_account_id IN (${rows.map(() => '?').join(',')}) ORDER BY device_id, number`)
          .all(...rows.map((a) => a.id)) as { user_account_id: number; device_id: number; number: string }[];
        for (const x of list) {
          const mine = owned.get(x.user_account_id);
          if (mine) mine.push(x);
          else owned.set(x.user_account_id, [x]);
        }
      }
      yield rows.map((a) => ({ a, ...extensionCells(owned.get(a.id) ?? [], names) }));
      if (!more) return;
      after = rows.at(-1)!.id;
    }
  }
  const enterprise = q.enterpriseId ? s.accountRepo.row(q.enterpriseId, 'enterprise').name : null;
  const filters = [enterprise ? `enterprise ${enterprise}` : '', q.status ? `status ${q.status}` : '', q.q ? `search "${q.q}"` : ''].filter(Boolean);
  return offerTable(
    s,
    ctx,
    {
      format: q.format,
      timeZone: q.timeZone,
      title: 'User accounts',
      baseName: 'user-accounts',
      headerBlock: [['Filters', filters.join('; ') || 'none']],
      columns: userColumns(names),
    },
    batches(),
  );
}

interface ExtensionExportRow extends ExtensionRow {
  enterprise_name: string | null;
}

export function exportExtensions(
  s: Services,
  ctx: CallContext,
  q: { deviceId?: number; userAccountId?: number; q?: string; unassigned?: boolean; format: Format; timeZone: string },
): Promise<DownloadTicket> {
  const names = namesOf(s);
  const { where, params } = extensionListWhere(q);
  const select = s.db.prepare(
    `SELECT x.*, a.name AS user_name, e.name AS enterprise_name FROM extensions x
       LEFT JOIN accounts a ON a.id = x.user_account_id LEFT JOIN accounts e ON e.id = a.enterprise_id
     WHERE x.id > ? ${where.length ? `AND ${where.join(' AND ')}` : ''} ORDER BY x.id LIMIT ?`,
  );
  function* batches(): Generator<ExtensionExportRow[]> {
    let after = 0;
    for (;;) {
      const rows = select.all(after, ...params, BATCH) as ExtensionExportRow[];
      if (rows.length) yield rows;
      if (rows.length < BATCH) return;
      after = rows.at(-1)!.id;
    }
  }
  const h = (c: ExtensionColumn) => EXTENSION_COLUMNS.headingOf(c);
  const device = q.deviceId ? (s.db.prepare('SELECT name FROM devices WHERE id = ?').pluck().get(q.deviceId) as string | undefined) : undefined;
  const filters = [device ? `device ${device}` : '', q.userAccountId ? `user account ${q.userAccountId}` : '', q.unassigned ? 'without owner' : '', q.q ? `search "${q.q}"` : ''].filter(Boolean);
  return offerTable(
    s,
    ctx,
    {
      format: q.format,
      timeZone: q.timeZone,
      title: 'Extensions',
      baseName: 'extensions',
      headerBlock: [['Filters', filters.join('; ') || 'none']],
      columns: [
        { header: h('id'), kind: 'integer', width: 8, value: (r) => r.id },
        { header: h('device'), width: 18, value: (r) => names.device(r.device_id) },
        { header: h('number'), width: 12, value: (r) => r.number },
        { header: h('name'), width: 20, value: (r) => r.name },
        { header: h('user'), width: 20, value: (r) => r.user_name },
        { header: h('enterprise'), width: 24, value: (r) => r.enterprise_name },
      ],
    },
    batches(),
  );
}

const KIND_TEXT: Record<string, string> = { recharge: 'recharge', refund: 'refund', adjustment: 'adjustment' };

export function exportRecharges(
  s: Services,
  ctx: CallContext,
  q: { from?: number; to?: number; accountId?: number; enterpriseId?: number; kinds?: string[]; operator?: string; format: Format; timeZone: string },
): Promise<DownloadTicket> {
  const { where, params } = rechargeListWhere(q);
  const select = s.db.prepare(
    `SELECT l.*, a.name AS account_name, a.kind AS account_kind, e.name AS enterprise_name
     FROM ledger l JOIN accounts a ON a.id = l.account_id JOIN accounts e ON e.id = IFNULL(a.enterprise_id, a.id)
     WHERE l.id < ? AND ${where.join(' AND ')} ORDER BY l.id DESC LIMIT ?`,
  );
  type Row = LedgerRow & { account_name: string; account_kind: string; enterprise_name: string };
  function* batches(): Generator<Row[]> {
    let before = Number.MAX_SAFE_INTEGER;
    for (;;) {
      const rows = select.all(before, ...params, BATCH) as Row[];
      if (rows.length) yield rows;
      if (rows.length < BATCH) return;
      before = rows.at(-1)!.id;
    }
  }
  const when = (ms: number | undefined) => (ms === undefined ? '' : `${formatWallClock(ms, q.timeZone)}`);
  const filters = [
    q.from !== undefined || q.to !== undefined ? `period ${when(q.from) || '...'} to ${when(q.to) || '...'} (${q.timeZone})` : '',
    q.enterpriseId ? `enterprise ${s.accountRepo.row(q.enterpriseId).name}` : '',
    q.accountId ? `account ${s.accountRepo.row(q.accountId).name}` : '',
    q.kinds?.length ? `kinds ${q.kinds.join(', ')}` : '',
    q.operator ? `operator ${q.operator}` : '',
  ].filter(Boolean);
  return offerTable(
    s,
    ctx,
    {
      format: q.format,
      timeZone: q.timeZone,
      title: 'Recharge records',
      baseName: 'recharges',
      headerBlock: [['Filters', filters.join('; ') || 'none']],
      columns: [
        { header: 'Time', kind: 'time', width: 20, value: (r) => r.at },
        { header: 'Enterprise', width: 24, value: (r) => r.enterprise_name },
        { header: 'Account', width: 20, value: (r) => r.account_name },
        { header: 'Account kind', width: 10, value: (r) => r.account_kind },
        { header: 'Kind', width: 12, value: (r) => KIND_TEXT[r.kind] ?? r.kind },
        { header: 'Amount', kind: 'money', width: 14, value: (r) => r.amount },
        { header: 'Balance after', kind: 'money', width: 14, value: (r) => r.balance_after },
        { header: 'Method', width: 12, value: (r) => r.method },
        { header: 'Reference', width: 16, value: (r) => r.reference },
        { header: 'Operator', width: 14, value: (r) => r.operator },
        { header: 'Reason', width: 40, value: (r) => r.reason },
        { header: 'Entry', kind: 'integer', width: 8, value: (r) => r.id },
      ],
    },
    batches(),
  );
}

/** An import file without rows: one line per column saying what it holds, then the headings. */
export function importTemplate(s: Services, ctx: CallContext, kind: 'users' | 'extensions', format: Format): Promise<DownloadTicket> {
  const table = kind === 'users' ? USER_COLUMNS : EXTENSION_COLUMNS;
  const specs = Object.values(table.specs) as { heading: string; help: string; required?: boolean; informational?: boolean }[];
  const importable = specs.filter((c) => !c.informational);
  return offerTable<never>(
    s,
    ctx,
    {
      format,
      timeZone: 'UTC',
      title: kind === 'users' ? 'User accounts: import template' : 'Extensions: import template',
      baseName: kind === 'users' ? 'user-accounts-template' : 'extensions-template',
      // "Column: Name" is not a heading any import recognizes, so these lines are never taken for the heading row.
      headerBlock: importable.map((c) => [`Column: ${c.heading}`, `${c.required ? 'required: ' : ''}${c.help}`]),
      columns: importable.map((c) => ({ header: c.heading, width: Math.max(12, c.heading.length + 4), value: () => null })),
    },
    [],
  );
}
