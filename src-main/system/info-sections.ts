/**
 * The `system.info` sections of CDR storage, the ledger check and retention (see system-info.ts for the registry).
 * Providers run on every call: figures that would scan millions of rows are cached and refreshed in the background.
 */
import type { LedgerCheck } from '../../src-shared/api/accounts';
import { isoTime } from '../../src-shared/api/common';
import type { SystemInfoSection } from '../../src-shared/api/system';
import { localDay } from '../ingest/local-day';
import type { Services } from '../services';

const CDR_COUNT_TTL_MS = 60_000;
const LEDGER_CHECK_TTL_MS = 10 * 60_000;

export function registerStorageSections(s: Services): () => void {
  let cdrCount: { at: number; total: number } | null = null;
  let ledger: { at: number; check: LedgerCheck } | null = null;
  let ledgerRunning = false;

  const cdrs = (): SystemInfoSection => {
    const now = s.now();
    if (!cdrCount || now - cdrCount.at > CDR_COUNT_TTL_MS) {
      cdrCount = { at: now, total: s.db.prepare('SELECT COUNT(*) FROM cdrs').pluck().get() as number };
    }
    const oldest = s.db.prepare('SELECT MIN(start_at) FROM cdrs').pluck().get() as number | null;
    const today = s.db
      .prepare(
        `SELECT d.id, d.name, IFNULL(SUM(i.stored), 0) AS stored FROM devices d
         LEFT JOIN ingest_daily i ON i.device_id = d.id AND i.day = ?
         GROUP BY d.id ORDER BY d.name`,
      )
      .all(localDay(now)) as { id: number; name: string; stored: number }[];
    const byStatus = s.db
      .prepare("SELECT (SELECT COUNT(*) FROM cdrs WHERE status = 'pending' AND leg_billed IS NOT 0) AS pending, (SELECT COUNT(*) FROM cdrs WHERE status = 'unrated') AS unrated")
      .get() as { pending: number; unrated: number };
    return {
      title: 'CDRs',
      status: byStatus.unrated > 0 ? 'warning' : 'ok',
      items: [
        { key: 'total', label: 'CDRs kept', value: cdrCount.total, unit: 'count' },
        { key: 'today', label: 'CDRs stored today', value: today.reduce((n, d) => n + d.stored, 0), unit: 'count' },
        { key: 'unrated', label: 'CDRs waiting in the unrated queue', value: byStatus.unrated, unit: 'count' },
        { key: 'pending', label: 'CDRs not yet rated', value: byStatus.pending, unit: 'count' },
        ...(oldest === null ? [] : [{ key: 'oldest', label: 'Oldest CDR kept', value: isoTime(oldest), unit: 'time' as const }]),
        ...today.map((d) => ({ key: `device:${d.id}`, label: `Stored today: ${d.name}`, value: d.stored, unit: 'count' as const })),
      ],
    };
  };

  const refreshLedger = () => {
    if (ledgerRunning) return;
    ledgerRunning = true;
    setImmediate(() => {
      try {
        ledger = { at: s.now(), check: s.ledger.verify(s.now()) };
      } catch (err) {
        s.log.error('Ledger check failed', { error: err });
      } finally {
        ledgerRunning = false;
      }
    });
  };

  const ledgerSection = (): SystemInfoSection => {
    if (!ledger || s.now() - ledger.at > LEDGER_CHECK_TTL_MS) refreshLedger();
    if (!ledger) return { title: 'Ledger check', items: [{ key: 'state', label: 'Ledger check', value: 'running', unit: 'text' }] };
    const c = ledger.check;
    return {
      title: 'Ledger check',
      status: c.ok ? 'ok' : 'error',
      items: [
        { key: 'ok', label: 'Every balance equals the sum of its entries; every rated CDR charged once', value: c.ok ? 'yes' : 'NO', unit: 'text' },
        { key: 'accounts', label: 'Accounts', value: c.accounts, unit: 'count' },
        { key: 'entries', label: 'Ledger entries', value: c.entries, unit: 'count' },
        { key: 'balanceMismatches', label: 'Balances that differ from their entries', value: c.balanceMismatches.length, unit: 'count' },
        { key: 'ratedWithoutCharge', label: 'Rated CDRs without exactly one charge', value: c.ratedWithoutCharge, unit: 'count' },
        { key: 'checkedAt', label: 'Checked', value: c.checkedAt, unit: 'time' },
      ],
    };
  };

  const retention = (): SystemInfoSection => {
    const last = s.retention.lastRun;
    const months = s.settings.get('retention').months;
    return {
      title: 'Retention',
      items: [
        { key: 'months', label: 'CDRs kept for (months)', value: months, unit: 'count' },
        { key: 'cutoff', label: 'CDRs before this are archived and purged', value: isoTime(s.retention.cutoff(s.now())), unit: 'time' },
        { key: 'archives', label: 'CDR archives', value: s.retention.archives().length, unit: 'count' },
        ...(last
          ? [
              { key: 'lastRun', label: 'Last retention run', value: last.finishedAt, unit: 'time' as const },
              { key: 'lastDeleted', label: 'CDRs archived and purged by it', value: last.deleted, unit: 'count' as const },
            ]
          : []),
      ],
    };
  };

  const offs = [s.systemInfo.register('cdrs', cdrs), s.systemInfo.register('ledger', ledgerSection), s.systemInfo.register('retention', retention)];
  return () => offs.forEach((off) => off());
}
