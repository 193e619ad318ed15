/**
 * The columns of user-account and extension files. Their headings and explanations (the template's) are in the
 * export catalogue (exports/labels.ts), one per language; an import recognizes the headings of every language and the
 * other names people give them, so a file exported or a template downloaded in Chinese or English imports back.
 * Informational columns an export adds (balance, status...) are recognized on import and ignored.
 */
import { exportLabels, inEveryLanguage, type ExportLanguage, type ExtensionColumn, type FileLabels, type UserColumn } from '../../exports/labels';
import { headingKey, type TableColumns } from '../../imports/spreadsheet-table';

// The column keys are the catalogue's (exports/file-labels.ts), so the catalogue needs nothing from here.
export type { ExtensionColumn, UserColumn };

interface ColumnSpec {
  /** Other names people give the column, besides its headings in every export language. */
  names: string[];
  required?: boolean;
  /** Written by exports for the reader; ignored on import. */
  informational?: boolean;
}

type Catalogued = 'users' | 'extensions';

/** A column's heading and help in an export language (exports/labels.ts). */
export interface ColumnText {
  heading: string;
  help: string;
  required: boolean;
  informational: boolean;
}

function columnTable<C extends string>(
  specs: Record<C, ColumnSpec>,
  keyColumn: C,
  section: Catalogued,
): TableColumns<C> & { columns: readonly C[]; textsIn(language: ExportLanguage): Record<C, ColumnText> } {
  const byName = new Map<string, C>();
  const columns = Object.keys(specs) as C[];
  const headings = (l: FileLabels) => l[section].columns as Record<C, string>;
  for (const column of columns) {
    for (const name of [...inEveryLanguage((l) => headings(l)[column]), ...specs[column].names]) byName.set(headingKey(name), column);
  }
  return {
    columns,
    columnOf: (heading) => byName.get(headingKey(heading)),
    keyColumn,
    required: columns.filter((c) => specs[c].required),
    optional: columns.filter((c) => !specs[c].required && !specs[c].informational),
    // Problems name a column the file lacks by its heading in the file's language (English, the API's, by default).
    headingOf: (column, language) => headings(exportLabels(language))[column],
    refuseUnknownHeadings: true,
    textsIn: (language) => {
      const l = exportLabels(language);
      const help = l[section].help as Record<C, string>;
      return Object.fromEntries(
        columns.map((c) => [c, { heading: headings(l)[c], help: help[c], required: !!specs[c].required, informational: !!specs[c].informational }]),
      ) as Record<C, ColumnText>;
    },
  };
}

export const USER_COLUMNS = columnTable<UserColumn>(
  {
    enterprise: { names: ['enterprise name', 'enterprise code', 'company', '企业名称', '所属企业'], required: true },
    name: { names: ['user', 'user name', 'account name', '用户', '用户名称', '姓名'], required: true },
    code: { names: ['user code', 'account code', '编号'] },
    device: { names: ['pbx', 'ippbx', '设备名称'] },
    extensions: { names: ['extension', 'ext', '分机', '分机号码'] },
    cardNumber: { names: ['card', 'card no', '账号卡号'] },
    pin: { names: ['password', '密码', 'pin码'] },
    ownBalance: { names: ['own', 'prepaid', '自有余额'] },
    rateGroup: { names: ['rates'] },
    creditLimit: { names: ['credit', '透支额度'] },
    lowBalance: { names: ['low balance alert', 'alert below', '余额提醒'] },
    freezeWhenExhausted: { names: ['auto freeze', '自动冻结'] },
    notes: { names: ['note', 'remarks'] },
    id: { names: ['user id', 'account id'], informational: true },
    balance: { names: [], informational: true },
    status: { names: [], informational: true },
  },
  'name',
  'users',
);

export const EXTENSION_COLUMNS = columnTable<ExtensionColumn>(
  {
    device: { names: ['pbx', 'ippbx', '设备名称'] },
    number: { names: ['extension', 'extension number', 'ext', '分机', '分机号码'], required: true },
    name: { names: ['extension name', 'label', '名称'] },
    user: { names: ['user account', 'owner', '用户'] },
    enterprise: { names: ['company', '企业'] },
    id: { names: ['extension id'], informational: true },
  },
  'number',
  'extensions',
);

/** yes/no cells as people write them. */
const YES = new Set(['yes', 'y', 'true', '1', 'x', '是', '有', '启用', '√', ...inEveryLanguage((l) => l.yesNo.yes.toLowerCase())]);
const NO = new Set(['no', 'n', 'false', '0', '否', '无', '不', '停用', '', ...inEveryLanguage((l) => l.yesNo.no.toLowerCase())]);

export function yesNoOf(text: string): boolean | undefined {
  const key = text.trim().toLowerCase();
  if (YES.has(key)) return true;
  if (NO.has(key)) return false;
  return undefined;
}

/** "8001; 8002" / "8001,8002" / "Branch office:8003" -> items (device part empty when not given). */
export function extensionItems(text: string): { device: string; number: string; text: string }[] {
  return text
    .split(/[;,，；\r\n]+/)
    .map((t) => t.trim())
    .filter(Boolean)
    .map((item) => {
      const colon = Math.max(item.lastIndexOf(':'), item.lastIndexOf('：'));
      return colon > 0 ? { device: item.slice(0, colon).trim(), number: item.slice(colon + 1).trim(), text: item } : { device: '', number: item, text: item };
    });
}

export const EXTENSION_NUMBER = /^[0-9*#+]{1,20}$/;
export const CARD_NUMBER = /^[0-9A-Za-z]{4,32}$/;
export const PIN = /^\d{4,12}$/;
