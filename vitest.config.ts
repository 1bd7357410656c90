import { defineConfig } from 'vitest/config';
import { messageformat } from './tools/vite-plugin-messageformat.js';

export default defineConfig({
  // Widget and console import their dictionaries compiled (`?icu`), in tests as in the builds.
  plugins: [messageformat()],
  test: {
    // e2e/ holds Playwright specs, run by `npm run test:e2e`, not by Vitest.
    include: ['packages/*/test/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
