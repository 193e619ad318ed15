/**
 * The columns of user-account and extension files: the headings the exports and templates write, the other names
 * people give them (English or Chinese), and what each holds (the template's explanation). Informational columns
 * an export adds (balance, status...) are recognized on import and ignored, so an exported file imports back as is.
 */
import { headingKey, type TableColumns } from '../imports/spreadsheet-table';

interface ColumnSpec {
  heading: string;
  names: string[];
  /** What the cell holds, for the template. */
  help: string;
  required?: boolean;
  /** Written by exports for the reader; ignored on import. */
  informational?: boolean;
}

function columnTable<C extends string>(specs: Record<C, ColumnSpec>, keyColumn: C): TableColumns<C> & { specs: Record<C, ColumnSpec> } {
  const byName = new Map<string, C>();
  for (const [column, spec] of Object.entries(specs) as [C, ColumnSpec][]) {
    for (const name of [spec.heading, ...spec.names]) byName.set(headingKey(name), column);
  }
  const columns = Object.keys(specs) as C[];
  return {
    specs,
    columnOf: (heading) => byName.get(headingKey(heading)),
    keyColumn,
    required: columns.filter((c) => specs[c].required),
    optional: columns.filter((c) => !specs[c].required && !specs[c].informational),
    headingOf: (column) => specs[column].heading,
    refuseUnknownHeadings: true,
  };
}

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

export const USER_COLUMNS = columnTable<UserColumn>(
  {
    enterprise: { heading: 'Enterprise', names: ['enterprise name', 'enterprise code', 'company', '企业', '企业名称', '所属企业'], help: 'name or code of an existing enterprise', required: true },
    name: { heading: 'Name', names: ['user', 'user name', 'account name', '用户', '用户名', '用户名称', '姓名'], help: 'the user account, unique in its enterprise (a row naming an existing user updates it)', required: true },
    code: { heading: 'Code', names: ['user code', 'account code', '编号', '用户编号'], help: "the customer's own code (optional)" },
    device: { heading: 'Device', names: ['pbx', 'ippbx', '设备', '设备名称'], help: 'name or id of the device the extensions belong to (may be left out when there is one device)' },
    extensions: { heading: 'Extensions', names: ['extension', 'ext', '分机', '分机号', '分机号码'], help: 'extension numbers separated by ; or , (device:number for another device); empty: none' },
    cardNumber: { heading: 'Card number', names: ['card', 'card no', '卡号', '账号卡号'], help: '4 to 32 letters or digits, unique (optional)' },
    pin: { heading: 'PIN', names: ['password', '密码', 'pin码'], help: '4 to 12 digits; empty keeps the stored PIN (exports never contain PINs)' },
    ownBalance: { heading: 'Own balance', names: ['own', 'prepaid', '独立余额', '自有余额'], help: 'yes: the user has its own prepaid balance; no: calls draw on the enterprise balance' },
    rateGroup: { heading: 'Rate group', names: ['rates', '费率组'], help: "name or id of a rate group; empty: the enterprise's" },
    creditLimit: { heading: 'Credit limit', names: ['credit', '信用额度', '透支额度'], help: 'amount (own balance only), e.g. 50.00' },
    lowBalance: { heading: 'Low balance', names: ['low balance alert', 'alert below', '余额提醒', '低余额提醒'], help: 'alert when the own balance falls below this amount; empty: no alert' },
    freezeWhenExhausted: { heading: 'Freeze when exhausted', names: ['auto freeze', '自动冻结', '欠费冻结'], help: 'yes: freeze the account when its own prepaid balance is exhausted' },
    notes: { heading: 'Notes', names: ['note', 'remarks', '备注'], help: 'free text' },
    id: { heading: 'ID', names: ['user id', 'account id'], help: 'written by exports; ignored on import', informational: true },
    balance: { heading: 'Balance', names: ['余额'], help: 'written by exports; ignored on import', informational: true },
    status: { heading: 'Status', names: ['状态'], help: 'written by exports; ignored on import', informational: true },
  },
  'name',
);

export type ExtensionColumn = 'device' | 'number' | 'name' | 'user' | 'enterprise' | 'id';

export const EXTENSION_COLUMNS = columnTable<ExtensionColumn>(
  {
    device: { heading: 'Device', names: ['pbx', 'ippbx', '设备', '设备名称'], help: 'name or id of the device (may be left out when the import names the device)' },
    number: { heading: 'Number', names: ['extension', 'extension number', 'ext', '分机', '分机号', '分机号码'], help: 'the extension number: digits, * # +', required: true },
    name: { heading: 'Name', names: ['extension name', 'label', '名称', '分机名称'], help: 'a label for the extension (optional)' },
    user: { heading: 'User', names: ['user account', 'owner', '用户', '所属用户'], help: 'name of the user account that owns it; empty: nobody' },
    enterprise: { heading: 'Enterprise', names: ['company', '企业', '所属企业'], help: "the user's enterprise (name or code) where two enterprises have users of that name" },
    id: { heading: 'ID', names: ['extension id'], help: 'written by exports; ignored on import', informational: true },
  },
  'number',
);

/** yes/no cells as people write them. */
const YES = new Set(['yes', 'y', 'true', '1', 'x', '是', '有', '启用', '√']);
const NO = new Set(['no', 'n', 'false', '0', '否', '无', '不', '停用', '']);

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
