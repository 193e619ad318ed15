import type { TFunction } from 'i18next';
import type { FieldChange, OperationLogEntry } from '../../../../../src-shared/api/logs';

/** The formatting a sentence needs (useFormatters gives it; tests pass their own). */
export interface SentenceFormat {
  money(amount: string): string;
  dateTime(instant: string): string;
}

type Exists = (key: string) => boolean;

// Fields whose values are money text ("12.3400"), instants (ISO), or a closed list of values translated in logs:values.
const MONEY_FIELDS = new Set(['balance', 'creditLimit', 'lowBalance', 'connectFee', 'amount', 'balanceAfter', 'price', 'difference']);
const TIME_FIELDS = new Set(['effectiveFrom', 'at', 'createdAt', 'updatedAt', 'lastLoginAt', 'startedAt', 'finishedAt', 'cutoff']);
const ENUM_FIELDS = new Set(['billingMode', 'status', 'role', 'callType', 'schedule', 'alertState']);

const leaf = (field: string) => field.split('.').pop()!;
const record = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** "systemAccount" -> "系统账号"; a kind the catalogue lacks shows as it is. */
export function kindLabel(t: TFunction, exists: Exists, kind: string): string {
  return exists(`logs:targets.${kind}`) ? t(`logs:targets.${kind}`) : kind;
}

/** "企业 Acme" / "enterprise Acme"; without a name "设备 #3"; an area without an id ("系统设置"). */
export function targetText(t: TFunction, exists: Exists, e: Pick<OperationLogEntry, 'targetKind' | 'targetId' | 'targetName'>): string {
  if (!e.targetKind) return '';
  const kind = kindLabel(t, exists, e.targetKind);
  if (e.targetName) return t('logs:targetNamed', { kind, name: e.targetName });
  // "rejects:open" is every device's open rejects at once (reprocess all), not a record numbered "open".
  if (e.targetKind === 'rejects' && e.targetId === 'open') return t('logs:allOpenRejects');
  if (e.targetId) return t('logs:targetNumbered', { kind, id: e.targetId });
  return kind;
}

/** Who: the display name of the time; the engine's own jobs (no account) by what they are. */
export function actorText(t: TFunction, e: Pick<OperationLogEntry, 'accountId' | 'actorName'>): string {
  return e.accountId === undefined ? t('logs:actors.engine') : e.actorName;
}

/** The amount of a money action: a refund is recorded as -amount and reads as the amount paid back. */
function amountOf(e: OperationLogEntry, f: SentenceFormat): string {
  const entry = record(record(e.summary).entry);
  const amount = text(entry.amount);
  if (!amount) return '';
  return f.money(e.method === 'accounts.refund' ? amount.replace(/^-/, '') : amount);
}

/** Enabled or disabled, from the change the row records. */
function stateOf(t: TFunction, e: OperationLogEntry): string {
  const disabled = e.changes?.find((c) => c.field === 'disabled')?.after ?? record(record(e.summary).after).disabled;
  return t(disabled === false ? 'logs:state.enabled' : 'logs:state.disabled');
}

/**
 * One row as a sentence in the UI language, from the action's template (`logs:actions.<method>`):
 * "张三 为 企业 Acme 充值 ¥1,000.00". An action without a template reads with the fallback sentence.
 */
export function operationSentence(t: TFunction, exists: Exists, e: OperationLogEntry, f: SentenceFormat): string {
  const summary = record(e.summary);
  const params = {
    actor: actorText(t, e),
    target: targetText(t, exists, e),
    name: e.targetName ?? e.targetId ?? '',
    amount: amountOf(e, f),
    reason: text(summary.reason) || text(record(summary.entry).reason),
    month: text(summary.month),
    fileName: text(summary.fileName),
    state: stateOf(t, e),
    method: e.method,
  };
  const key = `logs:actions.${e.method}`;
  return exists(key) ? t(key, params) : t('logs:actionFallback', params);
}

/** A field's name in the UI language: "creditLimit" -> "信用额度", "sftp.host" -> "SFTP · 主机". */
export function fieldLabel(t: TFunction, exists: Exists, field: string): string {
  const whole = `logs:fields.${field}`;
  if (!field.includes('.') && exists(whole)) return t(whole);
  return field
    .split('.')
    .map((part) => (exists(`logs:fields.${part}`) ? t(`logs:fields.${part}`) : part))
    .join(' · ');
}

/** A value as a clerk reads it: money, times, yes/no, translated states, a masked secret, intervals of a rate. */
export function valueText(t: TFunction, exists: Exists, field: string, value: unknown, f: SentenceFormat): string {
  const name = leaf(field);
  if (value === null || value === undefined || value === '') return t('logs:values.empty');
  if (value === '***') return t('logs:values.secret');
  if (typeof value === 'boolean') return t(value ? 'logs:values.yes' : 'logs:values.no');
  if (typeof value === 'string' && MONEY_FIELDS.has(name) && /^-?\d+(\.\d+)?$/.test(value)) return f.money(value);
  if (typeof value === 'string' && TIME_FIELDS.has(name) && !Number.isNaN(Date.parse(value))) return f.dateTime(value);
  if (typeof value === 'string' && ENUM_FIELDS.has(name) && exists(`logs:values.${value}`)) return t(`logs:values.${value}`);
  if (name === 'intervals' && Array.isArray(value)) {
    return value
      .map((iv) => {
        const r = record(iv);
        return t('logs:values.interval', { start: text(r.start), price: text(r.price) ? f.money(text(r.price)) : '', unit: text(r.unit) });
      })
      .join('; ');
  }
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The change list of a row, each field named and its values formatted. */
export function changeLines(t: TFunction, exists: Exists, changes: FieldChange[], f: SentenceFormat) {
  return changes.map((c) => ({
    field: c.field,
    label: fieldLabel(t, exists, c.field),
    before: valueText(t, exists, c.field, c.before, f),
    after: valueText(t, exists, c.field, c.after, f),
  }));
}

/** The recorded details besides the changes, flat ("entry.amount"), for the expanded row. */
export function detailLines(t: TFunction, exists: Exists, summary: unknown, f: SentenceFormat) {
  const flat: [string, unknown][] = [];
  const walk = (value: unknown, path: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    } else if (path) flat.push([path, value]);
  };
  walk(summary, '');
  // The ledger entry of a money action: its own fields, without the ids and names the sentence already gives.
  const shown = flat.filter(
    ([path]) =>
      !/^entry\.(id|accountId|accountName|accountKind|enterpriseId|cdrId|chargedAccountId|at|kind)$/.test(path) &&
      // Internal numbers and bookkeeping of a created or deleted record: the sentence names the record already.
      !/(^|\.)(id|[a-zA-Z]+Id|createdAt|updatedAt|balanceAccountId)$/.test(path),
  );
  return shown.map(([path, value]) => ({
    field: path,
    label: fieldLabel(t, exists, path.replace(/^entry\./, '')),
    value: valueText(t, exists, path, value, f),
  }));
}
