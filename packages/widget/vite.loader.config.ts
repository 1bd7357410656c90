import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The loader runs on customers' pages: one self-contained, minified IIFE with no imports,
// built after the frame into the same dist/ (so it must not empty it).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    minify: 'esbuild',
    copyPublicDir: false,
    lib: {
      entry: fileURLToPath(new URL('src/loader/main.ts', import.meta.url)),
      formats: ['iife'],
      name: 'LoketWidget',
      fileName: () => 'widget.js',
    },
    rollupOptions: { output: { inlineDynamicImports: true } },
  },
});
