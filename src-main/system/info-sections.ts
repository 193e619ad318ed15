/**
 * The `system.info` sections of CDR storage, the ledger check and retention (see system-info.ts for the registry).
 * Providers run on every call: figures that would scan millions of rows are cached and refreshed in the background.
 */
import type { LedgerCheck } from '../../src-shared/api/accounts';
import { isoTime } from '../../src-shared/api/common';
import { RETENTION_TIME_OF_DAY } from '../../src-shared/api/retention';
import type { Ledger } from '../accounts/ledger';
import { oldestCdrStart } from '../cdrs/repository';
import type { Sqlite } from '../db/connection';
import { localDay } from '../ingest/local-day';
import type { Logger } from '../log';
import { cdrQueueCounts, countAllCdrs, storedPerDevice } from './repository';
import type { RetentionService } from './retention/retention-service';
import { sectionTexts, type SystemInfoProvider, type SystemInfoRegistry } from './system-info';

const CDR_COUNT_TTL_MS = 60_000;
const LEDGER_CHECK_TTL_MS = 10 * 60_000;

/** What the storage sections read: the CDRs, the ledger's check, the retention job, and where sections register. */
export interface StorageSectionDeps {
  db: Sqlite;
  ledger: Ledger;
  retention: RetentionService;
  systemInfo: SystemInfoRegistry;
  log: Logger;
  now(): number;
}

/** CDRs kept (the total cached for a minute), stored today per device, the queues and the oldest kept. */
function cdrSection(s: StorageSectionDeps): SystemInfoProvider {
  let cdrCount: { at: number; total: number } | null = null;
  const text = sectionTexts('cdrs');
  return () => {
    const now = s.now();
    if (!cdrCount || now - cdrCount.at > CDR_COUNT_TTL_MS) cdrCount = { at: now, total: countAllCdrs(s.db) };
    const oldest = oldestCdrStart(s.db);
    const today = storedPerDevice(s.db, localDay(now));
    const byStatus = cdrQueueCounts(s.db);
    return {
      title: text('title', 'CDRs'),
      status: byStatus.unrated > 0 ? 'warning' : 'ok',
      items: [
        { key: 'total', label: text('total', 'CDRs kept'), value: cdrCount.total, unit: 'count' },
        { key: 'today', label: text('today', 'CDRs stored today'), value: today.reduce((n, d) => n + d.stored, 0), unit: 'count' },
        { key: 'unrated', label: text('unrated', 'CDRs waiting in the unrated queue'), value: byStatus.unrated, unit: 'count' },
        { key: 'pending', label: text('pending', 'CDRs not yet rated'), value: byStatus.pending, unit: 'count' },
        ...(oldest === null ? [] : [{ key: 'oldest', label: text('oldest', 'Oldest CDR kept'), value: isoTime(oldest), unit: 'time' as const }]),
        ...today.map((d) => ({
          key: `device:${d.id}`,
          label: text('deviceToday', 'Stored today: {{device}}', { device: d.name }),
          value: d.stored,
          unit: 'count' as const,
        })),
      ],
    };
  };
}

/** The ledger check, run in the background at most every ten minutes (it reads every entry). */
function ledgerSection(s: StorageSectionDeps): SystemInfoProvider {
  let ledger: { at: number; check: LedgerCheck } | null = null;
  let ledgerRunning = false;
  const text = sectionTexts('ledger');

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

  return () => {
    if (!ledger || s.now() - ledger.at > LEDGER_CHECK_TTL_MS) refreshLedger();
    if (!ledger) {
      return {
        title: text('title', 'Ledger check'),
        items: [{ key: 'state', label: text('state', 'Ledger check'), value: 'running', valueText: text('running', 'running'), unit: 'text' }],
      };
    }
    const c = ledger.check;
    return {
      title: text('title', 'Ledger check'),
      status: c.ok ? 'ok' : 'error',
      items: [
        {
          key: 'ok',
          label: text('ok', 'Every balance equals the sum of its entries; every rated CDR charged once'),
          value: c.ok ? 'yes' : 'NO',
          valueText: c.ok ? text('yes', 'yes') : text('no', 'NO'),
          unit: 'text',
        },
        { key: 'accounts', label: text('accounts', 'Accounts'), value: c.accounts, unit: 'count' },
        { key: 'entries', label: text('entries', 'Ledger entries'), value: c.entries, unit: 'count' },
        { key: 'balanceMismatches', label: text('balanceMismatches', 'Balances that differ from their entries'), value: c.balanceMismatches.length, unit: 'count' },
        { key: 'ratedWithoutCharge', label: text('ratedWithoutCharge', 'Rated CDRs without exactly one charge'), value: c.ratedWithoutCharge, unit: 'count' },
        { key: 'checkedAt', label: text('checkedAt', 'Checked'), value: c.checkedAt, unit: 'time' },
      ],
    };
  };
}

// What the Settings page and the archives page say too: the period, the zone, the cut-off and the daily run.
function retentionSection(s: StorageSectionDeps): SystemInfoProvider {
  const text = sectionTexts('retention');
  return () => {
    const status = s.retention.status();
    const last = status.lastRun;
    const running = status.running;
    return {
      title: text('title', 'Retention and archives'),
      items: [
        { key: 'months', label: text('months', 'CDRs kept for (whole months)'), value: status.retentionMonths, unit: 'count' },
        { key: 'timeZone', label: text('timeZone', 'Months reckoned in the time zone'), value: status.timeZone, unit: 'text' },
        { key: 'cutoff', label: text('cutoff', 'CDRs that started before this are archived, then deleted'), value: status.cutoff, unit: 'time' },
        status.nextRunAt
          ? { key: 'nextRun', label: text('nextRun', 'Next run (daily at {{time}})', { time: RETENTION_TIME_OF_DAY }), value: status.nextRunAt, unit: 'time' }
          : { key: 'nextRun', label: text('nextRun', 'Next run (daily at {{time}})', { time: RETENTION_TIME_OF_DAY }), value: 'off', valueText: text('notScheduled', 'not scheduled'), unit: 'text' },
        { key: 'archives', label: text('archives', 'CDR archives'), value: status.archives.length, unit: 'count' },
        ...(running
          ? [
              {
                key: 'running',
                label: text('running', 'Running now'),
                value: running.month ?? '',
                valueText: text('runningValue', '{{done}} of {{total}} months, {{deleted}} CDRs deleted', {
                  done: running.monthsDone,
                  total: running.monthsTotal,
                  deleted: running.deleted,
                }),
                unit: 'text' as const,
              },
            ]
          : []),
        ...(last
          ? [
              { key: 'lastRun', label: text('lastRun', 'Last run'), value: last.finishedAt, unit: 'time' as const },
              { key: 'lastDeleted', label: text('lastDeleted', 'CDRs archived and deleted by it'), value: last.deleted, unit: 'count' as const },
            ]
          : []),
      ],
    };
  };
}

export function registerStorageSections(s: StorageSectionDeps): () => void {
  const offs = [
    s.systemInfo.register('cdrs', cdrSection(s)),
    s.systemInfo.register('ledger', ledgerSection(s)),
    s.systemInfo.register('retention', retentionSection(s)),
  ];
  return () => offs.forEach((off) => off());
}
