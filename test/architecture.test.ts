import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ROOT,
  checkImports,
  compositionRootImporters,
  importCircles,
  isSqlHome,
  longFunctions,
  misplacedMethods,
  report,
  sqlOutsideRepositories,
  stronglyConnected,
} from './architecture/measure';

// The shape docs/architecture.md describes, held by tests: a new circle, SQL in a handler or an unexplained long
// function fails here with the files to look at.
describe('architecture', () => {
  it('prints its figures when asked (ARCH_REPORT=1)', async () => {
    if (process.env.ARCH_REPORT) console.log(await report());
    expect(true).toBe(true);
  });

  it('finds a circle as the files that reach each other, and SQL homes by name or a Hot path comment', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
      ['e.ts', []],
    ]);
    expect(stronglyConnected(graph).filter((g) => g.length > 1)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(isSqlHome('src-main/devices/repository.ts', '')).toBe(true);
    expect(isSqlHome('src-main/ingest/reject-repository.ts', '')).toBe(true);
    expect(isSqlHome('src-main/devices/handlers.ts', 'db.prepare("SELECT 1")')).toBe(false);
    expect(isSqlHome('src-main/ingest/store.ts', '/**\n * Hot path: per CDR batch.\n */')).toBe(true);
  });

  it('has no import circle in src-main, src-shared or src-renderer (type imports included)', async () => {
    const circles = await importCircles();
    expect(circles.map((c) => c.join(' -> '))).toEqual([]);
  }, 60_000);

  it("keeps each room's import rules (.dependency-cruiser.cjs: shared imports neither side, domains not the root...)", async () => {
    expect((await checkImports()).violations).toEqual([]);
  }, 60_000);

  it('keeps SQL in repositories (or in a hot-path file that says so)', () => {
    expect(sqlOutsideRepositories()).toEqual([]);
  });

  it('has no function over 80 lines without a reason in its comment', () => {
    expect(longFunctions().filter((f) => !f.explained).map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`)).toEqual([]);
  });

  it("implements each contract file's methods in the src-main folder of the same name", async () => {
    const misplaced = await misplacedMethods();
    expect(misplaced.map((m) => `${m.method} (${m.contract}) in ${m.handlers.join(', ') || 'no handlers file'}`)).toEqual([]);
  });

  it('names each folder of the renderer\'s pages after a contract file', () => {
    const contracts = new Set(fs.readdirSync(path.join(ROOT, 'src-shared/api')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)));
    const pages = fs.readdirSync(path.join(ROOT, 'src-renderer/src/pages'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(pages.length).toBeGreaterThan(5);
    expect(pages.filter((p) => !contracts.has(p))).toEqual([]);
  });

  it('lets only the composition root know every service', () => {
    // engine.ts wires the services; api/handlers.ts hands each domain its part; the host and the two entry points start it.
    const root = ['src-main/api/handlers.ts', 'src-main/electron/main.ts', 'src-main/engine-host.ts', 'src-main/engine.ts', 'src-main/server.ts'];
    expect(compositionRootImporters().filter((f) => !root.includes(f))).toEqual([]);
  });

  it('names in docs/architecture.md only paths that exist', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
    const named = [...doc.matchAll(/`((?:src-main|src-shared|src-renderer|test|docs|scripts|bench)\/[^`<>…*\s]*|\.dependency-cruiser\.cjs)`/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((p) => !fs.existsSync(path.join(ROOT, p)))).toEqual([]);
  });
});
