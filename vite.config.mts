import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: path.join(here, 'src-renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: path.join(here, 'dist/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2048,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
