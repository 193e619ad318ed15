declare module '*.sql?raw' {
  const text: string;
  export default text;
}

/** Injected at build time by scripts/build.mjs; undefined under Vitest. */
declare const __APP_VERSION__: string;
declare const __APP_BUILD__: string;
