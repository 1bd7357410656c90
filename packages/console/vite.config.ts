import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';
import { messageformat } from '../../tools/vite-plugin-messageformat.js';

// The dev server proxies to a Loket server on :3000 so the console keeps talking to the same
// origin, exactly as in production where the server serves dist/ at /console/.
const target = process.env['LOKET_URL'] ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [messageformat(), preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': { target, changeOrigin: false },
      '/ws': { target, ws: true },
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
