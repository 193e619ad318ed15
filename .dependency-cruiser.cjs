/**
 * Import rules of the rooms (docs/architecture.md), checked by `test/architecture.test.ts`; by hand:
 * `npx depcruise src-main src-shared src-renderer --config .dependency-cruiser.cjs`.
 * Type-only imports count: a circle of types is still a circle a reader has to untie.
 */
const COMPOSITION_ROOT = '^src-main/(services|engine|engine-host|server)\\.ts$|^src-main/api/handlers\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module must not reach itself through its imports (type imports included).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-stays-shared',
      severity: 'error',
      comment: 'src-shared (the contract and the domain rules) runs in the engine and in the browser: it imports neither side.',
      from: { path: '^src-shared/', pathNot: '\\.test\\.ts$' },
      to: { path: '^src-(main|renderer)/' },
    },
    {
      name: 'shared-has-no-node',
      severity: 'error',
      comment: 'src-shared runs in the browser too: no Node.js built-in modules.',
      from: { path: '^src-shared/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-talks-through-the-api',
      severity: 'error',
      comment: 'The UI reaches the engine only through the API contract (src-shared), never by importing engine code.',
      from: { path: '^src-renderer/' },
      to: { path: '^src-main/' },
    },
    {
      name: 'engine-has-no-ui',
      severity: 'error',
      from: { path: '^src-main/' },
      to: { path: '^src-renderer/' },
    },
    {
      name: 'domains-do-not-know-the-root',
      severity: 'error',
      comment:
        'Only the composition root (engine.ts, services.ts, the host, the entry points, the handler table) knows every service; a domain declares the few it uses in its own Deps interface.',
      from: { path: '^src-main/', pathNot: `${COMPOSITION_ROOT}|^src-main/electron/` },
      to: { path: COMPOSITION_ROOT },
    },
    {
      name: 'handlers-do-not-know-the-dispatcher',
      severity: 'error',
      comment: 'Handlers take their types from api/call-context.ts; the dispatcher is for the transports and the root.',
      from: { path: '^src-main/', pathNot: `${COMPOSITION_ROOT}|^src-main/api/|^src-main/electron/` },
      to: { path: '^src-main/api/dispatcher\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
