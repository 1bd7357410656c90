import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The chat window. The server mounts dist/ under /widget/, hence the base.
export default defineConfig({
  root,
  base: '/widget/',
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2020',
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: { frame: fileURLToPath(new URL('frame.html', import.meta.url)) },
    },
  },
});
