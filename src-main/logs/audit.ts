import type { SessionUser } from '../../src-shared/api/auth';
import type { FieldChange } from '../../src-shared/api/logs';
import type { AuditEntry } from '../api/call-context';
import { redact } from '../api/redact';
import type { Sqlite } from '../db/connection';
import type { Logger } from '../log';
import { insertOperationLog } from './repository';
import { flatten, normalizeTarget, parseTarget, readSnapshot, targetBefore, type Snapshot, type TargetRef } from './targets';

/** What the operation log uses. */
export interface AuditDeps {
  db: Sqlite;
  log: Logger;
  now(): number;
}

/** What was read before a mutation's handler ran: the target it names in its input, as it stood. */
export interface AuditStart {
  ref: TargetRef | null;
  before?: Snapshot;
}

// Bookkeeping fields that change on every save and say nothing to a clerk.
const NOT_A_CHANGE = new Set(['id', 'createdAt', 'updatedAt', 'created_at', 'updated_at']);
const MAX_CHANGES = 200;
const MAX_DETAILS_CHARS = 16_000;

/** Reads the target before the handler runs (inside the mutation's transaction when it has one). */
export function startOperationAudit(s: AuditDeps, method: string, input: unknown): AuditStart {
  try {
    const ref = targetBefore(s.db, method, input);
    return { ref, before: readSnapshot(s.db, ref) };
  } catch (err) {
    // The log must not stop the change it describes: it is written without the before state.
    s.log.error('operation log: target not read before the change', { method, error: err });
    return { ref: null };
  }
}

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** A value as the log may show it: a secret-looking field ("pin", "sftp.password") is masked as `redact` does. */
function shown(field: string, value: unknown): unknown {
  const leaf = field.split('.').pop()!;
  return (redact({ [leaf]: value }) as Record<string, unknown>)[leaf] ?? null;
}

/** The fields whose values differ, in the order of `after` then `before`; secrets masked (a changed PIN shows ***). */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of new Set([...Object.keys(after), ...Object.keys(before)])) {
    if (NOT_A_CHANGE.has(field.split('.').pop()!)) continue;
    const b = before[field] ?? null;
    const a = after[field] ?? null;
    if (same(a, b)) continue;
    out.push({ field, before: shown(field, b), after: shown(field, a) });
    if (out.length === MAX_CHANGES) break;
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The changed fields: from the target read before and after the handler when both exist; otherwise from the
 * before/after the handler described (settings, special numbers, an enterprise's login).
 */
function changesOf(start: AuditStart | undefined, ref: TargetRef | null, after: Snapshot | undefined, entry: AuditEntry): FieldChange[] | null {
  const sameTarget = start?.ref && ref && start.ref.kind === ref.kind && start.ref.id === ref.id;
  const fromRows = sameTarget && start.before && after ? diffFields(start.before.fields, after.fields) : null;
  if (fromRows?.length) return fromRows;
  const fromEntry = isRecord(entry.before) && isRecord(entry.after) ? diffFields(flatten(entry.before), flatten(entry.after)) : null;
  if (fromEntry?.length) return fromEntry;
  // An update that changed nothing says so (an empty list); anything else has no list.
  return fromRows ?? fromEntry;
}

export interface OperationRecord {
  method: string;
  user: SessionUser | null;
  address: string;
  entry: AuditEntry;
  start?: AuditStart;
}

/**
 * Appends one row to the operation log: who (with the display name of that moment), the target's kind, id and name
 * of that moment, what changed, and the remaining details (secrets masked). Called in the mutation's transaction.
 */
export function appendOperationLog(s: AuditDeps, op: OperationRecord): void {
  const { target, ...rest } = op.entry;
  let ref: TargetRef | null = null;
  let name: string | null = null;
  let changes: FieldChange[] | null = null;
  try {
    ref = normalizeTarget(s.db, parseTarget(target ?? null)) ?? op.start?.ref ?? null;
    const after = readSnapshot(s.db, ref);
    const before = op.start?.ref && ref && op.start.ref.kind === ref.kind && op.start.ref.id === ref.id ? op.start.before : undefined;
    // A deleted target keeps the name it had before the handler ran.
    name = after?.name ?? before?.name ?? null;
    changes = changesOf(op.start, ref, after, op.entry);
  } catch (err) {
    s.log.error('operation log: target not described', { method: op.method, error: err });
  }
  const details = { ...rest };
  // A before/after pair is now the changes list; a lone `after` (what was created) or `before` (what was deleted) stays.
  if (changes && isRecord(details.before) && isRecord(details.after)) delete details.before, delete details.after;
  const summary = Object.keys(details).length ? JSON.stringify(redact(details)).slice(0, MAX_DETAILS_CHARS) : null;
  const actorName = op.user ? op.user.displayName || op.user.username : null;
  insertOperationLog(s.db, {
    at: s.now(),
    accountId: op.user?.id ?? null,
    username: op.user?.username ?? '(anonymous)',
    method: op.method,
    target: target ?? null,
    summary,
    address: op.address,
    actorName,
    targetKind: ref?.kind ?? null,
    targetId: ref?.id ?? null,
    targetName: name,
    changes: changes ? JSON.stringify(changes) : null,
  });
}
