import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../src-main/db/migrate';
import { migrations } from '../src-main/db/migrations';

describe('migration 0014_operation_log_targets', () => {
  it('gives rows written before it their target kind and id, the money rows their account kind, and keeps the log append-only', () => {
    const db = new Database(':memory:');
    const at = migrations.findIndex((m) => m.id === '0014_operation_log_targets');
    expect(at).toBeGreaterThan(0);
    applyMigrations(db, migrations.slice(0, at), () => 0);
    const t = 1_700_000_000_000;
    db.prepare("INSERT INTO rate_groups (name, created_at, updated_at) VALUES ('Standard', ?, ?)").run(t, t);
    db.prepare("INSERT INTO accounts (id, kind, name, rate_group_id, created_at, updated_at) VALUES (7, 'enterprise', 'Acme', 1, ?, ?)").run(t, t);
    db.prepare("INSERT INTO system_accounts (id, username, display_name, role, password_hash, created_at, updated_at) VALUES (2, 'zhangsan', '张三', 'clerk', 'x', ?, ?)").run(t, t);
    const insert = db.prepare('INSERT INTO operation_log (at, account_id, username, method, target, summary, address) VALUES (?, ?, ?, ?, ?, NULL, ?)');
    insert.run(t, 2, 'zhangsan', 'accounts.recharge', 'account:7', '127.0.0.1');
    insert.run(t, 2, 'zhangsan', 'devices.update', 'device:3', '127.0.0.1');
    insert.run(t, null, '(scheduled)', 'system.backup', null, 'engine');
    insert.run(t, 2, 'zhangsan', 'settings.update', 'settings', '127.0.0.1');

    applyMigrations(db, migrations, () => 0);
    const rows = db.prepare('SELECT method, actor_name, target_kind, target_id FROM operation_log ORDER BY id').all();
    expect(rows).toEqual([
      { method: 'accounts.recharge', actor_name: '张三', target_kind: 'enterprise', target_id: '7' },
      { method: 'devices.update', actor_name: '张三', target_kind: 'device', target_id: '3' },
      { method: 'system.backup', actor_name: null, target_kind: null, target_id: null },
      { method: 'settings.update', actor_name: '张三', target_kind: null, target_id: null },
    ]);
    expect(() => db.prepare("UPDATE operation_log SET target_name = 'x'").run()).toThrow(/append-only/);
    db.close();
  });
});
