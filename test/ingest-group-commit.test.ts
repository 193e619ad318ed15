import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCdrText } from '../src-main/ingest/adapters/registry';
import { GroupCommitter } from '../src-main/ingest/group-commit';
import { startTestEngine, type TestEngine } from './helpers/engine';
import { beijingDevice } from './helpers/fixtures';
import { fixture } from './ingest-helpers';

let t: TestEngine;
let deviceId: number;

beforeAll(async () => {
  t = await startTestEngine({ http: false, cdrListener: false });
  deviceId = (await t.call('devices.create', beijingDevice(), await t.loginAs('admin'))).id;
});
afterAll(() => t.dispose());

const parse = (text: string) => parseCdrText('asterisk-csv', text, { deviceId: String(deviceId), timeZone: 'Asia/Shanghai' });

describe('GroupCommitter', () => {
  it('commits the batches submitted in one round together and resolves each with its own counts', async () => {
    const committer = new GroupCommitter(t.services.cdrWriter);
    const lines = fixture('asterisk-master.csv').split('\n');
    const commits: number[] = [];
    const off = t.services.cdrStore.addProcessor((ids) => commits.push(ids.length));
    const [a, b] = await Promise.all([
      committer.submit(deviceId, { kind: 'tcp', name: 'tcp#1' }, parse(lines.slice(0, 3).join('\n'))),
      committer.submit(deviceId, { kind: 'tcp', name: 'tcp#2' }, parse(lines.slice(3, 7).join('\n'))),
    ]);
    off();
    expect([a.stored, b.stored, b.rejected]).toEqual([3, 3, 1]);
    expect(commits).toEqual([3, 3]);
  });

  it('isolates a batch that cannot be stored: the others of its round are committed', async () => {
    const committer = new GroupCommitter(t.services.cdrWriter);
    const line = fixture('asterisk-master-uniqueid.csv').split('\n')[0]!;
    const before = t.services.db.prepare('SELECT COUNT(*) FROM cdrs').pluck().get() as number;
    const results = await Promise.allSettled([
      committer.submit(deviceId, { kind: 'tcp', name: 'tcp#3' }, parse(line)),
      committer.submit(999_999, { kind: 'tcp', name: 'tcp#4' }, parse(line)), // no such device
    ]);
    expect(results[0]).toMatchObject({ status: 'fulfilled', value: { stored: 1 } });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' }) });
    expect(t.services.db.prepare('SELECT COUNT(*) FROM cdrs').pluck().get()).toBe(before + 1);
  });
});
