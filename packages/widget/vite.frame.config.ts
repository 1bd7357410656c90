import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { messageformat } from '../../tools/vite-plugin-messageformat.js';

const root = fileURLToPath(new URL('.', import.meta.url));

// The chat window. The server mounts dist/ under /widget/, hence the base.
export default defineConfig({
  root,
  base: '/widget/',
  plugins: [messageformat(), preact({ devToolsEnabled: false, prefreshEnabled: false })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2020',
    modulePreload: { polyfill: false },
    // The server reads it to preload the channel's language chunk from frame.html (http/static.ts).
    manifest: true,
    rollupOptions: {
      input: { frame: fileURLToPath(new URL('frame.html', import.meta.url)) },
    },
  },
});
