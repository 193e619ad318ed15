import fs from 'node:fs';
import { isoTime } from '../../src-shared/api/common';
import { ApiError, fieldDetails } from '../../src-shared/api/errors';
import type { Handlers } from '../api/call-context';
import { migrations } from '../db/migrations';
import { problem } from '../../src-shared/api/messages';
import type { EngineLifecycle } from './lifecycle';
import { stageRestore, swapInRestore } from './restore';
import { SystemInfoReader, type SystemInfoDeps } from './system-info';

/** What the system handlers use: the figures of `system.info`, the backups, and the host that restarts the engine. */
export interface SystemHandlerDeps extends SystemInfoDeps {
  /** Null when the engine runs without a host that can reopen the database (restore is refused). */
  lifecycle: EngineLifecycle | null;
}

export function systemHandlers(
  s: SystemHandlerDeps,
): Handlers<'system.ping' | 'system.info' | 'system.backup' | 'system.backups' | 'system.restore'> {
  const info = new SystemInfoReader(s);
  return {
    'system.ping': () => ({ now: isoTime(s.now()), version: s.config.version }),
    'system.info': () => info.read(),

    'system.backup': async (_input, ctx) => {
      const file = await s.backups.backup('manual', ctx.user?.username ?? '(unknown)');
      ctx.audit({ target: `backup:${file.fileName}`, sizeBytes: file.sizeBytes, sha256: file.sha256 });
      return file;
    },

    'system.backups': () => s.backups.list(),

    'system.restore': async (input, ctx) => {
      const lifecycle = s.lifecycle;
      if (!lifecycle) {
        throw ApiError.keyed('unavailable', 'api.restoreUnsupported', 'This engine was started without a host that can reopen the database; restore is not possible here.');
      }
      if (lifecycle.restartPending) throw ApiError.keyed('conflict', 'api.restarting', 'The engine is already restarting.');
      if (input.confirmFileName !== input.fileName) {
        throw ApiError.keyed('invalid_input', 'api.confirmRestore', 'Type the file name of the backup again to confirm the restore.', undefined,
          fieldDetails({ confirmFileName: problem('field.exactly', `must be exactly ${input.fileName}`, { value: input.fileName }) }),
        );
      }
      const unblock = s.backups.block('a restore is in progress');
      let plan;
      try {
        plan = await stageRestore(s.backups.folder, input.fileName, s.config.dataDir, migrations, s.now());
      } catch (err) {
        unblock();
        throw err;
      }
      const operation = {
        at: s.now(),
        accountId: ctx.user?.id ?? null,
        username: ctx.user?.username ?? '(unknown)',
        address: ctx.caller.address,
        reason: input.reason,
      };
      ctx.audit({ target: `backup:${input.fileName}`, reason: input.reason, keptAs: plan.keptAs, warnings: plan.warnings });
      const staged = plan;
      ctx.afterCommit(() => {
        try {
          lifecycle.restartSoon(`restore of ${staged.fileName}`, (dataDir) => swapInRestore(dataDir, staged, { ...operation, at: s.now() }));
        } catch (err) {
          unblock();
          fs.rmSync(staged.staged, { force: true });
          throw err;
        }
      });
      return { restoring: plan.fileName, keptAs: plan.keptAs, restarting: true, warnings: plan.warnings };
    },
  };
}
