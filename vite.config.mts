import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * A chunk group of the packages named (each a folder under node_modules), their JavaScript only: the style sheets
 * main.tsx imports from the same packages stay in the first page's CSS, or they would pull the group's chunk into
 * the first download with them.
 */
const vendor = (name: string, packages: string[], priority: number, except?: RegExp) => {
  const inPackages = new RegExp(`[\\\\/]node_modules[\\\\/](${packages.map((p) => p.replace('/', '[\\\\/]')).join('|')})[\\\\/]`);
  return { name, test: (id: string) => inPackages.test(id) && !/\.css($|\?)/.test(id) && !except?.test(id), priority };
};

export default defineConfig({
  root: path.join(here, 'src-renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: path.join(here, 'dist/renderer'),
    emptyOutDir: true,
    // Pages are loaded lazily (src-renderer/src/routes.tsx); no file should come near this any more.
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: {
        // Needed with includeDependenciesRecursively off: modules run in import order across chunks (without it a
        // group's CommonJS package could run before the helper it needs from another chunk).
        strictExecutionOrder: true,
        // The heavy libraries in files of their own, fetched only by the pages that use them (charts by the
        // statistics and dashboards, the date pickers by the filters, the data table by lists), and the framework
        // (React, the router, translations, the contract's validation) in files that stay the same from one
        // release to the next. Everything else is split by the bundler's own rules.
        codeSplitting: {
          // A group holds its own packages only: with their dependencies pulled in (the default), the date
          // pickers' group took the parts of @mantine/core they use, and the first page had to load it for them.
          includeDependenciesRecursively: false,
          groups: [
            vendor('vendor-charts', ['recharts', 'd3-[a-z-]+', 'victory-vendor', '@mantine/charts', '@reduxjs', 'redux', 'react-redux', 'immer', 'reselect', 'es-toolkit', 'decimal.js-light', 'internmap', 'eventemitter3', 'tiny-invariant'], 30),
            // App.tsx sets the pickers' locale with DatesProvider at start: that small part stays with the shell.
            vendor('vendor-dates', ['@mantine/dates'], 30, /DatesProvider|use-dates-context/),
            vendor('vendor-datatable', ['mantine-datatable'], 30),
            vendor('vendor-phone', ['libphonenumber-js'], 30),
            vendor('vendor-react', ['react', 'react-dom', 'scheduler', 'react-router', 'react-router-dom', 'cookie', 'set-cookie-parser'], 20),
            vendor('vendor-i18n', ['i18next', 'react-i18next', 'i18next-browser-languagedetector', 'html-parse-stringify', 'void-elements'], 20),
            vendor('vendor-zod', ['zod'], 20),
            // The UI kit in one file: split by the bundler, each page needed a dozen files of one component each
            // (Card, Grid, Table...), and the requests queued behind one another on a cold start.
            vendor('vendor-mantine', ['@mantine/core', '@mantine/hooks', '@mantine/notifications', '@mantine/form', 'mantine-form-zod-resolver', '@floating-ui/[a-z-]+', 'react-transition-group', 'react-remove-scroll', 'react-remove-scroll-bar', 'react-style-singleton', 'use-callback-ref', 'use-sidecar', 'get-nonce', 'aria-hidden', 'detect-node-es', 'tslib', 'clsx', 'react-number-format', 'react-textarea-autosize', 'use-composed-ref', 'use-isomorphic-layout-effect', 'use-latest', 'dayjs', '@tanstack/[a-z-]+', 'klona', 'fast-deep-equal', '@tabler/icons-react'], 10),
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
