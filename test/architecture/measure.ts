/**
 * Figures of the code's shape that `architecture.test.ts` holds at zero: import circles, SQL outside repositories,
 * long functions. `ARCH_REPORT=1 npx vitest run test/architecture.test.ts` prints them.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { cruise, type ICruiseResult } from 'dependency-cruiser';

export const ROOT = path.resolve(__dirname, '../..');
const SOURCE_DIRS = ['src-main', 'src-shared', 'src-renderer'];

export function sourceFiles(dirs = SOURCE_DIRS): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(rel);
      } else if (/\.tsx?$/.test(e.name) && !/\.(test|spec)\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const d of dirs) walk(d);
  return out.sort();
}

interface ImportCheck {
  graph: Map<string, string[]>;
  /** Breaches of the rules in .dependency-cruiser.cjs, as "rule: from -> to". */
  violations: string[];
}

let cached: Promise<ImportCheck> | undefined;

/** One cruise of the sources (type-only imports included) with the rules of .dependency-cruiser.cjs. */
export function checkImports(): Promise<ImportCheck> {
  cached ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = require(path.join(ROOT, '.dependency-cruiser.cjs')) as { forbidden: unknown[]; options: object };
    const cwd = process.cwd();
    process.chdir(ROOT);
    let result: ICruiseResult;
    try {
      const options = { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } };
      result = (await cruise(SOURCE_DIRS, options as never, undefined, {
        tsConfig: ts.readConfigFile(path.join(ROOT, 'tsconfig.test.json'), ts.sys.readFile).config,
      })).output as ICruiseResult;
    } finally {
      process.chdir(cwd);
    }
    const graph = new Map<string, string[]>();
    for (const m of result.modules) {
      graph.set(
        m.source,
        m.dependencies.filter((d) => !d.coreModule && !d.couldNotResolve && !d.resolved.includes('node_modules')).map((d) => d.resolved),
      );
    }
    const violations = result.summary.violations
      .filter((v) => v.rule.name !== 'no-circular')
      .map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
    return { graph, violations };
  })();
  return cached;
}

/** Every circle of imports (type-only imports included), each as the files that reach each other. */
export async function importCircles(): Promise<string[][]> {
  const { graph } = await checkImports();
  return stronglyConnected(graph).filter((c) => c.length > 1 || (graph.get(c[0]!) ?? []).includes(c[0]!));
}

/** Tarjan's strongly connected components: a group of two or more files is a circle. */
export function stronglyConnected(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      groups.push(group.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return groups;
}

/**
 * Where SQL may be written: repositories (one per table family, `repository.ts` or `<family>-repository.ts`), the
 * database's own folder (connection, migrations), and hot-path files that say so in their first comment
 * (`Hot path:`), where the statements stay beside the loop that runs them per CDR.
 */
export function isSqlHome(file: string, text: string): boolean {
  if (file.startsWith('src-main/db/')) return true;
  if (/(^|[/-])repository\.ts$/.test(file)) return true;
  const head = /^\s*\/\*\*?([\s\S]*?)\*\//.exec(text)?.[1] ?? '';
  return /Hot path:/.test(head);
}

export interface SqlCount {
  file: string;
  calls: number;
}

/** `.prepare(` calls per file, outside the places SQL may live. */
export function sqlOutsideRepositories(): SqlCount[] {
  const out: SqlCount[] = [];
  for (const file of sourceFiles(['src-main'])) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const calls = text.match(/\.prepare\(/g)?.length ?? 0;
    if (calls > 0 && !isSqlHome(file, text)) out.push({ file, calls });
  }
  return out;
}

export interface LongFunction {
  file: string;
  line: number;
  name: string;
  lines: number;
  /** The comment before it says why it is long (`Long because …`). */
  explained: boolean;
}

export const MAX_FUNCTION_LINES = 80;

/**
 * Functions, methods and arrow functions whose body spans more than MAX_FUNCTION_LINES lines, in the engine and the
 * contract (the renderer's components are counted apart in the report).
 */
export function longFunctions(dirs = ['src-main', 'src-shared']): LongFunction[] {
  const out: LongFunction[] = [];
  for (const file of sourceFiles(dirs)) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const visit = (node: ts.Node) => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const body = node.body as ts.Node;
        const first = sf.getLineAndCharacterOfPosition(body.getStart(sf)).line;
        const last = sf.getLineAndCharacterOfPosition(body.getEnd()).line;
        const lines = last - first + 1;
        if (lines > MAX_FUNCTION_LINES) {
          const holder = declarationOf(node);
          const comments = ts.getLeadingCommentRanges(text, holder.getFullStart()) ?? [];
          const comment = comments.map((c) => text.slice(c.pos, c.end)).join('\n');
          out.push({
            file,
            line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
            name: nameOf(node),
            lines,
            explained: /Long because/.test(comment),
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

/** The statement that declares a function (its comment sits before `export const x = () => …`). */
function declarationOf(node: ts.Node): ts.Node {
  let n = node;
  while (n.parent && (ts.isVariableDeclaration(n.parent) || ts.isVariableDeclarationList(n.parent) || ts.isVariableStatement(n.parent) || ts.isPropertyAssignment(n.parent) || ts.isCallExpression(n.parent))) n = n.parent;
  return n;
}

function nameOf(node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  const p = node.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isPropertyAssignment(p)) return p.name.getText();
  return '(anonymous)';
}

/** Files that import the composition root (`src-main/services.ts` or `src-main/engine.ts`). */
export function compositionRootImporters(): string[] {
  const root = /from '(\.\.?\/)+(services|engine)'/;
  return sourceFiles(['src-main']).filter((f) => root.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
}

export interface MisplacedMethod {
  method: string;
  /** The contract file declaring it, e.g. `src-shared/api/charging.ts`. */
  contract: string;
  /** The files defining a handler for it (`handlers.ts` / `…-handlers.ts` in src-main). */
  handlers: string[];
}

/**
 * One contract domain, one folder: each method of `src-shared/api/<domain>.ts` has exactly one handler, defined in a
 * `handlers.ts` / `<part>-handlers.ts` file under a src-main folder named `<domain>` (at any depth).
 */
export async function misplacedMethods(): Promise<MisplacedMethod[]> {
  const definedIn = new Map<string, string[]>();
  for (const file of sourceFiles(['src-main']).filter((f) => /(^|[/-])handlers\.ts$/.test(f))) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/^\s+'([a-zA-Z]+\.[a-zA-Z]+)'\s*:/gm)) {
      definedIn.set(m[1]!, [...(definedIn.get(m[1]!) ?? []), file]);
    }
  }
  const out: MisplacedMethod[] = [];
  for (const contract of sourceFiles(['src-shared/api'])) {
    const module = (await import(path.join(ROOT, contract))) as Record<string, unknown>;
    const domain = path.basename(contract, '.ts');
    for (const [name, table] of Object.entries(module)) {
      if (!name.endsWith('Methods') || !table || typeof table !== 'object') continue;
      for (const method of Object.keys(table)) {
        const handlers = definedIn.get(method) ?? [];
        if (handlers.length !== 1 || !handlers[0]!.split('/').slice(1, -1).includes(domain)) out.push({ method, contract, handlers });
      }
    }
  }
  return out;
}

/** The figures as lines of text (printed by the architecture test, quoted in notes). */
export async function report(): Promise<string> {
  const lines: string[] = [];
  const circles = await importCircles();
  lines.push(`import circles: ${circles.length}${circles.length ? ` (${circles.map((c) => c.length).join(', ')} files)` : ''}`);
  for (const c of circles) lines.push(`   ${c.join(' ')}`);
  const { violations } = await checkImports();
  lines.push(`imports against the rooms' rules: ${violations.length}`);
  for (const v of violations) lines.push(`   ${v}`);
  const sql = sqlOutsideRepositories();
  lines.push(`.prepare( outside repositories: ${sql.reduce((n, s) => n + s.calls, 0)} in ${sql.length} files`);
  for (const s of sql) lines.push(`   ${s.calls} ${s.file}`);
  const long = longFunctions();
  lines.push(`functions over ${MAX_FUNCTION_LINES} lines: ${long.length} (${long.filter((l) => !l.explained).length} without a reason)`);
  for (const l of long) lines.push(`   ${l.lines} ${l.file}:${l.line} ${l.name}${l.explained ? ' (explained)' : ''}`);
  const misplaced = await misplacedMethods();
  lines.push(`methods implemented outside their contract's folder: ${misplaced.length}`);
  for (const m of misplaced) lines.push(`   ${m.method} (${m.contract}) in ${m.handlers.join(', ') || 'no handlers file'}`);
  const components = longFunctions(['src-renderer']);
  lines.push(`renderer components and functions over ${MAX_FUNCTION_LINES} lines: ${components.length}`);
  const importers = compositionRootImporters();
  lines.push(`files importing the composition root: ${importers.length}`);
  for (const f of importers) lines.push(`   ${f}`);
  return lines.join('\n');
}
