/**
 * userAccounts.import: a file of user accounts applied all or nothing. The file is read and checked (cells, then
 * references to enterprises, devices, rate groups and other accounts' card numbers); PINs are hashed only for rows
 * that carry one, and only once the file is known to be good; then one transaction checks the references again
 * (a colleague may have changed something meanwhile) and writes every account and extension, or nothing.
 */
import type { AccountImportResult } from '../../../src-shared/api/account-files';
import { formatMoney } from '../../../src-shared/domain/money';
import { hashPassword } from '../../auth/passwords';
import { ProblemList } from '../../imports/spreadsheet-table';
import type { BalanceAlerts } from '../alerts';
import { AccountImportRefused } from './import-refused';
import type { AccountFileRepository, ExistingUser, UserChecks, UserValues } from './repository';
import { readUserImportRows, type UserImportFile, type UserImportRow } from './user-import-rows';

/** What a user-account import uses. */
export interface UserImportDeps {
  files: AccountFileRepository;
  /** Alerts of the own balances the file creates or changes. */
  balanceAlerts: BalanceAlerts;
  now(): number;
}

/** A row with its references resolved to ids; `undefined` fields keep the stored value. */
interface ResolvedUser {
  row: UserImportRow;
  enterpriseId: number;
  existing: ExistingUser | null;
  rateGroupId?: number | null;
  extensions?: { deviceId: number; number: string }[];
}

/** Name (or code) -> id lookups of what rows refer to, read once per check. */
function referenceMaps(files: AccountFileRepository) {
  const enterprises = files.enterprises();
  const byName = new Map(enterprises.map((e) => [e.name.toLowerCase(), e.id]));
  const codes = new Map<string, number[]>();
  for (const e of enterprises) if (e.code) codes.set(e.code.toLowerCase(), [...(codes.get(e.code.toLowerCase()) ?? []), e.id]);
  const devices = files.devices();
  const groups = files.rateGroups();
  const byIdOrName = <T extends { id: number; name: string }>(list: T[], text: string): T | undefined =>
    list.find((x) => String(x.id) === text) ?? list.find((x) => x.name.toLowerCase() === text.toLowerCase());
  return {
    enterprise: (text: string): number | 'ambiguous' | undefined => {
      const key = text.toLowerCase();
      const named = byName.get(key);
      if (named !== undefined) return named;
      const coded = codes.get(key);
      return coded ? (coded.length === 1 ? coded[0] : 'ambiguous') : undefined;
    },
    device: (text: string) => byIdOrName(devices, text),
    onlyDevice: devices.length === 1 ? devices[0] : undefined,
    rateGroup: (text: string) => byIdOrName(groups, text),
  };
}

type References = ReturnType<typeof referenceMaps>;
type UserProblem = (r: UserImportRow, column: Parameters<UserImportFile['columnName']>[0], problem: string) => void;

/** A row's rate group and extensions resolved to ids (problems go to `fail`), and a balance it may not drop. */
function resolveUserRow(row: UserImportRow, enterpriseId: number, existing: ExistingUser | null, refs: References, fail: UserProblem): ResolvedUser {
  const user: ResolvedUser = { row, enterpriseId, existing };
  if (row.rateGroup !== undefined) {
    const group = row.rateGroup === null ? null : refs.rateGroup(row.rateGroup);
    if (group === undefined) fail(row, 'rateGroup', `there is no rate group "${row.rateGroup}"`);
    else user.rateGroupId = group?.id ?? null;
  }
  if (row.extensions) {
    user.extensions = [];
    const rowDevice = row.device ? refs.device(row.device) : refs.onlyDevice;
    if (row.device && !rowDevice) fail(row, 'device', `there is no device "${row.device}"`);
    for (const item of row.extensions) {
      const device = item.device ? refs.device(item.device) : rowDevice;
      if (device) user.extensions.push({ deviceId: device.id, number: item.number });
      else if (item.device) fail(row, 'extensions', `there is no device "${item.device}" (in "${item.device}:${item.number}")`);
      else if (!row.device) fail(row, 'extensions', `say which device ${item.number} is on: a Device column, or device:number`);
    }
  }
  if (existing && existing.own_balance === 1 && row.ownBalance === false && existing.balance !== 0) {
    fail(row, 'ownBalance', `${existing.name} still holds ${formatMoney(existing.balance)} on its own balance; refund or adjust it to 0 first`);
  }
  return user;
}

/** Card numbers of other accounts (taken, unless that account is in this file and gives the card up) and extensions given twice. */
function checkCardsAndExtensions(resolved: ResolvedUser[], checks: UserChecks, fail: UserProblem): void {
  const newCardOf = new Map<number, string | null>();
  for (const u of resolved) if (u.existing && u.row.cardNumber !== undefined) newCardOf.set(u.existing.id, u.row.cardNumber);
  const extensionRows = new Map<string, number>();
  for (const u of resolved) {
    const card = u.row.cardNumber;
    if (card) {
      const owner = checks.cardOwner(card);
      const givenUp = owner && newCardOf.has(owner.id) && newCardOf.get(owner.id) !== card;
      if (owner && owner.id !== u.existing?.id && !givenUp) fail(u.row, 'cardNumber', `card number ${card} belongs to ${owner.name}`);
    }
    for (const x of u.extensions ?? []) {
      const key = `${x.deviceId}\0${x.number}`;
      const first = extensionRows.get(key);
      if (first !== undefined && first !== u.row.row) fail(u.row, 'extensions', `extension ${x.number} is also given in row ${first}`);
      else extensionRows.set(key, u.row.row);
    }
  }
}

/** Resolves references and checks the rows against the database; problems go to `problems`. */
function checkUsers(files: AccountFileRepository, file: UserImportFile, problems: ProblemList): ResolvedUser[] {
  const refs = referenceMaps(files);
  const checks = files.userChecks();
  const fail: UserProblem = (r, column, problem) => problems.add(r.row, file.columnName(column), r.sheetNote + problem);

  const resolved: ResolvedUser[] = [];
  const rowOfUser = new Map<string, number>();
  for (const row of file.rows) {
    const enterpriseId = refs.enterprise(row.enterprise);
    if (enterpriseId === undefined) {
      fail(row, 'enterprise', `there is no enterprise named or coded "${row.enterprise}"`);
      continue;
    }
    if (enterpriseId === 'ambiguous') {
      fail(row, 'enterprise', `several enterprises have the code "${row.enterprise}": write the enterprise's name`);
      continue;
    }
    // The same user written with the enterprise's name in one row and its code in another (same text is caught earlier).
    const userKey = `${enterpriseId}\0${row.name.toLowerCase()}`;
    const firstRow = rowOfUser.get(userKey);
    if (firstRow !== undefined) {
      fail(row, 'name', `user "${row.name}" of enterprise "${row.enterprise}" appears again; it is first in row ${firstRow}`);
      continue;
    }
    rowOfUser.set(userKey, row.row);
    resolved.push(resolveUserRow(row, enterpriseId, checks.existingUser(enterpriseId, row.name) ?? null, refs, fail));
  }
  checkCardsAndExtensions(resolved, checks, fail);
  return resolved;
}

/** Hashes the PINs of the rows that carry one, several at a time (scrypt runs on the libuv thread pool). */
async function hashPins(rows: readonly UserImportRow[], parallel = 4): Promise<Map<UserImportRow, string>> {
  const withPin = rows.filter((r) => r.pin);
  const hashes = new Map<UserImportRow, string>();
  let next = 0;
  const worker = async () => {
    while (next < withPin.length) {
      const row = withPin[next++]!;
      hashes.set(row, await hashPassword(row.pin!));
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, withPin.length) }, worker));
  return hashes;
}

interface Applied {
  created: number;
  updated: number;
  extensionsAssigned: number;
  ids: number[];
  announce: (() => void)[];
}

/** The stored cells of a row: a cell the file does not have keeps the stored value (or the default of a new user). */
function userValues(u: ResolvedUser, pins: Map<UserImportRow, string>): UserValues {
  const { row, existing: e } = u;
  return [
    row.name,
    row.code !== undefined ? row.code : (e?.code ?? null),
    u.rateGroupId !== undefined ? u.rateGroupId : (e?.rate_group_id ?? null),
    (row.ownBalance ?? e?.own_balance === 1) ? 1 : 0,
    row.creditLimit ?? e?.credit_limit ?? 0,
    row.lowBalance !== undefined ? row.lowBalance : (e?.low_balance ?? null),
    (row.freezeWhenExhausted ?? e?.freeze_when_exhausted === 1) ? 1 : 0,
    row.notes ?? e?.notes ?? '',
    row.cardNumber !== undefined ? row.cardNumber : (e?.card_number ?? null),
    pins.get(row) ?? e?.pin_hash ?? null,
  ];
}

function applyUsers(deps: UserImportDeps, users: ResolvedUser[], pins: Map<UserImportRow, string>): Applied {
  const t = deps.now();
  const write = deps.files.userWriter();
  // Cards that move between users of the file: free them first, so no card is ever held twice.
  for (const u of users) {
    if (u.existing?.card_number && u.row.cardNumber !== undefined && u.row.cardNumber !== u.existing.card_number) write.clearCard(u.existing.id);
  }

  const out: Applied = { created: 0, updated: 0, extensionsAssigned: 0, ids: [], announce: [] };
  const watched: number[] = [];
  for (const u of users) {
    const values = userValues(u, pins);
    let id: number;
    if (u.existing) {
      id = u.existing.id;
      write.update(id, values, t);
      out.updated++;
      if (u.extensions) write.unassignExtensions(id, t);
    } else {
      id = write.insert(u.enterpriseId, values, t);
      out.created++;
    }
    for (const x of u.extensions ?? []) {
      write.assignExtension(x.deviceId, x.number, id, t);
      out.extensionsAssigned++;
    }
    if (values[3] === 1) watched.push(id);
    out.ids.push(id);
  }
  // Own prepaid balances start at 0, which may already be below their low-balance threshold.
  out.announce = deps.balanceAlerts.evaluate(watched, t);
  return out;
}

/** Imports the file, or throws AccountImportRefused with every problem (nothing applied). */
export async function importUserAccounts(
  deps: UserImportDeps,
  file: { fileName: string; bytes: Buffer },
): Promise<AccountImportResult & { ids: number[]; announce: (() => void)[] }> {
  const started = performance.now();
  const problems = new ProblemList();
  const parsed = await readUserImportRows(file, problems);
  // References are checked even when cells had problems, so the report lists everything at once; a file without
  // problems is checked once more in the transaction that applies it (hashing PINs lets others write meanwhile).
  const hashing = parsed.rows.some((r) => r.pin);
  if (problems.count || hashing) checkUsers(deps.files, parsed, problems);
  if (problems.count) throw new AccountImportRefused(problems);
  const pins = await hashPins(parsed.rows);
  const applied = deps.files.inTransaction(() => {
    const users = checkUsers(deps.files, parsed, problems);
    if (problems.count) throw new AccountImportRefused(problems);
    return applyUsers(deps, users, pins);
  });
  return {
    fileName: file.fileName,
    rows: parsed.rows.length,
    created: applied.created,
    updated: applied.updated,
    extensionsAssigned: applied.extensionsAssigned,
    pinsSet: pins.size,
    millis: Math.round(performance.now() - started),
    ids: applied.ids,
    announce: applied.announce,
  };
}
