/**
 * The first start's default attribution load in a child process (the bundled engine, dist/main/attribution-worker.cjs,
 * built by the global setup): it stages the rows in a file of its own and the engine copies them in at once; a child
 * that fails falls back to loading on the engine; a stop kills the child and the next start loads again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src-main/db/connection';
import { createLogger } from '../src-main/log';
import { AttributionRepository } from '../src-main/rating/attribution/attribution-repository';
import { DefaultAttributionLoader, type GeneratedAttribution } from '../src-main/rating/attribution/default-attribution-loader';
import { tempDir } from './helpers/engine';

const WORKER = path.resolve('dist/main/attribution-worker.cjs');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function freshStore(): Store {
  const dir = tempDir();
  const store = openStore(dir);
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  return store;
}

const twoRows = (): GeneratedAttribution => ({
  countryCode: '86',
  rows: [
    { prefix: '1380013', region: '北京市', regionEn: 'Beijing', areaCode: '10', carrier: '中国移动', carrierEn: 'China Mobile', kind: 'mobile' },
    { prefix: '519', region: '江苏省常州市', regionEn: 'Changzhou', areaCode: '519', carrier: '', carrierEn: '', kind: 'fixed' },
  ],
});

function loader(store: Store, o: { script?: string; generate?: () => GeneratedAttribution }) {
  let loaded = 0;
  const l = new DefaultAttributionLoader({
    attributionRepo: new AttributionRepository(store.sqlite),
    log: createLogger({ consoleLevel: 'silent' }),
    now: Date.now,
    generate: o.generate ?? (() => {
      throw new Error('generated on the engine');
    }),
    ...(o.script ? { worker: { script: o.script, dbFile: store.file } } : {}),
    onLoaded: () => loaded++,
  });
  return { l, loaded: () => loaded };
}

const count = (store: Store) => store.sqlite.prepare('SELECT COUNT(*) FROM attribution').pluck().get() as number;

describe('default attribution in a child process', () => {
  it('generates and writes the China data in the child; the engine only records the version', async () => {
    expect(fs.existsSync(WORKER)).toBe(true);
    const store = freshStore();
    const { l, loaded } = loader(store, { script: WORKER });
    l.start();
    expect(l.state).toBe('loading');
    await l.ready();
    expect(l.state).toBe('ready');
    expect(loaded()).toBe(1);
    const rows = count(store);
    expect(rows).toBeGreaterThan(100_000);
    expect(store.sqlite.prepare('SELECT id, source, rows_in_file, rows_added FROM attribution_versions').all()).toEqual([
      { id: 1, source: 'default', rows_in_file: rows, rows_added: rows },
    ]);
    expect(store.sqlite.prepare("SELECT region, area_code, kind FROM attribution WHERE prefix = '519'").get()).toEqual({ region: '江苏省常州市', area_code: '519', kind: 'fixed' });
    expect(store.sqlite.prepare("SELECT area_code FROM attribution WHERE kind = 'mobile' AND '13800138000' LIKE prefix || '%' ORDER BY length(prefix) DESC LIMIT 1").pluck().get()).toBe('10');
  });

  it('falls back to loading on the engine when the child fails', async () => {
    const store = freshStore();
    const broken = path.join(path.dirname(store.file), 'broken-worker.cjs');
    fs.writeFileSync(broken, "console.error('cannot open the database'); process.exit(3);\n");
    const { l } = loader(store, { script: broken, generate: twoRows });
    l.start();
    await l.ready();
    expect(l.state).toBe('ready');
    expect(count(store)).toBe(2);
  });

  it('kills the child on stop and removes its staged file; the next start loads again', async () => {
    const store = freshStore();
    const first = loader(store, { script: WORKER });
    first.l.start();
    const staged = () => fs.readdirSync(path.dirname(store.file)).filter((f) => f.includes('default-attribution'));
    // Stopped while the child is at work (its staged file exists), before it is done.
    for (let waited = 0; staged().length === 0; waited += 5) {
      if (waited > 30_000) throw new Error('the child wrote nothing');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    first.l.stop();
    await first.l.ready();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(first.loaded()).toBe(0);
    expect(count(store)).toBe(0);
    expect(store.sqlite.prepare('SELECT COUNT(*) FROM attribution_versions').pluck().get()).toBe(0);

    const second = loader(store, { generate: twoRows });
    second.l.start();
    await second.l.ready();
    expect(second.l.state).toBe('ready');
    expect(count(store)).toBe(2);
  });

  it('lets the engine write while the child generates: nothing waits on a lock it holds', async () => {
    const store = freshStore();
    const { l } = loader(store, { script: WORKER });
    l.start();
    let writes = 0;
    const insert = store.sqlite.prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, '{}', 0)");
    while (l.state === 'loading') {
      const started = performance.now();
      insert.run(`probe-${writes++}`);
      expect(performance.now() - started).toBeLessThan(1000);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await l.ready();
    expect(writes).toBeGreaterThan(3);
    expect(count(store)).toBeGreaterThan(100_000);
  });
});
