/**
 * The shape of the export catalogue (labels.ts) and the keys of the file columns it names. A leaf: the catalogues of
 * both languages and the domains whose files use them import it; it imports nothing of theirs.
 */

/** The columns of a user-account file (accounts/account-files/columns.ts reads and writes them). */
export type UserColumn =
  | 'enterprise'
  | 'name'
  | 'code'
  | 'device'
  | 'extensions'
  | 'cardNumber'
  | 'pin'
  | 'ownBalance'
  | 'rateGroup'
  | 'creditLimit'
  | 'lowBalance'
  | 'freezeWhenExhausted'
  | 'notes'
  | 'id'
  | 'balance'
  | 'status';

/** The columns of an extension file (accounts/account-files/columns.ts). */
export type ExtensionColumn = 'device' | 'number' | 'name' | 'user' | 'enterprise' | 'id';

/**
 * The columns of an attribution file: the keys of ATTRIBUTION_COLUMNS (rating/attribution/attribution-columns.ts),
 * which names them for its imports; labels.test.ts holds the two lists equal.
 */
export type AttributionColumn = 'countryCode' | 'prefix' | 'region' | 'regionEn' | 'areaCode' | 'carrier' | 'carrierEn' | 'kind';

export const EXPORT_LANGUAGES = ['en', 'zh-CN'] as const;
export type ExportLanguage = (typeof EXPORT_LANGUAGES)[number];

export interface FileLabels {
  /** Lines of the header block above the headings. */
  block: {
    period: string;
    timeZone: string;
    filters: string;
    exportedBy: string;
    exportedAt: string;
    dataVersion: string;
    none: string;
    all: string;
    unknownUser: string;
    start: string;
    now: string;
    endExcluded: string;
    /** "a to b" */
    to: string;
    /** Between the filters of the Filters line. */
    separator: string;
  };
  yesNo: { yes: string; no: string };
  template: {
    /** "Column: Name": never a heading an import recognizes, so never taken for the heading row. */
    column(heading: string): string;
    required: string;
  };
  users: {
    title: string;
    sheet: string;
    templateTitle: string;
    columns: Record<UserColumn, string>;
    help: Record<UserColumn, string>;
    status: { active: string; frozen: string };
    filters: { enterprise(name: string): string; status(status: string): string; search(q: string): string };
  };
  extensions: {
    title: string;
    sheet: string;
    templateTitle: string;
    columns: Record<ExtensionColumn, string>;
    help: Record<ExtensionColumn, string>;
    filters: { device(name: string): string; userAccount(name: string): string; unassigned: string; search(q: string): string };
  };
  recharges: {
    title: string;
    sheet: string;
    columns: {
      at: string;
      enterprise: string;
      account: string;
      accountKind: string;
      kind: string;
      amount: string;
      balanceAfter: string;
      method: string;
      reference: string;
      operator: string;
      reason: string;
      entry: string;
    };
    kinds: { recharge: string; refund: string; adjustment: string };
    accountKinds: { enterprise: string; user: string; gateway: string };
    filters: {
      period(from: string, to: string, zone: string): string;
      enterprise(name: string): string;
      account(name: string): string;
      kinds(list: string): string;
      operator(name: string): string;
    };
  };
  attribution: {
    title: string;
    sheet: string;
    columns: Record<AttributionColumn, string>;
    kinds: { mobile: string; fixed: string };
    /** Where the data version came from (the "Data version" line). */
    sources: { default: string; import: string };
    filters: {
      country(code: string): string;
      prefix(prefix: string): string;
      region(text: string): string;
      areaCode(code: string): string;
      carrier(text: string): string;
      kind(kind: string): string;
    };
  };
  loginLog: {
    title: string;
    sheet: string;
    columns: { at: string; user: string; result: string; reason: string; address: string; userAgent: string };
    results: { ok: string; failed: string };
    reasons: { ok: string; bad_password: string; unknown_user: string; disabled: string; throttled: string };
    filters: { user(prefix: string): string; result(result: string): string };
  };
  operationLog: {
    title: string;
    sheet: string;
    columns: { at: string; user: string; action: string; target: string; address: string; details: string };
    filters: { user(prefix: string): string; action(prefix: string): string; target(prefix: string): string };
  };
}
